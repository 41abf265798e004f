"""SQLite's statistics are gathered again as the issues grow, not on every pass."""

import pytest
from django.db import connection

from issues_adapters.persistence import planner_statistics
from tests.web.support import report

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statistics only"),
    pytest.mark.django_db,
]


@pytest.fixture
def fewest(monkeypatch):
    monkeypatch.setattr(planner_statistics, "FEWEST", 4)


def add_issues(n: int) -> None:
    for number in range(n):
        report(description=f"Problem {number}")


def forget_statistics() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sqlite_schema")  # makes sqlite_stat1 if it is not there yet
        cursor.execute("DELETE FROM sqlite_stat1")


def test_too_few_issues_gather_nothing(fewest):
    forget_statistics()
    add_issues(3)
    assert not planner_statistics.gather_if_grown()
    assert planner_statistics.issues_when_last_gathered() is None


def test_they_are_gathered_once_there_are_enough_issues_and_again_after_growth(fewest):
    forget_statistics()
    add_issues(4)
    assert planner_statistics.gather_if_grown()
    assert planner_statistics.issues_when_last_gathered() == 4
    add_issues(1)  # 5 < 4 x 1.5
    assert not planner_statistics.gather_if_grown()
    assert planner_statistics.issues_when_last_gathered() == 4
    add_issues(1)  # 6 = 4 x 1.5
    assert planner_statistics.gather_if_grown()
    assert planner_statistics.issues_when_last_gathered() == 6
