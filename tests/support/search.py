"""Searches made broad, and their walks cut short, for the specs of persistence/text_search.py
(SQLite; PostgreSQL's planner makes its own choice)."""

import contextlib

from issues_adapters.persistence import text_search


@contextlib.contextmanager
def cut_short(
    *, broad_search: int = 0, walk_steps: int | None = None, walk_issues: int | None = None
):
    """Every search broad past `broad_search` matches, every walk cut after `walk_steps`, and
    a walk newest first out of reach of a match more than `walk_issues` issues back."""
    was = text_search.BROAD_SEARCH, text_search.WALK_STEPS, text_search.WALK_ISSUES
    text_search.BROAD_SEARCH = broad_search
    text_search.WALK_STEPS = walk_steps or text_search.WALK_STEPS
    text_search.WALK_ISSUES = walk_issues or text_search.WALK_ISSUES
    try:
        yield
    finally:
        text_search.BROAD_SEARCH, text_search.WALK_STEPS, text_search.WALK_ISSUES = was
