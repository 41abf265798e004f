"""`{% load satisfaction %}{% satisfaction_of issue.id %}`: the issue's current rating, so a
page shows it with a one-line include and no change to its view."""

from django import template

from issues_adapters.reports.ratings import rating_of, ratings_of

register = template.Library()


@register.inclusion_tag("web/_rating.html")
def satisfaction_of(issue_id, *, for_reporter=False):
    return {"rating": rating_of(issue_id), "for_reporter": for_reporter}


@register.simple_tag
def ratings_on(issues):
    """The current ratings of a page of issues, by issue id, in one query."""
    return ratings_of(issue.id for issue in issues)


@register.filter
def rating_for(ratings: dict, issue_id):
    return ratings.get(issue_id)
