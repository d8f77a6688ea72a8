"""Measuring the classifier: per-class precision/recall/F1, confusion matrix, macro figures.

The measures:
* category: macro-F1 over the categories present in the test labels;
* sentiment on SentiRuEval-2016: F-macro, the mean F1 of the positive and the negative class
  (the evaluation's official measure; neutral counts only through their precision and recall).

Every function takes a model and data it is to be tested on; keeping training data out is the
caller's job, and `cross_validate` does it fold by fold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

from mentions.classification.embeddings import Embedder
from mentions.classification.model import CATEGORIES, SENTIMENTS, MentionClassifier
from mentions.classification.training import (
    SENTIRUEVAL_PATH,
    LabelledText,
    head_options,
    load_sentirueval,
)

__all__ = [
    "ClassScores",
    "Report",
    "cross_validate",
    "evaluate_category",
    "evaluate_sentiment",
    "evaluate_sentiment_sentirueval",
    "report",
]


@dataclass(frozen=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    """Scores of one task on one test set.

    `score` is the task's headline figure (macro-F1 for categories, F-macro for SentiRuEval
    sentiment); `confusion[i][j]` counts items of true class `labels[i]` predicted `labels[j]`.
    """

    measure: str
    score: float
    accuracy: float
    labels: tuple[str, ...]
    per_class: dict[str, ClassScores]
    confusion: list[list[int]]
    n: int

    def format(self) -> str:
        """A plain-text table: per-class scores, then the confusion matrix."""
        width = max(len(label) for label in self.labels)
        head = f"{self.measure} = {self.score:.4f}   accuracy = {self.accuracy:.4f}   n = {self.n}"
        lines = [head]
        lines.append(f"  {'':{width}}  precision  recall     f1  support")
        for label in self.labels:
            s = self.per_class[label]
            scores = f"{s.precision:9.3f}  {s.recall:6.3f}  {s.f1:5.3f}  {s.support:7d}"
            lines.append(f"  {label:{width}}  {scores}")
        short = [label[:6] for label in self.labels]
        lines.append(f"  confusion (rows true, columns predicted): {' '.join(short)}")
        for label, row in zip(self.labels, self.confusion, strict=True):
            lines.append(f"  {label:{width}}  " + " ".join(f"{count:6d}" for count in row))
        return "\n".join(lines)


def report(
    y_true: Sequence[str],
    y_pred: Sequence[str],
    labels: Sequence[str] | None = None,
    averaged: Sequence[str] | None = None,
    measure: str = "macro-F1",
) -> Report:
    """Scores of `y_pred` against `y_true`; `score` is the mean F1 of the `averaged` classes.

    `labels` (default: the classes seen in either list, sorted) orders the table; `averaged`
    defaults to the classes present in `y_true`, so a class never in the test set does not drag
    the macro figure down.
    """
    labels = list(labels) if labels is not None else sorted(set(y_true) | set(y_pred))
    averaged = list(averaged) if averaged is not None else [lab for lab in labels if lab in y_true]
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    per_class = {
        label: ClassScores(float(p), float(r), float(f), int(s))
        for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    }
    score = float(np.mean([per_class[label].f1 for label in averaged]))
    matrix = confusion_matrix(y_true, y_pred, labels=labels)
    accuracy = float(np.mean(np.asarray(y_true) == np.asarray(y_pred))) if len(y_true) else 0.0
    return Report(measure, score, accuracy, tuple(labels), per_class, matrix.tolist(), len(y_true))


def evaluate_category(model: MentionClassifier, records: Sequence[LabelledText]) -> Report:
    """Category macro-F1 of `model` on the records that have a category."""
    records = [record for record in records if record.category is not None]
    predictions = model.predict([record.text for record in records])
    y_true = [record.category for record in records]
    return report(y_true, [p.category for p in predictions], _ordered(model.categories, y_true))


def evaluate_sentiment(model: MentionClassifier, records: Sequence[LabelledText]) -> Report:
    """Sentiment F-macro (mean F1 of positive and negative) on records that have a sentiment.

    Identical texts are embedded once, so SentiRuEval "pairs" (a tweet once per operator) cost
    no more than the tweets.
    """
    records = [record for record in records if record.sentiment is not None]
    unique = list(dict.fromkeys(record.text for record in records))
    by_text = dict(zip(unique, model.predict(unique), strict=True))
    y_true = [record.sentiment for record in records]
    y_pred = [by_text[record.text].sentiment for record in records]
    return report(
        y_true,
        y_pred,
        labels=_ordered(model.sentiments, y_true),
        averaged=["positive", "negative"],
        measure="F-macro(pos,neg)",
    )


def evaluate_sentiment_sentirueval(
    model: MentionClassifier, path=None, mode: str = "pairs"
) -> Report:
    """F-macro on SentiRuEval-2016 telecom tweets (see `training.load_sentirueval` for `mode`).

    "pairs" scores each (tweet, operator) label, as the official evaluation does; the model gives
    one sentiment per tweet, so a tweet praising one operator and scolding another is half wrong
    whatever it says. "agree" scores only tweets whose labels agree.
    """
    return evaluate_sentiment(model, load_sentirueval(path or SENTIRUEVAL_PATH, mode=mode))


def cross_validate(
    records: Sequence[LabelledText],
    embedder: Embedder,
    folds: int = 5,
    seed: int = 0,
    make_model: Callable[[Embedder], MentionClassifier] | None = None,
) -> tuple[Report, Report]:
    """Stratified k-fold cross-validation (by category) of both tasks on `records`.

    Every record is predicted by a model that did not see it; the predictions of all folds are
    pooled into one category report (macro-F1) and one sentiment report (F-macro). Texts are
    embedded once. Records need both labels. `make_model` builds an untrained model for an
    embedder (default: the shipped options, `training.head_options`).
    """
    make_model = make_model or _shipped_kind_of_model
    texts = [record.text for record in records]
    categories = np.array([record.category for record in records], dtype=object)
    sentiments = np.array([record.sentiment for record in records], dtype=object)
    vectors = embedder.embed(texts)
    cat_pred = np.empty(len(records), dtype=object)
    sent_pred = np.empty(len(records), dtype=object)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(vectors, categories.astype(str)):
        model = make_model(embedder)
        model.fit_vectors(vectors[train_idx], categories[train_idx], sentiments[train_idx])
        for i, prediction in zip(test_idx, model.predict_vectors(vectors[test_idx]), strict=True):
            cat_pred[i], sent_pred[i] = prediction.category, prediction.sentiment
    cat_report = report(list(categories), list(cat_pred), _ordered(CATEGORIES, categories))
    sent_report = report(
        list(sentiments),
        list(sent_pred),
        labels=_ordered(SENTIMENTS, sentiments),
        averaged=["positive", "negative"],
        measure="F-macro(pos,neg)",
    )
    return cat_report, sent_report


def _shipped_kind_of_model(embedder: Embedder) -> MentionClassifier:
    return MentionClassifier(embedder, *head_options(embedder))


def _ordered(known: Sequence[str], seen) -> list[str]:
    """`known` classes first in their order, then any other seen class alphabetically."""
    seen = set(seen)
    return list(known) + sorted(seen - set(known))
