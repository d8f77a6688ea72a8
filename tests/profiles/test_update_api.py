"""PATCH /api/v1/authors/<id>/: notes and labels (operators, managers), a pinned segment
(managers), the CRM link (integration)."""

import pytest

from authors.models import Author, AuthorNote
from authors.services.profile import author_segment_set
from tests.authors.helpers import account, ingest

pytestmark = pytest.mark.django_db

REFUSED = {"code": "permission_denied", "detail": "Your role does not allow this action."}


@pytest.fixture
def author():
    return Author.objects.get(pk=ingest(account()).author_id)


def _patch(client, author, body):
    return client.patch(f"/api/v1/authors/{author.pk}/", body, format="json")


def test_operator_adds_a_note_and_labels(operator_client, author):
    response = _patch(
        operator_client,
        author,
        {"note": "  Звонить после 18:00 ", "labels": ["VIP", " vip", "press"]},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["labels"] == ["VIP", "press"]
    assert [(n["text"], n["created_by"]) for n in body["notes"]] == [
        ("Звонить после 18:00", operator_client.user.username)
    ]
    assert AuthorNote.objects.get().created_by == operator_client.user


def test_manager_pins_a_segment_that_recomputation_leaves_alone(manager_client, author):
    response = _patch(manager_client, author, {"segment": "influencer"})

    assert response.status_code == 200
    assert (response.json()["segment"], response.json()["segment_pinned"]) == ("influencer", True)
    assert author_segment_set(segments={author.pk: "detractor"}) == 0
    author.refresh_from_db()
    assert author.segment == "influencer"


def test_manager_unpins_a_segment_and_the_rules_decide_again(
    manager_client, author, django_capture_on_commit_callbacks
):
    _patch(manager_client, author, {"segment": "influencer"})

    with django_capture_on_commit_callbacks(execute=True):
        response = _patch(manager_client, author, {"segment": None})

    assert response.json()["segment_pinned"] is False
    author.refresh_from_db()
    assert author.segment == "unknown"  # recomputed from one unclassified mention


def test_integration_links_and_unlinks_the_crm_contact(integration_client, author):
    response = _patch(integration_client, author, {"crm_external_id": " C-42 "})

    assert response.status_code == 200
    assert response.json()["crm_external_id"] == "C-42"
    assert (
        _patch(integration_client, author, {"crm_external_id": ""}).json()["crm_external_id"] == ""
    )


def test_a_crm_contact_linked_to_another_author_is_a_409(integration_client, author):
    other = Author.objects.get(pk=ingest(account()).author_id)
    _patch(integration_client, other, {"crm_external_id": "C-42"})

    response = _patch(integration_client, author, {"crm_external_id": "C-42"})

    assert response.status_code == 409
    assert response.json()["code"] == "crm_link_conflict"
    assert response.json()["errors"] == {"crm_external_id": [f"Linked to author #{other.pk}."]}


@pytest.mark.parametrize(
    ("role_client", "body"),
    [
        ("operator_client", {"segment": "advocate"}),
        ("operator_client", {"crm_external_id": "C-1"}),
        ("manager_client", {"crm_external_id": "C-1"}),
        ("integration_client", {"note": "hi"}),
        ("integration_client", {"labels": ["x"]}),
        ("integration_client", {"segment": "advocate"}),
        ("integration_client", {"crm_external_id": "C-1", "note": "hi"}),
        ("expert_client", {"note": "hi"}),
    ],
)
def test_each_field_refuses_the_roles_it_does_not_serve(request, author, role_client, body):
    response = _patch(request.getfixturevalue(role_client), author, body)

    assert response.status_code == 403
    assert response.json() == REFUSED
    author.refresh_from_db()
    assert (author.crm_external_id, author.segment_pinned, author.labels) == ("", False, [])
    assert not AuthorNote.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"segment": "vip"}, "segment"),
        ({"labels": "vip"}, "labels"),
        ({"labels": ["x" * 65]}, "labels.0"),
        ({"note": ""}, "note"),
        ({"note": "   "}, "note"),
        ({"colour": "red"}, "colour"),
        ({}, "non_field_errors"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(manager_client, author, body, field):
    response = _patch(manager_client, author, body)

    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [field]


def test_a_non_object_body_is_a_400(operator_client, author):
    response = operator_client.patch(f"/api/v1/authors/{author.pk}/", ["note"], format="json")

    assert response.status_code == 400


def test_patching_an_unknown_author_is_404(operator_client):
    assert _patch(operator_client, Author(pk=999999), {"note": "hi"}).status_code == 404


def test_put_is_not_allowed(operator_client, author):
    response = operator_client.put(f"/api/v1/authors/{author.pk}/", {"note": "x"}, format="json")

    assert response.status_code == 405
