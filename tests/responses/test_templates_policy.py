"""Templates and the communication policy: managers keep them, operators read them."""

import pytest

from responses.models import PolicyVersion
from tests.responses import helpers as h

pytestmark = pytest.mark.django_db

TEMPLATE = {
    "key": "thanks",
    "name": "Спасибо",
    "body": "{author_name}, спасибо! {brand} рада помочь.",
    "categories": ["praise"],
    "sentiments": ["positive"],
    "tone": "warm",
}


def test_a_manager_adds_and_changes_a_template(manager_client, operator_client):
    created = manager_client.post("/api/v1/templates/", TEMPLATE, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["placeholders"] == ["author_name", "brand"]
    assert created.json()["categories"] == ["praise"]

    changed = manager_client.patch("/api/v1/templates/thanks/", {"active": False}, format="json")
    assert changed.json()["active"] is False

    listed = operator_client.get("/api/v1/templates/?active=false&category=praise").json()
    assert [t["key"] for t in listed["results"]] == ["thanks"]
    assert operator_client.get("/api/v1/templates/?active=true").json()["results"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"body": "Привет, {nick}"}, "body"),
        ({"categories": ["nope"]}, "categories"),
        ({"sentiments": ["angry"]}, "sentiments"),
        ({"tone": "rude"}, "tone"),
        ({"key": "Not a slug!"}, "key"),
    ],
)
def test_a_bad_template_is_a_400_naming_the_field(manager_client, change, field):
    response = manager_client.post("/api/v1/templates/", {**TEMPLATE, **change}, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_template_list_runs_fixed_queries(operator_client, django_assert_num_queries):
    for n in range(3):
        h.template(key=f"t{n}")
    with django_assert_num_queries(4):
        response = operator_client.get("/api/v1/templates/")
    assert len(response.json()["results"]) == 3


def test_each_policy_edit_is_a_new_version(manager_client, operator_client):
    assert operator_client.get("/api/v1/policy/").status_code == 404
    first = manager_client.put("/api/v1/policy/", h.POLICY, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["version"] == 1

    second = manager_client.put(
        "/api/v1/policy/", {"forbidden_phrases": ["гарантия", "скидка навсегда"]}, format="json"
    )

    body = second.json()
    assert body["version"] == 2
    assert body["brand"] == "Ладога Телеком"  # kept from version 1
    assert body["forbidden_phrases"] == ["гарантия", "скидка навсегда"]
    assert operator_client.get("/api/v1/policy/").json()["version"] == 2
    versions = operator_client.get("/api/v1/policy/versions/").json()["results"]
    assert [v["version"] for v in versions] == [2, 1]
    assert PolicyVersion.objects.get(number=1).forbidden_phrases == h.POLICY["forbidden_phrases"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"signatures": []}, "signatures"),
        ({"signatures": ["ghostwriter"]}, "signatures.0"),
        ({"max_length": {"myspace": 10}}, "max_length.myspace"),
        ({"max_length": {"twitter": 0}}, "max_length.twitter"),
        ({"brand": ""}, "brand"),
        ({"official_signature": "— {ceo}"}, "official_signature"),
        ({"forbidden_phrases": "гарантия"}, "forbidden_phrases"),
    ],
)
def test_a_bad_policy_is_a_400_naming_the_field(manager_client, change, field):
    response = manager_client.put("/api/v1/policy/", {**h.POLICY, **change}, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not PolicyVersion.objects.exists()


def test_operators_do_not_edit_the_policy_or_templates(operator_client):
    assert operator_client.put("/api/v1/policy/", h.POLICY, format="json").status_code == 403
    assert operator_client.post("/api/v1/templates/", TEMPLATE, format="json").status_code == 403
