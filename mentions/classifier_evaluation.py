"""What `manage.py evaluate_classifier` measures, as functions a test can call.

Every figure is on data the evaluated model never saw:
(a) category and sentiment on the shared dev corpus, by a model trained on our seed set (other
    brands, other industries);
(b) sentiment on the SentiRuEval tweets (the evaluation's F-macro, per (tweet, operator) label),
    by a model trained on the seed set and the dev corpus;
(c) the learning curve: a model trained on the seed set, then retrained after 0, 50, 100, 200
    operator corrections fed through `mention_correct` (the service behind PATCH
    /api/v1/mentions/<id>/), scored on a part of the dev corpus the corrections never touch.
    It runs inside a transaction that is rolled back: nothing it creates stays.
"""

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from mentions.classification.embeddings import CachingEmbedder, get_embedder
from mentions.classification.evaluation import (
    Report,
    evaluate_category,
    evaluate_sentiment,
    evaluate_sentiment_sentirueval,
)
from mentions.classification.training import (
    LabelledText,
    load_dev,
    load_seed,
    train,
)
from mentions.models import Mention
from mentions.services.classifier import classifier_train, model_from_bytes
from mentions.services.corrections import mention_correct
from mentions.services.ingest import mentions_ingest

CURVE_POINTS = (0, 50, 100, 200)
CURVE_TEST_SIZE = 100
# Scores on 100 mentions move by a few hundredths with the split alone: the curve is averaged
# over several random splits of the dev corpus.
CURVE_SPLITS = (1, 2, 3)


@dataclass
class CurvePoint:
    corrections: int
    category_macro_f1: float
    sentiment_macro_f1: float


def shared_embedder():
    """One embedder for a whole evaluation: each text is embedded once."""
    return CachingEmbedder(get_embedder())


def evaluate_on_dev(embedder) -> tuple[Report, Report]:
    """(a): trained on the seed set, tested on dev. (Adding the SentiRuEval tweets was measured
    to lower sentiment on other industries: they label news about a company as sentiment.)"""
    model = train(load_seed(), embedder)
    dev = load_dev()
    return evaluate_category(model, dev), evaluate_sentiment(model, dev)


def evaluate_on_sentirueval(embedder) -> Report:
    """(b): trained on seed + dev, tested on every (tweet, operator) label."""
    model = train(load_seed() + load_dev(), embedder)
    return evaluate_sentiment_sentirueval(model, mode="pairs")


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
