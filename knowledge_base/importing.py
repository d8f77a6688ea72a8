"""The company's existing brief into the base, and back out: JSON lines or CSV, keyed by an
external id, safe to rerun.

A row: `external_id` (required), `question`, `answer`, `phrasings`, `language`, `categories`,
`subjects`, `tags`. In CSV the list fields are separated by `|`; a column mapping
(`{"Вопрос": "question", ...}`) renames the company's columns. Rerunning an import updates the
articles whose row changed (a published article gets a new version) and leaves the others alone.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from knowledge_base import services
from knowledge_base.models import Article
from scrm.errors import ApplicationError

FIELDS = (
    "external_id",
    "question",
    "answer",
    "phrasings",
    "language",
    "categories",
    "subjects",
    "tags",
)
LIST_FIELDS = ("phrasings", "categories", "subjects", "tags")
LIST_SEPARATOR = "|"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[int, dict]] = field(default_factory=list)


def read_rows(path: str, *, fmt: str, mapping: dict[str, str] | None = None) -> list[dict]:
    """Rows of a JSON-lines or CSV file, with columns renamed by `mapping`."""
    mapping = mapping or {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        if fmt == "jsonl":
            raw = [json.loads(line) for line in handle if line.strip()]
        else:
            raw = list(csv.DictReader(handle))
    rows = []
    for item in raw:
        row = {mapping.get(k, k): v for k, v in item.items()}
        for name in LIST_FIELDS:
            if isinstance(row.get(name), str):
                row[name] = [p.strip() for p in row[name].split(LIST_SEPARATOR) if p.strip()]
        rows.append({k: v for k, v in row.items() if k in FIELDS})
    return rows


def articles_import(
    *, rows: Iterable[dict], user=None, publish: bool = True, progress: Callable | None = None
) -> ImportResult:
    """Create or update one article per row, by `external_id`; each row succeeds or fails
    alone (in its own transaction)."""
    result = ImportResult()
    for number, row in enumerate(rows, start=1):
        try:
            outcome = _import_row(row, user=user, publish=publish)
        except ApplicationError as exc:
            result.failed.append((number, exc.errors or {"non_field_errors": [exc.detail]}))
        else:
            setattr(result, outcome, getattr(result, outcome) + 1)
        if progress:
            progress(1)
    return result


@transaction.atomic
def _import_row(row: dict, *, user, publish: bool) -> str:
    external_id = str(row.get("external_id") or "").strip()
    if not external_id:
        raise services.InvalidInput(errors={"external_id": ["Required."]})
    fields = {k: row[k] for k in FIELDS if k in row and k != "external_id"}
    existing = Article.objects.filter(external_id=external_id).first()
    if existing is None:
        services.article_create(
            user=user, external_id=external_id, publish=publish, **_defaults(fields)
        )
        return "created"
    before = services.snapshot(existing)
    article = services.article_update(article_id=existing.pk, user=user, fields=fields)
    if publish and article.status != Article.Status.PUBLISHED:
        services.article_publish(article_id=article.pk, user=user)
        return "updated"
    return "unchanged" if services.snapshot(article) == before else "updated"


def _defaults(fields: dict) -> dict:
    return {
        "question": fields.get("question", ""),
        "answer": fields.get("answer", ""),
        "phrasings": fields.get("phrasings") or [],
        "language": fields.get("language") or "ru",
        "categories": fields.get("categories") or [],
        "subjects": fields.get("subjects") or [],
        "tags": fields.get("tags") or [],
    }


def export_rows(queryset=None) -> Iterator[dict]:
    """Every article that has an external id (or all, with `article-<id>` made up) as a row."""
    qs = queryset if queryset is not None else Article.objects.exclude(status="archived")
    for article in qs.prefetch_related("categories", "subjects").order_by("id"):
        snap = services.snapshot(article)
        yield {"external_id": article.external_id or f"article-{article.pk}", **snap}


def write_rows(path: str, rows: Iterable[dict], *, fmt: str) -> int:
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS) if fmt == "csv" else None
        if writer:
            writer.writeheader()
        for row in rows:
            if writer:
                writer.writerow(
                    {k: LIST_SEPARATOR.join(v) if k in LIST_FIELDS else v for k, v in row.items()}
                )
            else:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count
