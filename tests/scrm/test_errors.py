"""One error shape everywhere; bad input is a 400 naming the field, never a 500."""

import pytest
from django.test import override_settings

from tests.mentions.helpers import mention_payload

pytestmark = pytest.mark.django_db


def test_invalid_mention_names_every_bad_field(integration_client):
    response = integration_client.post(
        "/api/v1/mentions/",
        {
            "external_id": "",
            "platform": "myspace",
            "published_at": "soon",
            "engagement": {"likes": -1},
        },
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"] == "Invalid input."
    assert set(body["errors"]) == {"external_id", "platform", "published_at", "engagement.likes"}


def test_missing_required_field_says_it_is_required(integration_client):
    payload = mention_payload()
    del payload["published_at"]

    response = integration_client.post("/api/v1/mentions/", payload, format="json")

    assert response.json()["errors"] == {"published_at": ["This field is required."]}


def test_malformed_json_is_a_400_parse_error(integration_client):
    response = integration_client.post(
        "/api/v1/mentions/", data="{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_body_that_is_not_an_object_is_a_400(integration_client):
    response = integration_client.post(
        "/api/v1/mentions/", data="[1, 2]", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["Expected a JSON object."]}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_oversized_body_is_a_413(integration_client):
    response = integration_client.post(
        "/api/v1/mentions/", mention_payload(text="x" * 2000), format="json"
    )

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_unsupported_media_type_is_a_415(integration_client):
    response = integration_client.post("/api/v1/mentions/", data="x", content_type="text/plain")

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_unknown_api_url_is_a_json_404(integration_client):
    response = integration_client.get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}


def test_missing_object_is_a_json_404(integration_client):
    response = integration_client.get("/api/v1/mentions/999999/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_wrong_method_is_a_405(integration_client):
    response = integration_client.delete("/api/v1/mentions/")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_bad_filter_value_is_a_400_naming_the_filter(integration_client):
    response = integration_client.get(
        "/api/v1/mentions/?published_after=yesterday&platform=myspace"
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"published_after", "platform"}


def test_domain_errors_know_nothing_of_drf_or_http():
    import ast
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "scrm" / "errors.py").read_text()
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }

    assert imported == set()


def test_the_handler_gives_each_kind_of_domain_error_its_status():
    from mentions.queue_rules import ClaimHeldByOther, NotYourTeam
    from scrm.api.errors import status_for
    from scrm.errors import ApplicationError, Conflict, Forbidden, InvalidInput, NotFound

    statuses = [
        status_for(e)
        for e in (
            ApplicationError(),
            InvalidInput(),
            NotFound(),
            Forbidden(),
            Conflict(),
            NotYourTeam(),
            ClaimHeldByOther(),
        )
    ]

    assert statuses == [400, 400, 404, 403, 409, 403, 409]


def test_as_text_puts_the_detail_and_each_field_on_one_line():
    from scrm.errors import InvalidInput

    error = InvalidInput(errors={"reason": ["Required."], "team": ["Unknown.", "Inactive."]})

    assert error.as_text() == "Invalid input. reason: Required.; team: Unknown. Inactive."
