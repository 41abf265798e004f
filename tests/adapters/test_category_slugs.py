"""Whether a category exists is read once every few seconds, and forgotten when one changes."""

import pytest

from issues_adapters.persistence.models import Category
from issues_adapters.persistence.repository import DjangoCategoryCatalogue, active_category_slugs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_slugs():
    active_category_slugs.forget()
    yield
    active_category_slugs.forget()


def test_many_reports_ask_the_database_once(django_assert_num_queries):
    catalogue = DjangoCategoryCatalogue()
    with django_assert_num_queries(1):
        assert all(catalogue.is_known("printing") for _ in range(50))
        assert not catalogue.is_known("no-such-category")


def test_a_category_made_inactive_is_unknown_at_once():
    catalogue = DjangoCategoryCatalogue()
    assert catalogue.is_known("printing")
    printing = Category.objects.get(slug="printing")
    printing.is_active = False
    printing.save()
    assert not catalogue.is_known("printing")


def test_a_new_or_deleted_category_is_seen_at_once():
    catalogue = DjangoCategoryCatalogue()
    assert not catalogue.is_known("telephony")
    telephony = Category.objects.create(slug="telephony", name="Telephony")
    assert catalogue.is_known("telephony")
    telephony.delete()
    assert not catalogue.is_known("telephony")


def test_the_slugs_are_read_again_after_their_time_is_up(monkeypatch, django_assert_num_queries):
    catalogue = DjangoCategoryCatalogue()
    catalogue.is_known("printing")
    monkeypatch.setattr(active_category_slugs, "ttl", 0)
    with django_assert_num_queries(1):
        catalogue.is_known("printing")
