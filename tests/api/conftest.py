import pytest


@pytest.fixture(scope="session", autouse=True)
def _generous_throttle_rates():
    """Specs post anonymously from one address many times a minute; the throttling specs
    lower the rates themselves (tests.api.contexts.rates)."""
    from tests.api.contexts import rates

    with rates(report="100000/minute", token="100000/minute"):
        yield
