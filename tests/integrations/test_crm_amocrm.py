"""The amoCRM connector against a loopback amoCRM: contacts and notes as arrays, the access
token refreshed on a 401, idempotent retries, forgetting a person."""

import pytest

from authors.services.anonymize import author_anonymize
from integrations.crm.amocrm import FORGOTTEN
from integrations.models import CrmConnector, CrmContactLink, CrmJob
from scrm import outbox
from scrm.models import OutboxEvent
from tests.integrations.fake_amocrm import FakeAmoCRM
from tests.integrations.test_crm_bitrix24 import _mention, _processed, _run_jobs
from tests.mentions.helpers import mention_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def amo():
    fake = FakeAmoCRM().start()
    yield fake
    fake.stop()


@pytest.fixture
def connector(amo):
    return CrmConnector.objects.create(
        name="amoCRM",
        kind="amocrm",
        base_url=f"http://127.0.0.1:{amo.port}",
        token="access-1",
        oauth={
            "client_id": "cid",
            "client_secret": "csecret",
            "redirect_uri": "https://scrm.example.com/oauth",
            "refresh_token": "refresh-1",
        },
        rate_per_second=50,
    )


def test_a_mention_creates_a_contact_and_a_common_note(amo, connector):
    mention = _mention(text="Списали деньги дважды")

    _processed(mention)
    _run_jobs()

    [created] = amo.calls("POST", "/api/v4/contacts")
    assert created == [
        {
            "name": mention.author.display_name,
            "_embedded": {"tags": [{"name": "social-crm"}]},
            "request_id": f"scrm-author-{mention.author_id}",
        }
    ]
    contact = int(CrmContactLink.objects.get().remote_id)
    notes = amo.calls("POST", "/api/v4/contacts/notes")
    assert notes[0][0]["params"]["text"].startswith(mention.author_identity.profile_url)
    assert notes[1] == [
        {
            "entity_id": contact,
            "note_type": "common",
            "params": {"text": notes[1][0]["params"]["text"]},
            "request_id": f"scrm-mention-{mention.pk}",
        }
    ]
    assert "Списали деньги дважды" in notes[1][0]["params"]["text"]


def test_an_expired_access_token_is_refreshed_once_and_stored(amo, connector):
    amo.access_token = "access-expired-on-our-side"  # ours is no longer valid
    amo.refresh_token = "refresh-1"

    _processed(_mention())
    _run_jobs()

    [grant] = amo.calls("POST", "/oauth2/access_token")
    assert grant == {
        "client_id": "cid",
        "client_secret": "csecret",
        "grant_type": "refresh_token",
        "refresh_token": "refresh-1",
        "redirect_uri": "https://scrm.example.com/oauth",
    }
    connector.refresh_from_db()
    assert connector.token == "access-2"
    assert connector.oauth["refresh_token"] == "refresh-2"
    assert CrmJob.objects.get().status == "done"


def test_a_revoked_refresh_token_fails_for_good(amo, connector):
    amo.access_token = "other"
    amo.refresh_token = "not-ours"

    _processed(_mention())
    _run_jobs()

    job = CrmJob.objects.get()
    assert job.status == "failed"
    assert "refresh token" in job.last_error


def test_the_same_author_is_found_again_not_created_twice(amo, connector):
    author = mention_payload()["author"]
    _processed(_mention(author=author))
    _run_jobs()
    CrmContactLink.objects.all().delete()  # our link lost: the contact is found by query

    _processed(_mention(author=author))
    _run_jobs()

    assert len(amo.calls("POST", "/api/v4/contacts")) == 1
    assert any(p.startswith("/api/v4/contacts?query=") for m, p, _, _ in amo.requests if m == "GET")


def test_a_forgotten_author_is_renamed_in_amocrm(amo, connector):
    mention = _mention()
    _processed(mention)
    _run_jobs()
    contact = int(CrmContactLink.objects.get().remote_id)

    author_anonymize(author_id=mention.author_id, user=None)
    outbox.outbox_dispatch(event_ids=[OutboxEvent.objects.get(type="author.anonymized").pk])
    _run_jobs()

    assert amo.calls("PATCH", "/api/v4/contacts") == [
        [{"id": contact, "name": FORGOTTEN, "custom_fields_values": None}]
    ]
    assert amo.contacts[contact]["name"] == FORGOTTEN
    assert not CrmContactLink.objects.exists()
