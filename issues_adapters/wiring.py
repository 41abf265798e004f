"""The Django side's composition root: the concrete adapters handed to issues_service.bootstrap."""

import functools

from issues_adapters.persistence.queries import DjangoIssueQueries
from issues_adapters.persistence.unit_of_work import DjangoUnitOfWork
from issues_service.bootstrap import bootstrap
from issues_service.messagebus import MessageBus
from issues_service.queries import IssueQueries


@functools.cache
def message_bus() -> MessageBus:
    return bootstrap(unit_of_work=DjangoUnitOfWork)


@functools.cache
def issue_queries() -> IssueQueries:
    return DjangoIssueQueries()
