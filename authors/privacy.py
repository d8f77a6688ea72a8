"""Forgetting a person across apps without `authors` importing them.

`authors.services.author_anonymize` scrubs the author's own rows, then calls every eraser an app
registered here (from its `AppConfig.ready`), in the same transaction: an eraser that fails rolls
the whole anonymization back, so a person is never half forgotten. An eraser takes the author's
id, replaces what identifies the person in its app's rows with placeholders, and keeps what
reports count (categories, sentiment, dates). It must be safe to run twice.
"""

from collections.abc import Callable

ERASED_TEXT = "[removed at the author's request]"

Eraser = Callable[[int], None]
_erasers: list[Eraser] = []


def register_eraser(eraser: Eraser) -> None:
    if eraser not in _erasers:
        _erasers.append(eraser)


def registered_erasers() -> tuple[Eraser, ...]:
    return tuple(_erasers)


def anonymized_name(author_id: int) -> str:
    return f"Anonymized author #{author_id}"
