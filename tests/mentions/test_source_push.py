"""`POST /api/v1/sources/<key>/push/`: monitoring tools push their own format."""

import base64
import copy
import hashlib
import hmac
import json
from pathlib import Path

import pytest

from mentions.models import Mention, Source
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


def test_push_signed_with_an_hmac_of_the_body_is_accepted(anon_client, youscan_source):
    raw = json.dumps(WEBHOOK_COMMENT, ensure_ascii=False).encode()
    signature = hmac.new(youscan_source.secret.encode(), raw, hashlib.sha256).hexdigest()

    response = anon_client.post(
        _url(youscan_source),
        data=raw,
        content_type="application/json",
        HTTP_X_SCRM_SIGNATURE=f"sha256={signature}",
    )

    assert response.status_code == 200
    assert Mention.objects.count() == 1


def test_push_signed_over_another_body_is_refused(anon_client, youscan_source):
    signature = hmac.new(youscan_source.secret.encode(), b"{}", hashlib.sha256).hexdigest()

    response = _push(
        anon_client, youscan_source, WEBHOOK_COMMENT, HTTP_X_SCRM_SIGNATURE=f"sha256={signature}"
    )

    assert response.status_code == 401


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
