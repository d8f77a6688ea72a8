"""The admin author page: identities, the timeline, notes, labels, pinned segment, merge and
anonymize actions; the mention page shows the author summary."""

from datetime import UTC, datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.test import Client

from authors.models import Author, AuthorNote
from authors.services.profile import author_update
from mentions.models import Mention
from scrm.roles import Role
from tests.authors.helpers import account, answer, at, classify, ingest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/authors/author/"


@pytest.fixture
def login(db):
    def make(*roles: Role) -> Client:
        user = UserFactory(roles=[r.value for r in roles], is_staff=True)
        client = Client()
        client.force_login(user)
        client.user = user
        return client

    return make


@pytest.fixture
def author():
    who = account(name="Анна", handle="anna_vk")
    first = ingest(who, text="Где мой роутер?", published_at=at(1))
    classify(first, category="support", sentiment="negative", status=Mention.Status.QUEUED)
    second = ingest(who, text="Спасибо! А роутер когда?", published_at=at(2))
    classify(second, category="support", sentiment="positive")
    answer(second, at=datetime(2026, 10, 2, 15, tzinfo=UTC))
    return Author.objects.get(pk=first.author_id)


def _form(author: Author, **changes) -> dict:
    data = {
        "pinned_segment": "",
        "labels_text": ", ".join(author.labels),
        "add_note": "",
        "identities-TOTAL_FORMS": "1",
        "identities-INITIAL_FORMS": "1",
        "identities-MIN_NUM_FORMS": "0",
        "identities-MAX_NUM_FORMS": "1000",
        "identities-0-id": str(author.identities.get().pk),
        "identities-0-author": str(author.pk),
        "notes-TOTAL_FORMS": str(author.notes.count()),
        "notes-INITIAL_FORMS": str(author.notes.count()),
        "notes-MIN_NUM_FORMS": "0",
        "notes-MAX_NUM_FORMS": "1000",
    }
    for i, note in enumerate(author.notes.all()):
        data[f"notes-{i}-id"] = str(note.pk)
        data[f"notes-{i}-author"] = str(author.pk)
    data.update(changes)
    return data


def test_author_page_shows_identities_notes_and_the_timeline(login, author):
    author_update(author_id=author.pk, user=None, note="Предпочитает звонки")

    response = login(Role.EXPERT).get(f"{CHANGELIST}{author.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "anna_vk" in page
    assert "Где мой роутер?" in page
    assert "answered" in page  # the reply entry
    assert "support · negative · queued" in page
    assert page.count("Предпочитает звонки") >= 2  # in the notes and in the timeline


def test_operator_adds_a_note_and_labels_through_the_service(login, author):
    client = login(Role.OPERATOR)

    response = client.post(
        f"{CHANGELIST}{author.pk}/change/",
        _form(author, labels_text="vip, press", add_note="Перезвонить", pinned_segment="advocate"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    author.refresh_from_db()
    assert author.labels == ["vip", "press"]
    assert author.segment_pinned is False  # operators cannot pin
    note = AuthorNote.objects.get()
    assert (note.text, note.created_by) == ("Перезвонить", client.user)


def test_manager_pins_a_segment(login, author):
    response = login(Role.MANAGER).post(
        f"{CHANGELIST}{author.pk}/change/", _form(author, pinned_segment="influencer")
    )

    assert response.status_code == 302
    author.refresh_from_db()
    assert (author.segment, author.segment_pinned) == ("influencer", True)


def test_experts_only_read(login, author):
    client = login(Role.EXPERT)

    response = client.post(f"{CHANGELIST}{author.pk}/change/", _form(author, add_note="x"))

    assert response.status_code == 403
    assert not AuthorNote.objects.exists()


def test_merge_action_merges_into_the_oldest(login, author):
    other = ingest(account()).author_id

    response = login(Role.OPERATOR).post(
        CHANGELIST,
        {"action": "merge_into_oldest", ACTION_CHECKBOX_NAME: [author.pk, other]},
    )

    assert response.status_code == 302
    assert not Author.objects.filter(pk=other).exists()
    assert Mention.objects.filter(author=author).count() == 3
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [f"Merged #{other} into author #{author.pk}."]


def test_anonymize_action_asks_first_then_anonymizes(login, author):
    client = login(Role.MANAGER)
    selected = {"action": "anonymize", ACTION_CHECKBOX_NAME: [author.pk]}

    confirmation = client.post(CHANGELIST, selected)

    assert confirmation.status_code == 200
    assert "cannot be undone" in confirmation.content.decode()
    assert Author.objects.get(pk=author.pk).anonymized_at is None

    done = client.post(CHANGELIST, {**selected, "confirm": "yes"})

    assert done.status_code == 302
    author.refresh_from_db()
    assert author.anonymized_at is not None
    assert author.do_not_contact


def test_operators_are_not_offered_the_anonymize_action(login, author):
    page = login(Role.OPERATOR).get(CHANGELIST).content.decode()

    assert 'value="merge_into_oldest"' in page
    assert 'value="anonymize"' not in page


def test_mention_page_shows_the_author_summary(login, author):
    mention = Mention.objects.filter(author=author).first()

    page = login(Role.OPERATOR).get(f"/admin/mentions/mention/{mention.pk}/change/")

    assert page.status_code == 200
    assert "unknown · 2 mentions, 1 open · last contact 2026-10-02 15:00" in page.content.decode()
