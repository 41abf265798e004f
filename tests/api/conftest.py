import pytest
from django.test import override_settings


@pytest.fixture(scope="session", autouse=True)
def _generous_throttle_rates():
    """Specs post anonymously from one address many times a minute; the throttling specs
    lower the rates themselves (tests.api.contexts.rates)."""
    from tests.api.contexts import rates

    with rates(report="100000/minute", token="100000/minute"):
        yield


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Every spec makes users with passwords; the real hasher takes a third of a second."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield
