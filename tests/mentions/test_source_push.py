"""`POST /api/v1/sources/<key>/push/`: monitoring tools push their own format."""

import base64
import copy
import hashlib
import hmac
import json
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from mentions.models import Mention, PushReceipt, Source
from mentions.services.push import push_receipt_record
from tests.factories import SourceFactory
from tests.mentions.helpers import mention_payload

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
WEBHOOK_COMMENT = json.loads((FIXTURES / "youscan" / "webhook_comment.json").read_text())
WEBHOOK_TWITTER = json.loads((FIXTURES / "youscan" / "webhook_twitter.json").read_text())


def _url(source: Source) -> str:
    return f"/api/v1/sources/{source.key}/push/"


def _basic(password: str, user: str = "youscan") -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _push(client, source, body, **headers):
    raw = json.dumps(body, ensure_ascii=False).encode()
    return client.post(_url(source), data=raw, content_type="application/json", **headers)


@pytest.fixture
def youscan_source():
    return SourceFactory(key="youscan-polyn", kind=Source.Kind.YOUSCAN)


def test_youscan_webhook_with_basic_auth_creates_the_mention(anon_client, youscan_source):
    response = _push(
        anon_client,
        youscan_source,
        WEBHOOK_COMMENT,
        HTTP_AUTHORIZATION=_basic(youscan_source.secret),
    )

    assert response.status_code == 200
    assert response.json() == {
        "created": 1,
        "duplicates": 0,
        "failed": 0,
        "results": [
            {
                "index": 0,
                "status": "created",
                "id": Mention.objects.get().pk,
                "errors": None,
            }
        ],
    }
    mention = Mention.objects.get()
    assert (mention.source, mention.external_id, mention.platform) == (
        youscan_source,
        "512300977",
        "vk",
    )
    assert (mention.likes, mention.comments, mention.reach) == (4, 1, 402)
    assert mention.author_identity.external_id == "219044516"


def test_any_basic_auth_user_name_is_accepted(anon_client, youscan_source):
    response = _push(
        anon_client,
        youscan_source,
        WEBHOOK_COMMENT,
        HTTP_AUTHORIZATION=_basic(youscan_source.secret, user="whoever"),
    )

    assert response.status_code == 200


def test_push_with_the_secret_header_is_accepted(anon_client, youscan_source):
    response = _push(
        anon_client, youscan_source, WEBHOOK_TWITTER, HTTP_X_SCRM_SECRET=youscan_source.secret
    )

    assert response.status_code == 200
    mention = Mention.objects.get()
    assert (mention.text, mention.url) == ("", "https://x.com/i/web/status/1901987654321098765")


def _signed_headers(secret: str, raw: bytes, *, timestamp=None, message_id=None) -> dict:
    timestamp = int(time.time()) if timestamp is None else timestamp
    prefix = f"{timestamp}." if message_id is None else f"{message_id}.{timestamp}."
    signature = hmac.new(secret.encode(), prefix.encode() + raw, hashlib.sha256).hexdigest()
    headers = {
        "HTTP_X_SCRM_TIMESTAMP": str(timestamp),
        "HTTP_X_SCRM_SIGNATURE": f"sha256={signature}",
    }
    if message_id is not None:
        headers["HTTP_X_SCRM_ID"] = message_id
    return headers


def _raw(body) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def _post_raw(client, source, raw: bytes, **headers):
    return client.post(_url(source), data=raw, content_type="application/json", **headers)


def test_push_signed_with_a_timestamp_and_the_body_is_accepted(anon_client, youscan_source):
    raw = _raw(WEBHOOK_COMMENT)

    response = _post_raw(
        anon_client, youscan_source, raw, **_signed_headers(youscan_source.secret, raw)
    )

    assert response.status_code == 200
    assert Mention.objects.count() == 1


def test_push_signed_with_an_id_a_timestamp_and_the_body_is_accepted(anon_client, youscan_source):
    raw = _raw(WEBHOOK_COMMENT)
    headers = _signed_headers(youscan_source.secret, raw, message_id="msg_2Lq7")

    response = _post_raw(anon_client, youscan_source, raw, **headers)

    assert response.status_code == 200
    assert Mention.objects.count() == 1


def test_the_message_id_is_part_of_what_is_signed(anon_client, youscan_source):
    raw = _raw(WEBHOOK_COMMENT)
    headers = _signed_headers(youscan_source.secret, raw, message_id="msg_2Lq7")
    headers["HTTP_X_SCRM_ID"] = "msg_other"

    response = _post_raw(anon_client, youscan_source, raw, **headers)

    assert response.status_code == 401
    assert Mention.objects.count() == 0


def test_a_replayed_signed_push_is_refused_and_changes_nothing(anon_client, youscan_source):
    raw = _raw(WEBHOOK_COMMENT)
    headers = _signed_headers(youscan_source.secret, raw)
    first = _post_raw(anon_client, youscan_source, raw, **headers)

    replays = [_post_raw(anon_client, youscan_source, raw, **headers) for _ in range(2)]

    assert first.status_code == 200
    assert [r.status_code for r in replays] == [409, 409]
    assert replays[0].json() == {
        "code": "push_replayed",
        "detail": (
            "This signed push was already received; sign every delivery, retries included, "
            "with a fresh timestamp."
        ),
    }
    assert PushReceipt.objects.filter(source=youscan_source).count() == 1


def test_an_older_signed_body_replayed_does_not_roll_counters_back(anon_client, youscan_source):
    old_raw = _raw({**WEBHOOK_COMMENT, "likes": 100})
    old_headers = _signed_headers(youscan_source.secret, old_raw, timestamp=int(time.time()) - 60)
    _post_raw(anon_client, youscan_source, old_raw, **old_headers)
    new_raw = _raw({**WEBHOOK_COMMENT, "likes": 500})
    _post_raw(
        anon_client, youscan_source, new_raw, **_signed_headers(youscan_source.secret, new_raw)
    )

    replay = _post_raw(anon_client, youscan_source, old_raw, **old_headers)

    assert replay.status_code == 409
    assert Mention.objects.get().likes == 500


def test_a_retry_signed_with_a_fresh_timestamp_is_a_duplicate(anon_client, youscan_source):
    raw = _raw(WEBHOOK_COMMENT)
    now = int(time.time())
    _post_raw(
        anon_client,
        youscan_source,
        raw,
        **_signed_headers(youscan_source.secret, raw, timestamp=now - 5, message_id="m1"),
    )

    retry = _post_raw(
        anon_client,
        youscan_source,
        raw,
        **_signed_headers(youscan_source.secret, raw, timestamp=now, message_id="m1"),
    )

    assert retry.status_code == 200
    assert (retry.json()["created"], retry.json()["duplicates"]) == (0, 1)


@pytest.mark.parametrize("offset", [-301, 301])
def test_a_signed_push_outside_the_window_is_refused(anon_client, youscan_source, offset):
    raw = _raw(WEBHOOK_COMMENT)
    headers = _signed_headers(youscan_source.secret, raw, timestamp=int(time.time()) + offset)

    response = _post_raw(anon_client, youscan_source, raw, **headers)

    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "detail": "X-Scrm-Timestamp is more than 300 seconds from the server's clock.",
    }
    assert Mention.objects.count() == 0


@override_settings(SCRM_PUSH_TOLERANCE_SECONDS=30)
def test_the_window_is_a_setting(anon_client, youscan_source):
    raw = _raw(WEBHOOK_COMMENT)
    headers = _signed_headers(youscan_source.secret, raw, timestamp=int(time.time()) - 60)

    response = _post_raw(anon_client, youscan_source, raw, **headers)

    assert response.status_code == 401


@pytest.mark.parametrize("timestamp", ["", "soon", "1.7e9", "-5", "١٧٠٠٠٠٠٠٠٠"])
def test_a_timestamp_that_is_not_unix_seconds_is_refused(anon_client, youscan_source, timestamp):
    raw = _raw(WEBHOOK_COMMENT)
    headers = _signed_headers(youscan_source.secret, raw)
    headers["HTTP_X_SCRM_TIMESTAMP"] = timestamp

    response = _post_raw(anon_client, youscan_source, raw, **headers)

    assert response.status_code == 401
    assert response.json()["detail"] == "X-Scrm-Timestamp must be Unix time in seconds."


def test_a_signature_over_another_timestamp_is_refused(anon_client, youscan_source):
    raw = _raw(WEBHOOK_COMMENT)
    headers = _signed_headers(youscan_source.secret, raw, timestamp=int(time.time()) - 10)
    headers["HTTP_X_SCRM_TIMESTAMP"] = str(int(time.time()))

    response = _post_raw(anon_client, youscan_source, raw, **headers)

    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid source or secret."


def _body_only_signature(secret: str, raw: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def test_a_signature_of_the_body_alone_is_refused_by_default(anon_client, youscan_source):
    raw = _raw(WEBHOOK_COMMENT)

    response = _post_raw(
        anon_client,
        youscan_source,
        raw,
        HTTP_X_SCRM_SIGNATURE=_body_only_signature(youscan_source.secret, raw),
    )

    assert response.status_code == 401
    assert response.json()["detail"] == (
        "Sign the push with a timestamp: X-Scrm-Timestamp and X-Scrm-Signature over "
        "'<timestamp>.<body>'."
    )
    assert Mention.objects.count() == 0


@override_settings(SCRM_PUSH_ACCEPT_BODY_SIGNATURE=True)
def test_a_signature_of_the_body_alone_is_accepted_while_migrating(anon_client, youscan_source):
    raw = _raw(WEBHOOK_COMMENT)

    response = _post_raw(
        anon_client,
        youscan_source,
        raw,
        HTTP_X_SCRM_SIGNATURE=_body_only_signature(youscan_source.secret, raw),
    )

    assert response.status_code == 200
    assert Mention.objects.count() == 1


@override_settings(SCRM_PUSH_ACCEPT_BODY_SIGNATURE=True)
def test_push_signed_over_another_body_is_refused(anon_client, youscan_source):
    signature = hmac.new(youscan_source.secret.encode(), b"{}", hashlib.sha256).hexdigest()

    response = _push(
        anon_client, youscan_source, WEBHOOK_COMMENT, HTTP_X_SCRM_SIGNATURE=f"sha256={signature}"
    )

    assert response.status_code == 401


def test_receipts_that_left_the_window_are_forgotten(youscan_source):
    long_ago = timezone.now() - timedelta(hours=1)
    PushReceipt.objects.create(source=youscan_source, signature="a" * 64, signed_at=long_ago)

    push_receipt_record(
        source=youscan_source,
        signature="b" * 64,
        signed_at=timezone.now(),
        tolerance=timedelta(seconds=300),
    )

    assert list(PushReceipt.objects.values_list("signature", flat=True)) == ["b" * 64]


def _rates(**rates):
    merged = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates}
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": merged}
    )


def test_each_source_has_its_own_push_bucket(anon_client, youscan_source):
    other = SourceFactory(key="youscan-other", kind=Source.Kind.YOUSCAN)
    with _rates(source_push="2/min"):
        flood = [
            _push(
                anon_client,
                youscan_source,
                WEBHOOK_COMMENT,
                HTTP_X_SCRM_SECRET=youscan_source.secret,
            )
            for _ in range(3)
        ]
        calm = _push(anon_client, other, WEBHOOK_COMMENT, HTTP_X_SCRM_SECRET=other.secret)

    assert [r.status_code for r in flood] == [200, 200, 429]
    assert flood[2].json()["code"] == "throttled"
    assert calm.status_code == 200


def test_a_throttled_signed_push_can_be_delivered_again_later(anon_client, youscan_source):
    raw = _raw(WEBHOOK_COMMENT)
    headers = _signed_headers(youscan_source.secret, raw)
    with _rates(source_push="1/min"):
        _push(
            anon_client, youscan_source, WEBHOOK_TWITTER, HTTP_X_SCRM_SECRET=youscan_source.secret
        )
        throttled = _post_raw(anon_client, youscan_source, raw, **headers)
    cache.clear()  # the minute has passed

    again = _post_raw(anon_client, youscan_source, raw, **headers)

    assert (throttled.status_code, again.status_code) == (429, 200)


def test_wrong_secret_guesses_are_throttled_even_when_a_guess_is_right(anon_client, youscan_source):
    with _rates(source_push_auth_failure="3/min"):
        guesses = [
            _push(anon_client, youscan_source, WEBHOOK_COMMENT, HTTP_X_SCRM_SECRET=f"guess-{i}")
            for i in range(3)
        ]
        right = _push(
            anon_client, youscan_source, WEBHOOK_COMMENT, HTTP_X_SCRM_SECRET=youscan_source.secret
        )

    assert [r.status_code for r in guesses] == [401, 401, 401]
    assert right.status_code == 429
    assert right.json()["code"] == "throttled"
    assert Mention.objects.count() == 0


def test_failed_authentication_counts_per_source(anon_client, youscan_source):
    other = SourceFactory(key="youscan-other", kind=Source.Kind.YOUSCAN)
    with _rates(source_push_auth_failure="2/min"):
        for i in range(3):
            _push(anon_client, youscan_source, WEBHOOK_COMMENT, HTTP_X_SCRM_SECRET=f"guess-{i}")
        response = _push(anon_client, other, WEBHOOK_COMMENT, HTTP_X_SCRM_SECRET=other.secret)

    assert response.status_code == 200


def test_failed_authentication_counts_per_client_address(anon_client, youscan_source):
    with _rates(source_push_auth_failure="2/min"):
        for i in range(3):
            _push(
                anon_client,
                youscan_source,
                WEBHOOK_COMMENT,
                HTTP_X_SCRM_SECRET=f"guess-{i}",
                REMOTE_ADDR="203.0.113.9",
            )
        response = _push(
            anon_client, youscan_source, WEBHOOK_COMMENT, HTTP_X_SCRM_SECRET=youscan_source.secret
        )

    assert response.status_code == 200


def test_accepted_pushes_do_not_count_as_failures(anon_client, youscan_source):
    with _rates(source_push_auth_failure="1/min"):
        responses = [
            _push(
                anon_client,
                youscan_source,
                WEBHOOK_COMMENT,
                HTTP_X_SCRM_SECRET=youscan_source.secret,
            )
            for _ in range(3)
        ]

    assert [r.status_code for r in responses] == [200, 200, 200]


def test_push_without_credentials_is_refused(anon_client, youscan_source):
    response = _push(anon_client, youscan_source, WEBHOOK_COMMENT)

    assert response.status_code == 401
    assert Mention.objects.count() == 0


def test_push_with_a_wrong_password_is_refused(anon_client, youscan_source):
    response = _push(
        anon_client, youscan_source, WEBHOOK_COMMENT, HTTP_AUTHORIZATION=_basic("guess")
    )

    assert response.status_code == 401
    assert Mention.objects.count() == 0


def test_push_with_another_sources_secret_is_refused(anon_client, youscan_source):
    other = SourceFactory(key="other", kind=Source.Kind.YOUSCAN)

    response = _push(
        anon_client, youscan_source, WEBHOOK_COMMENT, HTTP_AUTHORIZATION=_basic(other.secret)
    )

    assert response.status_code == 401
    assert Mention.objects.count() == 0


def test_push_into_a_csv_source_is_not_supported(anon_client):
    source = SourceFactory(key="ru-tool", kind=Source.Kind.CSV)

    response = _push(anon_client, source, WEBHOOK_COMMENT, HTTP_X_SCRM_SECRET=source.secret)

    assert response.status_code == 400
    assert response.json()["code"] == "push_not_supported"


def test_generic_source_accepts_a_list_in_the_generic_schema(anon_client):
    source = SourceFactory(key="own-bot", kind=Source.Kind.GENERIC)
    items = [mention_payload(external_id="g-1"), mention_payload(external_id="g-2")]

    response = _push(anon_client, source, items, HTTP_X_SCRM_SECRET=source.secret)

    assert response.status_code == 200
    assert (response.json()["created"], response.json()["failed"]) == (2, 0)
    assert sorted(Mention.objects.values_list("external_id", flat=True)) == ["g-1", "g-2"]


def test_a_record_that_fails_does_not_stop_the_others(anon_client, youscan_source):
    broken = {k: v for k, v in WEBHOOK_TWITTER.items() if k != "mentionId"}

    response = _push(
        anon_client,
        youscan_source,
        [broken, WEBHOOK_COMMENT],
        HTTP_AUTHORIZATION=_basic(youscan_source.secret),
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["failed"]) == (1, 1)
    assert body["results"][0] == {
        "index": 0,
        "status": "failed",
        "id": None,
        "errors": {"mentionId": ["This field is required."]},
    }
    assert body["results"][1]["status"] == "created"


def test_the_stored_raw_payload_is_the_vendor_payload(anon_client, youscan_source):
    _push(
        anon_client,
        youscan_source,
        WEBHOOK_COMMENT,
        HTTP_AUTHORIZATION=_basic(youscan_source.secret),
    )

    assert Mention.objects.get().raw == WEBHOOK_COMMENT


def test_a_replayed_push_is_a_duplicate_with_updated_engagement(anon_client, youscan_source):
    auth = _basic(youscan_source.secret)
    _push(anon_client, youscan_source, WEBHOOK_COMMENT, HTTP_AUTHORIZATION=auth)
    replay = copy.deepcopy(WEBHOOK_COMMENT)
    replay.update(likes=40, comments=9)

    response = _push(anon_client, youscan_source, replay, HTTP_AUTHORIZATION=auth)

    assert response.status_code == 200
    assert (response.json()["created"], response.json()["duplicates"]) == (0, 1)
    mention = Mention.objects.get()
    assert (mention.likes, mention.comments) == (40, 9)


def test_brand24_source_accepts_data_api_items(anon_client):
    source = SourceFactory(key="b24", kind=Source.Kind.BRAND24)
    page = json.loads((FIXTURES / "brand24" / "data_api_page.json").read_text())

    response = _push(
        anon_client, source, page["message"]["results"], HTTP_X_SCRM_SECRET=source.secret
    )

    assert response.status_code == 200
    assert (response.json()["created"], response.json()["failed"]) == (4, 0)
    assert Mention.objects.filter(external_id="Tweet-ID: 1901555666777888999").exists()
