from django import template

from issues_adapters.sla import display

register = template.Library()


@register.simple_tag
def sla_panel(issue_id):
    """The issue's clocks for templates/web/_sla_panel.html (one statement)."""
    return display.panel_for(issue_id)


@register.filter
def sla_badge(badges: dict, issue_id):
    """A queue row's badge from the page's badges (display.badges_for)."""
    return (badges or {}).get(str(issue_id))
