"""Writes on users, roles and API tokens."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from knox.models import AuthToken

from scrm.errors import InvalidInput, NotFound
from scrm.roles import STAFF_ROLES, Role, ensure_role_groups, user_roles


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


# --- Token revocation ---------------------------------------------------------------------------
# Who may see and revoke whose API tokens, for the API and the admin alike: everyone their own;
# a manager also those of every account that is neither a manager nor a superuser (operators,
# experts, integrations: the people and machines a manager answers for); a superuser everyone's.


def token_users_manageable_by(actor):
    """The users whose tokens `actor` may list and revoke."""
    User = get_user_model()
    if not actor.is_authenticated or not actor.is_active:
        return User.objects.none()
    if actor.is_superuser:
        return User.objects.all()
    if Role.MANAGER in user_roles(actor):
        return User.objects.filter(
            Q(pk=actor.pk) | (Q(is_superuser=False) & ~Q(groups__name=Role.MANAGER.value))
        ).distinct()
    return User.objects.filter(pk=actor.pk)


def api_tokens_visible_to(actor):
    """The tokens `actor` may see and revoke, newest first, with their users."""
    return (
        AuthToken.objects.filter(user__in=token_users_manageable_by(actor))
        .select_related("user")
        .order_by("-created", "-digest")
    )


class TokenNotFound(NotFound):
    default_detail = "No token with this id that you may revoke."


@transaction.atomic
def api_token_revoke(*, actor, token_id: str) -> None:
    """Revoke (delete) the token whose id (`token_key`, the first characters of the token) is
    `token_id`, if `actor` may; a token they may not see is not found, revealing nothing."""
    deleted, _ = api_tokens_visible_to(actor).filter(token_key=token_id).delete()
    if not deleted:
        raise TokenNotFound()


@transaction.atomic
def api_tokens_revoke_for_user(*, actor, username: str) -> int:
    """Revoke every token of `username`, if `actor` may; returns how many were revoked."""
    user = token_users_manageable_by(actor).filter(username=username).first()
    if user is None:
        raise InvalidInput(errors={"user": [f"No user '{username}' whose tokens you may revoke."]})
    return api_tokens_revoke_all(user=user)


@transaction.atomic
def api_tokens_revoke_all(*, user) -> int:
    """Revoke every token of `user` (no permission check: for commands); returns the count."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted
