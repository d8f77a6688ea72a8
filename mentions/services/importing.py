"""File imports: a monitoring tool's export, streamed through the ingest in batches."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from os import PathLike

from mentions.adapters.files import FILE_FORMATS, FileOptions
from mentions.models import Source
from mentions.services.configuration import source_create
from mentions.services.ingest import mentions_ingest_records
from scrm.errors import ApplicationError

DEFAULT_BATCH_SIZE = 500
KEPT_FAILURES = 20

# What a reader raises when the file itself (not one record) cannot be read.
_READ_ERRORS = (
    OSError,
    ValueError,  # includes UnicodeDecodeError, json.JSONDecodeError
    csv.Error,
    ET.ParseError,
    zipfile.BadZipFile,
    KeyError,  # openpyxl on a zip that is not a workbook
)


class ImportFileError(ApplicationError):
    """The file cannot be read (at all, or from some record on); `result` is what was stored."""

    code = "unreadable_file"

    def __init__(self, detail: str, *, result: ImportResult):
        super().__init__(detail)
        self.result = result


class ImportOptionsError(ApplicationError):
    """The options do not fit the format (e.g. a CSV column mapping that cannot be used)."""

    code = "invalid_import_options"


class SourceInactive(ApplicationError):
    code = "source_inactive"


@dataclass
class ImportFailure:
    number: int  # 1-based position of the record in the file
    errors: dict[str, list[str]]


@dataclass
class ImportResult:
    records: int = 0
    created: int = 0
    duplicates: int = 0
    failed: int = 0
    failures: list[ImportFailure] = field(default_factory=list)  # the first KEPT_FAILURES


def import_source_get_or_create(*, key: str, file_format: str) -> tuple[Source, bool]:
    """The source to import into, created with the format's kind if new: `(source, created)`.

    Raises `SourceInactive` for an inactive source: its mentions are not wanted any more.
    """
    source = Source.objects.filter(key=key).first()
    created = source is None
    if created:
        kind = FILE_FORMATS[file_format].source_kind
        source = source_create(key=key, name=key, kind=kind)
    if not source.active:
        raise SourceInactive(f"Source '{key}' is inactive; activate it to import into it.")
    return source, created


def mentions_import_file(
    *,
    path: str | PathLike,
    source: Source,
    file_format: str,
    options: FileOptions | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Read a file in `file_format` and ingest its records into `source`, batch by batch.

    Guarantees:
    - the file is streamed: at most one batch of records is held in memory;
    - every batch is its own transaction (through `mentions_ingest_records`), so an
      interruption keeps the batches already done, and running the import again reports
      them as duplicates (with refreshed engagement) and adds only what is missing;
    - a record that cannot be read or translated fails alone; the first `KEPT_FAILURES`
      failures are returned with their 1-based record numbers and per-field errors;
    - a file that cannot be read raises `ImportFileError` carrying the counts so far.

    `progress(n)` is called after each batch with the number of records it held.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1.")
    chosen = FILE_FORMATS[file_format]
    options = options or FileOptions()
    try:
        adapter = chosen.adapter_for(options)
    except ValueError as exc:
        raise ImportOptionsError(str(exc)) from exc
    result = ImportResult()
    try:
        records = partial(chosen.reader, path, options)
        for batch in _batches(records, batch_size):
            ingested = mentions_ingest_records(
                records=batch, adapter=adapter, source=source, backfill=True
            )
            _add(result, ingested, offset=result.records)
            result.records += len(batch)
            if progress:
                progress(len(batch))
    except _Unreadable as exc:
        cause = exc.__cause__
        where = f" after record {result.records}" if result.records else ""
        raise ImportFileError(f"Cannot read {path}{where}: {cause}", result=result) from cause
    return result


class _Unreadable(Exception):
    pass


def _batches(open_records: Callable[[], Iterator[dict]], size: int) -> Iterator[list[dict]]:
    """Batches of records; an error while reading (not while ingesting) becomes `_Unreadable`."""
    batch: list[dict] = []
    try:
        iterator = iter(open_records())
    except _READ_ERRORS as exc:
        raise _Unreadable() from exc
    while True:
        try:
            record = next(iterator)
        except StopIteration:
            break
        except _READ_ERRORS as exc:
            raise _Unreadable() from exc
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _add(result: ImportResult, ingested, *, offset: int) -> None:
    result.created += ingested.created
    result.duplicates += ingested.duplicates
    result.failed += ingested.failed
    for item in ingested.results:
        if item.status == "failed" and len(result.failures) < KEPT_FAILURES:
            result.failures.append(
                ImportFailure(number=offset + item.index + 1, errors=item.errors)
            )
