"""issues_adapters.tracing: one current correlation id per context, set for a block."""

import re
import threading

import pytest

from issues_adapters.tracing import correlation, current_correlation_id, new_correlation_id


def test_outside_any_block_there_is_no_correlation_id():
    assert current_correlation_id() is None


def test_a_block_runs_under_the_given_id_and_yields_it():
    with correlation("req-42") as given:
        assert (given, current_correlation_id()) == ("req-42", "req-42")
    assert current_correlation_id() is None


@pytest.mark.parametrize("absent", [None, ""])
def test_a_block_without_an_id_makes_a_new_one(absent):
    with correlation(absent) as made:
        assert re.fullmatch(r"[0-9a-f]{32}", made)
        assert current_correlation_id() == made


def test_each_new_id_differs():
    assert new_correlation_id() != new_correlation_id()


def test_an_inner_block_gives_the_outer_id_back_even_when_it_fails():
    with correlation("outer"):
        with pytest.raises(LookupError), correlation("inner"):
            assert current_correlation_id() == "inner"
            raise LookupError
        assert current_correlation_id() == "outer"


def test_another_thread_does_not_see_this_threads_id():
    seen = []
    with correlation("mine"):
        thread = threading.Thread(target=lambda: seen.append(current_correlation_id()))
        thread.start()
        thread.join()
    assert seen == [None]
