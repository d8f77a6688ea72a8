"""Writes on users, roles and API tokens."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from knox.models import AuthToken

from scrm.roles import STAFF_ROLES, Role, ensure_role_groups


@transaction.atomic
def user_ensure(*, username: str, role: Role, password: str | None = None):
    """Find or create `username` and give it `role`.

    Operators, experts and managers work in the admin, so they are staff; an integration is a
    machine client and is not. Without a password the user gets an unusable one (tokens only).
    """
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if role in STAFF_ROLES and not user.is_staff:
        user.is_staff = True
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save()
    if not Group.objects.filter(name=role.value).exists():
        ensure_role_groups()
    user.groups.add(Group.objects.get(name=role.value))
    return user


@transaction.atomic
def api_token_create(*, user) -> str:
    """Issue a new API token for `user`; only its digest is stored, the token is returned once."""
    _, token = AuthToken.objects.create(user=user, expiry=None)
    return token
