"""Category and sentiment agree; a doubtful category that would keep a mention out of the
queue sends it to a person instead."""

from unittest import mock

import pytest

from mentions.classification.decision import agrees, decide, unsure_keeps_in_queue
from mentions.classification.model import Prediction
from mentions.models import Category, ClassificationRule, Mention
from mentions.services.ingest import mentions_ingest
from mentions.services.triage import mentions_process
from tests.mentions.helpers import mention_payload

POLARITY = {"praise": "positive", "negative": "negative", "support": "none"}


@pytest.mark.parametrize(
    ("polarity", "sentiment", "expected"),
    [
        ("positive", "negative", False),
        ("positive", "neutral", True),
        ("negative", "positive", False),
        ("negative", "negative", True),
        ("none", "positive", True),
        (None, "negative", True),
    ],
)
def test_a_category_of_one_polarity_never_carries_the_opposite_sentiment(
    polarity, sentiment, expected
):
    assert agrees(polarity, sentiment) is expected


def test_a_confident_sentiment_overturns_a_weak_category():
    # "The technician never showed up... Fix it." read as praise at 0.35, negative at 0.9.
    decision = decide(
        {"praise": 0.35, "negative": 0.33, "support": 0.32},
        {"negative": 0.9, "neutral": 0.08, "positive": 0.02},
        POLARITY,
    )

    assert (decision.category, decision.sentiment) == ("negative", "negative")
    assert decision.category_confidence == 0.33  # the model's own probability, not inflated


def test_a_confident_category_overturns_a_weak_sentiment():
    decision = decide(
        {"praise": 0.9, "negative": 0.05, "support": 0.05},
        {"negative": 0.45, "neutral": 0.35, "positive": 0.2},
        POLARITY,
    )

    assert (decision.category, decision.sentiment) == ("praise", "neutral")


def test_a_category_a_rule_decided_keeps_it_and_takes_the_sentiment_that_agrees():
    decision = decide({}, {"negative": 0.6, "positive": 0.4}, POLARITY, category="praise")

    assert (decision.category, decision.sentiment) == ("praise", "positive")
    assert decision.category_confidence == 1.0


def test_only_a_models_doubt_about_a_no_response_category_queues_the_mention():
    def queued(needs, by_model, confidence):
        return unsure_keeps_in_queue(
            needs_response=needs, by_model=by_model, confidence=confidence, threshold=0.6
        )

    assert queued(True, True, 0.99)  # needs a response anyway
    assert queued(False, True, 0.33)  # the model was unsure
    assert not queued(False, True, 0.6)  # sure enough
    assert not queued(False, False, 0.33)  # a rule or an operator decided


class ScoringClassifier:
    """Returns the given scores, decided as the real model decides (argmax, or agreeing)."""

    version = "scoring-1"

    def __init__(self, categories: dict, sentiments: dict):
        self.categories, self.sentiments = categories, sentiments

    def predict(self, texts, polarity=None):
        if polarity is None:
            cat = max(self.categories, key=self.categories.get)
            sent = max(self.sentiments, key=self.sentiments.get)
        else:
            chosen = decide(self.categories, self.sentiments, polarity)
            cat, sent = chosen.category, chosen.sentiment
        return [
            Prediction(
                cat,
                self.categories[cat],
                sent,
                self.sentiments[sent],
                self.version,
                self.categories,
                self.sentiments,
            )
            for _ in texts
        ]


def _process(text: str, classifier) -> Mention:
    (result,) = mentions_ingest(items=[mention_payload(text=text)]).results
    with mock.patch("mentions.services.triage.active_classifier", return_value=classifier):
        mentions_process(mention_ids=[result.id])
    return Mention.objects.select_related("category").get(pk=result.id)


@pytest.mark.django_db
def test_a_doubtful_praise_goes_to_the_queue_at_normal_priority_with_a_deadline(settings):
    settings.SCRM_UNSURE_CATEGORY_BELOW = 0.6
    unsure = ScoringClassifier(
        {"praise": 0.4, "support": 0.3, "noise": 0.3}, {"positive": 0.5, "neutral": 0.5}
    )

    mention = _process("Техник так и не пришёл. Спасибо, конечно.", unsure)

    assert mention.category.key == "praise"
    assert mention.category_confidence == 0.4
    assert mention.status == Mention.Status.QUEUED
    assert mention.needs_response
    assert mention.priority == "normal"
    assert mention.sla_due_at is not None


@pytest.mark.django_db
def test_a_confident_praise_stays_out_of_the_queue(settings):
    settings.SCRM_UNSURE_CATEGORY_BELOW = 0.6
    sure = ScoringClassifier({"praise": 0.9, "support": 0.1}, {"positive": 0.9, "neutral": 0.1})

    mention = _process("Спасибо ребятам, всё отлично!", sure)

    assert mention.status == Mention.Status.PROCESSED
    assert not mention.needs_response


@pytest.mark.django_db
def test_processing_never_stores_a_praise_with_a_negative_sentiment():
    contradicting = ScoringClassifier(
        {"praise": 0.7, "negative": 0.3}, {"negative": 0.55, "neutral": 0.3, "positive": 0.15}
    )

    mention = _process("Не реклама, просто довольный клиент. Спасибо ребятам!", contradicting)

    assert (mention.category.key, mention.sentiment) == ("praise", "neutral")


@pytest.mark.django_db
def test_a_keyword_rule_category_gets_the_sentiment_that_agrees_with_it():
    ClassificationRule.objects.filter(category__key="praise").delete()
    ClassificationRule.objects.create(
        category_id=_category_id("praise"), phrases=["спасибо ребятам"], order=1
    )
    model = ScoringClassifier(
        {"negative": 0.8, "praise": 0.2}, {"negative": 0.6, "neutral": 0.25, "positive": 0.15}
    )

    mention = _process("Спасибо ребятам, но было трудно", model)

    assert (mention.category.key, mention.category_method) == ("praise", "rule")
    assert mention.sentiment == "neutral"


def _category_id(key: str) -> int:
    return Category.objects.get(key=key).pk
