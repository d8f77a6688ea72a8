"""Held-out quality floors: every figure is on data the scored model never saw.

* Trained on our seed set only, scored on the shared dev corpus (other brands and industries);
  sentiment also with the SentiRuEval tweets added, as the shipped model learns from them.
* Sentiment on the SentiRuEval-2016 tweets (F-macro per (tweet, operator) label) of models trained
  on seed + dev + other tweets, by grouped cross-validation (the headline figure, against the
  2016 evaluation's best 0.5594) and by a chronological split (the harder one).

The floors sit a little below what was reached (`manage.py evaluate_classifier`), so quality
cannot silently regress. A few minutes on 2 cores, most of it embedding the tweets.
"""

import pytest

from mentions.classification.training import (
    DEV_PATH,
    SEED_PATH,
    SENTIRUEVAL_PATH,
    load_dev,
    load_seed,
    load_sentirueval,
    train,
)
from mentions.evaluation.protocols import (
    SHIPPED_SUBJECT_VARIANT,
    evaluate_category,
    evaluate_sentiment,
    sentirueval_chronological,
    sentirueval_cross_validate,
    sentirueval_leave_one_brand_out,
)

pytestmark = pytest.mark.skipif(
    not DEV_PATH.is_file(), reason=f"shared data not found ({DEV_PATH})"
)
needs_tweets = pytest.mark.skipif(
    not SENTIRUEVAL_PATH.is_file(), reason=f"SentiRuEval not found ({SENTIRUEVAL_PATH})"
)

# Reached by the one-pass model (e5 "query" + hashing; sentiment C 10, neutral shift -0.5):
# category macro-F1 0.809, sentiment F-macro 0.713 (seed only) and 0.691 (seed + tweets) on dev;
# on the tweets 0.618 grouped cross-validation, 0.564 chronological. (The two-pass model before
# it: 0.814, 0.684, 0.669, 0.598, 0.565.)
CATEGORY_FLOOR = 0.79
SENTIMENT_FLOOR = 0.69
SENTIMENT_WITH_TWEETS_FLOOR = 0.67
TWEETS_CROSS_VALIDATED_FLOOR = 0.60
TWEETS_CHRONOLOGICAL_FLOOR = 0.54
# Reached: mean over the five operators with 30+ labels 0.622 (beeline 0.596, megafon 0.659,
# mts 0.571, rostelecom 0.609, tele2 0.675), each by a model that never saw a tweet naming it;
# 0.614 with a further neutral shift chosen for each operator on the other four (the two-pass
# model before: 0.573 and 0.591).
LEAVE_ONE_BRAND_OUT_FLOOR = 0.60
LEAVE_ONE_BRAND_OUT_CALIBRATED_FLOOR = 0.59
# Reached on the same held-out operators, the 404 labels of tweets naming several operators
# (pooled): 0.569 from the clause naming the operator (shipped), 0.519 from the whole text, 0.472
# from the text cut at the other operators' names; the five-operator mean 0.624 -> 0.635 with
# the clause.
PER_SUBJECT_CLAUSE_FLOOR = 0.55
LEAVE_ONE_BRAND_OUT_CLAUSE_FLOOR = 0.61


@pytest.fixture(scope="module")
def seed_model(e5_embedder):
    assert SEED_PATH.is_file()
    return train(load_seed(), e5_embedder)


def test_category_on_unseen_brands_and_industries_stays_above_the_floor(seed_model):
    report = evaluate_category(seed_model, load_dev())

    assert report.score >= CATEGORY_FLOOR, report.format()


def test_sentiment_on_unseen_brands_and_industries_stays_above_the_floor(seed_model):
    report = evaluate_sentiment(seed_model, load_dev())

    assert report.score >= SENTIMENT_FLOOR, report.format()


@needs_tweets
def test_learning_from_tweets_keeps_sentiment_on_other_industries(e5_embedder):
    model = train(load_seed() + load_sentirueval(mode="agree"), e5_embedder)

    report = evaluate_sentiment(model, load_dev())

    assert report.score >= SENTIMENT_WITH_TWEETS_FLOOR, report.format()


@needs_tweets
def test_sentiment_on_tweets_never_seen_by_grouped_cross_validation(e5_embedder):
    held_out = sentirueval_cross_validate(load_seed() + load_dev(), e5_embedder)

    assert held_out.report.n == 2460
    assert held_out.report.score >= TWEETS_CROSS_VALIDATED_FLOOR, held_out.report.format()


@needs_tweets
def test_sentiment_on_later_tweets_of_a_model_trained_on_earlier_ones(e5_embedder):
    held_out = sentirueval_chronological(load_seed() + load_dev(), e5_embedder)

    assert held_out.report.score >= TWEETS_CHRONOLOGICAL_FLOOR, held_out.report.format()


@pytest.fixture(scope="module")
def held_out_operators(e5_embedder):
    return sentirueval_leave_one_brand_out(load_seed() + load_dev(), e5_embedder)


@needs_tweets
def test_sentiment_on_an_operator_no_training_tweet_named(held_out_operators):
    held = held_out_operators

    assert [b.brand for b in held.brands] == ["beeline", "megafon", "mts", "rostelecom", "tele2"]
    assert held.mean() >= LEAVE_ONE_BRAND_OUT_FLOOR, {b.brand: b.score() for b in held.brands}
    calibrated, shifts = held.calibrated()
    assert calibrated >= LEAVE_ONE_BRAND_OUT_CALIBRATED_FLOOR, shifts


@needs_tweets
def test_per_subject_sentiment_beats_the_whole_text_on_tweets_naming_several_operators(
    held_out_operators,
):
    held = held_out_operators

    clause, n = held.multi_score("clause")
    whole, _ = held.multi_score("whole")
    assert n == 404
    assert clause >= PER_SUBJECT_CLAUSE_FLOOR, {
        b.brand: held.multi_score("clause", b) for b in held.brands
    }
    assert clause > whole
    assert held.mean(variant=SHIPPED_SUBJECT_VARIANT) >= LEAVE_ONE_BRAND_OUT_CLAUSE_FLOOR
