"""SQLite (the development default) folds case the way PostgreSQL does.

SQLite's `LIKE` and `UPPER` know only ASCII case, so `?q=ЛАДОГА` would not find "Ладога" and
Django's `icontains` would differ between development and production. Each new SQLite
connection gets `like` and `upper` functions that fold every alphabet; PostgreSQL needs nothing.
"""

import functools
import re


def install_unicode_case_functions(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: replace SQLite's ASCII-only `like` and `upper`."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("upper", 1, _upper, deterministic=True)
    raw.create_function("like", 2, _like, deterministic=True)
    raw.create_function("like", 3, _like, deterministic=True)


def _upper(value):
    return value.upper() if isinstance(value, str) else value


def _like(pattern, value, escape=None):
    """SQLite calls `X LIKE Y [ESCAPE Z]` as `like(Y, X[, Z])`."""
    if pattern is None or value is None:
        return None
    return _like_regex(pattern, escape).fullmatch(str(value)) is not None


@functools.lru_cache(maxsize=256)
def _like_regex(pattern: str, escape: str | None) -> re.Pattern:
    parts, chars = [], iter(pattern)
    for char in chars:
        if escape and char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)
