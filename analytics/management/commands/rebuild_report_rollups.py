from datetime import date

from django.core.management.base import BaseCommand, CommandError

from analytics import rollups


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Recompute the reports' daily roll-ups from the mentions (all days, or --from/--to), "
        "or --check them against a recomputation without writing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", help="first day (YYYY-MM-DD, report zone)")
        parser.add_argument("--to", dest="last", help="last day (YYYY-MM-DD, report zone)")
        parser.add_argument(
            "--check", action="store_true", help="list the days that differ; exit 1 if any"
        )

    def handle(self, *args, first=None, last=None, check=False, **options):
        first, last = _day(first), _day(last)
        if first and last and first > last:
            raise CommandError("--from is after --to.")
        if check:
            wrong = rollups.check(first=first, last=last)
            if wrong:
                days = ", ".join(d.isoformat() for d in wrong[:20])
                more = f" and {len(wrong) - 20} more" if len(wrong) > 20 else ""
                raise CommandError(f"{len(wrong)} day(s) differ from the mentions: {days}{more}")
            self.stdout.write("The roll-ups equal a recomputation from the mentions.")
            return
        written = rollups.rebuild(first=first, last=last)
        self.stdout.write(f"Rebuilt the report roll-ups: {written} rows.")
