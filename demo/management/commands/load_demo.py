from django.core.management.base import BaseCommand, CommandError

from demo.services import demo_articles_load, demo_load, demo_replies_load


class Command(BaseCommand):
    help = (
        "Load the demo data: a fictional telecom (Ладога Телеком), its brands, CEO and two "
        "competitors, and a few hundred Russian and English mentions with authors and engagement. "
        "Safe to rerun."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--count", type=int, default=360, help="How many mentions (default 360)."
        )

    def handle(self, *args, count: int, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        result = demo_load(count=count)
        articles = demo_articles_load()
        policy_version, templates = demo_replies_load()
        self.stdout.write(
            f"Demo data: {result.subjects} tracked subjects; mentions created {result.created}, "
            f"already there {result.duplicates}, failed {result.failed}; knowledge-base articles "
            f"created {articles.created}, updated {articles.updated}, "
            f"unchanged {articles.unchanged}; communication policy v{policy_version} and "
            f"{templates} reply templates."
        )
        if result.failed:
            raise CommandError(f"{result.failed} demo mentions failed validation.")
