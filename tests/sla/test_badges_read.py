"""The queue's badges read by a kept statement (sla/display.py) are those Django's query gives,
for any number of issues, with or without clocks, an issue named twice or none."""

import uuid

import pytest

from issues_adapters.persistence import kept_statements
from issues_adapters.sla import display
from issues_adapters.wiring import message_bus
from tests.sla.test_timers import deliver, helpdesk, report_urgent  # noqa: F401


@pytest.mark.django_db
@pytest.mark.usefixtures("helpdesk")
def test_the_badges_are_those_of_the_query_compiled_anew(deliver, monkeypatch):  # noqa: F811
    bus = message_bus()
    urgent = [deliver(lambda n=n: report_urgent(bus, subject=f"Flood {n}")) for n in range(3)]
    without = uuid.uuid4()  # no such issue, no clock
    asked = [
        [],
        [urgent[0]],
        [urgent[1], without],
        [*urgent, urgent[0]],
        [without, urgent[2], urgent[1]],
    ]
    kept = [display.badges_for(ids) for ids in asked]
    monkeypatch.setattr(kept_statements, "KEPT", False)
    assert kept == [display.badges_for(ids) for ids in asked]
    assert kept[0] == {} and set(kept[3]) == {str(issue) for issue in urgent}
    assert kept[3][str(urgent[0])].state == "on_track"
