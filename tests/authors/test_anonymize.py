"""POST /api/v1/authors/<id>/anonymize/: forget the person, keep what reports count."""

import pytest
from django.apps import apps
from django.core import serializers
from django.db.models import Count

from authors import privacy
from authors.models import Author, AuthorIdentity, AuthorIdentityAlias, AuthorMerge, AuthorNote
from authors.services.anonymize import author_anonymize
from authors.services.merge import author_merge
from authors.services.profile import author_update
from mentions.models import Mention
from tests.authors.helpers import account, answer, classify, ingest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRETS = ("Бородина", "borodina_m", "vk.com/borodina", "4815162342", "Мой номер", "Second Life")


@pytest.fixture
def person():
    """Марина Бородина: two VK mentions, a Telegram account merged in, a note, a CRM link."""
    vk = {
        "external_id": "4815162342",
        "handle": "borodina_m",
        "name": "Марина Бородина",
        "profile_url": "https://vk.com/borodina",
        "followers": 321,
    }
    first = ingest(
        vk,
        text="Мой номер 8-900-000-00-00, верните деньги",
        title="Second Life",
        extra={"city": "Тверь"},
    )
    second = ingest(vk, text="Бородина снова пишет: Мой номер не работает")
    classify(first, category="negative", sentiment="negative")
    classify(second, category="support", sentiment="neutral")
    answer(second, by=UserFactory())
    telegram = ingest(
        {"handle": "borodina_m", "name": "Марина Бородина"}, platform="telegram", text="Мой номер"
    )
    classify(telegram, category="praise", sentiment="positive")
    author_merge(author_id=first.author_id, other_id=telegram.author_id, user=None)
    author_update(
        author_id=first.author_id,
        user=None,
        note="Марина Бородина просила звонить",
        labels=["vip"],
        crm_external_id="CRM-4815",
    )
    bystander = ingest(account(name="Other Person"), text="Ладога ок")
    return {"author_id": first.author_id, "bystander": bystander}


def _database_dump() -> str:
    """Every row of every table, as text."""
    return "\n".join(
        serializers.serialize("json", model._base_manager.all())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    )


def _report() -> list:
    return list(
        Mention.objects.order_by()
        .values("category__key", "sentiment", "platform", "status")
        .annotate(n=Count("id"))
        .order_by("category__key", "sentiment", "platform", "status")
    )


def test_anonymizing_removes_the_person_from_every_place_it_was_stored(manager_client, person):
    dump = _database_dump()
    assert all(secret in dump for secret in SECRETS)  # the test sees where they were

    response = manager_client.post(
        f"/api/v1/authors/{person['author_id']}/anonymize/", {"confirm": True}, format="json"
    )

    assert response.status_code == 200, response.content
    dump = _database_dump()
    leaked = [secret for secret in SECRETS if secret in dump]
    assert leaked == []
    assert "CRM-4815" not in dump
    assert "Тверь" not in dump  # the location in the raw payload
    assert "Other Person" in dump  # nobody else is touched


def test_reports_still_count_the_anonymized_mentions(manager_client, person):
    before = _report()
    profile_before = manager_client.get(f"/api/v1/authors/{person['author_id']}/").json()

    body = manager_client.post(
        f"/api/v1/authors/{person['author_id']}/anonymize/", {"confirm": True}, format="json"
    ).json()

    assert _report() == before
    assert body["counts"] == profile_before["counts"]
    assert body["path"] == profile_before["path"]
    assert body["first_contact_at"] == profile_before["first_contact_at"]
    assert [i["followers"] for i in body["identities"]] == [
        i["followers"] for i in profile_before["identities"]
    ]


def test_the_anonymized_profile_shows_placeholders_and_do_not_contact(manager_client, person):
    author_id = person["author_id"]

    body = manager_client.post(
        f"/api/v1/authors/{author_id}/anonymize/", {"confirm": True}, format="json"
    ).json()

    assert body["display_name"] == f"Anonymized author #{author_id}"
    assert body["do_not_contact"] is True
    assert body["anonymized_at"] is not None
    assert body["crm_external_id"] == ""
    assert body["location"] == ""
    assert body["hints"]["tone"]["tone"] == "do_not_contact"
    assert {
        (i["handle"], i["profile_url"], i["external_id"], i["erased"]) for i in body["identities"]
    } == {("", None, "", True)}  # no profile URL is null (issue 15)
    assert [n["text"] for n in body["notes"]] == [privacy.ERASED_TEXT]
    mentions = Mention.objects.filter(author_id=author_id)
    assert {m.text for m in mentions} == {privacy.ERASED_TEXT}
    assert {m.url for m in mentions} == {""}
    assert {str(m.raw) for m in mentions} == {"{'anonymized': True}"}
    assert AuthorMerge.objects.get().absorbed_display_name == ""
    assert not AuthorIdentityAlias.objects.filter(
        identity__author_id=author_id, value__regex=r"^(id|url|handle):"
    ).exists()
    assert Author.objects.get(pk=author_id).anonymized_by == manager_client.user


def test_the_same_account_reported_again_is_the_forgotten_author_and_stays_forgotten(person):
    author_anonymize(author_id=person["author_id"], user=None)

    again = ingest(
        {
            "external_id": "4815162342",
            "handle": "borodina_m",
            "name": "Марина Бородина",
            "profile_url": "https://vk.com/borodina",
        },
        text="Новый пост",
    )

    assert again.author_id == person["author_id"]
    author = Author.objects.get(pk=again.author_id)
    assert author.do_not_contact
    identity = AuthorIdentity.objects.get(pk=again.author_identity_id)
    assert (identity.handle, identity.display_name, identity.external_id) == ("", "", "")


def test_search_no_longer_finds_the_person(operator_client, person):
    author_anonymize(author_id=person["author_id"], user=None)

    for q in ("Бородина", "borodina_m", "vk.com/borodina"):
        assert operator_client.get("/api/v1/authors/", {"q": q}).json()["results"] == []


def test_anonymizing_twice_is_harmless(person):
    first = author_anonymize(author_id=person["author_id"], user=None)
    second = author_anonymize(author_id=person["author_id"], user=None)

    assert second.anonymized_at == first.anonymized_at
    assert Mention.objects.filter(author_id=person["author_id"]).count() == 3


def test_an_eraser_that_fails_rolls_the_whole_anonymization_back(person, monkeypatch):
    def broken(author_id):
        raise RuntimeError("disk full")

    monkeypatch.setattr(privacy, "_erasers", [*privacy._erasers, broken])

    with pytest.raises(RuntimeError):
        author_anonymize(author_id=person["author_id"], user=None)

    author = Author.objects.get(pk=person["author_id"])
    assert author.display_name == "Марина Бородина"
    assert author.anonymized_at is None
    assert Mention.objects.filter(author_id=author.pk, text__contains="Мой номер").exists()


def test_notes_and_crm_links_are_refused_for_an_anonymized_author(
    operator_client, integration_client, person
):
    author_anonymize(author_id=person["author_id"], user=None)
    url = f"/api/v1/authors/{person['author_id']}/"

    assert operator_client.patch(url, {"note": "x"}, format="json").status_code == 409
    assert integration_client.patch(url, {"crm_external_id": "C"}, format="json").status_code == 409
    assert operator_client.patch(url, {"labels": ["gone"]}, format="json").status_code == 200


@pytest.mark.parametrize("body", [{}, {"confirm": False}, {"confirm": "maybe"}])
def test_anonymize_needs_an_explicit_confirmation(manager_client, person, body):
    response = manager_client.post(
        f"/api/v1/authors/{person['author_id']}/anonymize/", body, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["confirm"]
    assert Author.objects.get(pk=person["author_id"]).anonymized_at is None


@pytest.mark.parametrize("role_client", ["operator_client", "expert_client", "integration_client"])
def test_only_managers_anonymize(request, person, role_client):
    response = request.getfixturevalue(role_client).post(
        f"/api/v1/authors/{person['author_id']}/anonymize/", {"confirm": True}, format="json"
    )

    assert response.status_code == 403
    assert Author.objects.get(pk=person["author_id"]).anonymized_at is None


def test_anonymizing_an_unknown_author_is_404(manager_client):
    response = manager_client.post(
        "/api/v1/authors/999999/anonymize/", {"confirm": True}, format="json"
    )

    assert response.status_code == 404


def test_the_anonymized_event_tells_the_crm_connector_which_contact(
    person, django_capture_on_commit_callbacks
):
    from scrm import events

    seen = []
    events.subscribe("authors.anonymized", seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            author_anonymize(author_id=person["author_id"], user=None)
    finally:
        events._subscribers["authors.anonymized"].remove(seen.append)

    assert seen == [{"author_id": person["author_id"], "crm_external_id": "CRM-4815"}]


def test_note_rows_are_kept_for_the_counts(person):
    author_anonymize(author_id=person["author_id"], user=None)

    assert AuthorNote.objects.filter(author_id=person["author_id"]).count() == 1
