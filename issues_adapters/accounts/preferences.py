"""The StaffPreferences port over NotificationSettings, and the signed unsubscribe links."""

from django.contrib.auth import get_user_model
from django.core import signing

from issues_adapters.accounts.models import NotificationSettings
from issues_service.notifications import StaffMail, StaffPreferences

_FLAGS = {
    StaffMail.ASSIGNMENT: "on_assignment",
    StaffMail.REPORTER_REPLY: "on_reporter_reply",
    StaffMail.REOPEN: "on_reopen",
}
_SALT = "helpdesk.unsubscribe"


def settings_of(user) -> NotificationSettings:
    """The user's choices, the defaults if they never chose (not saved until they do)."""
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


class DjangoStaffPreferences(StaffPreferences):
    def wants(self, username: str, mail: StaffMail) -> bool:
        found = NotificationSettings.objects.filter(user__username=username).first()
        if found is None:
            return mail != StaffMail.NEW_ISSUE
        if mail == StaffMail.NEW_ISSUE:
            return found.new_issues != NotificationSettings.NewIssues.NONE
        return getattr(found, _FLAGS[mail])

    def new_issue_subscribers(self, category: str | None) -> list[str]:
        rows = NotificationSettings.objects.filter(
            user__is_active=True, user__is_staff=True
        ).exclude(new_issues=NotificationSettings.NewIssues.NONE)
        return sorted(
            row.user.get_username()
            for row in rows.select_related("user")
            if row.new_issues == NotificationSettings.NewIssues.ALL
            or (category is not None and category in row.new_issue_categories)
        )


def unsubscribe_token(username: str, mail: StaffMail) -> str:
    return signing.dumps({"u": username, "m": mail.value}, salt=_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[str, StaffMail] | None:
    try:
        found = signing.loads(token, salt=_SALT)
        return found["u"], StaffMail(found["m"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def turn_off(username: str, mail: StaffMail) -> bool:
    """Stop this kind of mail for this staff member; False if there is no such member."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return False
    chosen = settings_of(user)
    if mail == StaffMail.NEW_ISSUE:
        chosen.new_issues = NotificationSettings.NewIssues.NONE
    else:
        setattr(chosen, _FLAGS[mail], False)
    chosen.save()
    return True
