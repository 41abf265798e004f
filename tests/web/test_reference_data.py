"""The issue page keeps categories, staff and canned replies in its process (web/reference_data)
and reads them again when the stamp in the database says they changed, as every gunicorn worker
does: the signals that change the stamp write only to the database, never to this process's
memory, so what these specs see is what another worker would see."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from expects import be, contain, equal, expect

from issues_adapters.canned_replies import store
from issues_adapters.persistence.models import Category
from issues_adapters.web import reference_data
from tests.web.support import make_user, report, staff_client

pytestmark = pytest.mark.django_db


def page(client, issue_id) -> str:
    response = client.get(f"/staff/issues/{issue_id}/")
    assert response.status_code == 200
    return response.content.decode()


class When_a_category_is_renamed_after_a_page_kept_the_categories:
    def given_a_page_that_kept_them(self):
        self.category, _ = Category.objects.get_or_create(slug="printing", name="Printing")
        self.client, self.issue_id = staff_client(), report()
        page(self.client, self.issue_id)
        self.kept = reference_data._kept

    def because_somebody_renames_it_in_the_admin(self):
        superuser = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
        other = Client()
        other.force_login(superuser)
        url = f"/admin/issues/category/{self.category.pk}/change/"
        data = {"slug": "printing", "name": "Printers and copiers", "is_active": "on"}
        self.saved = other.post(url, data | {"position": 0})
        self.memory_after_the_change = reference_data._kept

    def it_should_leave_this_process_memory_alone(self):
        expect(self.saved.status_code).to(equal(302))
        expect(self.memory_after_the_change).to(be(self.kept))

    def it_should_show_the_new_name_on_the_next_page(self):
        expect(page(self.client, self.issue_id)).to(contain("Printers and copiers"))


class When_a_staff_member_joins_or_a_canned_reply_changes:
    def given_a_page_that_kept_staff_and_replies(self):
        self.reply = store.create("Greeting", "Hello {reporter_name}", by="alice")
        self.client, self.issue_id = staff_client(), report()
        page(self.client, self.issue_id)

    def because_both_change(self):
        make_user("zoe")
        store.change(self.reply.id, "Greeting", "Good morning {reporter_name}", by="alice")
        self.html = page(self.client, self.issue_id)

    def it_should_offer_the_new_staff_member(self):
        expect(self.html).to(contain('<option value="zoe"'))

    def it_should_offer_the_changed_reply(self):
        expect(self.html).to(contain("Good morning Fred Bloggs"))


class When_a_change_is_rolled_back_after_a_page_read_it:
    def given_the_kept_categories(self):
        self.category, _ = Category.objects.get_or_create(slug="network", defaults={"name": "Net"})
        reference_data.current()

    def because_a_rename_is_read_and_then_rolled_back(self):
        with pytest.raises(RuntimeError), transaction.atomic():
            Category.objects.filter(slug="network").update(name="Nope")
            Category.objects.get(slug="network").save()  # its signal changes the stamp
            expect(reference_data.current().category_names["network"]).to(equal("Nope"))
            raise RuntimeError("rolled back")

    def it_should_read_them_again(self):
        expect(reference_data.current().category_names["network"]).to(equal(self.category.name))


class When_a_staff_member_signs_in:
    def given_the_stamp(self):
        make_user("carol")
        self.before = reference_data.stamp()

    def because_they_sign_in(self):
        self.signed_in = Client().login(username="carol", password="pw")

    def it_should_leave_the_kept_data_alone(self):
        expect(self.signed_in).to(equal(True))
        expect(reference_data.stamp()).to(equal(self.before))
