"""Processing: language, category (rules, then the model), sentiment, priority, routing."""

from unittest import mock

import pytest

from mentions.classification.model import Prediction
from mentions.models import Category, ClassificationRule, Mention, RoutingRule, Team
from mentions.services.corrections import mention_correct
from mentions.services.ingest import mentions_ingest
from mentions.services.triage import mentions_process, priority_for
from scrm.roles import Role
from tests.factories import UserFactory
from tests.mentions.helpers import mention_payload

pytestmark = pytest.mark.django_db


class FakeClassifier:
    """Predicts what the test says, so routing can be tested apart from the model."""

    version = "fake-1"

    def __init__(self, category="product_request", sentiment="neutral"):
        self.category, self.sentiment = category, sentiment

    def predict(self, texts, polarity=None):
        return [Prediction(self.category, 0.8, self.sentiment, 0.7, self.version) for _ in texts]


def _process(*payloads, category="product_request", sentiment="neutral") -> list[Mention]:
    ids = [r.id for r in mentions_ingest(items=list(payloads)).results]
    fake = FakeClassifier(category, sentiment)
    with mock.patch("mentions.services.triage.active_classifier", return_value=fake):
        mentions_process(mention_ids=ids)
    return [Mention.objects.select_related("category", "team").get(pk=i) for i in ids]


def _follow(n: int) -> dict:
    return {"external_id": f"acct-{n}", "followers": n}


@pytest.mark.parametrize(
    ("category", "sentiment", "followers", "expected"),
    [
        ("negative", "negative", 50_000, "urgent"),
        ("negative", "negative", 30, "high"),
        ("product_request", "neutral", 30, "normal"),
        ("product_request", "neutral", 6_000, "high"),
        ("general_request", "neutral", 30, "normal"),
        ("praise", "positive", 1_000_000, "low"),
        ("noise", "neutral", 30, "low"),
    ],
)
def test_priority_from_category_sentiment_and_reach(category, sentiment, followers, expected):
    found = Category.objects.get(key=category)

    assert priority_for(category=found, sentiment=sentiment, followers=followers) == expected


def test_an_angry_influencer_outranks_a_neutral_question_in_the_queue():
    angry, question = _process(
        mention_payload(author=_follow(50_000)),
        mention_payload(author=_follow(30)),
        category="negative",
        sentiment="negative",
    )
    (neutral,) = _process(mention_payload(author=_follow(30)), category="product_request")

    assert angry.priority == "urgent"
    assert neutral.priority == "normal"
    assert angry.priority_rank < neutral.priority_rank
    assert angry.sla_due_at < neutral.sla_due_at
    assert question.priority == "high"


def test_processing_records_category_sentiment_confidence_version_and_queues():
    (mention,) = _process(mention_payload(text="Сколько стоит тариф?"), category="product_request")

    assert mention.category.key == "product_request"
    assert (mention.category_confidence, mention.category_method) == (0.8, "model")
    assert (mention.sentiment, mention.sentiment_confidence) == ("neutral", 0.7)
    assert mention.classifier_version == "fake-1"
    assert mention.language == "ru"
    assert (mention.status, mention.team.key, mention.needs_response) == ("queued", "support", True)


def test_a_mention_needing_no_response_is_processed_and_out_of_any_queue():
    (mention,) = _process(mention_payload(), category="noise")

    assert (mention.status, mention.team, mention.needs_response) == ("processed", None, False)
    assert mention.sla_due_at is None


def test_a_managers_rule_wins_over_the_model():
    ClassificationRule.objects.create(
        category=Category.objects.get(key="abandonment"), phrases=["расторгнуть договор"], order=1
    )

    (mention,) = _process(
        mention_payload(text="Хочу расторгнуть договоры, сил нет"), category="product_request"
    )

    assert (mention.category.key, mention.category_method) == ("abandonment", "rule")
    assert mention.category_confidence == 1.0


def test_routing_rules_send_mentions_to_teams_first_match_wins():
    vip = Team.objects.create(key="vip", name="VIP")
    press = Team.objects.create(key="press", name="Press")
    RoutingRule.objects.create(order=1, platform="news", team=press)
    RoutingRule.objects.create(order=2, category=Category.objects.get(key="negative"), team=vip)

    news, tweet = _process(
        mention_payload(platform="news"), mention_payload(platform="twitter"), category="negative"
    )

    assert news.team == press
    assert tweet.team == vip


def test_processing_twice_gives_the_same_result_and_no_second_side_effect():
    (mention,) = _process(mention_payload(), category="support")
    before = Mention.objects.filter(pk=mention.pk).values().get()

    with mock.patch("mentions.services.triage.active_classifier") as classifier:
        assert mentions_process(mention_ids=[mention.pk]) == 0
    classifier.assert_not_called()
    assert Mention.objects.filter(pk=mention.pk).values().get() == before


def test_the_source_sentiment_is_kept_beside_ours_and_an_operator_correction_wins():
    (mention,) = _process(mention_payload(sentiment="positive"), sentiment="negative")

    # A manager: a queued mention is corrected by its team or a manager (queue_rules).
    manager = UserFactory(roles=[Role.MANAGER])
    corrected = mention_correct(mention=mention, user=manager, sentiment="neutral")

    assert corrected.source_sentiment == "positive"
    assert (corrected.sentiment, corrected.sentiment_method) == ("neutral", "operator")


def test_processing_with_the_shipped_model():
    (mention,) = [
        Mention.objects.get(pk=r.id)
        for r in mentions_ingest(
            items=[mention_payload(text="Третий день нет интернета, верните деньги!!!")]
        ).results
    ]

    mentions_process(mention_ids=[mention.pk])

    mention.refresh_from_db()
    assert mention.category is not None
    assert mention.sentiment == "negative"
    assert mention.classifier_version.startswith("cat-sent-")
    assert mention.status == ("queued" if mention.category.needs_response else "processed")
