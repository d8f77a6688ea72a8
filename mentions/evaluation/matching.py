"""How well `SubjectMatcher` finds the operators of the SentiRuEval-2016 telecom collection.

A (tweet, operator) pair is relevant when the collection labels the tweet for that operator (any
sentiment); the matcher predicts it when `match` returns the operator's key. No database involved.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

from mentions.adapters.sentirueval import OPERATORS, iter_tweets
from mentions.matching import SubjectMatcher
from mentions.subject_catalogs import TELECOM_OPERATORS

DEFAULT_SENTIRUEVAL_PATH = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "sentirueval2016"
    / "telecom_test_etalon.xml"
)
MAX_EXAMPLES = 15


@dataclass
class Counts:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        relevant = self.true_positives + self.false_negatives
        return self.true_positives / relevant if relevant else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Example:
    row_id: str
    subject: str
    text: str


@dataclass
class MatchingReport:
    tweets: int = 0
    total: Counts = field(default_factory=Counts)
    per_subject: dict[str, Counts] = field(default_factory=dict)
    match_seconds: float = 0.0  # first pass over the tweets: every new token analysed
    warm_match_seconds: float = 0.0  # second pass: token analyses come from the matcher's cache
    misses: list[Example] = field(default_factory=list)
    false_positives: list[Example] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.total.precision

    @property
    def recall(self) -> float:
        return self.total.recall

    @property
    def f1(self) -> float:
        return self.total.f1

    @property
    def tweets_per_second(self) -> float:
        return self.tweets / self.match_seconds if self.match_seconds else 0.0

    @property
    def warm_tweets_per_second(self) -> float:
        return self.tweets / self.warm_match_seconds if self.warm_match_seconds else 0.0


def evaluate(path: str | PathLike = DEFAULT_SENTIRUEVAL_PATH) -> MatchingReport:
    """Match every tweet of the dump at `path` against `TELECOM_OPERATORS` and score the result.

    Scores are micro-averaged over (tweet, operator) pairs. Throughput is timed over `match` calls
    only (the file is read first): once on a freshly built matcher, once more on the warmed one.
    """
    tweets = list(iter_tweets(path))
    texts = [tweet.text for tweet in tweets]
    matcher = SubjectMatcher(TELECOM_OPERATORS)
    started = time.perf_counter()
    predictions = [matcher.match(text) for text in texts]
    cold_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for text in texts:
        matcher.match(text)
    warm_seconds = time.perf_counter() - started

    report = MatchingReport(
        tweets=len(tweets),
        per_subject={operator: Counts() for operator in OPERATORS},
        match_seconds=cold_seconds,
        warm_match_seconds=warm_seconds,
    )
    for tweet, predicted in zip(tweets, predictions, strict=True):
        _score(report, tweet.row_id, tweet.text, set(predicted), set(tweet.labels))
    return report


def _score(report: MatchingReport, row_id: str, text: str, predicted: set, relevant: set) -> None:
    for subject in sorted(predicted | relevant):
        counts = report.per_subject.setdefault(subject, Counts())
        if subject in predicted and subject in relevant:
            counts.true_positives += 1
            report.total.true_positives += 1
        elif subject in predicted:
            counts.false_positives += 1
            report.total.false_positives += 1
            _keep(report.false_positives, Example(row_id, subject, text))
        else:
            counts.false_negatives += 1
            report.total.false_negatives += 1
            _keep(report.misses, Example(row_id, subject, text))


def _keep(examples: list[Example], example: Example) -> None:
    if len(examples) < MAX_EXAMPLES:
        examples.append(example)
