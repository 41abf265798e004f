import pytest
from django.test import override_settings


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Every spec makes users with passwords; the real hasher takes a third of a second."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield
