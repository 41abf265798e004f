"""What the console handler that settings.LOGGING configures writes, for tests to read."""

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from issues_adapters.logs import CorrelationIdFilter


@contextmanager
def console_output(level: int = logging.INFO) -> Iterator[io.StringIO]:
    """The configured console's lines meanwhile, with the root logger at `level` or lower."""
    root = logging.getLogger()
    (console,) = (
        handler
        for handler in root.handlers
        if any(isinstance(each, CorrelationIdFilter) for each in handler.filters)
    )
    output = io.StringIO()
    previous_stream, previous_level = console.setStream(output), root.level
    root.setLevel(min(level, root.level))
    try:
        yield output
    finally:
        root.setLevel(previous_level)
        console.setStream(previous_stream)
