"""Segments: recomputed whenever one of the author's mentions is processed or corrected."""

from unittest import mock

import pytest
from django.test import override_settings

from authors.models import Author
from authors.segments import AuthorStats, segment_for
from authors.services.profile import author_update
from mentions.classification.model import Prediction
from mentions.services.author_segments import author_segments_recompute
from mentions.services.corrections import mention_correct
from mentions.services.triage import mentions_process
from scrm.roles import Role
from tests.authors.helpers import account, author_of, classify, days_ago, ingest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("stats", "segment"),
    [
        (AuthorStats(negatives=2, positives=1, recent_negatives=1), "detractor"),
        (AuthorStats(negatives=1, positives=3, recent_negatives=1, followers=10**6), "influencer"),
        (
            AuthorStats(negatives=1, positives=3, recent_negatives=1, customer_mentions=1),
            "customer",
        ),
        (AuthorStats(positives=2), "advocate"),
        (AuthorStats(positives=2, negatives=1), "advocate"),  # an old complaint, since forgiven
        (AuthorStats(positives=1), "unknown"),
        (AuthorStats(positives=1, followers=10_000), "influencer"),
        (AuthorStats(positives=5, followers=10**6), "advocate"),
        (AuthorStats(customer_mentions=1), "customer"),
        (AuthorStats(crm_linked=True), "customer"),
        (AuthorStats(negatives=3), "unknown"),  # nothing recent
        (AuthorStats(), "unknown"),
    ],
)
def test_segment_rules(stats, segment):
    assert segment_for(stats) == segment


@override_settings(SCRM_AUTHOR_INFLUENCER_FOLLOWERS=500)
def test_the_influencer_threshold_is_a_setting():
    assert segment_for(AuthorStats(followers=500)) == "influencer"
    assert segment_for(AuthorStats(followers=499)) == "unknown"


class FakeClassifier:
    version = "fake-1"

    def __init__(self, category, sentiment):
        self.category, self.sentiment = category, sentiment

    def predict(self, texts, polarity=None):
        return [Prediction(self.category, 0.9, self.sentiment, 0.9, self.version) for _ in texts]


def _process(mentions, category, sentiment, capture):
    fake = FakeClassifier(category, sentiment)
    with (
        mock.patch("mentions.services.triage.active_classifier", return_value=fake),
        capture(execute=True),
    ):
        mentions_process(mention_ids=[m.pk for m in mentions])


def test_processing_praise_twice_makes_an_advocate(django_capture_on_commit_callbacks):
    who = account()
    first = ingest(who, published_at=days_ago(40))
    _process([first], "praise", "positive", django_capture_on_commit_callbacks)
    assert author_of(first).segment == "customer"  # praise is a customer's stage

    second = ingest(who, published_at=days_ago(1))
    _process([second], "praise", "positive", django_capture_on_commit_callbacks)

    author = author_of(second)
    assert author.segment == "advocate"
    assert author.segment_updated_at is not None


def test_a_recent_complaint_makes_a_detractor(django_capture_on_commit_callbacks):
    mention = ingest(account(), published_at=days_ago(1))

    _process([mention], "negative", "negative", django_capture_on_commit_callbacks)

    assert author_of(mention).segment == "detractor"


def test_a_correction_recomputes_the_segment(django_capture_on_commit_callbacks):
    mention = ingest(account(), published_at=days_ago(1))
    _process([mention], "negative", "negative", django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        mention_correct(
            # A manager: a queued mention is corrected by its team or a manager (queue_rules).
            mention=mention,
            user=UserFactory(roles=[Role.MANAGER]),
            category="support",
            sentiment="neutral",
        )

    assert author_of(mention).segment == "customer"


def test_a_big_following_makes_an_influencer(django_capture_on_commit_callbacks):
    mention = ingest(account(followers=250_000), published_at=days_ago(1))

    _process([mention], "general_request", "neutral", django_capture_on_commit_callbacks)

    assert author_of(mention).segment == "influencer"


def test_a_pinned_segment_is_never_overridden(django_capture_on_commit_callbacks):
    mention = ingest(account(), published_at=days_ago(1))
    author_update(author_id=mention.author_id, user=None, segment="advocate")

    _process([mention], "negative", "negative", django_capture_on_commit_callbacks)

    author = author_of(mention)
    assert (author.segment, author.segment_pinned) == ("advocate", True)


def test_recompute_reads_a_fixed_number_of_queries_for_many_authors(django_assert_max_num_queries):
    mentions = [ingest(account(), published_at=days_ago(1)) for _ in range(20)]
    for i, mention in enumerate(mentions):
        classify(mention, category=["praise", "negative", "support"][i % 3], sentiment="neutral")

    with django_assert_max_num_queries(8):
        changed = author_segments_recompute(author_ids=[m.author_id for m in mentions])

    assert changed == 20
    assert Author.objects.filter(segment="detractor").count() == 7
    assert Author.objects.filter(segment="customer").count() == 13
