"""With CACHE_URL pointing at Redis, every web process counts against the same report rate."""

import os
import random
import subprocess
import sys

import pytest

from tests.support.services import REDIS_URL, require

ONE_REPORT = """
import django; django.setup()
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from issues_adapters.api.throttling import AnonymousReportThrottle
request = RequestFactory().post("/", REMOTE_ADDR="{address}")
request.user = AnonymousUser()
print(AnonymousReportThrottle().allow_request(request, None))
"""


def report_from(address: str, cache_url: str) -> str:
    """One report's throttle check in a process of its own, as another web worker would."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "issues_adapters.settings",
        "CACHE_URL": cache_url,
        "HELPDESK_API_REPORT_RATE": "1/minute",
    }
    done = subprocess.run(
        [sys.executable, "-c", ONE_REPORT.format(address=address)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def an_address() -> str:
    return f"198.18.{random.randrange(256)}.{random.randrange(1, 255)}"


def test_two_processes_share_the_rate_through_redis():
    require("redis")
    address, cache_url = an_address(), REDIS_URL.rsplit("/", 1)[0] + "/1"
    assert [report_from(address, cache_url) for _ in range(2)] == ["True", "False"]


def test_without_a_shared_cache_each_process_counts_on_its_own():
    address = an_address()
    assert [report_from(address, "") for _ in range(2)] == ["True", "True"]


def test_a_cache_url_that_is_not_redis_is_refused_at_start_up():
    with pytest.raises(subprocess.CalledProcessError) as refused:
        report_from(an_address(), "memcached://127.0.0.1:11211")
    assert "CACHE_URL must be a redis:// URL" in refused.value.stderr
