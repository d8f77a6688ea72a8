from datetime import UTC, datetime

import pytest

from authors.models import Author, AuthorIdentity
from mentions.models import Mention, MentionSubject
from mentions.services.ingest import mentions_ingest
from tests.factories import SourceFactory, TrackedSubjectFactory
from tests.mentions.helpers import mention_payload

pytestmark = pytest.mark.django_db


def test_ingest_creates_mention_with_all_fields():
    payload = mention_payload(
        external_id="vk-1",
        title="Пост",
        sentiment="negative",
        parent_external_id="p-1",
        discussion_id="d-1",
    )

    result = mentions_ingest(items=[payload])

    assert (result.created, result.duplicates, result.failed) == (1, 0, 0)
    mention = Mention.objects.get(pk=result.results[0].id)
    assert mention.source.key == "api"
    assert mention.external_id == "vk-1"
    assert mention.platform == "vk"
    assert mention.source_type == "social"
    assert mention.title == "Пост"
    assert mention.published_at == datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
    assert (mention.likes, mention.comments, mention.reposts, mention.views, mention.reach) == (
        3,
        1,
        0,
        50,
        120,
    )
    assert mention.source_sentiment == "negative"
    assert (mention.parent_external_id, mention.discussion_id) == ("p-1", "d-1")
    assert mention.raw == payload


def test_news_platform_defaults_to_media_source_type():
    result = mentions_ingest(items=[mention_payload(platform="news")])

    assert Mention.objects.get(pk=result.results[0].id).source_type == "media"


def test_duplicate_updates_engagement_and_creates_nothing():
    payload = mention_payload(external_id="dup-1")
    first = mentions_ingest(items=[payload])

    again = mentions_ingest(
        items=[{**payload, "text": "changed", "engagement": {"likes": 40, "comments": 7}}]
    )

    assert (again.created, again.duplicates) == (0, 1)
    assert again.results[0].id == first.results[0].id
    mention = Mention.objects.get()
    assert (mention.likes, mention.comments) == (40, 7)
    assert mention.text == payload["text"]


def test_replaying_a_batch_creates_nothing():
    batch = [mention_payload() for _ in range(20)]
    mentions_ingest(items=batch)

    replay = mentions_ingest(items=batch)

    assert (replay.created, replay.duplicates, replay.failed) == (0, 20, 0)
    assert Mention.objects.count() == 20
    assert Author.objects.count() == 20


def test_same_external_id_twice_in_one_batch_is_stored_once_first_copy_with_newest_counters():
    # Issue 15: the first copy is the one stored, as across batches; the later copy only brings
    # its (higher) counters.
    first = mention_payload(external_id="twice", engagement={"likes": 1})
    second = {**first, "text": "second copy", "engagement": {"likes": 9}}

    result = mentions_ingest(items=[first, second])

    assert [r.status for r in result.results] == ["created", "duplicate"]
    assert result.results[0].id == result.results[1].id
    mention = Mention.objects.get()
    assert (mention.text, mention.likes) == (first["text"], 9)


def test_same_external_id_in_two_sources_is_two_mentions():
    SourceFactory(key="youscan-topic")
    payload = mention_payload(external_id="same")

    result = mentions_ingest(items=[payload, {**payload, "source": "youscan-topic"}])

    assert result.created == 2


def test_batch_of_1000_with_10_bad_items_stores_990():
    items = [mention_payload() for _ in range(1000)]
    for index in range(0, 1000, 100):
        items[index] = {**items[index], "published_at": "not a date"}

    result = mentions_ingest(items=items)

    assert (result.created, result.failed) == (990, 10)
    assert Mention.objects.count() == 990
    failed = [r for r in result.results if r.status == "failed"]
    assert [r.index for r in failed] == list(range(0, 1000, 100))
    assert all(list(r.errors) == ["published_at"] for r in failed)


def test_invalid_items_fail_alone_with_per_field_errors():
    items = [
        mention_payload(external_id=""),
        "not an object",
        mention_payload(engagement={"likes": -1}),
        mention_payload(author={"profile_url": "ftp://x"}),
        mention_payload(source="no-such-source"),
        mention_payload(),
    ]

    result = mentions_ingest(items=items)

    assert [r.status for r in result.results] == ["failed"] * 5 + ["created"]
    assert list(result.results[0].errors) == ["external_id"]
    assert list(result.results[1].errors) == ["non_field_errors"]
    assert list(result.results[2].errors) == ["engagement.likes"]
    assert list(result.results[3].errors) == ["author.profile_url"]
    assert result.results[4].errors == {"source": ["Unknown or inactive source 'no-such-source'."]}


def test_inactive_source_refuses_items():
    SourceFactory(key="old", active=False)

    result = mentions_ingest(items=[mention_payload(source="old")])

    assert result.failed == 1


def test_naive_published_at_is_utc_and_three_letter_language_is_normalised():
    result = mentions_ingest(
        items=[mention_payload(published_at="2026-11-20T10:00:00", language="rus")]
    )

    mention = Mention.objects.get(pk=result.results[0].id)
    assert mention.published_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert mention.language == "ru"


def test_same_account_on_same_platform_is_one_author():
    author = {"external_id": "42", "handle": "ivan", "name": "Иван", "followers": 10}
    mentions_ingest(items=[mention_payload(author=author)])

    mentions_ingest(items=[mention_payload(author={**author, "followers": 5000, "name": ""})])

    identity = AuthorIdentity.objects.get()
    assert Author.objects.count() == 1
    assert Mention.objects.filter(author=identity.author).count() == 2
    assert identity.followers == 5000
    assert identity.display_name == "Иван"  # a blank name never erases a known one


def test_same_handle_on_two_platforms_is_two_authors():
    author = {"handle": "ivan"}

    mentions_ingest(
        items=[mention_payload(author=author), mention_payload(author=author, platform="twitter")]
    )

    assert Author.objects.count() == 2


def test_mention_without_identifying_author_data_has_no_author():
    result = mentions_ingest(items=[mention_payload(author={"name": "Дмитрий В."})])

    mention = Mention.objects.get(pk=result.results[0].id)
    assert mention.author is None
    assert AuthorIdentity.objects.count() == 0


def test_subjects_are_matched_in_inflected_forms_hashtags_and_handles():
    TrackedSubjectFactory(key="sber", name="Сбербанк", aliases=["@sberbank"], is_own=False)
    TrackedSubjectFactory(key="beeline", name="Билайн", aliases=["Beeline"], is_own=True)
    TrackedSubjectFactory(key="mts", name="МТС", is_own=False)

    result = mentions_ingest(
        items=[
            mention_payload(text="Перевёл деньги из Сбербанка, а Билайну всё равно"),
            mention_payload(text="#МТСом не пользуюсь, @sberbank ответьте"),
            mention_payload(text="ничего про бренды"),
        ]
    )

    first, second, third = (Mention.objects.get(pk=r.id) for r in result.results)
    assert first.main_subject.key == "beeline"  # our own subject is the main one
    assert sorted(first.subjects.values_list("key", flat=True)) == ["beeline", "sber"]
    assert sorted(second.subjects.values_list("key", flat=True)) == ["mts", "sber"]
    assert third.main_subject is None
    assert MentionSubject.objects.filter(mention=first, is_main=True).get().subject.key == "beeline"


def test_subject_hints_from_the_tool_are_kept_and_unknown_keys_ignored():
    TrackedSubjectFactory(key="acme", name="Acme")

    result = mentions_ingest(items=[mention_payload(text="no names", subjects=["acme", "nope"])])

    assert list(
        Mention.objects.get(pk=result.results[0].id).subjects.values_list("key", flat=True)
    ) == ["acme"]


def test_inactive_subjects_are_not_matched():
    TrackedSubjectFactory(key="old", name="Старый Бренд", active=False)

    result = mentions_ingest(items=[mention_payload(text="Старый Бренд вернулся")])

    assert Mention.objects.get(pk=result.results[0].id).main_subject is None


def test_processing_is_enqueued_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = mentions_ingest(items=[mention_payload()])

    mention = Mention.objects.get(pk=result.results[0].id)
    assert mention.status == "new"
    assert mention.processing_enqueued_at is not None
    # The processing hand-over, after the outbox's (mention.created, author.created).
    assert len(callbacks) == 3

    callbacks[-1]()  # eager Celery: the task runs now

    mention.refresh_from_db()
    assert mention.status == ("queued" if mention.category.needs_response else "processed")
    assert mention.processed_at is not None


def test_duplicates_enqueue_nothing(django_capture_on_commit_callbacks):
    payload = mention_payload()
    mentions_ingest(items=[payload])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mentions_ingest(items=[payload])

    assert callbacks == []
