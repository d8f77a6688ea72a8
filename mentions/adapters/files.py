"""The file formats `import_mentions` reads, and how each becomes generic mentions.

Each format gives a reader (`reader(path, options)` yields vendor records, one at a time, as
JSON-safe dicts so they can be kept as the raw payload) and an adapter (`record -> generic dict`,
raising `AdapterError`). Some adapters depend on the options (the CSV column mapping, the time
zone of Brand24 dates), so a format gives `adapter_for(options)`; `open(path, options)` returns
both at once:

    records, adapter = FILE_FORMATS["csv"].open(path, FileOptions(mapping=..., tz=...))
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import partial
from os import PathLike
from typing import Any

from mentions.adapters import brand24, csv_mapping, jsonl, sentirueval, youscan
from mentions.adapters.base import AdapterError
from mentions.adapters.jsonl import raise_if_unreadable

Adapter = Callable[[dict], dict]


@dataclass(frozen=True)
class FileOptions:
    tz: tzinfo = UTC
    mapping: Mapping[str, str] | None = None


@dataclass(frozen=True)
class FileFormat:
    source_kind: str  # the kind of a source created for this format
    reader: Callable[[str | PathLike, FileOptions], Iterator[dict]]
    adapter_for: Callable[[FileOptions], Adapter]
    count: Callable[[str | PathLike, FileOptions], int | None]  # cheap record count, or None
    needs_mapping: bool = False

    def open(self, path: str | PathLike, options: FileOptions) -> tuple[Iterator[dict], Adapter]:
        return self.reader(path, options), self.adapter_for(options)


def _unknown_count(path: str | PathLike, options: FileOptions) -> None:
    return None


def _csv_adapter(options: FileOptions) -> Adapter:
    if not options.mapping:
        raise ValueError(
            'The csv format needs a column mapping ({"Column header": "target.field"}).'
        )
    adapter = csv_mapping.make_adapter(options.mapping, tz=options.tz)

    def adapt(record: dict) -> dict:
        raise_if_unreadable(record)
        return adapter(record)

    return adapt


# --------------------------------------------------------------------------------------------------
# SentiRuEval: the shared reader yields tweets; the import needs dicts it can keep as raw payloads.
# --------------------------------------------------------------------------------------------------


def read_sentirueval(path: str | PathLike, options: Any = None) -> Iterator[dict]:
    """The dump's tweets as `{"id", "twitid", "date" (Unix seconds), "text", "labels"}`."""
    for tweet in sentirueval.iter_tweets(path):
        yield {
            "id": tweet.row_id,
            "twitid": tweet.tweet_id,
            "date": int(tweet.published_at.timestamp()),
            "text": tweet.text,
            "labels": dict(tweet.labels),
        }


def sentirueval_to_generic(record: dict) -> dict:
    raise_if_unreadable(record)
    missing = [name for name in ("id", "twitid", "date", "text") if name not in record]
    if missing:
        raise AdapterError({name: ["This field is required."] for name in missing})
    try:
        published_at = datetime.fromtimestamp(int(record["date"]), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise AdapterError({"date": ["Enter Unix seconds."]}) from None
    try:
        labels = {str(k): int(v) for k, v in (record.get("labels") or {}).items()}
    except (AttributeError, TypeError, ValueError):
        raise AdapterError({"labels": ["Expected {operator: -1, 0 or 1}."]}) from None
    tweet = sentirueval.SentiRuEvalTweet(
        row_id=str(record["id"]),
        tweet_id=str(record["twitid"]),
        published_at=published_at,
        text=str(record["text"]),
        labels=labels,
    )
    return sentirueval.to_generic(tweet)


_SENTIRUEVAL_ROW = b'<table name="test_tkk_etalon"'


def count_sentirueval(path: str | PathLike, options: Any = None) -> int:
    with open(path, "rb") as handle:
        return sum(line.count(_SENTIRUEVAL_ROW) for line in handle)


FILE_FORMATS: dict[str, FileFormat] = {
    "jsonl": FileFormat(
        source_kind="generic",
        reader=jsonl.read_jsonl,
        adapter_for=lambda options: jsonl.jsonl_to_generic,
        count=jsonl.count_lines,
    ),
    "csv": FileFormat(
        source_kind="csv",
        reader=csv_mapping.read_csv,
        adapter_for=_csv_adapter,
        count=csv_mapping.count_csv_rows,
        needs_mapping=True,
    ),
    "youscan": FileFormat(
        source_kind="youscan",
        reader=youscan.read_export,
        adapter_for=lambda options: youscan.to_generic,
        count=_unknown_count,
    ),
    "brand24": FileFormat(
        source_kind="brand24",
        reader=brand24.read_export,
        adapter_for=lambda options: partial(brand24.export_to_generic, tz=options.tz),
        count=brand24.count_export_rows,
    ),
    "sentirueval": FileFormat(
        source_kind="sentirueval",
        reader=read_sentirueval,
        adapter_for=lambda options: sentirueval_to_generic,
        count=count_sentirueval,
    ),
}
