"""The API answers what its OpenAPI document says, and refuses what it cannot answer with a 400
naming the parameter (issue 15)."""

import base64

import pytest
from django.contrib.staticfiles import finders

from tests.factories import SourceFactory, TrackedSubjectFactory
from tests.mentions.helpers import mention_payload

pytestmark = pytest.mark.django_db


def _schema(client) -> dict:
    return client.get("/api/schema/?format=json").json()


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


# --- What a mention with nothing decided says --------------------------------------------------


def test_a_mention_with_no_tool_sentiment_link_holder_or_resolution_answers_null(
    integration_client,
):
    payload = mention_payload(url="", author={"handle": "nolink"})
    created = integration_client.post("/api/v1/mentions/", payload, format="json")
    assert created.status_code == 201

    item = integration_client.get("/api/v1/mentions/").json()["results"][0]

    assert item["url"] is None
    assert item["source_sentiment"] is None
    assert item["author"]["identity"]["profile_url"] is None
    assert item["claimed_by"] is None
    assert item["resolution"] is None
    detail = integration_client.get(f"/api/v1/mentions/{item['id']}/").json()
    assert detail["url"] is None
    assert detail["resolution"] is None


def test_a_stored_link_is_answered_as_it_is(integration_client):
    payload = mention_payload(url="https://vk.com/wall-1_77", sentiment="negative")
    integration_client.post("/api/v1/mentions/", payload, format="json")

    item = integration_client.get("/api/v1/mentions/").json()["results"][0]

    assert item["url"] == "https://vk.com/wall-1_77"
    assert item["source_sentiment"] == "negative"


# --- The document -------------------------------------------------------------------------------


def test_the_schema_uses_openapi_3_1_nulls_not_3_0_nullable(operator_client):
    schema = _schema(operator_client)

    assert schema["openapi"].startswith("3.1")
    assert [node for node in _walk(schema) if "nullable" in node] == []


def test_the_fields_that_can_be_null_are_declared_nullable(operator_client):
    mention = _schema(operator_client)["components"]["schemas"]["Mention"]["properties"]

    for name in ("claimed_by", "team", "main_subject", "category", "url"):
        assert "null" in mention[name]["type"], name
    for name in (
        "source_sentiment",
        "sentiment",
        "resolution",
        "priority",
        "category_method",
        "sentiment_method",
    ):
        assert {"$ref": "#/components/schemas/NullEnum"} in mention[name]["oneOf"], name


def test_no_component_carries_another_components_name(operator_client):
    components = _schema(operator_client)["components"]["schemas"]

    titles = {name: schema.get("title", name) for name, schema in components.items()}
    assert {name: title for name, title in titles.items() if title != name} == {}
    assert "MentionInRequest" in components
    assert "MentionIn" not in components  # the bulk body's items are the same MentionInRequest
    bulk = components["BulkMentionsInRequest"]["properties"]["mentions"]
    assert bulk["items"] == {"$ref": "#/components/schemas/MentionInRequest"}


def test_the_push_door_defines_every_scheme_it_names_and_takes_an_object_or_a_list(
    operator_client,
):
    schema = _schema(operator_client)
    push = schema["paths"]["/api/v1/sources/{key}/push/"]["post"]
    schemes = schema["components"]["securitySchemes"]

    assert push["security"] == [{"basicAuth": []}, {"scrmSecret": []}, {"scrmSignature": []}]
    assert schemes["basicAuth"]["scheme"] == "basic"
    assert schemes["scrmSecret"]["name"] == "X-Scrm-Secret"
    assert schemes["scrmSignature"]["name"] == "X-Scrm-Signature"
    named = {
        name
        for operation in _operations(schema)
        for req in operation.get("security", [])
        for name in req
    }
    assert named <= set(schemes)
    body = push["requestBody"]["content"]["application/json"]["schema"]
    assert [option["type"] for option in body["oneOf"]] == ["object", "array"]


def _operations(schema):
    for operations in schema["paths"].values():
        yield from operations.values()


def test_the_docs_page_loads_swagger_ui_from_the_project_not_a_cdn(operator_client):
    page = operator_client.get("/api/docs/").content.decode()

    assert "cdn." not in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css")


# --- Unknown URLs and the root ------------------------------------------------------------------


def test_a_post_to_an_unknown_api_url_is_the_json_404_not_a_csrf_page(anon_client):
    response = anon_client.post("/api/v1/nope/", {"a": 1}, format="json")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}


def test_the_api_root_links_every_collection(integration_client):
    response = integration_client.get("/api/v1/")

    assert response.status_code == 200
    body = response.json()
    assert body["mentions"] == "http://testserver/api/v1/mentions/"
    assert body["authors"] == "http://testserver/api/v1/authors/"
    assert body["queue"] == "http://testserver/api/v1/queue/"
    assert body["docs"] == "http://testserver/api/docs/"
    assert body["tokens"] == "http://testserver/api/v1/tokens/"
    assert body["reports"] == "http://testserver/api/v1/reports/"
    assert body["responses_archive"] == "http://testserver/api/v1/responses/archive/"
    assert body["policy"] == "http://testserver/api/v1/policy/"
    assert len(body) == 19


def test_the_api_root_refuses_anonymous_callers(anon_client):
    response = anon_client.get("/api/v1/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


# --- Filters and pagination: a bad value is a 400 naming it -------------------------------------


def _errors(response) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    return body["errors"]


@pytest.mark.parametrize("parameter", ["subject", "source"])
def test_an_unknown_subject_or_source_key_is_a_400_naming_it(operator_client, parameter):
    SourceFactory(key="tool")
    TrackedSubjectFactory(key="acme")

    errors = _errors(operator_client.get(f"/api/v1/mentions/?{parameter}=nonexistent"))

    assert list(errors) == [parameter]


def test_a_known_subject_and_source_filter_the_list(integration_client):
    TrackedSubjectFactory(key="acme", aliases=["Acme"])
    integration_client.post(
        "/api/v1/mentions/", mention_payload(text="Acme is great"), format="json"
    )
    integration_client.post("/api/v1/mentions/", mention_payload(text="nothing"), format="json")

    by_subject = integration_client.get("/api/v1/mentions/?subject=acme").json()["results"]
    by_source = integration_client.get("/api/v1/mentions/?source=api").json()["results"]

    assert [m["text"] for m in by_subject] == ["Acme is great"]
    assert len(by_source) == 2


@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/api/v1/mentions/?needs_response=maybe", "needs_response"),
        ("/api/v1/subjects/?is_own=maybe", "is_own"),
        ("/api/v1/subjects/?active=yes", "active"),
        ("/api/v1/sources/?active=2", "active"),
    ],
)
def test_an_invalid_boolean_filter_is_a_400_naming_it(manager_client, url, parameter):
    assert list(_errors(manager_client.get(url))) == [parameter]


def test_a_boolean_filter_takes_true_and_false(manager_client):
    TrackedSubjectFactory(key="ours", is_own=True)
    TrackedSubjectFactory(key="theirs", is_own=False)

    own = manager_client.get("/api/v1/subjects/?is_own=true").json()
    other = manager_client.get("/api/v1/subjects/?is_own=false").json()

    assert [s["key"] for s in own] == ["ours"]
    assert [s["key"] for s in other] == ["theirs"]


LISTS = ["/api/v1/mentions/", "/api/v1/authors/", "/api/v1/queue/"]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("value", ["0", "abc", "-1", "501"])
def test_a_bad_page_size_is_a_400_naming_it(manager_client, url, value):
    errors = _errors(manager_client.get(f"{url}?page_size={value}"))

    assert errors == {"page_size": ["Give a whole number from 1 to 500."]}


def _cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


BAD_CURSORS = ["not-base64!", _cursor("p=abc"), _cursor("o=x"), _cursor("p=99999999999999999999")]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_a_bad_cursor_is_a_400_naming_it_on_every_list(manager_client, url, cursor):
    errors = _errors(manager_client.get(url, {"cursor": cursor}))

    assert list(errors) == ["cursor"]


def test_a_bad_cursor_is_a_400_naming_it_on_the_timeline(manager_client):
    created = manager_client.post("/api/v1/mentions/", mention_payload(), format="json").json()
    author_id = created["author"]["id"]

    errors = _errors(manager_client.get(f"/api/v1/authors/{author_id}/timeline/?cursor=abc"))

    assert list(errors) == ["cursor"]


def test_the_next_link_of_every_list_still_works(manager_client):
    for _ in range(3):
        manager_client.post("/api/v1/mentions/", mention_payload(), format="json")

    first = manager_client.get("/api/v1/mentions/?page_size=2").json()
    second = manager_client.get(first["next"]).json()

    assert len(first["results"]) == 2
    assert len(second["results"]) == 1


@pytest.mark.parametrize("offset", ["%2B16:00", "%2B23:59", "-23:59"])
def test_a_date_filter_with_any_valid_utc_offset_answers(operator_client, offset):
    response = operator_client.get(f"/api/v1/mentions/?published_after=2026-01-01T00:00:00{offset}")

    assert response.status_code == 200


def test_a_date_filter_out_of_range_in_utc_is_a_400_naming_it(operator_client):
    url = "/api/v1/mentions/?published_before=9999-12-31T23:59:59-05:00"

    assert list(_errors(operator_client.get(url))) == ["published_before"]
