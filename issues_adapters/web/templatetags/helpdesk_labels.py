"""`{{ issue.status|status_label }}`, `{{ issue.priority|priority_label }}` in templates."""

from django import template

from issues_adapters.web import labels

register = template.Library()
register.filter("status_label", labels.status_label)
register.filter("priority_label", labels.priority_label)
