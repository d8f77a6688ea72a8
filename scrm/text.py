"""Small text rules every app shares."""

from collections.abc import Iterable


def unique_texts(values: Iterable[str] | None) -> list[str]:
    """Each value with its white space folded, blanks dropped, repeats (ignoring case) removed,
    the first spelling and the order kept: labels, subject aliases."""
    seen: set[str] = set()
    cleaned: list[str] = []
    for value in values or ():
        value = " ".join(str(value).split())
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            cleaned.append(value)
    return cleaned
