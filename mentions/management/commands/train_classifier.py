from django.core.management.base import BaseCommand

from mentions.services.classifier import classifier_train


class Command(BaseCommand):
    help = (
        "Train the classifier on the seed set, the shared labelled corpora when present, and every "
        "operator correction; store it and make it the active model (unless --no-activate)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-activate", action="store_true")

    def handle(self, *args, no_activate: bool, **options):
        model = classifier_train(activate=not no_activate)
        state = "stored" if no_activate else "stored and active"
        self.stdout.write(f"Classifier {model.version} {state}; trained on {model.trained_on}")
