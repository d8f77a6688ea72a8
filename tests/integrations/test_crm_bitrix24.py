"""The Bitrix24 connector against a loopback portal: exact requests, idempotent retries, the
vendor's errors, and forgetting a person."""

import time
from unittest import mock

import pytest
from django.utils import timezone

from authors.services.anonymize import author_anonymize
from authors.services.profile import author_update
from integrations.models import CrmConnector, CrmContactLink, CrmJob, CrmNoteLink
from integrations.services import crm
from mentions.models import Category, Mention
from mentions.services.ingest import mentions_ingest
from scrm import outbox
from scrm.models import OutboxEvent
from tests.integrations.fake_bitrix24 import FakeBitrix24
from tests.mentions.helpers import mention_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal():
    fake = FakeBitrix24().start()
    yield fake
    fake.stop()


@pytest.fixture
def connector(portal):
    return CrmConnector.objects.create(
        name="Bitrix24", kind="bitrix24", base_url=portal.base_url, rate_per_second=50
    )


def _mention(category="negative", **payload) -> Mention:
    with mock.patch("mentions.services.ingest.mentions_enqueue_processing"):
        result = mentions_ingest(items=[mention_payload(**payload)])
    Mention.objects.filter(pk=result.results[0].id).update(
        category=Category.objects.get(key=category)
    )
    return Mention.objects.select_related("author").get(pk=result.results[0].id)


def _processed(mention: Mention) -> None:
    """The mention was classified: its event goes through the outbox as in production."""
    from django.db import transaction

    with transaction.atomic():
        event_id = outbox.record(
            "mention.processed",
            {
                "mention_id": mention.pk,
                "status": "queued",
                "category": mention.category.key,
                "sentiment": "negative",
                "priority": "normal",
                "team": None,
            },
        )
    outbox.outbox_dispatch(event_ids=[event_id])


def _run_jobs() -> None:
    for job in CrmJob.objects.filter(status="pending"):
        CrmJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
        crm.crm_job_run(job_id=job.pk)


def test_a_mention_creates_the_contact_and_a_timeline_comment(portal, connector):
    mention = _mention(text="Ждала 25 минут, кофе холодный")

    _processed(mention)
    _run_jobs()

    [(method, path, headers, _)] = [r for r in portal.requests if "contact.add" in r[1]]
    assert (method, path) == ("POST", "/rest/1/s3cr3tcode/crm.contact.add.json")
    assert headers["content-type"] == "application/json"
    # Looked up first by profile URL (WEB), then by handle (IM), then created.
    assert portal.calls("crm.contact.list") == [
        {"filter": {"WEB": mention.author_identity.profile_url}, "select": ["ID"]},
        {"filter": {"IM": mention.author_identity.handle}, "select": ["ID"]},
    ]
    [added] = portal.calls("crm.contact.add")
    assert added == {
        "fields": {
            "NAME": mention.author.display_name,
            "OPENED": "Y",
            "TYPE_ID": "CLIENT",
            "SOURCE_ID": "OTHER",
            "SOURCE_DESCRIPTION": "Social CRM",
            "WEB": [{"VALUE": mention.author_identity.profile_url, "VALUE_TYPE": "OTHER"}],
            "IM": [{"VALUE": mention.author_identity.handle, "VALUE_TYPE": "VK"}],
        },
        "params": {"REGISTER_SONET_EVENT": "N"},
    }
    [comment] = portal.calls("crm.timeline.comment.add")
    contact_id = CrmContactLink.objects.get().remote_id
    assert comment["fields"]["ENTITY_ID"] == int(contact_id)
    assert comment["fields"]["ENTITY_TYPE"] == "contact"
    assert "Ждала 25 минут, кофе холодный" in comment["fields"]["COMMENT"]
    assert mention.url in comment["fields"]["COMMENT"]
    assert CrmJob.objects.get().status == "done"


def test_the_crm_link_is_used_first(portal, connector):
    portal.contacts[42] = {"NAME": "Known"}
    mention = _mention()
    author_update(author_id=mention.author_id, user=None, crm_external_id="42")

    _processed(mention)
    _run_jobs()

    assert portal.calls("crm.contact.list") == [{"filter": {"ID": "42"}, "select": ["ID"]}]
    assert portal.calls("crm.contact.add") == []
    assert portal.calls("crm.timeline.comment.add")[0]["fields"]["ENTITY_ID"] == 42


def test_a_retry_never_makes_a_second_contact_or_comment(portal, connector):
    mention = _mention()
    _processed(mention)
    _run_jobs()
    job = CrmJob.objects.get()

    CrmJob.objects.filter(pk=job.pk).update(status="pending")  # run again, as after a crash
    _run_jobs()
    _processed(mention)  # and the same mention's event again
    _run_jobs()

    assert len(portal.calls("crm.contact.add")) == 1
    assert len(portal.calls("crm.timeline.comment.add")) == 1
    assert CrmNoteLink.objects.count() == 1


def test_query_limit_exceeded_and_5xx_are_retried(portal, connector):
    portal.busy = 1
    mention = _mention()
    _processed(mention)
    _run_jobs()
    job = CrmJob.objects.get()
    assert job.status == "pending"
    assert "QUERY_LIMIT_EXCEEDED" in job.last_error
    assert job.next_attempt_at > timezone.now()

    portal.fail_5xx = 1
    _run_jobs()
    assert "HTTP 500" in CrmJob.objects.get().last_error

    _run_jobs()
    assert CrmJob.objects.get().status == "done"
    assert len(portal.calls("crm.contact.add")) == 1


def test_a_contact_deleted_in_the_crm_is_found_or_created_again(portal, connector):
    author = mention_payload()["author"]
    first = _mention(author=author)
    _processed(first)
    _run_jobs()
    old = int(CrmContactLink.objects.get().remote_id)
    del portal.contacts[old]  # someone deleted it in Bitrix24

    second = _mention(author=author)
    _processed(second)
    _run_jobs()

    new = int(CrmContactLink.objects.get().remote_id)
    assert new != old
    assert new in portal.contacts
    assert portal.calls("crm.timeline.comment.add")[-1]["fields"]["ENTITY_ID"] == new


def test_only_the_chosen_categories_go_to_the_crm(portal, connector):
    connector.categories = ["negative"]
    connector.save()

    _processed(_mention(category="praise"))
    _processed(_mention(category="negative"))
    _run_jobs()

    assert CrmJob.objects.count() == 1
    assert len(portal.calls("crm.timeline.comment.add")) == 1


def test_a_bad_webhook_url_fails_for_good(portal, connector):
    connector.base_url = portal.base_url.replace("s3cr3tcode", "wrong")
    connector.save()

    _processed(_mention())
    _run_jobs()

    job = CrmJob.objects.get()
    assert job.status == "failed"
    assert "INVALID_CREDENTIALS" in job.last_error


def test_an_anonymized_author_is_deleted_from_the_crm(portal, connector):
    mention = _mention()
    _processed(mention)
    _run_jobs()
    contact = int(CrmContactLink.objects.get().remote_id)

    author_anonymize(author_id=mention.author_id, user=None)
    event = OutboxEvent.objects.get(type="author.anonymized")
    outbox.outbox_dispatch(event_ids=[event.pk])
    _run_jobs()

    assert portal.calls("crm.contact.delete") == [{"id": contact}]
    assert contact not in portal.contacts
    assert not CrmContactLink.objects.exists()


def test_the_rate_limit_spaces_the_calls(portal, connector):
    connector.rate_per_second = 2
    connector.save()
    client = crm.CONNECTORS["bitrix24"](connector)

    started = time.monotonic()
    for _ in range(5):
        client.throttle()
    assert time.monotonic() - started >= 1.0  # 5 calls at 2/s take over a second
