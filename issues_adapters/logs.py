"""Log records carry the correlation id: settings.LOGGING puts this filter on its handlers and
prints `correlation_id=%(correlation_id)s` in every line."""

import logging

from issues_adapters.tracing import current_correlation_id


class CorrelationIdFilter(logging.Filter):
    """Sets `record.correlation_id` to the current id, or "-" outside any; an id the caller
    gave (`extra={"correlation_id": ...}`, say for an event handled elsewhere) is kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "correlation_id", None) is None:
            record.correlation_id = current_correlation_id() or "-"
        return True
