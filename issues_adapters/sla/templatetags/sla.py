from django import template

register = template.Library()


@register.filter
def sla_badge(badges: dict, issue_id):
    """A queue row's badge from the page's badges (display.badges_for)."""
    return (badges or {}).get(str(issue_id))
