"""Adapters turn a monitoring tool's own format into the generic mention schema.

Every adapter is a pure function `vendor record (dict) -> generic dict`; it raises
`AdapterError` (with per-field errors) for a record it cannot use. File readers yield vendor
records. Nothing here touches the database: `mentions.services.mentions_ingest` does the rest.
"""

from collections.abc import Callable

from mentions.adapters import brand24, youscan
from mentions.adapters.base import AdapterError, generic_to_generic

PushAdapter = Callable[[dict], dict]

# Source kind -> adapter for what that kind of source pushes to /api/v1/sources/<key>/push/.
_PUSH_ADAPTERS: dict[str, PushAdapter] = {
    "generic": generic_to_generic,
    "demo": generic_to_generic,
    "youscan": youscan.webhook_to_generic,
    "brand24": brand24.api_to_generic,
}


def register_push_adapter(kind: str, adapter: PushAdapter) -> None:
    _PUSH_ADAPTERS[kind] = adapter


def push_adapter(kind: str) -> PushAdapter | None:
    """The adapter for pushes from a source of this kind, or None if it cannot push."""
    return _PUSH_ADAPTERS.get(kind)


__all__ = ["AdapterError", "push_adapter", "register_push_adapter"]
