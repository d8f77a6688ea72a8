"""CRM connectors fed by the outbox: each classified mention (of the categories a connector
wants) and each answer go to the author's contact's timeline; a forgotten author's contact is
deleted.

The outbox handler (`crm_fan_out`) writes one `CrmJob` per active connector in the dispatcher's
transaction; `crm_job_run` does it in Celery, outside any transaction of the dispatcher, so a
slow or rate-limited CRM holds up nothing else. Jobs are idempotent: the contact and each note
are looked up in `CrmContactLink` / `CrmNoteLink` before anything is created, the contact is
found in the CRM (by `crm_external_id`, then profile URL, then handle) before one is created,
and a contact deleted in the CRM is found or created again. A failure is retried on
`SCRM_WEBHOOK_RETRY_SCHEDULE` (a vendor's rate-limit wait honoured); `crm_jobs_sweep` picks up
jobs whose task was lost.
"""

import contextlib
import logging
from datetime import UTC, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from authors.models import Author, AuthorIdentity
from integrations.crm import CONNECTORS
from integrations.crm.base import CrmError, Interaction, Person, RemoteNotFound
from integrations.models import CrmConnector, CrmContactLink, CrmJob, CrmNoteLink
from integrations.services.webhooks import max_attempts, retry_delay
from mentions.models import Mention
from scrm import outbox
from scrm.models import OutboxEvent

logger = logging.getLogger(__name__)
HANDLER_NAME = "integrations.crm"
A = CrmJob.Action
S = CrmJob.Status
EVENTS = {
    "mention.processed": A.PUSH_MENTION,
    "mention.answered": A.PUSH_REPLY,
    "author.anonymized": A.FORGET_AUTHOR,
}


def connect() -> None:
    for event_type in EVENTS:
        outbox.register(event_type, crm_fan_out, name=HANDLER_NAME)


def crm_fan_out(event: OutboxEvent) -> int:
    action = EVENTS[event.type]
    connectors = list(CrmConnector.objects.filter(active=True))
    if not connectors:
        return 0
    if action == A.FORGET_AUTHOR:
        object_id = event.payload["author_id"]
        # Only the CRMs that hold a contact of this person have something to forget.
        holding = set(
            CrmContactLink.objects.filter(author_id=object_id).values_list(
                "connector_id", flat=True
            )
        )
        connectors = [c for c in connectors if c.pk in holding]
    else:
        object_id = event.payload["mention_id"]
        category = event.payload.get("category")
        if category is None:
            category = (
                Mention.objects.filter(pk=object_id).values_list("category__key", flat=True).first()
            )
        connectors = [c for c in connectors if c.wants_category(category)]
    now = timezone.now()
    CrmJob.objects.bulk_create(
        [
            CrmJob(
                connector=c, event=event, action=action, object_id=object_id, next_attempt_at=now
            )
            for c in connectors
        ],
        ignore_conflicts=True,
    )
    ids = list(CrmJob.objects.filter(event=event, status=S.PENDING).values_list("id", flat=True))
    transaction.on_commit(partial(crm_jobs_enqueue, job_ids=ids), robust=True)
    return len(ids)


def crm_jobs_enqueue(*, job_ids) -> None:
    from integrations.tasks import crm_job_run_task

    for pk in job_ids:
        try:
            crm_job_run_task.delay(pk)
        except Exception as exc:  # the sweeper retries
            logger.warning("Broker unavailable; CRM jobs left for the sweeper: %s", exc)
            return


def crm_jobs_sweep() -> int:
    ids = list(
        CrmJob.objects.filter(
            status=S.PENDING, next_attempt_at__lte=timezone.now(), connector__active=True
        ).values_list("id", flat=True)[:1000]
    )
    crm_jobs_enqueue(job_ids=ids)
    return len(ids)


def _person(author: Author) -> Person:
    identities = list(AuthorIdentity.objects.filter(author=author, erased=False).order_by("id"))
    return Person(
        author_id=author.pk,
        name=author.display_name,
        crm_external_id=author.crm_external_id,
        profile_urls=[i.profile_url for i in identities if i.profile_url],
        handles=[(i.platform, i.handle) for i in identities if i.handle],
    )


def _contact(client, connector: CrmConnector, author: Author, *, fresh=False) -> str:
    link = CrmContactLink.objects.filter(connector=connector, author=author).first()
    if link is not None and not fresh:
        return link.remote_id
    person = _person(author)
    remote = client.find_contact(person) or client.create_contact(person)
    CrmContactLink.objects.update_or_create(
        connector=connector, author=author, defaults={"remote_id": remote}
    )
    return remote


def _text(mention: Mention, kind: str) -> str:
    where = (
        f"[{mention.get_platform_display()} · {mention.category.key if mention.category else '—'}]"
    )
    when = f"{mention.published_at:%d.%m.%Y %H:%M}"
    if kind == "reply":
        answered = f"{mention.answered_at:%d.%m.%Y %H:%M}" if mention.answered_at else ""
        return f"{where} Ответ бренда опубликован {answered}\n{mention.url}".strip()
    return f"{where} {when}\n«{mention.text[:2000]}»\n{mention.url}".strip()


def _push(client, connector, mention: Mention, kind: str) -> None:
    if CrmNoteLink.objects.filter(connector=connector, mention=mention, kind=kind).exists():
        return  # done before: a retry adds nothing
    if mention.author is None or mention.author.anonymized_at:
        return
    contact = _contact(client, connector, mention.author)
    at = mention.answered_at if kind == "reply" and mention.answered_at else mention.published_at
    interaction = Interaction(
        mention_id=mention.pk,
        kind=kind,
        text=_text(mention, kind),
        at=at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    )
    try:
        note = client.add_note(contact, interaction)
    except RemoteNotFound:  # the contact was deleted in the CRM: find or create it again
        contact = _contact(client, connector, mention.author, fresh=True)
        note = client.add_note(contact, interaction)
    with contextlib.suppress(IntegrityError):
        CrmNoteLink.objects.create(connector=connector, mention=mention, kind=kind, remote_id=note)


def _forget(client, connector, author_id: int) -> None:
    for link in CrmContactLink.objects.filter(connector=connector, author_id=author_id):
        client.delete_contact(link.remote_id)
        link.delete()


def crm_job_run(*, job_id: int) -> bool:
    """Do one job; True when done. Safe to run twice (a done job is left alone)."""
    with transaction.atomic():
        job = (
            CrmJob.objects.select_for_update(skip_locked=True)
            .select_related("connector")
            .filter(pk=job_id, status=S.PENDING, next_attempt_at__lte=timezone.now())
            .first()
        )
        if job is None or not job.connector.active:
            return False
        # Counted and rescheduled first: a worker killed mid-call leaves a job due again.
        job.attempts += 1
        job.next_attempt_at = timezone.now() + max(retry_delay(job.attempts), timedelta(minutes=2))
        job.save(update_fields=["attempts", "next_attempt_at"])
    client = CONNECTORS[job.connector.kind](job.connector)
    try:
        if job.action == A.FORGET_AUTHOR:
            _forget(client, job.connector, job.object_id)
        else:
            mention = (
                Mention.objects.select_related("author", "category")
                .filter(pk=job.object_id)
                .first()
            )
            if mention is not None:
                kind = "reply" if job.action == A.PUSH_REPLY else "mention"
                if kind == "reply":  # the mention itself first, so the reply follows it
                    _push(client, job.connector, mention, "mention")
                _push(client, job.connector, mention, kind)
    except CrmError as exc:
        now = timezone.now()
        job.last_error = str(exc)[:500]
        if exc.permanent or job.attempts >= max_attempts():
            job.status = S.FAILED
        else:
            wait = retry_delay(job.attempts)
            if exc.retry_after:
                wait = max(wait, timedelta(seconds=exc.retry_after))
            job.next_attempt_at = now + wait
        job.save(update_fields=["status", "last_error", "next_attempt_at"])
        logger.warning("CRM job %s (%s) failed: %s", job.pk, job.connector, exc)
        return False
    job.status, job.done_at, job.last_error = S.DONE, timezone.now(), ""
    job.save(update_fields=["status", "done_at", "last_error"])
    return True
