"""Issue 15: data kept as reported, and one bad item fails alone without poisoning the store."""

import copy
import json
import unicodedata
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from authors.models import AuthorIdentity
from mentions.models import Mention, Source, Team
from mentions.services.ingest import mentions_ingest
from tests.factories import SourceFactory
from tests.mentions.helpers import mention_payload

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
WEBHOOK_COMMENT = json.loads((FIXTURES / "youscan" / "webhook_comment.json").read_text())
TOO_BIG = 2**63
_COUNTERS = ("likes", "comments", "reposts", "views", "reach")


def _counters(mention: Mention) -> tuple[int, ...]:
    return tuple(getattr(mention, name) for name in _COUNTERS)


def _bulk(client, items):
    return client.post("/api/v1/mentions/bulk/", {"mentions": items}, format="json")


def _push(client, source, body):
    return client.post(
        f"/api/v1/sources/{source.key}/push/",
        data=json.dumps(body, ensure_ascii=False).encode(),
        content_type="application/json",
        HTTP_X_SCRM_SECRET=source.secret,
    )


def _nested(depth: int):
    value: object = "leaf"
    for _ in range(depth):
        value = {"k": value}
    return value


# --- Duplicates within one bulk ----------------------------------------------------------------


def test_the_same_mention_twice_in_one_bulk_keeps_the_first_copy(integration_client):
    first = mention_payload(
        external_id="dd-1", platform="vk", text="Ладога, верните деньги за роуминг…"
    )
    second = {"external_id": "dd-1", "text": "second copy", "published_at": "2026-11-20T10:00Z"}

    body = _bulk(integration_client, [first, second]).json()

    mention = Mention.objects.get(external_id="dd-1")
    assert body["results"] == [
        {"index": 0, "status": "created", "id": mention.pk, "errors": None},
        {"index": 1, "status": "duplicate", "id": mention.pk, "errors": None},
    ]
    assert (mention.text, mention.platform) == ("Ладога, верните деньги за роуминг…", "vk")
    assert mention.author_identity.external_id == first["author"]["external_id"]


def test_later_copies_in_one_bulk_bring_only_their_higher_counters(integration_client):
    first = mention_payload(external_id="dd-2", engagement={"likes": 5, "views": 100})
    second = {**first, "text": "other", "engagement": {"likes": 7, "views": 90}}

    _bulk(integration_client, [first, second])

    mention = Mention.objects.get(external_id="dd-2")
    assert (mention.text, mention.likes, mention.views) == (first["text"], 7, 100)


# --- Counters ----------------------------------------------------------------------------------


def test_resending_a_mention_keeps_the_counters_the_report_leaves_out():
    payload = mention_payload(
        engagement={"likes": 3, "comments": 1, "reposts": 2, "views": 120, "reach": 311}
    )
    mentions_ingest(items=[payload])

    mentions_ingest(items=[{**payload, "engagement": {"likes": 12}}])

    assert _counters(Mention.objects.get()) == (12, 1, 2, 120, 311)


def test_resending_a_mention_without_engagement_keeps_every_counter():
    payload = mention_payload(
        engagement={"likes": 3, "comments": 1, "reposts": 2, "views": 120, "reach": 311}
    )
    mentions_ingest(items=[payload])
    resent = dict(payload)
    del resent["engagement"]

    mentions_ingest(items=[resent])

    assert _counters(Mention.objects.get()) == (3, 1, 2, 120, 311)


def test_an_older_report_never_lowers_a_counter():
    payload = mention_payload(engagement={"likes": 500, "views": 900})
    mentions_ingest(items=[payload])

    result = mentions_ingest(items=[{**payload, "engagement": {"likes": 100, "views": 950}}])

    assert result.results[0].status == "duplicate"
    mention = Mention.objects.get()
    assert (mention.likes, mention.views) == (500, 950)


def test_a_replayed_older_youscan_push_does_not_roll_likes_back(anon_client):
    source = SourceFactory(key="youscan-replay", kind=Source.Kind.YOUSCAN)
    newer = {**WEBHOOK_COMMENT, "likes": 500}
    older = {**WEBHOOK_COMMENT, "likes": 100}

    _push(anon_client, source, older)
    _push(anon_client, source, newer)
    response = _push(anon_client, source, older)

    assert response.json()["duplicates"] == 1
    assert Mention.objects.get().likes == 500


# --- Values the database cannot store ------------------------------------------------------------

UNSTORABLE = [
    ({"published_at": "9999-12-31T23:59:59-05:00"}, "published_at"),
    ({"published_at": "0001-01-01T00:00:00+05:00"}, "published_at"),
    ({"collected_at": "9999-12-31T23:59:59-05:00"}, "collected_at"),
    ({"text": "a\u0000b"}, "text"),
    ({"title": "a\u0000b"}, "title"),
    ({"external_id": "a\u0000b"}, "external_id"),
    ({"url": "https://vk.com/\u0000"}, "url"),
    ({"language": "r\u0000"}, "language"),
    ({"parent_external_id": "\u0000"}, "parent_external_id"),
    ({"discussion_id": "\u0000"}, "discussion_id"),
    ({"source": "api\u0000"}, "source"),
    ({"subjects": ["a\u0000"]}, "subjects.0"),
    ({"author": {"handle": "x\u0000"}}, "author.handle"),
    ({"author": {"name": "x\u0000", "handle": "y"}}, "author.name"),
    ({"author": {"external_id": "\u0000"}}, "author.external_id"),
    ({"author": {"profile_url": "https://vk.com/\u0000"}}, "author.profile_url"),
    ({"extra": {"city": "Тверь\u0000"}}, "extra.city"),
    ({"extra": {"ci\u0000ty": "Тверь"}}, "extra.ci\\u0000ty"),
    ({"extra": {"tags": ["ok", "x\u0000"]}}, "extra.tags.1"),
    ({"extra": _nested(300)}, None),
    ({"engagement": {"likes": TOO_BIG}}, "engagement.likes"),
    ({"engagement": {"reach": 2**64 - 1}}, "engagement.reach"),
    ({"engagement": {"likes": True}}, "engagement.likes"),
    ({"author": {"handle": "big", "followers": TOO_BIG}}, "author.followers"),
    ({"language": "zzzz"}, "language"),
    ({"published_at": "2099-01-01T00:00:00Z"}, "published_at"),
]


@pytest.mark.parametrize(("change", "field"), UNSTORABLE)
def test_an_unstorable_item_fails_alone_and_leaves_nothing_behind(
    integration_client, change, field
):
    bad = mention_payload(external_id="bad", author={"external_id": "new-person", "handle": "np"})
    for key, value in change.items():
        if key == "author":
            bad["author"] = {"external_id": "new-person", **value}
        else:
            bad[key] = value
    good = mention_payload(external_id="good")

    response = _bulk(integration_client, [bad, good])

    assert response.status_code == 200, response.content
    body = response.json()
    assert [r["status"] for r in body["results"]] == ["failed", "created"]
    errors = body["results"][0]["errors"]
    if field is not None:
        assert list(errors) == [field]
    else:
        assert next(iter(errors)).startswith("extra.k.k")
    assert list(Mention.objects.values_list("external_id", flat=True)) == ["good"]
    assert not AuthorIdentity.objects.filter(key__contains="new-person").exists()
    assert integration_client.get("/api/v1/mentions/").status_code == 200


@pytest.mark.parametrize(("change", "field"), UNSTORABLE[:6])
def test_an_unstorable_single_mention_is_a_400_naming_the_field(integration_client, change, field):
    response = integration_client.post(
        "/api/v1/mentions/", {**mention_payload(), **change}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert not Mention.objects.exists()


def test_an_integer_past_64_bits_in_a_raw_payload_fails_that_item():
    # Over HTTP orjson reads such a number as a float; a file import's json module does not.
    bad = mention_payload(external_id="bad", extra={"n": 2**64})

    result = mentions_ingest(items=[bad, mention_payload(external_id="good")])

    assert result.results[0].errors == {"extra.n": ["A number too large to store."]}
    assert list(Mention.objects.values_list("external_id", flat=True)) == ["good"]


def test_a_raw_payload_nested_too_deeply_fails_alone_in_a_push(anon_client):
    source = SourceFactory(key="youscan-deep", kind=Source.Kind.YOUSCAN)
    deep = {**WEBHOOK_COMMENT, "mentionId": 1, "vendorStuff": _nested(400)}
    fine = {**WEBHOOK_COMMENT, "mentionId": 2}

    body = _push(anon_client, source, [deep, fine]).json()

    assert [r["status"] for r in body["results"]] == ["failed", "created"]
    assert next(iter(body["results"][0]["errors"])).startswith("vendorStuff.k")
    assert body["results"][0]["errors"].popitem()[1] == ["Nested more than 254 levels deep."]


def test_a_nul_anywhere_in_a_pushed_vendor_record_fails_that_record(anon_client):
    source = SourceFactory(key="youscan-nul", kind=Source.Kind.YOUSCAN)
    bad = copy.deepcopy(WEBHOOK_COMMENT)
    bad["mentionId"] = 1
    bad["author"]["avatarUrl"] = "https://x\u0000"  # a field the adapter does not even read
    fine = {**WEBHOOK_COMMENT, "mentionId": 2}

    body = _push(anon_client, source, [bad, fine]).json()

    assert body["results"][0]["errors"] == {
        "author.avatarUrl": ["Contains a NUL character, an unpaired surrogate or a non-string key."]
    }
    assert list(Mention.objects.values_list("external_id", flat=True)) == ["2"]


def test_youscan_counters_past_64_bits_fail_that_record_naming_the_counter(anon_client):
    source = SourceFactory(key="youscan-big", kind=Source.Kind.YOUSCAN)
    bad = {**WEBHOOK_COMMENT, "mentionId": 1, "likes": TOO_BIG}
    fine = {**WEBHOOK_COMMENT, "mentionId": 2}

    body = _push(anon_client, source, [bad, fine]).json()

    assert [r["status"] for r in body["results"]] == ["failed", "created"]
    assert list(body["results"][0]["errors"]) == ["engagement.likes"]


def test_a_publication_up_to_a_day_ahead_is_accepted(integration_client):
    from datetime import UTC, datetime, timedelta

    soon = (datetime.now(UTC) + timedelta(hours=20)).isoformat()

    response = integration_client.post(
        "/api/v1/mentions/", mention_payload(published_at=soon), format="json"
    )

    assert response.status_code == 201


def test_an_extreme_but_representable_collection_time_is_stored_and_listed(integration_client):
    response = integration_client.post(
        "/api/v1/mentions/",
        mention_payload(collected_at="9999-12-31T23:59:59+00:00"),
        format="json",
    )

    assert response.status_code == 201
    assert len(integration_client.get("/api/v1/mentions/").json()["results"]) == 1


# --- Unicode normalisation ---------------------------------------------------------------------


def test_nfc_and_nfd_forms_of_one_external_id_are_one_mention():
    nfc = unicodedata.normalize("NFC", "пост-й")
    nfd = unicodedata.normalize("NFD", "пост-й")
    assert nfc != nfd

    result = mentions_ingest(
        items=[mention_payload(external_id=nfc), mention_payload(external_id=nfd)]
    )

    assert [r.status for r in result.results] == ["created", "duplicate"]
    assert Mention.objects.get().external_id == nfc


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_q_finds_text_sent_in_either_normalisation_form(operator_client, form):
    mentions_ingest(items=[mention_payload(text=unicodedata.normalize("NFD", "Сайт Ладоги, ёлки"))])

    response = operator_client.get("/api/v1/mentions/", {"q": unicodedata.normalize(form, "ёлки")})

    assert len(response.json()["results"]) == 1


# --- Request shapes ----------------------------------------------------------------------------


def test_a_form_encoded_single_mention_is_refused_and_not_stored(integration_client):
    flat = {"external_id": "f-1", "text": "hi", "published_at": "2026-11-20T10:00:00Z"}

    response = integration_client.post("/api/v1/mentions/", flat)

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert not Mention.objects.exists()


def test_a_multipart_single_mention_with_a_file_part_is_refused(integration_client):
    response = integration_client.post(
        "/api/v1/mentions/",
        {"external_id": "m-1", "file": SimpleUploadedFile("a.txt", b"hello")},
        format="multipart",
    )

    assert response.status_code == 415
    assert not Mention.objects.exists()


def test_a_form_encoded_bulk_is_refused(integration_client):
    response = integration_client.post(
        "/api/v1/mentions/bulk/", "mentions=1", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415


def test_a_form_encoded_push_is_refused(anon_client):
    source = SourceFactory(key="generic-form", kind=Source.Kind.GENERIC)

    response = anon_client.post(
        f"/api/v1/sources/{source.key}/push/",
        "external_id=1",
        content_type="application/x-www-form-urlencoded",
        HTTP_X_SCRM_SECRET=source.secret,
    )

    assert response.status_code == 415
    assert not Mention.objects.exists()


@pytest.mark.parametrize("path", ["/api/v1/authors/", "/api/v1/queue/", "/api/v1/mentions/"])
def test_a_cursor_whose_position_is_not_a_value_is_refused_not_a_500(operator_client, path):
    mentions_ingest(items=[mention_payload()])

    response = operator_client.get(path, {"cursor": "cD1hYmM="})

    # Issue 15 item 13: a bad cursor is a 400 naming the parameter, on every list.
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["cursor"]


@pytest.mark.parametrize("offset", ["+16:00", "+23:59", "-18:30"])
def test_a_date_filter_with_a_large_utc_offset_is_converted(operator_client, offset):
    mentions_ingest(items=[mention_payload(published_at="2026-11-20T10:00:00+03:00")])

    after = operator_client.get(
        "/api/v1/mentions/", {"published_after": f"2026-11-20T00:00{offset}"}
    )

    assert after.status_code == 200
    expected = 1 if offset.startswith("+") else 0
    assert len(after.json()["results"]) == expected


def test_a_date_filter_out_of_range_in_utc_is_a_400(operator_client):
    response = operator_client.get(
        "/api/v1/mentions/", {"published_before": "0001-01-01T00:00:00+05:00"}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["published_before"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/api/v1/categories/",
            {"key": "c1", "name_ru": "К", "default_team": "a\u0000"},
            "default_team",
        ),
        ("/api/v1/teams/", {"key": "t1", "name": "T", "members": ["a\u0000"]}, "members"),
        ("/api/v1/routing-rules/", {"order": 1, "team": "a\u0000"}, "team"),
    ],
)
def test_a_nul_in_a_related_key_is_a_400(manager_client, path, body, field):
    response = manager_client.post(path, body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"] or any(
        k.startswith(field) for k in response.json()["errors"]
    )
    assert not Team.objects.filter(key="t1").exists()
