from django.core.management.base import BaseCommand

from knowledge_base.evaluation import evaluate


class Command(BaseCommand):
    help = (
        "Measure knowledge-base search on the labelled set (knowledge_base.evaluation_set over "
        "the demo articles): top-1 / top-3 per kind, and unanswerable posts given nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--threshold", type=float, default=None)

    def handle(self, *args, threshold=None, **options):
        for line in evaluate(threshold=threshold).lines():
            self.stdout.write(line)
