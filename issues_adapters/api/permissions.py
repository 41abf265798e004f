"""Who may call what: staff (active) for everything but reporting, the schema and the docs."""

from rest_framework.permissions import BasePermission


class IsActiveStaff(BasePermission):
    message = "Only active helpdesk staff may do this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff and user.is_active)
