"""A reporter whose browser speaks German: the form, the confirmation, the mail, the tracking
page and the resolution mail are German; a staff member chooses German for the staff pages."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from issues_adapters.persistence.models import IssueRecord
from tests.browser.support import log_in, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GERMAN_DATE = re.compile(r"^\d{1,2}\. [A-Za-zäöüÄÖÜ]+ \d{4} \d{2}:\d{2}$")


def mail_with(subject_end: str):
    found = [message for message in mail.outbox if message.subject.endswith(subject_end)]
    assert len(found) == 1, [message.subject for message in mail.outbox]
    return found[0]


def test_a_german_reporter_is_spoken_to_in_german(live_server, new_page, screenshot):
    base = live_server.url
    make_staff("alice")
    mail.outbox.clear()

    reporter = new_page(locale="de-DE")
    reporter.goto(base + "/")
    expect(reporter.get_by_role("heading", name="Problem melden")).to_be_visible()
    assert reporter.locator("html").get_attribute("lang") == "de"
    reporter.get_by_label("Ihr Name").fill("Jana Beispiel")
    reporter.get_by_label("Ihre E-Mail-Adresse").fill("jana@example.org")
    reporter.get_by_label("Betreff").fill("Drucker zieht kein Papier ein")
    reporter.get_by_label("Worum geht es?").fill("Der Drucker im 2. Stock zieht kein Papier ein.")
    reporter.get_by_role("button", name="Meldung senden").click()
    expect(
        reporter.get_by_role("heading", name="Vielen Dank: wir haben Ihre Meldung")
    ).to_be_visible()
    reference = reporter.locator("#reference").inner_text()
    screenshot(reporter, "de-01-confirmation")

    confirmation = mail_with("Wir haben Ihre Meldung erhalten")
    assert confirmation.subject == (
        f"[{reference}] Drucker zieht kein Papier ein - Wir haben Ihre Meldung erhalten"
    )
    assert "Guten Tag Jana Beispiel," in confirmation.body
    tracking_url = re.search(r"http://\S+/track/\S+/", confirmation.body).group(0)
    tracking_path = tracking_url.split("/track/", 1)[1]

    reporter.goto(f"{base}/track/{tracking_path}")
    expect(reporter.locator("#status")).to_have_text("Gemeldet")
    expect(reporter.get_by_role("heading", name="Ihre Meldung")).to_be_visible()
    assert GERMAN_DATE.match(reporter.locator("dl.facts time").inner_text())
    screenshot(reporter, "de-02-tracking-page")

    # Alice reads English until she chooses German; she resolves the issue in German.
    staff = new_page(locale="en-GB")
    log_in(staff, base, "alice")
    expect(staff.get_by_role("link", name="Queue", exact=True)).to_be_visible()
    staff.goto(base + "/staff/settings/")
    staff.get_by_label("Language of the staff pages and your mail").select_option("de")
    staff.get_by_role("button", name="Save the language").click()
    expect(staff.get_by_role("link", name="Warteschlange", exact=True)).to_be_visible()
    staff.goto(base + "/staff/")
    staff.get_by_role("link", name=reference).click()
    staff.locator("#composer-form").get_by_label("Antwort oder Notiz").fill(
        "Die Einzugsrolle ist ersetzt."
    )
    staff.get_by_role("button", name="Senden und lösen").click()
    expect(staff.locator("#status")).to_have_text("Gelöst")
    screenshot(staff, "de-03-staff-issue-page")

    resolution = mail_with("Ihr Anliegen wurde gelöst")
    assert resolution.subject == (
        f"[{reference}] Drucker zieht kein Papier ein - Ihr Anliegen wurde gelöst"
    )
    assert "alice hat " + reference + " als gelöst markiert:" in resolution.body
    assert "Doch nicht behoben?" in resolution.body

    reporter.reload()
    expect(reporter.locator("#status")).to_have_text("Gelöst")
    expect(reporter.get_by_role("button", name="Anliegen wieder öffnen")).to_be_visible()
    assert IssueRecord.objects.get(reference=reference).language == "de"
