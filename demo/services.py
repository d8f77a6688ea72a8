"""Loading the demo data set (a fictional telecom, its brands and competitors)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from demo.data.subjects import SUBJECTS
from demo.generator import build_demo_mentions
from knowledge_base.demo_articles import ARTICLES
from knowledge_base.importing import ImportResult, articles_import
from mentions.models import Source, TrackedSubject
from mentions.services.configuration import source_create, subject_create, subject_update
from mentions.services.ingest import mentions_ingest

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
