"""Every log line carries the correlation id of the request (or mail) that caused it."""

import logging
import re

import pytest
from django.test import Client

from issues_adapters.logs import CorrelationIdFilter
from issues_adapters.tracing import correlation
from tests.support.logs import console_output


def filtered(**extra) -> logging.LogRecord:
    record = logging.makeLogRecord({"msg": "something happened", **extra})
    assert CorrelationIdFilter().filter(record)
    return record


def test_a_record_made_inside_a_block_carries_its_id():
    with correlation("req-1"):
        assert filtered().correlation_id == "req-1"


def test_a_record_made_outside_any_block_says_so_with_a_dash():
    assert filtered().correlation_id == "-"


def test_an_id_given_with_the_record_is_kept():
    with correlation("req-1"):
        assert filtered(correlation_id="event-9").correlation_id == "event-9"


def test_the_console_prints_the_id_in_each_line():
    with console_output() as output, correlation("req-2"):
        logging.getLogger("issues_adapters.somewhere").warning("first\nsecond line")

    assert re.fullmatch(
        r"\S+ \S+ level=WARNING logger=issues_adapters\.somewhere correlation_id=req-2 "
        r"first\nsecond line\n",
        output.getvalue(),
    )


@pytest.mark.urls("tests.tracing.urls")
@pytest.mark.django_db
def test_a_line_logged_while_a_request_is_handled_carries_the_requests_id():
    with console_output() as output:
        Client().get("/test/logging/", headers={"X-Request-ID": "req-3"})

    (line,) = output.getvalue().splitlines()
    assert line.endswith(" correlation_id=req-3 the view logs this")


@pytest.mark.urls("tests.tracing.urls")
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("/no/such/page/", "level=WARNING logger=django.request correlation_id=req-4 Not Found"),
        ("/test/failing/", "level=ERROR logger=django.request correlation_id=req-4 Internal"),
    ],
)
def test_djangos_line_about_a_failed_request_carries_its_id_once(path, line):
    with console_output() as output:
        Client(raise_request_exception=False).get(path, headers={"X-Request-ID": "req-4"})

    (logged,) = [each for each in output.getvalue().splitlines() if "django.request" in each]
    assert line in logged
