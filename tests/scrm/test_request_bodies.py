"""Request bodies over the limit are a JSON 413 whatever their encoding; chunked bodies are read."""

import io
import json

import pytest
from django.conf import settings
from django.test import override_settings

from mentions.models import Mention
from tests.factories import SourceFactory
from tests.mentions.helpers import mention_payload

pytestmark = pytest.mark.django_db

LIMIT = 10 * 1024 * 1024
TOO_LARGE = {
    "code": "request_too_large",
    "detail": f"The request body is larger than {LIMIT} bytes.",
}
WITHOUT_BODY_MIDDLEWARE = [
    m for m in settings.MIDDLEWARE if m != "scrm.middleware.RequestBodyLimitMiddleware"
]


def _big_file(size: int = LIMIT + 1) -> io.BytesIO:
    part = io.BytesIO(b"a" * size)
    part.name = "big.bin"
    return part


def test_an_over_10_mb_form_body_is_the_json_413(integration_client):
    body = "text=" + "a" * LIMIT

    response = integration_client.generic(
        "POST", "/api/v1/mentions/", body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == TOO_LARGE


def test_an_over_10_mb_multipart_body_is_the_json_413(integration_client):
    response = integration_client.post(
        "/api/v1/mentions/", {"text": "x", "file": _big_file()}, format="multipart"
    )

    assert response.status_code == 413
    assert response.json() == TOO_LARGE


@override_settings(MIDDLEWARE=WITHOUT_BODY_MIDDLEWARE)
def test_the_form_parser_itself_answers_the_json_413(manager_client):
    # The ingest doors refuse any body but JSON (415) before parsing; a configuration
    # endpoint still parses forms, so the parser's own limit is tested there.
    response = manager_client.generic(
        "POST",
        "/api/v1/subjects/",
        "text=" + "a" * LIMIT,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413
    assert response.json() == TOO_LARGE


@override_settings(MIDDLEWARE=WITHOUT_BODY_MIDDLEWARE)
def test_a_file_part_over_the_limit_is_refused_by_the_parser(manager_client):
    # The ingest doors refuse any body but JSON (415) before parsing; a configuration
    # endpoint still parses forms, so the parser's own limit is tested there.
    response = manager_client.post(
        "/api/v1/subjects/", {"text": "x", "file": _big_file()}, format="multipart"
    )

    assert response.status_code == 413
    assert response.json() == TOO_LARGE


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000, MIDDLEWARE=WITHOUT_BODY_MIDDLEWARE)
def test_file_parts_together_count_against_the_limit(manager_client):
    # The ingest doors refuse any body but JSON (415) before parsing; a configuration
    # endpoint still parses forms, so the parser's own limit is tested there.
    response = manager_client.post(
        "/api/v1/subjects/",
        {"a": _big_file(600), "b": _big_file(600)},
        format="multipart",
    )

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_the_limit_is_the_body_size_setting(integration_client):
    response = integration_client.generic(
        "POST",
        "/api/v1/mentions/",
        "text=" + "a" * 1000,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.json() == {
        "code": "request_too_large",
        "detail": "The request body is larger than 1000 bytes.",
    }


def _chunked(client, url, body: bytes, *, terminated: bool = True, **extra):
    environ = {
        "CONTENT_LENGTH": "",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "wsgi.input": io.BytesIO(body),
        **({"wsgi.input_terminated": True} if terminated else {}),
    }
    return client.generic("POST", url, body, content_type="application/json", **environ, **extra)


def test_a_chunked_body_is_read_not_taken_as_empty(integration_client):
    body = json.dumps(mention_payload(external_id="chunked-1")).encode()

    response = _chunked(integration_client, "/api/v1/mentions/", body)

    assert response.status_code == 201, response.content
    assert Mention.objects.get().external_id == "chunked-1"


def test_a_chunked_push_is_read_and_authenticated(anon_client):
    source = SourceFactory(key="own-bot", kind="generic")
    body = json.dumps([mention_payload(external_id="c-1")]).encode()

    response = _chunked(
        anon_client, f"/api/v1/sources/{source.key}/push/", body, HTTP_X_SCRM_SECRET=source.secret
    )

    assert response.status_code == 200
    assert response.json()["created"] == 1


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_chunked_body_over_the_limit_is_the_json_413(integration_client):
    body = json.dumps(mention_payload(text="x" * 2000)).encode()

    response = _chunked(integration_client, "/api/v1/mentions/", body)

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert Mention.objects.count() == 0


def test_a_chunked_body_the_server_cannot_delimit_is_a_411(integration_client):
    body = json.dumps(mention_payload()).encode()

    response = _chunked(integration_client, "/api/v1/mentions/", body, terminated=False)

    assert response.status_code == 411
    assert response.json() == {
        "code": "length_required",
        "detail": "Send the body with a Content-Length (chunked bodies are not read here).",
    }
