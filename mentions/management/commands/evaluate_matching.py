"""Measure the subject matcher on the SentiRuEval-2016 telecom collection (no database needed)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mentions.evaluation.matching import DEFAULT_SENTIRUEVAL_PATH, MatchingReport, evaluate


class Command(BaseCommand):
    help = (
        "Match every SentiRuEval-2016 telecom tweet against the seven operators and print micro "
        "precision/recall/F1 over (tweet, operator) pairs, per-operator scores, throughput and "
        "example errors."
    )
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument(
            "--sentirueval",
            type=Path,
            default=DEFAULT_SENTIRUEVAL_PATH,
            help=f"Path to telecom_test_etalon.xml (default: {DEFAULT_SENTIRUEVAL_PATH}).",
        )

    def handle(self, *args, **options):
        path: Path = options["sentirueval"]
        if not path.is_file():
            raise CommandError(f"SentiRuEval file not found: {path}")
        self._print(evaluate(path))

    def _print(self, report: MatchingReport) -> None:
        total = report.total
        self.stdout.write(f"Tweets: {report.tweets}")
        self.stdout.write(
            f"Micro precision {report.precision:.4f}  recall {report.recall:.4f}  "
            f"F1 {report.f1:.4f}  (TP {total.true_positives}, FP {total.false_positives}, "
            f"FN {total.false_negatives})"
        )
        self.stdout.write(
            f"Throughput of match(): {report.tweets_per_second:,.0f} tweets/s on a new matcher, "
            f"{report.warm_tweets_per_second:,.0f} tweets/s once its token cache is warm"
        )
        self.stdout.write("Per operator:")
        for subject, counts in report.per_subject.items():
            relevant = counts.true_positives + counts.false_negatives
            self.stdout.write(
                f"  {subject:<11} P {counts.precision:.4f}  R {counts.recall:.4f}  "
                f"(labelled {relevant}, TP {counts.true_positives}, "
                f"FP {counts.false_positives}, FN {counts.false_negatives})"
            )
        for title, examples in (
            ("Misses", report.misses),
            ("False positives", report.false_positives),
        ):
            self.stdout.write(f"{title} ({len(examples)} shown):")
            for example in examples:
                text = " ".join(example.text.split())
                self.stdout.write(f"  [{example.row_id}] {example.subject}: {text}")
