"""Doing things at the same moment from several threads, each on its own database connection."""

import threading

import pytest
from django.db import connection, connections

from tests.support.services import require


def run_at_once(*actions):
    """Start every action at the same moment; return each one's result or the error it raised."""
    start = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            start.wait()
            outcomes[index] = action()
        except Exception as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.fixture
def on_postgres():
    """Concurrency needs real connections to one server: this runs in the PostgreSQL pass."""
    if connection.vendor != "postgresql":
        require("postgres")  # says whether PostgreSQL is there at all
        pytest.skip("runs in the PostgreSQL pass of `make test` (DATABASE_URL=postgres://...)")
