"""The HubSpot connector against a loopback HubSpot: exact requests, a 429 with Retry-After,
a bad token, a contact deleted in the CRM, forgetting a person."""

import pytest
from django.utils import timezone

from authors.services.anonymize import author_anonymize
from authors.services.profile import author_update
from integrations.models import CrmConnector, CrmContactLink, CrmJob
from scrm import outbox
from scrm.models import OutboxEvent
from tests.integrations.fake_hubspot import TOKEN, FakeHubSpot
from tests.integrations.test_crm_bitrix24 import _mention, _processed, _run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def hubspot():
    fake = FakeHubSpot().start()
    yield fake
    fake.stop()


@pytest.fixture
def connector(hubspot):
    return CrmConnector.objects.create(
        name="HubSpot",
        kind="hubspot",
        base_url=f"http://127.0.0.1:{hubspot.port}",
        token=TOKEN,
        rate_per_second=50,
    )


def test_a_mention_makes_a_contact_and_an_associated_note(hubspot, connector):
    mention = _mention(text="Верните деньги за подписку")

    _processed(mention)
    _run_jobs()

    identity = mention.author_identity
    assert hubspot.calls("POST", "/crm/v3/objects/contacts/search") == [
        {
            "filterGroups": [
                {
                    "filters": [
                        {
                            "propertyName": "scrm_profile_url",
                            "operator": "EQ",
                            "value": identity.profile_url,
                        }
                    ]
                }
            ],
            "properties": ["firstname", "scrm_profile_url"],
            "limit": 1,
        },
        {
            "filterGroups": [
                {
                    "filters": [
                        {"propertyName": "scrm_handle", "operator": "EQ", "value": identity.handle}
                    ]
                }
            ],
            "properties": ["firstname", "scrm_handle"],
            "limit": 1,
        },
    ]
    assert hubspot.calls("POST", "/crm/v3/objects/contacts") == [
        {
            "properties": {
                "firstname": mention.author.display_name,
                "scrm_profile_url": identity.profile_url,
                "scrm_handle": identity.handle,
            }
        }
    ]
    contact = CrmContactLink.objects.get().remote_id
    [note] = hubspot.calls("POST", "/crm/v3/objects/notes")
    assert note["associations"] == [
        {
            "to": {"id": contact},
            "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 202}],
        }
    ]
    assert note["properties"]["hs_timestamp"] == "2026-11-20T07:00:00Z"
    assert "Верните деньги за подписку" in note["properties"]["hs_note_body"]
    headers = next(h for m, p, h, _ in hubspot.requests if p == "/crm/v3/objects/notes")
    assert headers["authorization"] == f"Bearer {TOKEN}"
    assert headers["content-type"] == "application/json"


def test_the_crm_link_is_read_first(hubspot, connector):
    hubspot.contacts["77"] = {"firstname": "Known"}
    mention = _mention()
    author_update(author_id=mention.author_id, user=None, crm_external_id="77")

    _processed(mention)
    _run_jobs()

    assert hubspot.calls("GET", "/crm/v3/objects/contacts/77") == [None]
    assert hubspot.calls("POST", "/crm/v3/objects/contacts") == []
    assert hubspot.calls("POST", "/crm/v3/objects/notes")[0]["associations"][0]["to"]["id"] == "77"


def test_a_429_waits_for_retry_after(hubspot, connector):
    hubspot.throttled = 1
    _processed(_mention())
    _run_jobs()

    job = CrmJob.objects.get()
    assert job.status == "pending"
    assert "429" in job.last_error
    assert (job.next_attempt_at - timezone.now()).total_seconds() > 1

    _run_jobs()
    assert CrmJob.objects.get().status == "done"
    assert len(hubspot.calls("POST", "/crm/v3/objects/contacts")) == 1


def test_a_bad_token_fails_for_good(hubspot, connector):
    connector.token = "expired"
    connector.save()

    _processed(_mention())
    _run_jobs()

    job = CrmJob.objects.get()
    assert job.status == "failed"
    assert "refused the token" in job.last_error


def test_a_deleted_contact_is_made_again(hubspot, connector):
    from tests.mentions.helpers import mention_payload

    author = mention_payload()["author"]
    _processed(_mention(author=author))
    _run_jobs()
    old = CrmContactLink.objects.get().remote_id
    del hubspot.contacts[old]

    _processed(_mention(author=author))
    _run_jobs()

    new = CrmContactLink.objects.get().remote_id
    assert new != old and new in hubspot.contacts
    assert len(hubspot.notes) == 2


def test_a_forgotten_author_is_deleted(hubspot, connector):
    mention = _mention()
    _processed(mention)
    _run_jobs()
    contact = CrmContactLink.objects.get().remote_id

    author_anonymize(author_id=mention.author_id, user=None)
    outbox.outbox_dispatch(event_ids=[OutboxEvent.objects.get(type="author.anonymized").pk])
    _run_jobs()

    assert hubspot.calls("DELETE", f"/crm/v3/objects/contacts/{contact}") == [None]
    assert contact not in hubspot.contacts
    assert not CrmContactLink.objects.exists()
