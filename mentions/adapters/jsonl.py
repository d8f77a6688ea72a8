"""JSON lines in the generic schema: one `MentionIn` object a line.

A line that is not a JSON object does not stop the file: it is yielded as an `UnreadableRecord`
(its line number kept under `line`), and the import reports it as a failed record, numbered
like every record: blank lines are skipped and not counted.
The YouScan reader uses the same line reader for exports saved as JSON lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from os import PathLike
from typing import Any

from mentions.adapters.base import AdapterError, generic_to_generic


class UnreadableRecord(dict):
    """A place in a file where a record should be but none could be read.

    It is a dict (so it travels through the ingest like any record) that no adapter accepts:
    `raise_if_unreadable` turns it into the `AdapterError` it carries.
    """

    def __init__(self, errors: dict[str, list[str]], **location: Any):
        super().__init__(location)
        self.errors = errors


def raise_if_unreadable(record: Any) -> None:
    if isinstance(record, UnreadableRecord):
        raise AdapterError(record.errors)


def iter_json_lines(path: str | PathLike) -> Iterator[dict]:
    """Yield each non-blank line's JSON object, or an `UnreadableRecord` naming the line."""
    with open(path, encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield UnreadableRecord(
                    {"non_field_errors": [f"Not valid JSON: {_reason(exc)}."]},
                    line=number,
                )
                continue
            if not isinstance(value, dict):
                yield UnreadableRecord({"non_field_errors": ["Not a JSON object."]}, line=number)
                continue
            yield value


def _reason(exc: json.JSONDecodeError) -> str:
    # json's messages end in " at" when it means "at this position".
    return f"{exc.msg.removesuffix(' at')} at column {exc.colno}"


def read_jsonl(path: str | PathLike, options: Any = None) -> Iterator[dict]:
    """The records of a generic-schema JSON lines file (see `iter_json_lines`)."""
    return iter_json_lines(path)


def count_lines(path: str | PathLike, options: Any = None) -> int:
    """The number of non-blank lines: the number of records, for a progress bar."""
    with open(path, "rb") as handle:
        return sum(1 for line in handle if line.strip())


def jsonl_to_generic(record: dict) -> dict:
    """A generic-schema record needs no translation; an unreadable line fails here."""
    raise_if_unreadable(record)
    return generic_to_generic(record)
