"""The outbox in the admin: superusers see events and retry undone ones; nobody edits them."""

import pytest
from django.test import Client
from django.urls import reverse

from scrm import outbox
from scrm.models import OutboxEvent
from scrm.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MERGED = {"author_id": 1, "absorbed_author_id": 2}


def _client(**fields) -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, **fields))
    return client


def test_a_superuser_sees_the_events_and_an_event_with_its_deliveries():
    event_id = outbox.record("author.merged", MERGED)
    client = _client(is_superuser=True)

    listing = client.get(reverse("admin:scrm_outboxevent_changelist"))
    detail = client.get(reverse("admin:scrm_outboxevent_change", args=[event_id]))

    assert listing.status_code == 200
    assert str(event_id) in listing.content.decode()
    assert detail.status_code == 200
    assert "author.merged" in detail.content.decode()


def test_a_superuser_retries_an_exhausted_event(django_capture_on_commit_callbacks):
    event_id = outbox.record("author.merged", MERGED)
    OutboxEvent.objects.filter(pk=event_id).update(attempts=50)
    client = _client(is_superuser=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:scrm_outboxevent_changelist"),
            {"action": "retry", "_selected_action": [str(event_id)]},
        )

    assert response.status_code == 302
    event = OutboxEvent.objects.get()
    assert event.attempts == 1
    assert event.done_at is not None  # no durable handler: done at the dispatch


def test_staff_with_a_role_but_not_superuser_cannot_see_the_outbox():
    client = _client(roles=[Role.MANAGER.value])

    response = client.get(reverse("admin:scrm_outboxevent_changelist"))

    assert response.status_code == 403
