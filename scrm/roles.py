"""The roles people and machines play, as Django groups.

| role          | who                                      | may                                                   |
|---------------|------------------------------------------|-------------------------------------------------------|
| `operator`    | support staff answering mentions          | read mentions, authors, subjects, sources; add mentions |
| `expert`      | internal experts answering escalations    | read mentions, authors, subjects                       |
| `manager`     | team leads, communications managers       | everything an operator may, plus configure subjects and sources |
| `integration` | machine clients: the company CRM, monitoring tools | ingest mentions (single, bulk), read mentions, subjects, sources |

Superusers hold every role. The table is the contract; `README.md` repeats it for integrators.
"""

from enum import StrEnum


class Role(StrEnum):
    OPERATOR = "operator"
    EXPERT = "expert"
    MANAGER = "manager"
    INTEGRATION = "integration"


ALL_ROLES = frozenset(Role)
STAFF_ROLES = frozenset({Role.OPERATOR, Role.EXPERT, Role.MANAGER})


def user_roles(user) -> frozenset[Role]:
    """The roles of `user`: its groups that name a role, every role for a superuser.

    Cached on the user object for the life of the request.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_scrm_roles", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        roles = ALL_ROLES
    else:
        names = set(user.groups.values_list("name", flat=True))
        roles = frozenset(role for role in Role if role.value in names)
    user._scrm_roles = roles
    return roles


# What each role may do in the Django admin (the operators' screens), as model permissions.
ADMIN_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.OPERATOR: (
        "mentions.view_mention",
        "mentions.view_trackedsubject",
        "mentions.view_source",
        "authors.view_author",
        "authors.view_authoridentity",
    ),
    Role.EXPERT: (
        "mentions.view_mention",
        "mentions.view_trackedsubject",
        "authors.view_author",
        "authors.view_authoridentity",
    ),
    Role.MANAGER: (
        "mentions.view_mention",
        "mentions.view_trackedsubject",
        "mentions.add_trackedsubject",
        "mentions.change_trackedsubject",
        "mentions.delete_trackedsubject",
        "mentions.view_source",
        "mentions.add_source",
        "mentions.change_source",
        "authors.view_author",
        "authors.view_authoridentity",
    ),
    Role.INTEGRATION: (),
}


def ensure_role_groups(**kwargs) -> None:
    """Create the role groups and give them their admin permissions (idempotent).

    Runs after every `migrate`, once permissions exist; a permission a later migration adds is
    granted on the next run.
    """
    from django.contrib.auth.models import Group, Permission

    for role, codenames in ADMIN_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.add(*wanted)
