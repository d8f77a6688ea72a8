"""Loading the demo data set (a fictional telecom, its brands and competitors)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from demo.data.replies import POLICY, TEMPLATES
from demo.data.subjects import SUBJECTS
from demo.generator import build_demo_mentions
from knowledge_base.demo_articles import ARTICLES
from knowledge_base.importing import ImportResult, articles_import
from mentions.models import Source, TrackedSubject
from mentions.services.configuration import source_create, subject_create, subject_update
from mentions.services.ingest import mentions_ingest
from responses.models import ResponseTemplate
from responses.services.configuration import current_policy, policy_update, template_save

DEMO_SOURCE_KEY = "demo"


@dataclass(frozen=True)
class DemoLoadResult:
    subjects: int
    created: int
    duplicates: int
    failed: int


@transaction.atomic
def _ensure_subjects() -> int:
    for spec in SUBJECTS:
        existing = TrackedSubject.objects.filter(key=spec["key"]).first()
        if existing is None:
            subject_create(**spec)
        else:
            subject_update(subject=existing, **spec)
    return len(SUBJECTS)


def demo_load(*, count: int = 360, batch_size: int = 200) -> DemoLoadResult:
    """Create the demo subjects and source and ingest the demo mentions through the ingest
    service (the same path as the API). Safe to rerun: known mentions are duplicates."""
    subjects = _ensure_subjects()
    source = Source.objects.filter(key=DEMO_SOURCE_KEY).first() or source_create(
        key=DEMO_SOURCE_KEY, name="Demo data", kind=Source.Kind.DEMO
    )
    mentions = build_demo_mentions(now=timezone.now(), count=count)
    created = duplicates = failed = 0
    for start in range(0, len(mentions), batch_size):
        result = mentions_ingest(items=mentions[start : start + batch_size], source=source)
        created += result.created
        duplicates += result.duplicates
        failed += result.failed
    return DemoLoadResult(subjects, created, duplicates, failed)


def demo_articles_load() -> ImportResult:
    """Publish the demo knowledge base (`knowledge_base.demo_articles`, which its search
    evaluation also uses); the demo subjects must exist (`demo_load` first). Safe to rerun."""
    rows = [
        {"external_id": f"demo-{a['key']}", **{k: v for k, v in a.items() if k != "key"}}
        for a in ARTICLES
    ]
    return articles_import(rows=rows, publish=True)


@transaction.atomic
def demo_replies_load() -> tuple[int, int]:
    """The demo communication policy (a first version if there is none; a policy a manager
    edited is left alone) and the demo reply templates (created or brought back to the
    demo's text). Returns (policy version, templates)."""
    policy = current_policy() or policy_update(user=None, fields=POLICY)
    for spec in TEMPLATES:
        existing = ResponseTemplate.objects.filter(key=spec["key"]).first()
        template_save(template=existing, user=None, fields={"active": True, **spec})
    return policy.number, len(TEMPLATES)


DEMO_REPLY_URL = "https://vk.com/wall-1_{mention}?reply=demo"


def demo_replies_answer(*, operator, manager) -> int:
    """Give the demo operator and manager public names, and leave a little history in the
    answer archive and the approvals screen, through the reply services: a complaint answered
    after approval, praise answered at once, one complaint waiting for the manager. Runs once
    (nothing is added when the operator already has replies); returns how many replies."""
    from mentions.models import Mention
    from mentions.services.queue import mention_claim
    from responses.models import Reply
    from responses.services import replies
    from responses.services.configuration import responder_set
    from scrm.errors import ApplicationError

    responder_set(user_id=operator.pk, public_name="Ольга")
    responder_set(user_id=manager.pk, public_name="Марина")
    if Reply.objects.filter(created_by=operator).exists():
        return 0
    plan = [("negative", "apology-outage", True), ("first_review", "thanks-praise", True)]
    plan.append(("negative", "apology-outage", False))
    made = 0
    used: set[int] = set()
    for category, template, send in plan:
        mention = (
            Mention.objects.filter(
                status=Mention.Status.QUEUED,
                category__key=category,
                team__members=operator,
                author__do_not_contact=False,
                author__display_name__gt="",
                source_type="social",
                author__segment__in=("unknown", "customer", "detractor", "advocate"),
            )
            .exclude(pk__in=used)
            .order_by("priority_rank", "id")
            .first()
        )
        if mention is None:
            continue
        used.add(mention.pk)
        try:
            mention_claim(mention_id=mention.pk, user=operator)
            reply = replies.reply_create(
                mention_id=mention.pk, user=operator, template_key=template, signature="employee"
            )
            reply = replies.reply_submit(reply_id=reply.pk, user=operator)
            if send:
                if reply.status == Reply.Status.PENDING_APPROVAL:
                    replies.reply_approve(reply_id=reply.pk, user=manager)
                replies.reply_mark_sent(
                    reply_id=reply.pk,
                    user=operator,
                    external_url=DEMO_REPLY_URL.format(mention=mention.pk),
                )
        except ApplicationError:
            continue
        made += 1
    return made
