"""The subject matcher measured on real tweets: SentiRuEval-2016, telecom test collection."""

from datetime import UTC, datetime

import pytest

from mentions.adapters.sentirueval import iter_tweets, to_generic
from mentions.evaluation.matching import DEFAULT_SENTIRUEVAL_PATH, evaluate

pytestmark = pytest.mark.skipif(
    not DEFAULT_SENTIRUEVAL_PATH.is_file(),
    reason=f"SentiRuEval-2016 telecom collection not found at {DEFAULT_SENTIRUEVAL_PATH}",
)

# Reached: precision 0.9992, recall 0.9976 (2,460 labelled tweet-operator pairs). The floors leave
# room for a few changed decisions, not for a regression in a whole class of spellings.
PRECISION_FLOOR = 0.99
RECALL_FLOOR = 0.99


@pytest.fixture(scope="module")
def report():
    return evaluate(DEFAULT_SENTIRUEVAL_PATH)


def test_evaluation_covers_every_labelled_pair(report):
    total = report.total
    assert report.tweets == 2247
    assert total.true_positives + total.false_negatives == 2460


def test_matcher_finds_the_labelled_operators(report):
    assert report.precision >= PRECISION_FLOOR, report.false_positives
    assert report.recall >= RECALL_FLOOR, report.misses


def test_every_operator_with_labels_is_found_reliably(report):
    for subject, counts in report.per_subject.items():
        if counts.true_positives + counts.false_negatives:
            assert counts.recall >= 0.98, subject
            assert counts.precision >= 0.98, subject


def test_first_tweet_becomes_a_generic_mention():
    tweet = next(iter_tweets(DEFAULT_SENTIRUEVAL_PATH))

    assert tweet.published_at == datetime(2015, 6, 30, 4, 2, 16, tzinfo=UTC)
    assert to_generic(tweet) == {
        "external_id": "1",
        "url": "",
        "platform": "twitter",
        "source_type": "social",
        "text": "RT vzglyad: По делу о работе МТС в Узбекистане США предложили заморозить 300 млн",
        "title": "",
        "language": "ru",
        "published_at": "2015-06-30T04:02:16+00:00",
        "sentiment": "negative",
        "extra": {"sentirueval_labels": {"mts": -1}, "tweet_id": "615732055842910000"},
    }


def test_disagreeing_labels_leave_sentiment_out():
    tweet = next(t for t in iter_tweets(DEFAULT_SENTIRUEVAL_PATH) if t.row_id == "124")

    generic = to_generic(tweet)

    assert "sentiment" not in generic
    assert generic["extra"]["sentirueval_labels"] == {"beeline": -1, "mts": 1}
