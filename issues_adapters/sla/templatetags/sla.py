from django import template

from issues_adapters.sla import display

register = template.Library()


@register.simple_tag
def sla_panel(issue):
    """The issue's clocks for templates/web/_sla_panel.html, from the `sla` the issue page's
    IssueDetail was read with (no statement of its own)."""
    return display.panel_of(issue.sla)


@register.filter
def sla_badge(badges: dict, issue_id):
    """A queue row's badge from the page's badges (display.badges_for)."""
    return (badges or {}).get(str(issue_id))
