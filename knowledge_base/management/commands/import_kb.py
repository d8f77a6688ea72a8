from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from knowledge_base.importing import articles_import, export_rows, read_rows, write_rows


def _format(path: str, given: str | None) -> str:
    if given:
        return given
    return "csv" if path.lower().endswith(".csv") else "jsonl"


class Command(BaseCommand):
    help = (
        "Import the company's brief into the knowledge base from JSON lines or CSV, keyed by "
        "external_id (safe to rerun), or with --export write the base in the same format."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=["jsonl", "csv"], default=None)
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=FIELD",
            help="Rename a column, e.g. --map Вопрос=question --map Ответ=answer",
        )
        parser.add_argument("--draft", action="store_true", help="Import as drafts, unpublished.")
        parser.add_argument("--export", action="store_true", help="Write the base to FILE.")

    def handle(self, *args, file, format=None, map=(), draft=False, export=False, **options):
        fmt = _format(file, format)
        if export:
            count = write_rows(file, export_rows(), fmt=fmt)
            self.stdout.write(f"exported {count} articles to {file}")
            return
        try:
            mapping = dict(item.split("=", 1) for item in map)
        except ValueError as exc:
            raise CommandError("--map takes COLUMN=FIELD") from exc
        try:
            rows = read_rows(file, fmt=fmt, mapping=mapping)
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        progress = tqdm(total=len(rows), unit="article", disable=not self.stderr.isatty())
        try:
            result = articles_import(rows=rows, publish=not draft, progress=progress.update)
        finally:
            progress.close()
        self.stdout.write(
            f"created {result.created}, updated {result.updated}, "
            f"unchanged {result.unchanged}, failed {len(result.failed)}"
        )
        for number, errors in result.failed:
            self.stderr.write(f"row {number}: {errors}")
        if result.failed:
            raise CommandError(f"{len(result.failed)} rows failed.")
