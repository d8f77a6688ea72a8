"""Which role may change which field of an author: the one rule the API and the admin both ask.

Operators and managers add notes and labels, managers pin a segment, the integration links the
CRM contact. A field not named here is not changed through these doors at all.
"""

from collections.abc import Iterable

from scrm.roles import INTEGRATIONS, MANAGERS, WORKERS, user_roles

AUTHOR_FIELD_ROLES = {
    "note": WORKERS,
    "labels": WORKERS,
    "segment": MANAGERS,
    "crm_external_id": INTEGRATIONS,
}


def author_fields_editable(user) -> frozenset[str]:
    """The author fields `user` may change."""
    roles = user_roles(user)
    return frozenset(name for name, allowed in AUTHOR_FIELD_ROLES.items() if roles & allowed)


def author_fields_refused(user, fields: Iterable[str]) -> list[str]:
    """The fields among `fields` that `user` may not change (fields not ruled here are ignored:
    the input serializer answers for them)."""
    editable = author_fields_editable(user)
    return [name for name in fields if name in AUTHOR_FIELD_ROLES and name not in editable]
