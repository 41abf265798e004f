"""Rating from the tracking page and from the resolution mail's signed links; the rating shown
on the tracking page, the staff issue page and the queue."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.web.support import issue_in, make_user, staff_client, token


@pytest.fixture
def resolved(db, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_user("alice")
    with django_capture_on_commit_callbacks(execute=True):
        issue_id = issue_in("resolved")
    return issue_id


def rate(issue_id, callbacks, **data):
    with callbacks(execute=True):
        return Client().post(f"/track/{token(issue_id)}/rate/", data)


def test_the_tracking_page_asks_how_we_did_once_resolved(resolved):
    html = Client().get(f"/track/{token(resolved)}/").content.decode()
    assert "How did we do?" in html and 'id="rating-form"' in html


def test_an_open_issue_s_page_does_not_ask(db):
    make_user("alice")
    open_issue = issue_in("assigned")
    assert "How did we do?" not in Client().get(f"/track/{token(open_issue)}/").content.decode()


def test_a_rating_is_shown_to_the_reporter_staff_and_in_the_queue_and_a_later_one_replaces_it(
    resolved, django_capture_on_commit_callbacks
):
    first = rate(resolved, django_capture_on_commit_callbacks, score="2", comment="Slow.")
    assert first.status_code == 302
    rate(resolved, django_capture_on_commit_callbacks, score="4", comment="<b>Fine</b> after all.")

    reporter_page = Client().get(f"/track/{token(resolved)}/").content.decode()
    assert "4 of 5" in reporter_page and "&lt;b&gt;Fine&lt;/b&gt; after all." in reporter_page
    assert "2 of 5" not in reporter_page
    staff = staff_client("alice")
    assert "4 of 5" in staff.get(f"/staff/issues/{resolved}/").content.decode()
    assert "Rated 4/5" in staff.get("/staff/?status=resolved").content.decode()


@pytest.mark.parametrize("score", ["0", "6", "x", ""])
def test_a_score_outside_1_to_5_is_a_400(resolved, django_capture_on_commit_callbacks, score):
    response = rate(resolved, django_capture_on_commit_callbacks, score=score)
    assert response.status_code == 400
    assert "4 of 5" not in response.content.decode()


def test_rating_an_issue_never_resolved_is_a_409(db, django_capture_on_commit_callbacks):
    make_user("alice")
    open_issue = issue_in("assigned")
    response = rate(open_issue, django_capture_on_commit_callbacks, score="5")
    assert response.status_code == 409
    assert "Only a resolved or closed issue can be rated." in response.content.decode()


def test_the_resolution_mail_s_signed_link_asks_once_more_then_rates(
    resolved, django_capture_on_commit_callbacks
):
    (resolution_mail,) = [m for m in mail.outbox if "resolved" in m.body]
    links = re.findall(r"^(\d): (http\S+)$", resolution_mail.body, re.M)
    assert [score for score, _ in links] == ["1", "2", "3", "4", "5"]
    path = "/" + links[4][1].split("/", 3)[3]
    page = Client().get(path).content.decode()
    assert re.search(r'value="5"[^>]*checked', page)
    assert not re.search(r'value="[1-4]"[^>]*checked', page)
    assert "5 of 5" not in Client().get(f"/track/{token(resolved)}/").content.decode()

    tampered = path[:-3] + ("AAA" if not path.endswith("AAA/") else "BBB") + "/"
    assert Client().get(tampered).status_code == 404
