from django.core.management.base import BaseCommand, CommandError

from mentions.classification.training import (
    DEV_PATH,
    SEED_PATH,
    SENTIMENT_NEUTRAL_SHIFT,
    SENTIRUEVAL_PATH,
)
from mentions.evaluation import classifier as evaluation
from mentions.evaluation.protocols import SHIPPED_SUBJECT_VARIANT, SUBJECT_VARIANTS

# The model shipped before this one (two e5 passes, "query" and "passage"; sentiment C 0.3, no
# neutral shift), measured by this command on the same protocols on 2026-12-02: printed beside
# the current figures so that a change of model shows what it cost or gained.
PREVIOUS_MODEL = (
    ("(a) dev category macro-F1, trained on seed", "0.814"),
    ("(a) dev sentiment F-macro, trained on seed / seed + tweets", "0.684 / 0.669"),
    ("(b) SentiRuEval grouped 5-fold CV (fold seed 0)", "0.598"),
    ("(b) SentiRuEval chronological, later half", "0.565"),
    ("(b) SentiRuEval, model that never saw a tweet", "0.554"),
    ("(e) leave one operator out, mean of 5", "0.573 (passage pass alone 0.586)"),
    ("(e) the same, neutral shift chosen on the other operators", "0.591 (-0.25)"),
    (
        "(e) leave one seed industry out, category / sentiment mean of 16",
        "0.757 (e5 block alone) / 0.689",
    ),
)


class Command(BaseCommand):
    help = (
        "Measure the classifier on data it never saw: category and sentiment on the shared dev "
        "corpus (trained on the seed set), sentiment F-macro on the SentiRuEval tweets (grouped "
        "cross-validation and a chronological split, trained on seed, dev and the other tweets), "
        "and the learning curve after 0, 50, 100 and 200 operator corrections. Prints per-class "
        "precision, recall, F1 and confusion matrices."
    )

    def add_arguments(self, parser):
        parser.add_argument("--skip-curve", action="store_true", help="Skip the learning curve.")
        parser.add_argument(
            "--skip-across",
            action="store_true",
            help="Skip leave-one-brand-out and leave-one-industry-out.",
        )
        parser.add_argument(
            "--only-across",
            action="store_true",
            help="Only leave-one-brand-out and leave-one-industry-out.",
        )
        parser.add_argument(
            "--cache-dir",
            default="",
            help="Keep the e5 vectors in this directory (outside the repository, e.g. /tmp/e5): "
            "a second run embeds nothing again.",
        )

    def handle(self, *args, skip_curve: bool, skip_across: bool, only_across: bool, **options):
        for path in (SEED_PATH, DEV_PATH, SENTIRUEVAL_PATH):
            if not path.is_file():
                raise CommandError(f"Missing data file: {path}")
        embedder = evaluation.shared_embedder(options["cache_dir"] or None)
        self.stdout.write(f"Embedder: {embedder.name}\n")
        if only_across:
            self._across(*evaluation.evaluate_across(embedder))
            self._previous()
            return

        category, sentiment = evaluation.evaluate_on_dev(embedder)
        self._report("(a) Category on the dev corpus (trained on the seed set)", category)
        self._report("(a) Sentiment on the dev corpus (trained on the seed set)", sentiment)
        with_tweets = evaluation.evaluate_on_dev_with_tweets(embedder)
        if with_tweets is not None:
            self._report(
                "(a) Sentiment on the dev corpus (trained on the seed set + SentiRuEval tweets, "
                "as shipped)",
                with_tweets,
            )
        self._sentirueval(evaluation.evaluate_on_sentirueval(embedder))
        self._processing(*evaluation.evaluate_processing_on_dev(embedder))
        if not skip_across:
            self._across(*evaluation.evaluate_across(embedder))
        self._previous()

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

    def _sentirueval(self, figures) -> None:
        best = f"best system of the 2016 evaluation: F-macro {evaluation.SENTIRUEVAL_2016_BEST}"
        for title, held_out in (
            (
                "(b) Sentiment on SentiRuEval-2016, HEADLINE: grouped cross-validation",
                figures.cross_validated,
            ),
            (
                "(b) Sentiment on SentiRuEval-2016, chronological split (harder)",
                figures.chronological,
            ),
        ):
            if held_out is None:
                continue
            self._report(title, held_out.report)
            self.stdout.write(f"    protocol: {held_out.protocol}")
            # The sentiment prototypes' temperature was chosen on the odd rows.
            even = held_out.score_where(lambda record: int(record.ref) % 2 == 0)
            self.stdout.write(f"    on even rows only (no choice looked at them): {even:.3f}")
            self.stdout.write(f"    {best}\n")
        self._report(
            "(b) Sentiment on SentiRuEval-2016, model that never saw a tweet (seed + dev)",
            figures.never_saw_a_tweet,
        )
        self.stdout.write(f"    {best}\n")

    def _across(self, brands, industries) -> None:
        self.stdout.write(
            "(e) Sentiment on a brand never seen: leave one SentiRuEval operator out "
            "(trained on seed + dev + the tweets not naming it)"
        )
        self.stdout.write("    operator        labels  F-macro  with the others' neutral shift")
        calibrated, shifts = brands.calibrated()
        for brand in brands.brands:
            shift = shifts[brand.brand]
            self.stdout.write(
                f"    {brand.brand:<14}{len(brand.labels):>8}  {brand.score():>7.3f}  "
                f"{brand.score(shift):>7.3f} (shift {shift:+.2f})"
            )
        self.stdout.write(
            f"    mean over operators: {brands.mean():.3f}; neutral threshold calibrated on the "
            f"other held-out operators: {calibrated:.3f}; best shift on all: "
            f"{brands.best_shift():+.2f}"
        )
        self.stdout.write(
            f"    (shifts are on top of the model's own neutral shift, "
            f"{SENTIMENT_NEUTRAL_SHIFT:+.2f}, chosen the same way: a best shift of +0.00 means "
            f"it still holds)"
        )

        self._subjects(brands)

        self.stdout.write(
            "(e) Leave one seed industry out (trained on the other industries + the tweets)"
        )
        self.stdout.write("    industry              n  category macro-F1  sentiment F-macro")
        for row in industries:
            self.stdout.write(
                f"    {row.industry:<18}{row.category.n:>5}  {row.category.score:>17.3f}  "
                f"{row.sentiment.score:>17.3f}"
            )
        if industries:
            cat = sum(r.category.score for r in industries) / len(industries)
            sent = sum(r.sentiment.score for r in industries) / len(industries)
            self.stdout.write(f"    mean over industries     {cat:>17.3f}  {sent:>17.3f}")
        self.stdout.write("")

    def _subjects(self, brands) -> None:
        variants = SUBJECT_VARIANTS
        self.stdout.write(
            "(e) Per-subject sentiment on the same held-out operators: the labels of tweets "
            "naming several operators, each read from"
        )
        self.stdout.write(
            "    whole = the whole text; clause = the sentences naming the operator (shipped: "
            "processing reads it for each subject of a mention naming several); cut = the text "
            "cut at the other operators' names"
        )
        self.stdout.write(f"    operator      labels  {'  '.join(f'{v:>7}' for v in variants)}")
        for brand in brands.brands:
            scores = [brands.multi_score(v, brand) for v in variants]
            self.stdout.write(
                f"    {brand.brand:<12}{scores[0][1]:>8}  "
                + "  ".join(f"{score:>7.3f}" for score, _n in scores)
            )
        pooled = [brands.multi_score(v) for v in variants]
        self.stdout.write(
            f"    {'all, pooled':<12}{pooled[0][1]:>8}  "
            + "  ".join(f"{score:>7.3f}" for score, _n in pooled)
        )
        self.stdout.write(
            "    mean over operators, every label (one-operator tweets read whole): "
            + ", ".join(f"{v} {brands.mean(variant=v):.3f}" for v in variants)
            + f" (shipped: {SHIPPED_SUBJECT_VARIANT})"
        )
        self.stdout.write("")

    def _previous(self) -> None:
        self.stdout.write("(f) The model shipped before (two e5 passes), same protocols:")
        for protocol, figure in PREVIOUS_MODEL:
            self.stdout.write(f"    {protocol:<68}{figure}")
        self.stdout.write("")

    def _processing(self, agreement, points) -> None:
        self.stdout.write("(d) Processing on the dev corpus (trained on the seed set, no rules)")
        self.stdout.write("    category and sentiment       apart  agreeing")
        (cat_a, sent_a), (cat_b, sent_b) = agreement.independent, agreement.agreeing
        self.stdout.write(
            f"    category macro-F1          {cat_a.score:>6.3f}  {cat_b.score:>8.3f}"
        )
        self.stdout.write(
            f"    sentiment F-macro          {sent_a.score:>6.3f}  {sent_b.score:>8.3f}"
        )
        self.stdout.write(
            f"    contradicting pairs        {agreement.contradictions_independent:>6}  "
            f"{agreement.contradictions_agreeing:>8}   (of {agreement.n})"
        )
        self.stdout.write(
            "    unsure threshold  answerable left out  extra queued  queued"
            f"   (answerable: {points[0].answerable})"
        )
        for p in points:
            self.stdout.write(
                f"    {p.threshold:>16.2f}  {p.left_out:>19}  {p.extra:>12}  {p.queued:>6}"
            )
        self.stdout.write("")

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
