"""Subjects and sources: managers configure them, everyone else reads."""

import pytest

from mentions.models import Source, TrackedSubject
from mentions.services.ingest import mentions_ingest
from tests.factories import SourceFactory, TrackedSubjectFactory
from tests.mentions.helpers import mention_payload

pytestmark = pytest.mark.django_db


def test_manager_creates_a_subject_with_cleaned_aliases(manager_client):
    response = manager_client.post(
        "/api/v1/subjects/",
        {
            "key": "ladoga",
            "name": "Ладога",
            "kind": "company",
            "is_own": True,
            "aliases": [" Ладога Телеком ", "ладога телеком", "@ladoga"],
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["aliases"] == ["Ладога Телеком", "@ladoga"]
    assert TrackedSubject.objects.get(key="ladoga").kind == "company"


def test_a_new_subject_is_matched_in_the_next_ingest_at_once(manager_client):
    manager_client.post(
        "/api/v1/subjects/",
        {"key": "orbita", "name": "Орбита", "kind": "competitor"},
        format="json",
    )

    result = mentions_ingest(items=[mention_payload(text="Ушёл в Орбиту")])

    assert result.results[0].id
    assert TrackedSubject.objects.get(key="orbita").mentions.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"key": "Not A Slug", "name": "X", "kind": "brand"}, "key"),
        ({"key": "x", "name": "", "kind": "brand"}, "name"),
        ({"key": "x", "name": "X", "kind": "planet"}, "kind"),
        ({"key": "x", "name": "X", "kind": "brand", "aliases": "not-a-list"}, "aliases"),
        ({"key": "x", "name": "X", "kind": "brand", "aliases": [""]}, "aliases.0"),
    ],
)
def test_invalid_subject_is_a_400_naming_the_field(manager_client, body, field):
    response = manager_client.post("/api/v1/subjects/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_duplicate_subject_key_is_a_400(manager_client):
    TrackedSubjectFactory(key="acme")

    response = manager_client.post(
        "/api/v1/subjects/", {"key": "acme", "name": "Acme", "kind": "brand"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["key"]


def test_manager_updates_and_deactivates_a_subject(manager_client):
    TrackedSubjectFactory(key="acme", name="Acme")

    response = manager_client.patch("/api/v1/subjects/acme/", {"active": False}, format="json")

    assert response.status_code == 200
    assert TrackedSubject.objects.get(key="acme").active is False


def test_subjects_list_filters(operator_client):
    TrackedSubjectFactory(key="acme", is_own=True)
    TrackedSubjectFactory(key="globex", is_own=False, kind="competitor")

    response = operator_client.get("/api/v1/subjects/?is_own=false")

    assert [s["key"] for s in response.json()] == ["globex"]


def test_source_secret_is_shown_on_creation_and_never_in_reads(manager_client):
    created = manager_client.post(
        "/api/v1/sources/",
        {"key": "youscan-brand", "kind": "youscan", "name": "YouScan"},
        format="json",
    )

    assert created.status_code == 201
    secret = created.json()["secret"]
    assert secret == Source.objects.get(key="youscan-brand").secret
    assert created.json()["push_url"] == "/api/v1/sources/youscan-brand/push/"
    listed = manager_client.get("/api/v1/sources/").json()
    assert all("secret" not in source for source in listed)
    assert "secret" not in manager_client.get("/api/v1/sources/youscan-brand/").json()


def test_rotating_a_source_secret_replaces_it(manager_client):
    source = SourceFactory(key="tool")
    old = source.secret

    response = manager_client.post("/api/v1/sources/tool/rotate-secret/")

    assert response.status_code == 200
    source.refresh_from_db()
    assert source.secret == response.json()["secret"] != old


def test_source_secret_cannot_be_set_by_the_client(manager_client):
    response = manager_client.post(
        "/api/v1/sources/", {"key": "s", "kind": "generic", "secret": "chosen"}, format="json"
    )

    assert response.json()["secret"] != "chosen"


def test_source_with_mentions_cannot_be_deleted(manager_client):
    SourceFactory(key="tool")
    mentions_ingest(items=[mention_payload(source="tool")])

    response = manager_client.delete("/api/v1/sources/tool/")

    assert response.status_code == 409
    assert response.json()["code"] == "source_has_mentions"


def test_empty_source_is_deleted(manager_client):
    SourceFactory(key="tool")

    assert manager_client.delete("/api/v1/sources/tool/").status_code == 204
    assert not Source.objects.filter(key="tool").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [({"key": "bad key", "kind": "generic"}, "key"), ({"key": "ok", "kind": "myspace"}, "kind")],
)
def test_invalid_source_is_a_400_naming_the_field(manager_client, body, field):
    response = manager_client.post("/api/v1/sources/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
