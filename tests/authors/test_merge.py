"""POST /api/v1/authors/<id>/merge/: everything of the other author moves here, nothing is lost."""

import pytest

from authors.models import Author, AuthorIdentity, AuthorMerge, AuthorNote
from authors.services.anonymize import author_anonymize
from authors.services.merge import author_merge
from authors.services.profile import author_update
from mentions.models import Mention
from tests.authors.helpers import account, answer, at, classify, ingest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _author_with_history(*, platform: str, mentions: int, replies: int, notes: int, **who):
    person = account(**who)
    if platform != "vk":
        person = {"handle": person["handle"], **who}
    operator = UserFactory()
    created = [ingest(person, platform=platform, published_at=at(1 + i)) for i in range(mentions)]
    for i, mention in enumerate(created):
        classify(mention, category=["support", "praise"][i % 2], sentiment="positive")
    for mention in created[::2][:replies]:  # the support requests are the ones answered
        answer(mention, by=operator)
    author_id = created[0].author_id
    for i in range(notes):
        author_update(author_id=author_id, user=operator, note=f"note {i}")
    return Author.objects.get(pk=author_id)


@pytest.fixture
def pair():
    kept = _author_with_history(platform="vk", mentions=3, replies=1, notes=2, name="Анна")
    other = _author_with_history(platform="telegram", mentions=4, replies=2, notes=1)
    author_update(author_id=kept.pk, user=None, labels=["vip"])
    author_update(author_id=other.pk, user=None, labels=["press", "VIP"], crm_external_id="C-9")
    return kept, other


def test_merge_keeps_every_mention_reply_note_and_identity(operator_client, pair):
    kept, other = pair
    before = operator_client.get(f"/api/v1/authors/{kept.pk}/").json()["counts"]
    other_counts = operator_client.get(f"/api/v1/authors/{other.pk}/").json()["counts"]

    response = operator_client.post(
        f"/api/v1/authors/{kept.pk}/merge/", {"other_id": other.pk}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    counts = body["counts"]
    assert counts["mentions"] == before["mentions"] + other_counts["mentions"] == 7
    assert (
        counts["replies_received"]
        == (before["replies_received"] + other_counts["replies_received"])
        == 3
    )
    assert counts["open_mentions"] == before["open_mentions"] + other_counts["open_mentions"]
    assert counts["by_sentiment"]["positive"] == 7
    assert {c["category"]: c["count"] for c in counts["by_category"]} == {"support": 4, "praise": 3}
    assert sorted(i["platform"] for i in body["identities"]) == ["telegram", "vk"]
    assert len(body["notes"]) == 3
    assert body["labels"] == ["vip", "press"]
    assert body["crm_external_id"] == "C-9"  # the kept author had none
    assert not Author.objects.filter(pk=other.pk).exists()
    assert Mention.objects.filter(author_id=kept.pk).count() == 7
    assert AuthorIdentity.objects.filter(author_id=kept.pk).count() == 2
    assert AuthorNote.objects.filter(author_id=kept.pk).count() == 3


def test_merge_is_recorded_with_who_when_and_what(operator_client, pair):
    kept, other = pair
    other_identity = AuthorIdentity.objects.get(author=other)

    operator_client.post(f"/api/v1/authors/{kept.pk}/merge/", {"other_id": other.pk}, format="json")

    record = AuthorMerge.objects.get()
    assert record.author_id == kept.pk
    assert record.absorbed_author_id == other.pk
    assert record.merged_by == operator_client.user
    assert record.details["moved"] == {
        "authors.AuthorIdentity.author": 1,
        "authors.AuthorNote.author": 1,
        "mentions.Mention.author": 4,
    }
    assert record.details["identity_ids"] == [other_identity.pk]
    assert record.details["labels_added"] == ["press"]
    assert record.details["crm_external_id"] == "C-9"
    timeline = operator_client.get(f"/api/v1/authors/{kept.pk}/timeline/").json()["results"]
    assert [e["merge"]["absorbed_author_id"] for e in timeline if e["kind"] == "merge"] == [
        other.pk
    ]


def test_merging_a_merged_author_carries_its_merge_history(manager_client):
    first, second, third = (ingest(account()).author_id for _ in range(3))
    author_merge(author_id=second, other_id=third, user=None)

    manager_client.post(f"/api/v1/authors/{first}/merge/", {"other_id": second}, format="json")

    assert sorted(AuthorMerge.objects.values_list("author_id", "absorbed_author_id")) == [
        (first, second),
        (first, third),
    ]
    assert Mention.objects.filter(author_id=first).count() == 3


def test_the_kept_authors_crm_link_and_pinned_segment_win(pair):
    kept, other = pair
    author_update(author_id=kept.pk, user=None, crm_external_id="C-1", segment="advocate")
    author_update(author_id=other.pk, user=None, segment="detractor")

    author_merge(author_id=kept.pk, other_id=other.pk, user=None)

    kept.refresh_from_db()
    assert (kept.crm_external_id, kept.segment, kept.segment_pinned) == ("C-1", "advocate", True)
    assert AuthorMerge.objects.get().details["crm_external_id"] == "C-9"  # kept on record


def test_the_absorbed_authors_pinned_segment_fills_an_unpinned_one(pair):
    kept, other = pair
    author_update(author_id=other.pk, user=None, segment="detractor")

    author_merge(author_id=kept.pk, other_id=other.pk, user=None)

    kept.refresh_from_db()
    assert (kept.segment, kept.segment_pinned) == ("detractor", True)


def test_merge_recomputes_the_segment_after_commit(django_capture_on_commit_callbacks):
    praise_a = ingest(account(), published_at=at(1))
    praise_b = ingest(account(), published_at=at(2))
    classify(praise_a, category="praise", sentiment="positive")
    classify(praise_b, category="praise", sentiment="positive")

    with django_capture_on_commit_callbacks(execute=True):
        author_merge(author_id=praise_a.author_id, other_id=praise_b.author_id, user=None)

    assert Author.objects.get(pk=praise_a.author_id).segment == "advocate"  # two praises now


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "This field is required."),
        ({"other_id": "two"}, "A valid integer is required."),
        ({"other_id": 999999}, "No author with id 999999."),
        ({"other_id": "self"}, "An author cannot be merged with itself."),
    ],
)
def test_a_missing_unknown_or_same_id_is_a_400_naming_other_id(operator_client, body, message):
    author_id = ingest(account()).author_id
    if body.get("other_id") == "self":
        body = {"other_id": author_id}

    response = operator_client.post(f"/api/v1/authors/{author_id}/merge/", body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"other_id": [message]}
    assert Author.objects.filter(pk=author_id).exists()


def test_merging_into_an_unknown_author_is_404(operator_client):
    other = ingest(account()).author_id

    response = operator_client.post("/api/v1/authors/999999/merge/", {"other_id": other})

    assert response.status_code == 404
    assert Author.objects.filter(pk=other).exists()


def test_an_anonymized_author_cannot_be_merged(operator_client):
    kept, gone = ingest(account()).author_id, ingest(account()).author_id
    author_anonymize(author_id=gone, user=None)

    response = operator_client.post(
        f"/api/v1/authors/{kept}/merge/", {"other_id": gone}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "author_anonymized"


@pytest.mark.parametrize("role_client", ["expert_client", "integration_client"])
def test_experts_and_integrations_cannot_merge(request, role_client):
    kept, other = ingest(account()).author_id, ingest(account()).author_id

    response = request.getfixturevalue(role_client).post(
        f"/api/v1/authors/{kept}/merge/", {"other_id": other}, format="json"
    )

    assert response.status_code == 403
    assert Author.objects.filter(pk=other).exists()


def test_merge_moves_rows_of_every_app_without_authors_knowing_them():
    """Mentions move although `authors` never imports `mentions`: the merge walks the
    relations other apps declared to Author."""
    from authors.services import merge as services

    labels = {f"{m._meta.label}.{f.name}" for m, f in services._relations_to_author()}

    assert {
        "authors.AuthorIdentity.author",
        "authors.AuthorNote.author",
        "authors.AuthorMerge.author",
        "mentions.Mention.author",
    } <= labels


def test_a_row_a_uniqueness_rule_would_refuse_is_dropped_and_counted(monkeypatch):
    """Relations with a uniqueness rule on the author (none today: e.g. one label row per
    author and label) keep the kept author's row and drop the absorbed duplicate."""
    from authors.services import merge as services

    original = services._unique_field_sets

    def one_identity_per_platform(model, field):
        if model is AuthorIdentity:
            return [("author", "platform")]
        return original(model, field)

    monkeypatch.setattr(services, "_unique_field_sets", one_identity_per_platform)
    kept, other = ingest(account()), ingest(account())
    kept_identity = kept.author_identity_id

    record = author_merge(author_id=kept.author_id, other_id=other.author_id, user=None)

    assert record.details["dropped_duplicates"] == {"authors.AuthorIdentity.author": 1}
    assert list(AuthorIdentity.objects.values_list("pk", flat=True)) == [kept_identity]
    assert Mention.objects.filter(author_id=kept.author_id).count() == 2
