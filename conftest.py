"""Runs contexts-style specs under pytest.

A spec is a class `When_<situation>` (optionally built on `With_<context>` base classes) with
`given_*` methods (arrange), `because_*` methods (act, once) and `it_*` / `*_should_*` methods
(one fact each). For each class this plugin makes one instance, runs every `given_*` from the
most basic base class down, then every `because_*`, and hands the resulting state to each
assertion. If arranging or acting raises, every assertion of the class fails with that error.

A class marked `django_db` gets the database for the whole class inside one transaction that
is rolled back afterwards. `transaction=True` cannot work once per class and is refused.
"""

import inspect

import pytest


def _own_methods(cls, prefix: str) -> list:
    return [
        function
        for name, function in vars(cls).items()
        if name.startswith(prefix) and inspect.isfunction(function)
    ]


def _establish(context) -> None:
    for cls in reversed(type(context).__mro__):
        for given in _own_methods(cls, "given_"):
            given(context)
    for cls in reversed(type(context).__mro__):
        for because in _own_methods(cls, "because_"):
            because(context)


def _is_spec(cls) -> bool:
    return cls is not None and cls.__name__.startswith("When_")


class _ContextFailed:
    def __init__(self, error: BaseException):
        self.error = error


@pytest.fixture(scope="class", autouse=True)
def _spec_context(request):
    cls = request.cls
    if not _is_spec(cls):
        yield None
        return
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        yield _run_context(cls)
        return
    if marker.kwargs.get("transaction") or (marker.args and marker.args[0]):
        raise pytest.UsageError(
            f"{cls.__name__}: a spec class runs given/because once for all its assertions, so "
            "it cannot have a fresh transactional database per assertion. Use "
            "django_db without transaction=True, or write a plain test function."
        )
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    from django.db import connections, transaction

    with blocker.unblock():
        atomics = [transaction.atomic(using=alias) for alias in connections]
        for atomic in atomics:
            atomic.__enter__()
        try:
            yield _run_context(cls)
        finally:
            for alias in connections:
                transaction.set_rollback(True, using=alias)
            for atomic in reversed(atomics):
                atomic.__exit__(None, None, None)


def _run_context(cls):
    context = cls()
    try:
        _establish(context)
    except Exception as error:
        return _ContextFailed(error)
    return context


@pytest.fixture(autouse=True)
def _spec_state(request, _spec_context):
    if _spec_context is None:
        return
    if isinstance(_spec_context, _ContextFailed):
        error = _spec_context.error
        raise AssertionError(
            f"the context could not be established: {type(error).__name__}: {error}"
        ) from error
    request.instance.__dict__.update(_spec_context.__dict__)
