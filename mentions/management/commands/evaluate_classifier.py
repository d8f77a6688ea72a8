from django.core.management.base import BaseCommand, CommandError

from mentions import classifier_evaluation as evaluation
from mentions.classification.training import DEV_PATH, SEED_PATH, SENTIRUEVAL_PATH


class Command(BaseCommand):
    help = (
        "Measure the classifier on data it never saw: category and sentiment on the shared dev "
        "corpus (trained on the seed set), sentiment F-macro on the "
        "SentiRuEval tweets (trained on seed and dev), and the learning curve after 0, 50, 100 "
        "and 200 operator corrections. Prints per-class precision, recall, F1 and confusion "
        "matrices."
    )

    def add_arguments(self, parser):
        parser.add_argument("--skip-curve", action="store_true", help="Skip the learning curve.")

    def handle(self, *args, skip_curve: bool, **options):
        for path in (SEED_PATH, DEV_PATH, SENTIRUEVAL_PATH):
            if not path.is_file():
                raise CommandError(f"Missing data file: {path}")
        embedder = evaluation.shared_embedder()
        self.stdout.write(f"Embedder: {embedder.name}\n")

        category, sentiment = evaluation.evaluate_on_dev(embedder)
        self._report("(a) Category on the dev corpus (trained on the seed set)", category)
        self._report("(a) Sentiment on the dev corpus (trained on the seed set)", sentiment)
        tweets = evaluation.evaluate_on_sentirueval(embedder)
        self._report("(b) Sentiment on SentiRuEval-2016 (trained on seed + dev)", tweets)
        self.stdout.write("    best system of the 2016 evaluation: F-macro 0.5594\n")

        if not skip_curve:
            self.stdout.write(
                "(c) Learning curve: operator corrections fed through mention_correct"
            )
            self.stdout.write(
                f"    (base: seed set; corrections from dev; scored on "
                f"{evaluation.CURVE_TEST_SIZE} dev mentions no correction touches; mean of "
                f"{len(evaluation.CURVE_SPLITS)} random splits, then each split's figures)"
            )
            self.stdout.write("    corrections  category macro-F1  sentiment F-macro  per split")
            mean, curves = evaluation.learning_curve_mean(embedder)
            for i, point in enumerate(mean):
                splits = "  ".join(
                    f"{curve[i].category_macro_f1:.3f}/{curve[i].sentiment_macro_f1:.3f}"
                    for curve in curves
                )
                self.stdout.write(
                    f"    {point.corrections:>11}  {point.category_macro_f1:>17.3f}  "
                    f"{point.sentiment_macro_f1:>17.3f}  {splits}"
                )

    def _report(self, title: str, report) -> None:
        self.stdout.write(f"{title}: {report.measure} {report.score:.3f} (n={report.n})")
        self.stdout.write(f"    {'class':<24}{'precision':>10}{'recall':>8}{'F1':>7}{'support':>9}")
        for label, scores in report.per_class.items():
            self.stdout.write(
                f"    {label:<24}{scores.precision:>10.3f}{scores.recall:>8.3f}"
                f"{scores.f1:>7.3f}{scores.support:>9}"
            )
        self.stdout.write("    confusion matrix (rows: true, columns: predicted)")
        width = max(len(label) for label in report.labels)
        short = [label[:6] for label in report.labels]
        self.stdout.write("    " + " " * width + "".join(f"{s:>8}" for s in short))
        for label, row in zip(report.labels, report.confusion, strict=True):
            self.stdout.write(f"    {label:<{width}}" + "".join(f"{n:>8}" for n in row))
        self.stdout.write("")
