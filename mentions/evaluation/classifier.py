"""What `manage.py evaluate_classifier` measures, as functions a test can call.

Every figure is on data the evaluated model never saw:
(a) category and sentiment on the shared dev corpus, by a model trained on our seed set (other
    brands, other industries); sentiment also by one trained on the seed set and the SentiRuEval
    tweets, as the shipped model is (the tweets' cost to industries they are not about);
(b) sentiment on the SentiRuEval tweets (the evaluation's F-macro, per (tweet, operator) label),
    by models trained on the seed set, the dev corpus and the tweets as the shipped model is, each
    tested on tweets it never saw, nor any retweet or near-duplicate of them: grouped 5-fold
    cross-validation (the headline figure), a chronological split (earlier tweets -> later ones,
    harder), and, for reference, a model that never saw a tweet at all;
(c) the learning curve: a model trained on the seed set, then retrained after 0, 50, 100, 200
    operator corrections fed through `mention_correct` (the service behind PATCH
    /api/v1/mentions/<id>/), scored on a part of the dev corpus the corrections never touch.
    It runs inside a transaction that is rolled back: nothing it creates stays.
(d) what processing does with the model's answer, on the dev corpus by the model trained on the
    seed set: category and sentiment made to agree (`classification.decision.decide`; scores
    and contradictions with and without it), and how many answerable mentions a low-confidence
    category would keep out of the queue at each threshold, against how many extra mentions the
    threshold queues (`SCRM_UNSURE_CATEGORY_BELOW`). Keyword rules are left out: the model alone.
(e) across brands and industries: sentiment on each SentiRuEval operator by a model that never
    saw a tweet naming it (leave one brand out; also with the neutral threshold chosen on the
    other held-out brands), and category and sentiment on each seed industry by a model trained
    on the others (leave one industry out); on the held-out operators' tweets that name several
    operators, sentiment read from the whole text, the clause naming the operator (what
    processing ships) and the text cut at the other operators' names (`SUBJECT_VARIANTS`).
"""

import json
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from mentions.adapters.sentirueval import iter_tweets
from mentions.classification.decision import agrees, unsure_keeps_in_queue
from mentions.classification.embeddings import CachingEmbedder, CombinedEmbedder, get_embedder
from mentions.classification.training import (
    SEED_PATH,
    SENTIRUEVAL_PATH,
    LabelledText,
    learns_from_tweets,
    load_dev,
    load_needs_response,
    load_seed,
    load_sentirueval,
    train,
    tweet_records,
)
from mentions.evaluation.protocols import (
    HeldOutSentiment,
    Report,
    evaluate_category,
    evaluate_sentiment,
    evaluate_sentiment_sentirueval,
    leave_one_industry_out,
    sentirueval_chronological,
    sentirueval_cross_validate,
    sentirueval_leave_one_brand_out,
)
from mentions.models import Category, Mention
from mentions.services.classifier import classifier_train, model_from_bytes
from mentions.services.corrections import mention_correct
from mentions.services.ingest import mentions_ingest

CURVE_POINTS = (0, 50, 100, 200)
CURVE_TEST_SIZE = 100
# Scores on 100 mentions move by a few hundredths with the split alone: the curve is averaged
# over several random splits of the dev corpus.
CURVE_SPLITS = (1, 2, 3)
# The best F-macro of the 2016 evaluation on this collection (organisers' results table).
SENTIRUEVAL_2016_BEST = 0.5594


UNSURE_THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7)


@dataclass
class Agreement:
    """Scores on dev with category and sentiment decided apart (`independent`) and together."""

    independent: tuple[Report, Report]
    agreeing: tuple[Report, Report]
    contradictions_independent: int
    contradictions_agreeing: int
    n: int


@dataclass
class UnsurePoint:
    """At `threshold`: of `answerable` dev mentions, `left_out` stay out of the queue (the model
    chose a no-response category with at least that confidence); `extra` mentions that need no
    response are queued because the model was unsure."""

    threshold: float
    answerable: int
    left_out: int
    extra: int
    queued: int


@dataclass
class CurvePoint:
    corrections: int
    category_macro_f1: float
    sentiment_macro_f1: float


def shared_embedder(cache_dir=None):
    """One embedder for a whole evaluation: each text is embedded once (once across runs with
    a `cache_dir` outside the repository)."""
    embedder = get_embedder()
    if isinstance(embedder, CombinedEmbedder):  # e5 cached on disk; hashing is cheap
        first, *rest = embedder.parts
        return CombinedEmbedder(CachingEmbedder(first, cache_dir), *rest)
    return CachingEmbedder(embedder, cache_dir)


def evaluate_on_dev(embedder) -> tuple[Report, Report]:
    """(a): trained on the seed set, tested on dev."""
    model = train(load_seed(), embedder)
    dev = load_dev()
    return evaluate_category(model, dev), evaluate_sentiment(model, dev)


def category_meanings() -> tuple[dict[str, str], dict[str, bool]]:
    """Each category's polarity and whether it needs a response, as the database has them."""
    rows = Category.objects.values_list("key", "polarity", "needs_response")
    return {k: p for k, p, _ in rows}, {k: n for k, _, n in rows}


def _contradictions(predictions, polarity: dict[str, str]) -> int:
    return sum(not agrees(polarity.get(p.category), p.sentiment) for p in predictions)


def evaluate_processing_on_dev(embedder, thresholds=UNSURE_THRESHOLDS):
    """(d): agreement of category and sentiment, and the unsure threshold, on dev."""
    polarity, needs = category_meanings()
    model = train(load_seed(), embedder)
    dev = load_dev()
    texts = [r.text for r in dev]
    apart, together = model.predict(texts), model.predict(texts, polarity=polarity)
    agreement = Agreement(
        independent=(
            evaluate_category(model, dev),
            evaluate_sentiment(model, dev),
        ),
        agreeing=(
            evaluate_category(model, dev, polarity=polarity),
            evaluate_sentiment(model, dev, polarity=polarity),
        ),
        contradictions_independent=_contradictions(apart, polarity),
        contradictions_agreeing=_contradictions(together, polarity),
        n=len(dev),
    )
    answerable = load_needs_response()
    points = []
    for threshold in thresholds:
        left_out = extra = queued = 0
        for record, p in zip(dev, together, strict=True):
            queue = unsure_keeps_in_queue(
                needs_response=needs.get(p.category, False),
                by_model=True,
                confidence=p.category_confidence,
                threshold=threshold,
            )
            queued += queue
            if answerable.get(record.ref) and not queue:
                left_out += 1
            if not answerable.get(record.ref, True) and queue and not needs.get(p.category):
                extra += 1
        points.append(UnsurePoint(threshold, sum(answerable.values()), left_out, extra, queued))
    return agreement, points


def evaluate_on_dev_with_tweets(embedder) -> Report | None:
    """(a): sentiment on dev of a model trained on the seed set and the SentiRuEval tweets, the
    way the shipped model learns from them; None when this embedder's models do not (the
    category head never sees the tweets: category is as without them)."""
    if not learns_from_tweets(embedder):
        return None
    model = train(load_seed() + load_sentirueval(mode="agree"), embedder)
    return evaluate_sentiment(model, load_dev())


@dataclass
class SentiRuEvalFigures:
    """(b): the held-out figures on the tweets; `cross_validated` is the headline."""

    cross_validated: HeldOutSentiment | None
    chronological: HeldOutSentiment | None
    never_saw_a_tweet: Report


def evaluate_on_sentirueval(embedder) -> SentiRuEvalFigures:
    """(b): every (tweet, operator) label, predicted by models that never saw that tweet.

    When this embedder's models learn from the tweets (`learns_from_tweets`), the ones measured
    do too, trained on seed + dev + the tweets outside the test part; otherwise only the model
    trained on seed + dev is measured.
    """
    base = load_seed() + load_dev()
    reference = evaluate_sentiment_sentirueval(train(base, embedder), mode="pairs")
    if not learns_from_tweets(embedder):
        return SentiRuEvalFigures(None, None, reference)
    return SentiRuEvalFigures(
        cross_validated=sentirueval_cross_validate(base, embedder),
        chronological=sentirueval_chronological(base, embedder),
        never_saw_a_tweet=reference,
    )


def evaluate_across(embedder):
    """(e): sentiment on each SentiRuEval operator by a model that never saw a tweet naming it
    (trained on seed + dev + the other tweets), and both tasks on each seed industry by a model
    trained on the other industries (+ the tweets, for sentiment, as shipped)."""
    base = load_seed() + load_dev()
    tweets = list(iter_tweets(SENTIRUEVAL_PATH))
    brands = sentirueval_leave_one_brand_out(base, embedder, tweets=tweets)
    industries = [row.get("industry") or "" for row in _jsonl(SEED_PATH)]
    extra = tweet_records(tweets) if learns_from_tweets(embedder) else []
    return brands, leave_one_industry_out(load_seed(), industries, embedder, extra=extra)


def _jsonl(path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class _Rollback(Exception):
    pass


def learning_curve(embedder, *, seed: int = 2026) -> list[CurvePoint]:
    """(c): macro-F1 after 0, 50, 100, 200 corrections made the way operators make them."""
    dev = load_dev()
    random.Random(seed).shuffle(dev)
    test, pool = dev[:CURVE_TEST_SIZE], dev[CURVE_TEST_SIZE:]
    base = load_seed()
    points: list[CurvePoint] = []
    try:
        with transaction.atomic():
            operator, _ = get_user_model().objects.get_or_create(username="learning-curve-operator")
            fed = 0
            for target in CURVE_POINTS:
                _feed_corrections(pool[fed:target], operator, offset=fed)
                fed = target
                row = classifier_train(base=base, activate=False, embedder=embedder)
                model = model_from_bytes(bytes(row.artifact))
                model.embedder = embedder
                points.append(
                    CurvePoint(
                        corrections=target,
                        category_macro_f1=evaluate_category(model, test).score,
                        sentiment_macro_f1=evaluate_sentiment(model, test).score,
                    )
                )
            raise _Rollback
    except _Rollback:
        pass
    return points


def learning_curve_mean(embedder, *, splits=CURVE_SPLITS) -> tuple[list[CurvePoint], list]:
    """The learning curve averaged over `splits` (each a different random split of dev);
    returns the mean points and the per-split curves."""
    curves = [learning_curve(embedder, seed=split) for split in splits]
    mean = [
        CurvePoint(
            corrections=points[0].corrections,
            category_macro_f1=sum(p.category_macro_f1 for p in points) / len(points),
            sentiment_macro_f1=sum(p.sentiment_macro_f1 for p in points) / len(points),
        )
        for points in zip(*curves, strict=True)
    ]
    return mean, curves


def _feed_corrections(records: list[LabelledText], operator, *, offset: int) -> None:
    """Ingest the texts as mentions, then correct each the way an operator does."""
    if not records:
        return
    result = mentions_ingest(
        items=[
            {
                "external_id": f"learning-curve-{offset + i}",
                "text": record.text,
                "published_at": "2026-01-01T00:00:00Z",
            }
            for i, record in enumerate(records)
        ]
    )
    for record, item in zip(records, result.results, strict=True):
        mention = Mention.objects.get(pk=item.id)
        mention_correct(
            mention=mention, user=operator, category=record.category, sentiment=record.sentiment
        )
