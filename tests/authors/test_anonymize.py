"""POST /api/v1/authors/<id>/anonymize/: forget the person, keep what reports count."""

import json
from io import StringIO

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db.models import Count

from authors import privacy
from authors.models import Author, AuthorIdentity, AuthorIdentityAlias, AuthorMerge, AuthorNote
from authors.services.anonymize import author_anonymize
from authors.services.merge import author_merge
from authors.services.profile import author_update
from mentions.models import Mention, Source
from tests.authors.helpers import account, answer, classify, ingest
from tests.factories import SourceFactory, UserFactory

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
    """What the reports count. Not the status: forgetting a person closes their open mentions
    (never queue a person who asked to be forgotten), which reports count all the same."""
    return list(
        Mention.objects.order_by()
        .values("category__key", "sentiment", "platform")
        .annotate(n=Count("id"))
        .order_by("category__key", "sentiment", "platform")
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
    # Forgetting a person closes their open mentions (never queued again); the rest is counted.
    assert body["counts"]["open_mentions"] == 0
    assert {**body["counts"], "open_mentions": 1} == profile_before["counts"]
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


# --- Issue 15: anonymization sticks through every door ------------------------------------------

_VK_ID = "4815162342"


def _forget(manager_client, author_id: int) -> None:
    response = manager_client.post(
        f"/api/v1/authors/{author_id}/anonymize/", {"confirm": True}, format="json"
    )
    assert response.status_code == 200, response.content


def _assert_scrubbed(mention: Mention, author_id: int) -> None:
    assert mention.author_id == author_id
    assert (mention.text, mention.url) == (privacy.ERASED_TEXT, "")
    assert mention.title in ("", privacy.ERASED_TEXT)
    assert mention.raw == {"anonymized": True}


def _assert_nothing_personal_stored() -> None:
    dump = _database_dump()
    assert [s for s in (*SECRETS, "Тверь", "Казань") if s in dump] == []


def test_anonymize_clears_the_labels(manager_client, person):
    _forget(manager_client, person["author_id"])

    assert Author.objects.get(pk=person["author_id"]).labels == []


def _vk_generic(**overrides) -> dict:
    payload = {
        "external_id": "after-1",
        "url": "https://vk.com/wall-1_999",
        "platform": "vk",
        "text": "Бородина снова: Мой номер 8-900",
        "title": "Second Life",
        "published_at": "2026-11-21T10:00:00+03:00",
        "author": {
            "external_id": _VK_ID,
            "handle": "borodina_m",
            "name": "Марина Бородина",
            "profile_url": "https://vk.com/borodina",
        },
        "extra": {"city": "Тверь"},
    }
    payload.update(overrides)
    return payload


def test_a_new_mention_through_the_api_after_anonymization_is_scrubbed(
    manager_client, integration_client, person
):
    _forget(manager_client, person["author_id"])

    response = integration_client.post("/api/v1/mentions/", _vk_generic(), format="json")

    assert response.status_code == 201, response.content
    _assert_scrubbed(Mention.objects.get(external_id="after-1"), person["author_id"])
    _assert_nothing_personal_stored()
    profile = manager_client.get(f"/api/v1/authors/{person['author_id']}/").json()
    assert (profile["location"], profile["labels"]) == ("", [])


def test_a_new_mention_in_a_bulk_after_anonymization_is_scrubbed(
    manager_client, integration_client, person
):
    _forget(manager_client, person["author_id"])
    bystander = _vk_generic(
        external_id="after-2",
        text="Ладога ок",
        author={"external_id": "77", "name": "Other Person"},
        extra={},
        title="",
    )

    response = integration_client.post(
        "/api/v1/mentions/bulk/", {"mentions": [_vk_generic(), bystander]}, format="json"
    )

    assert response.json()["created"] == 2
    _assert_scrubbed(Mention.objects.get(external_id="after-1"), person["author_id"])
    assert Mention.objects.get(external_id="after-2").text == "Ладога ок"
    _assert_nothing_personal_stored()


def _push(client, source, body):
    return client.post(
        f"/api/v1/sources/{source.key}/push/",
        data=json.dumps(body, ensure_ascii=False).encode(),
        content_type="application/json",
        HTTP_X_SCRM_SECRET=source.secret,
    )


def test_a_generic_push_after_anonymization_is_scrubbed(manager_client, anon_client, person):
    source = SourceFactory(key="generic-push", kind=Source.Kind.GENERIC)
    _forget(manager_client, person["author_id"])

    response = _push(anon_client, source, [_vk_generic()])

    assert response.json()["created"] == 1, response.content
    _assert_scrubbed(Mention.objects.get(external_id="after-1"), person["author_id"])
    _assert_nothing_personal_stored()


def test_a_youscan_push_after_anonymization_is_scrubbed_raw_payload_included(
    manager_client, anon_client, person
):
    source = SourceFactory(key="youscan-push", kind=Source.Kind.YOUSCAN)
    _forget(manager_client, person["author_id"])
    webhook = {
        "mentionId": 990001,
        "url": "https://vk.com/wall-1_990001",
        "published": "2026-11-21T10:00:00Z",
        "sourceName": "vk.com",
        "title": "Second Life",
        "text": "Мой номер снова не работает",
        "author": {
            "url": "https://vk.com/borodina",
            "name": "Марина Бородина",
            "nickname": "borodina_m",
            "profileId": _VK_ID,
            "subscribers": 330,
        },
        "city": "Тверь",
        "likes": 2,
    }

    response = _push(anon_client, source, webhook)

    assert response.json()["created"] == 1, response.content
    mention = Mention.objects.get(external_id="990001")
    _assert_scrubbed(mention, person["author_id"])
    assert mention.likes == 2  # what reports count stays
    _assert_nothing_personal_stored()
    profile = manager_client.get(f"/api/v1/authors/{person['author_id']}/").json()
    assert profile["location"] == ""


def test_a_brand24_push_carries_no_author_and_joins_nobody(manager_client, anon_client, person):
    # Brand24's Data API items name no author at all: a push cannot bring the person back.
    source = SourceFactory(key="b24-push", kind=Source.Kind.BRAND24)
    _forget(manager_client, person["author_id"])
    item = {
        "date": "2026-11-21",
        "time": "10:00",
        "title": None,
        "content": "Ладога ок",
        "source": "https://vk.com/wall-1_5",
        "host": "vk.com",
        "category": "vk",
        "sentiment": 0,
    }

    response = _push(anon_client, source, [item])

    assert response.json()["created"] == 1, response.content
    assert Mention.objects.get(source=source).author_id is None


def test_a_file_import_after_anonymization_is_scrubbed(manager_client, person, tmp_path):
    _forget(manager_client, person["author_id"])
    path = tmp_path / "after.jsonl"
    path.write_text(json.dumps(_vk_generic(), ensure_ascii=False) + "\n", encoding="utf-8")

    call_command("import_mentions", str(path), source="file", format="jsonl", stdout=StringIO())

    _assert_scrubbed(Mention.objects.get(external_id="after-1"), person["author_id"])
    _assert_nothing_personal_stored()


def test_a_youscan_file_import_after_anonymization_is_scrubbed(manager_client, person, tmp_path):
    _forget(manager_client, person["author_id"])
    record = {
        "id": "880001",
        "url": "https://vk.com/wall-1_880001",
        "published": "2026-11-21T10:00:00Z",
        "source": "vk.com",
        "text": "Мой номер снова",
        "author": {"profileId": _VK_ID, "name": "Марина Бородина", "nickname": "borodina_m"},
        "city": "Тверь",
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"mentions": [record]}, ensure_ascii=False), encoding="utf-8")

    call_command(
        "import_mentions", str(path), source="ys-file", format="youscan", stdout=StringIO()
    )

    _assert_scrubbed(Mention.objects.get(external_id="880001"), person["author_id"])
    _assert_nothing_personal_stored()
