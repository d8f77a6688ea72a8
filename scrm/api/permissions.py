"""Role-based access: every view declares which roles may call each of its actions.

A view without a declaration for the action refuses everyone (fail closed).
"""

from rest_framework.permissions import BasePermission

from scrm.roles import user_roles


def _action_key(request, view) -> str:
    return getattr(view, "action", None) or request.method.lower()


class HasRole(BasePermission):
    """Allows the caller when one of its roles is in `view.allowed_roles[action]`.

    `allowed_roles` maps a viewset action (`list`, `create`, a custom action name) or, for plain
    API views, a lowercase HTTP method to a set of `scrm.roles.Role`. `head` and `options`
    follow `get`.
    """

    message = "Your role does not allow this action."

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if hasattr(view, "action") and view.action is None:
            return True  # no handler for this method: the view answers 405, revealing nothing
        key = _action_key(request, view)
        if key in ("head", "options"):
            key = "get" if "get" in view.allowed_roles else "list"
        allowed = view.allowed_roles.get(key, frozenset())
        return bool(user_roles(request.user) & allowed)


class IsStaffOrAnyRole(BasePermission):
    """For the API documentation: any signed-in user with a role, or Django staff."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and (user.is_staff or user_roles(user)))
