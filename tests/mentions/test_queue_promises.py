"""The queue keeps its promises (issue 15): release by category, no silently dropped answer
fields, reopen, no-op corrections, subjects with mentions, do-not-contact authors."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from authors.services.anonymize import author_anonymize
from mentions.models import Correction, Mention, MentionSubject, QueueEvent, Team
from mentions.services.corrections import mention_correct
from mentions.services.processing_outbox import mentions_sweep
from mentions.services.queue import mention_claim, mention_close, mention_reopen
from mentions.services.triage import mentions_process
from scrm.errors import ApplicationError
from scrm.roles import Role
from tests.authors.helpers import account, ingest
from tests.factories import TrackedSubjectFactory, UserFactory
from tests.mentions.queue_helpers import queued_mentions

pytestmark = pytest.mark.django_db

S = Mention.Status


@pytest.fixture
def team():
    return Team.objects.get(key="support")


@pytest.fixture
def operator(make_client, team):
    client = make_client(Role.OPERATOR, username="olga")
    team.members.add(client.user)
    return client


# --- Release puts a mention where its category sends it ----------------------------------------


def test_a_mention_corrected_to_noise_while_claimed_leaves_the_queue_on_release(operator, team):
    (mention,) = queued_mentions(1, team=team)
    operator.post(f"/api/v1/mentions/{mention.pk}/claim/")
    operator.patch(f"/api/v1/mentions/{mention.pk}/", {"category": "noise"}, format="json")

    response = operator.post(f"/api/v1/mentions/{mention.pk}/release/")

    assert response.status_code == 200
    mention.refresh_from_db()
    assert (mention.status, mention.team, mention.needs_response, mention.sla_due_at) == (
        S.PROCESSED,
        None,
        False,
        None,
    )
    assert operator.get("/api/v1/queue/").json()["results"] == []


def test_an_expired_lease_on_a_mention_corrected_to_noise_does_not_requeue_it(operator, team):
    (mention,) = queued_mentions(1, team=team)
    operator.post(f"/api/v1/mentions/{mention.pk}/claim/")
    operator.patch(f"/api/v1/mentions/{mention.pk}/", {"category": "noise"}, format="json")
    Mention.objects.filter(pk=mention.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert mentions_sweep()["leases_released"] == 1

    mention.refresh_from_db()
    assert (mention.status, mention.claimed_by) == (S.PROCESSED, None)
    assert QueueEvent.objects.get(mention=mention).kind == "expired"


# --- answered takes no body -----------------------------------------------------------------


def test_answered_with_a_reply_text_and_link_is_a_400_naming_them(operator, team):
    (mention,) = queued_mentions(1, team=team)
    operator.post(f"/api/v1/mentions/{mention.pk}/claim/")

    response = operator.post(
        f"/api/v1/mentions/{mention.pk}/answered/",
        {"text": "Мы перезвоним", "url": "https://vk.com/wall-1_2"},
        format="json",
    )

    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == ["text", "url"]
    mention.refresh_from_db()
    assert mention.status == S.CLAIMED


def test_answered_with_an_empty_body_is_recorded(operator, team):
    (mention,) = queued_mentions(1, team=team)
    operator.post(f"/api/v1/mentions/{mention.pk}/claim/")

    response = operator.post(f"/api/v1/mentions/{mention.pk}/answered/", {}, format="json")

    assert (response.status_code, response.json()["status"]) == (200, "answered")


# --- Reopen ---------------------------------------------------------------------------------


def test_reopen_puts_a_closed_mention_back_in_its_queue_and_records_why(operator, team):
    (mention,) = queued_mentions(1, team=team)
    operator.post(f"/api/v1/mentions/{mention.pk}/claim/")
    operator.post(f"/api/v1/mentions/{mention.pk}/close/", {"resolution": "ignored"})

    response = operator.post(
        f"/api/v1/mentions/{mention.pk}/reopen/", {"reason": "The author wrote again."}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["resolution"], body["claimed_by"]) == ("queued", None, None)
    event = QueueEvent.objects.get(mention=mention, kind="reopened")
    assert (event.actor, event.reason) == (operator.user, "The author wrote again.")
    assert [m["id"] for m in operator.get("/api/v1/queue/").json()["results"]] == [mention.pk]


def test_reopen_an_answered_mention_keeps_the_answer_time(operator, team):
    (mention,) = queued_mentions(1, team=team)
    operator.post(f"/api/v1/mentions/{mention.pk}/claim/")
    operator.post(f"/api/v1/mentions/{mention.pk}/answered/")
    answered_at = Mention.objects.get(pk=mention.pk).answered_at

    operator.post(f"/api/v1/mentions/{mention.pk}/reopen/", {"reason": "Follow-up question."})

    mention.refresh_from_db()
    assert (mention.status, mention.answered_at) == (S.QUEUED, answered_at)


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_reopen_without_a_reason_is_a_400_naming_it(operator, team, body):
    (mention,) = queued_mentions(1, team=team)
    operator.post(f"/api/v1/mentions/{mention.pk}/claim/")
    operator.post(f"/api/v1/mentions/{mention.pk}/close/", {"resolution": "spam"})

    response = operator.post(f"/api/v1/mentions/{mention.pk}/reopen/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reason"]


def test_reopen_with_an_unknown_field_is_a_400_naming_it(operator, team):
    (mention,) = queued_mentions(1, team=team)

    response = operator.post(
        f"/api/v1/mentions/{mention.pk}/reopen/", {"reason": "x", "team": "vip"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["team"]


def test_reopen_of_an_open_mention_is_a_409_that_says_why(operator, team):
    (mention,) = queued_mentions(1, team=team)

    response = operator.post(f"/api/v1/mentions/{mention.pk}/reopen/", {"reason": "x"})

    assert response.status_code == 409
    assert response.json() == {
        "code": "illegal_transition",
        "detail": "A queued mention is not answered or closed; there is nothing to reopen.",
    }


# --- Corrections and subjects -----------------------------------------------------------------


def test_a_correction_to_the_value_the_mention_has_is_not_recorded(operator, team):
    (mention,) = queued_mentions(1, team=team)  # priority normal, category support
    operator.post(f"/api/v1/mentions/{mention.pk}/claim/")

    response = operator.patch(
        f"/api/v1/mentions/{mention.pk}/",
        {"priority": "normal", "category": "support"},
        format="json",
    )

    assert response.status_code == 200
    assert not Correction.objects.filter(mention=mention).exists()
    mention.refresh_from_db()
    assert mention.priority_is_manual is False


def test_only_the_changed_field_of_a_correction_is_recorded(operator, team):
    (mention,) = queued_mentions(1, team=team)
    operator.post(f"/api/v1/mentions/{mention.pk}/claim/")

    operator.patch(f"/api/v1/mentions/{mention.pk}/", {"priority": "urgent", "category": "support"})

    assert list(Correction.objects.filter(mention=mention).values_list("field", "new_value")) == [
        ("priority", "urgent")
    ]


def test_deleting_a_subject_that_has_mentions_is_a_409_and_keeps_it(manager_client, team):
    subject = TrackedSubjectFactory(key="volna", name="Волна")
    (mention,) = queued_mentions(1, team=team)
    MentionSubject.objects.create(mention=mention, subject=subject, is_main=True)

    response = manager_client.delete("/api/v1/subjects/volna/")

    assert response.status_code == 409
    assert response.json() == {
        "code": "subject_has_mentions",
        "detail": "This subject has mentions; deactivate it instead of deleting it.",
    }
    assert MentionSubject.objects.filter(mention=mention, subject=subject).exists()


def test_deleting_a_subject_no_mention_names_works(manager_client):
    TrackedSubjectFactory(key="unused", name="Unused")

    assert manager_client.delete("/api/v1/subjects/unused/").status_code == 204


# --- Do-not-contact authors ----------------------------------------------------------------


def _queued_for(author_account, team) -> Mention:
    with mock.patch("mentions.services.ingest.mentions_enqueue_processing"):
        mention = ingest(author_account)
    mentions_process(mention_ids=[mention.pk])
    mention.refresh_from_db()
    if mention.status != S.QUEUED:
        mention_correct(
            mention=mention, user=UserFactory(roles=[Role.MANAGER]), category="negative"
        )
    mention.refresh_from_db()
    return mention


def test_anonymizing_an_author_takes_their_mentions_out_of_the_queue(team):
    person = account()
    waiting = _queued_for(person, team)
    held = _queued_for(person, team)
    holder = UserFactory(username="ann", roles=[Role.OPERATOR])
    team.members.add(holder)
    mention_claim(mention_id=held.pk, user=holder)

    author_anonymize(author_id=waiting.author_id, user=UserFactory(roles=[Role.MANAGER]))

    for mention in (waiting, held):
        mention.refresh_from_db()
        assert (mention.status, mention.resolution, mention.claimed_by) == (
            S.CLOSED,
            "do_not_contact",
            None,
        )
    assert QueueEvent.objects.get(mention=held).holder == holder


def test_a_new_mention_of_a_do_not_contact_author_never_enters_the_queue(team):
    person = account()
    first = _queued_for(person, team)
    author_anonymize(author_id=first.author_id, user=UserFactory(roles=[Role.MANAGER]))
    with mock.patch("mentions.services.ingest.mentions_enqueue_processing"):
        later = ingest(person, text="Опять нет интернета, помогите!")
    assert later.author_id == first.author_id

    mentions_process(mention_ids=[later.pk])

    later.refresh_from_db()
    assert (later.status, later.resolution, later.team) == (S.CLOSED, "do_not_contact", None)


def test_a_do_not_contact_authors_mention_cannot_be_reopened(team):
    person = account()
    mention = _queued_for(person, team)
    manager = UserFactory(roles=[Role.MANAGER])
    author_anonymize(author_id=mention.author_id, user=manager)

    with pytest.raises(ApplicationError) as refused:
        mention_reopen(mention_id=mention.pk, user=manager, reason="wrote again")

    assert refused.value.code == "author_do_not_contact"


def test_a_do_not_contact_author_offers_no_close_resolution_of_their_own(manager_client, team):
    (mention,) = queued_mentions(1, team=team)

    response = manager_client.post(
        f"/api/v1/mentions/{mention.pk}/close/", {"resolution": "do_not_contact"}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["resolution"]


def test_close_by_a_manager_of_an_unclaimed_mention(team):
    (mention,) = queued_mentions(1, team=team)

    closed = mention_close(
        mention_id=mention.pk, user=UserFactory(roles=[Role.MANAGER]), resolution="spam"
    )

    assert (closed.status, closed.resolution) == (S.CLOSED, "spam")
