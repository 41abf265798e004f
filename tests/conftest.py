import pytest
from django.test import override_settings

from tests.support.concurrency import on_postgres  # noqa: F401  (a fixture for every test)


@pytest.fixture(scope="session", autouse=True)
def _deliver_events_inline():
    """The product hands a commit's events to a delivery thread (HELPDESK_DELIVER_AFTER_COMMIT
    = "thread"), so a request returns before its mail is sent. Most tests look at the effects
    right after the command, and many run inside a test transaction that another thread could
    not see, so here the committing thread delivers them itself. The delivery thread has its
    own tests (tests/events/test_background_delivery.py), which switch it back on."""
    with override_settings(HELPDESK_DELIVER_AFTER_COMMIT="inline"):
        yield


@pytest.fixture(scope="session", autouse=True)
def _attachments_in_a_temporary_folder(tmp_path_factory):
    """Files the tests attach go to a folder of this run's, not var/attachments."""
    from django.conf import settings

    folder = tmp_path_factory.mktemp("attachments")
    storages = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder, "base_url": None},
        },
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(scope="session", autouse=True)
def _generous_throttle_rates():
    """Tests report, comment and ask for password resets anonymously from one address many
    times a minute; the throttling tests lower the rates themselves (tests.api.contexts.rates)."""
    from tests.api.contexts import rates

    with rates(
        report="100000/minute",
        token="100000/minute",
        reporter_comment="100000/minute",
        password_reset="100000/minute",
        password_reset_address="100000/minute",
    ):
        yield


@pytest.fixture(scope="session", autouse=True)
def _reporter_comments_mailed_at_once():
    """Most tests look at the assignee's mail right after a reporter comment; the digest tests
    set a coalescing window themselves (tests/events/test_reporter_comment_digest.py)."""
    with override_settings(HELPDESK_REPORTER_COMMENT_COALESCE_SECONDS=0):
        yield


@pytest.fixture(scope="session", autouse=True)
def _generous_login_failure_limits():
    """Tests fail logins on purpose from one address all session long; the lockout tests
    lower the limits themselves (tests/web/test_failed_logins.py)."""
    with override_settings(
        HELPDESK_LOGIN_FAILURES_PER_ACCOUNT=100_000, HELPDESK_LOGIN_FAILURES_PER_ADDRESS=100_000
    ):
        yield


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """A transactional test empties every table afterwards, the migrations' categories too;
    put them back so that the next test starts from a freshly migrated database."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return
    request.getfixturevalue("transactional_db")
    from issues_adapters.persistence.models import Category
    from issues_adapters.persistence.reference_data import ensure_default_categories

    ensure_default_categories(Category)


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request leaves the language it spoke active on its thread (LocaleMiddleware and the
    staff's choice activate it, and nothing puts it back), so a test after one that spoke
    German made its messages in German. Each test ends in the default language."""
    yield
    from django.utils import translation

    translation.deactivate()
