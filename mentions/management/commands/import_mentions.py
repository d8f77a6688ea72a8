"""Import a monitoring tool's export file into a source."""

import json
from contextlib import nullcontext
from datetime import UTC, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from mentions.adapters.files import FILE_FORMATS, FileOptions
from mentions.services.importing import (
    DEFAULT_BATCH_SIZE,
    KEPT_FAILURES,
    ImportFileError,
    ImportOptionsError,
    ImportResult,
    SourceInactive,
    import_source_get_or_create,
    mentions_import_file,
)


class Command(BaseCommand):
    help = (
        "Import mentions from a file: generic JSON lines (jsonl), a CSV with a column mapping "
        "(csv), a YouScan JSON export (youscan), a Brand24 XLSX/CSV export (brand24) or the "
        "SentiRuEval-2016 XML dump (sentirueval). Creates the source if it does not exist. Safe "
        "to rerun: mentions already imported are counted as duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The file to import.")
        parser.add_argument("--source", required=True, help="Key of the source to import into.")
        parser.add_argument("--format", required=True, choices=sorted(FILE_FORMATS))
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help="csv: a column and the generic field it fills, e.g. 'Дата=published_at' "
            "or 'Охват=engagement.reach'. Repeat it; it overrides --mapping.",
        )
        parser.add_argument(
            "--mapping",
            type=Path,
            help='csv: a JSON file {"Column header": "target.field", ...}.',
        )
        parser.add_argument(
            "--tz",
            default="UTC",
            help="Time zone of dates written without an offset (csv, brand24), e.g. "
            "Europe/Moscow. Default: UTC.",
        )
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)

    def handle(self, *args, **options):
        # call_command() hands keyword options over unconverted: make paths Paths here.
        path = Path(options["file"])
        file_format: str = options["format"]
        if not path.is_file():
            raise CommandError(f"File not found: {path}")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        file_options = FileOptions(
            tz=_zone(options["tz"]),
            mapping=_mapping(
                options["map"],
                Path(options["mapping"]) if options["mapping"] else None,
                file_format,
            ),
        )

        chosen = FILE_FORMATS[file_format]
        try:
            chosen.adapter_for(file_options)  # a bad mapping is refused before anything is written
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        key = options["source"]
        try:
            source, created = import_source_get_or_create(key=key, file_format=file_format)
        except SourceInactive as exc:
            raise CommandError(exc.detail) from exc
        except ValidationError as exc:
            raise CommandError(f"Cannot create source '{key}': {' '.join(exc.messages)}") from exc
        if created:
            self.stdout.write(f"Created source '{source.key}' (kind {source.kind}).")

        try:
            total = chosen.count(path, file_options)
        except Exception:  # only the bar's total: the import itself reports an unreadable file
            total = None
        stream = getattr(self.stderr, "_out", self.stderr)
        # On a terminal, a live bar, with log lines (the eager processing logs each task)
        # written above it instead of through it; elsewhere (a pipe, a log file) one line at the
        # end, not every repaint of the bar.
        interactive = stream.isatty() and options["verbosity"] > 0
        progress = tqdm(
            total=total,
            unit=" records",
            desc=path.name,
            file=stream,
            disable=not interactive,
        )
        try:
            with logging_redirect_tqdm() if interactive else nullcontext():
                result = mentions_import_file(
                    path=path,
                    source=source,
                    file_format=file_format,
                    options=file_options,
                    batch_size=options["batch_size"],
                    progress=progress.update,
                )
        except ImportOptionsError as exc:
            raise CommandError(exc.detail) from exc
        except ImportFileError as exc:
            self._report(exc.result)
            raise CommandError(exc.detail) from exc
        finally:
            progress.close()
        if not interactive and options["verbosity"] > 0:
            of_total = f"/{total}" if total is not None else ""
            self.stderr.write(f"{path.name}: {result.records}{of_total} records read")

        self._report(result)
        if result.records == 0:
            self.stdout.write(self.style.WARNING(f"No records found in {path}."))
        elif result.failed == result.records:
            raise CommandError(f"Every record failed ({result.failed}); nothing was imported.")

    def _report(self, result: ImportResult) -> None:
        self.stdout.write(
            f"created {result.created}, duplicates {result.duplicates}, failed {result.failed}"
        )
        if not result.failures:
            return
        shown = len(result.failures)
        more = f" (first {KEPT_FAILURES} shown)" if result.failed > shown else ""
        self.stdout.write(f"Failed records{more}:")
        for failure in result.failures:
            errors = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in failure.errors.items()
            )
            self.stdout.write(f"  record {failure.number}: {errors}")


def _zone(name: str) -> tzinfo:
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CommandError(f"Unknown time zone: {name}") from exc


def _mapping(pairs: list[str], mapping_file: Path | None, file_format: str) -> dict | None:
    if not pairs and mapping_file is None:
        return None
    if file_format != "csv":
        raise CommandError("--map and --mapping apply to --format csv only.")
    mapping: dict[str, str] = {}
    if mapping_file is not None:
        try:
            loaded = json.loads(mapping_file.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the mapping file {mapping_file}: {exc}") from exc
        if not isinstance(loaded, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in loaded.items()
        ):
            raise CommandError(
                f'The mapping file {mapping_file} must be a JSON object {{"Column": "field"}}.'
            )
        mapping.update(loaded)
    for pair in pairs:
        header, sep, target = pair.rpartition("=")
        if not sep or not header.strip() or not target.strip():
            raise CommandError(f"--map expects HEADER=FIELD, got {pair!r}.")
        mapping[header.strip()] = target.strip()
    return mapping
