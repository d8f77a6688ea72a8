"""Ingestion: every door (API, bulk, source push, file import) goes through `mentions_ingest`.

normalise (the door's adapter) -> validate -> find or create author identities (committed on
their own) -> insert mentions idempotently -> match tracked subjects -> write the authors' newer
facts -> commit -> after commit, enqueue processing.
"""

import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import orjson
from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone

from authors.privacy import ERASED_TEXT
from authors.services.identities import (
    IdentityData,
    author_identities_resolve,
    author_identities_write_facts,
)
from mentions.adapters import AdapterError
from mentions.ingest.schema import EngagementIn, MentionIn, payload_json, validate_mention
from mentions.ingest.writer import ENGAGEMENT_FIELDS, upsert_mentions
from mentions.models import Mention, MentionSubject, Source, TrackedSubject
from mentions.privacy import ERASED_RAW
from mentions.selectors import subject_matcher
from mentions.services.processing_outbox import is_backfill, mentions_enqueue_processing
from scrm import outbox
from scrm.db import insert_rows
from scrm.events import publish_in_transaction

logger = logging.getLogger(__name__)

_NO_ENGAGEMENT = EngagementIn()
_ERASED_RAW_JSON = orjson.dumps(ERASED_RAW)


@dataclass
class ItemResult:
    index: int
    status: str  # created | duplicate | failed
    id: int | None = None
    errors: dict[str, list[str]] | None = None

    def as_dict(self) -> dict:
        return {"index": self.index, "status": self.status, "id": self.id, "errors": self.errors}


@dataclass
class IngestResult:
    results: list[ItemResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for item in self.results if item.status == status)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def duplicates(self) -> int:
        return self.count("duplicate")

    @property
    def failed(self) -> int:
        return self.count("failed")

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "duplicates": self.duplicates,
            "failed": self.failed,
            "results": [item.as_dict() for item in self.results],
        }


def default_source() -> Source:
    source, _ = Source.objects.get_or_create(
        key=settings.SCRM_DEFAULT_SOURCE_KEY,
        defaults={"name": "API", "kind": Source.Kind.GENERIC},
    )
    return source


def mentions_ingest(
    *,
    items: Sequence[Mapping],
    source: Source | None = None,
    raws: Sequence[Mapping] | None = None,
    backfill: bool = False,
) -> IngestResult:
    """Store a batch of mentions in the generic schema; each item succeeds or fails alone.

    Guarantees:
    - one row per `(source, external_id)`: a mention seen before is a `duplicate` and only its
      engagement counters move, and only forward: a counter the report carries is raised to
      the reported value if that is higher, one it leaves out (or reports lower) is kept;
      within one batch the first copy of a key is the one stored, later copies are
      duplicates that only bring their counters;
    - an author anonymized before (an erased identity) gets nothing personal back: the
      mention's text, title, URL and raw payload are stored as placeholders;
    - nothing the database cannot store gets past validation (see `mentions.ingest.schema`),
      so a failed item leaves nothing behind, not even a new author identity;
    - everything is committed before anything is enqueued; processing is enqueued after commit
      and the row carries the marker the sweeper uses if the broker was down;
    - an invalid item is `failed` with per-field errors and does not stop the others.

    `raws[i]` is what the door received for `items[i]` (a vendor payload); by default the item
    itself. `source` is used for items that do not name one (default: the API source).
    Processing of `backfill` batches (a history import), and of mentions published more than
    `SCRM_LIVE_WINDOW_HOURS` ago, goes to the backfill queue, so live mentions never wait
    behind them.
    """
    result = IngestResult(results=[ItemResult(index=i, status="failed") for i in range(len(items))])
    raws = raws or items
    valid: list[tuple[int, MentionIn]] = []
    payloads: dict[int, bytes] = {}
    for index, data in enumerate(items):
        mention, errors = validate_mention(data)
        if not errors:
            payloads[index], errors = payload_json(raws[index])
        if errors:
            result.results[index].errors = errors
        else:
            valid.append((index, mention))
    if not valid:
        return result

    for attempt in range(1, _DEADLOCK_RETRIES + 1):
        try:
            sources = _resolve_sources(valid, fallback=source, result=result)
            stored = [(index, m) for index, m in valid if index in sources]
            if stored:
                _store(stored, sources, raws, payloads, result, backfill=backfill)
            return result
        except OperationalError as exc:
            # Concurrent batches that share keys can deadlock; PostgreSQL aborts one of them.
            # Retrying the whole transaction is safe: nothing of it was committed.
            if not _is_retryable(exc) or attempt == _DEADLOCK_RETRIES or _in_outer_atomic():
                raise
            logger.info("ingest transaction retried after %s (attempt %d)", exc, attempt)
            time.sleep(random.uniform(0.01, 0.05) * attempt)
            for index, _ in valid:
                result.results[index] = ItemResult(index=index, status="failed")
    return result


_DEADLOCK_RETRIES = 5
_RETRYABLE_SQLSTATES = {"40P01", "40001"}  # deadlock_detected, serialization_failure


def _is_retryable(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) in _RETRYABLE_SQLSTATES


def _in_outer_atomic() -> bool:
    return transaction.get_connection().in_atomic_block


def mentions_ingest_records(
    *, records: Sequence, adapter: Callable[[dict], dict], source: Source, backfill: bool = False
) -> IngestResult:
    """Translate a monitoring tool's records with `adapter`, then ingest them into `source`.

    Same guarantees as `mentions_ingest`; a record the adapter rejects fails alone, at its own
    index, and the vendor record is what is kept as the raw payload.
    """
    translated: list[tuple[int, dict]] = []
    failures: dict[int, dict[str, list[str]]] = {}
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            failures[index] = {"non_field_errors": ["Expected a JSON object."]}
            continue
        try:
            item = dict(adapter(record))
        except AdapterError as exc:
            failures[index] = exc.errors
            continue
        item.pop("source", None)  # a push authenticated for one source writes only there
        translated.append((index, item))
    inner = mentions_ingest(
        items=[item for _, item in translated],
        raws=[records[index] for index, _ in translated],
        source=source,
        backfill=backfill,
    )
    result = IngestResult()
    stored = {index: item for (index, _), item in zip(translated, inner.results, strict=True)}
    for index in range(len(records)):
        if index in failures:
            result.results.append(ItemResult(index=index, status="failed", errors=failures[index]))
        else:
            item = stored[index]
            item.index = index
            result.results.append(item)
    return result


def _resolve_sources(valid, *, fallback: Source | None, result: IngestResult) -> dict[int, Source]:
    keys = {m.source for _, m in valid if m.source}
    by_key = {s.key: s for s in Source.objects.filter(key__in=keys)} if keys else {}
    chosen: dict[int, Source] = {}
    for index, mention in valid:
        if mention.source:
            found = by_key.get(mention.source)
            if found is None or not found.active:
                result.results[index].errors = {
                    "source": [f"Unknown or inactive source '{mention.source}'."]
                }
                continue
            chosen[index] = found
        else:
            fallback = fallback or default_source()
            chosen[index] = fallback
    return chosen


def _store(
    valid, sources: dict[int, Source], raws, payloads, result: IngestResult, *, backfill: bool
) -> None:
    now = timezone.now()

    # The same (source, external_id) twice in one batch is one mention, as across batches: the
    # first copy is stored, the later ones only bring their counters.
    occurrences: dict[tuple[int, str], list[int]] = {}
    for index, mention in valid:
        occurrences.setdefault((sources[index].pk, mention.external_id), []).append(index)
    by_index = dict(valid)
    # Rows are written in key order so that concurrent batches lock them in the same order.
    kept = [indices[0] for _, indices in sorted(occurrences.items())]
    unique = [(index, by_index[index]) for index in kept]
    counters = {
        indices[0]: _highest_counters([by_index[i] for i in indices])
        for indices in occurrences.values()
        if len(indices) > 1
    }

    # The accounts first, committed on their own: a batch that creates an account holds its new
    # rows only until this commit, not through the whole batch, so concurrent batches that
    # report the same new account wait milliseconds, not a whole batch. (An account stored for
    # a mention that then fails to store is harmless; the retry finds it.)
    reports = {index: _identity_data(m) for index, m in unique if m.author}
    identities = author_identities_resolve(identities=reports.values())
    accounts = {
        index: identities.by_pair.get((data.platform, data.key)) for index, data in reports.items()
    }
    context = _Batch(raws=raws, payloads=payloads, counters=counters, now=now, backfill=backfill)
    with transaction.atomic():
        _store_mentions(unique, sources, accounts, identities.stale, result, context)

    for indices in occurrences.values():
        winner = result.results[indices[0]]
        for index in indices[1:]:
            result.results[index].status = "duplicate"
            result.results[index].id = winner.id


@dataclass
class _Batch:
    raws: Sequence[Mapping]
    payloads: dict[int, bytes]  # the raw payloads as validated JSON
    counters: dict[int, dict[str, int]]  # the highest counters of keys sent more than once
    now: object
    backfill: bool = False  # a history import: every mention's processing is backfill


def _highest_counters(copies: Sequence[MentionIn]) -> dict[str, int]:
    return {
        name: max(getattr(m.engagement or _NO_ENGAGEMENT, name) for m in copies)
        for name in ENGAGEMENT_FIELDS
    }


def _store_mentions(unique, sources, accounts, stale, result: IngestResult, batch) -> None:
    matcher = subject_matcher()
    subjects_by_key = matcher.subjects_by_key

    rows: list[dict] = []
    found_subjects: list[list[TrackedSubject]] = []
    for index, mention in unique:
        identity = accounts.get(index)
        keys = _subject_keys(mention, matcher)
        subjects = [subjects_by_key[k] for k in keys if k in subjects_by_key]
        found_subjects.append(subjects)
        row = _mention_row(
            mention, sources[index], batch.raws[index], identity, subjects, batch.now
        )
        row["raw_json"] = batch.payloads[index]
        if index in batch.counters:
            row.update(batch.counters[index])
        if identity is not None and identity.erased:
            _scrub(row)
        rows.append(row)

    stored = upsert_mentions(rows)

    created_ids: list[int] = []
    created_events: list[dict] = []
    backfill_ids: list[int] = []
    links: list[tuple[int, int, bool]] = []
    for (index, mention), subjects in zip(unique, found_subjects, strict=True):
        mention_id, created = stored[(sources[index].pk, mention.external_id)]
        result.results[index].status = "created" if created else "duplicate"
        result.results[index].id = mention_id
        if created:
            if batch.backfill or is_backfill(mention.published_at, now=batch.now):
                backfill_ids.append(mention_id)
            else:
                created_ids.append(mention_id)
            links.extend((mention_id, s.pk, i == 0) for i, s in enumerate(subjects))
            identity = accounts.get(index)
            created_events.append(
                {
                    "mention_id": mention_id,
                    "source": sources[index].key,
                    "platform": mention.platform,
                    "author_id": identity.author_id if identity else None,
                }
            )
    insert_rows(MentionSubject, ("mention", "subject", "is_main"), links, ignore_conflicts=True)
    # New mentions, and known ones whose counters a re-report may have raised: the reports'
    # roll-ups recompute their days (a re-report carries the post's own publication time).
    publish_in_transaction(
        "mentions.changed", {"published_at": [mention.published_at for _, mention in unique]}
    )
    # One INSERT for the whole batch, in the batch's transaction.
    outbox.record_many("mention.created", created_events)
    # Last: these rows are the ones concurrent batches reporting the same accounts wait for.
    author_identities_write_facts(identities=stale)

    if created_ids:
        transaction.on_commit(lambda: mentions_enqueue_processing(mention_ids=created_ids))
    if backfill_ids:
        transaction.on_commit(
            lambda: mentions_enqueue_processing(mention_ids=backfill_ids, backfill=True)
        )


def _scrub(row: dict) -> None:
    """What a forgotten person's new mention keeps: as `mentions.privacy` leaves the old ones."""
    row["text"] = ERASED_TEXT if row["text"] else ""
    row["title"] = ERASED_TEXT if row["title"] else ""
    row["url"] = ""
    row["raw"] = dict(ERASED_RAW)
    row["raw_json"] = _ERASED_RAW_JSON


def _identity_data(mention: MentionIn) -> IdentityData:
    author = mention.author
    return IdentityData(
        platform=mention.platform,
        external_id=author.external_id,
        handle=author.handle,
        profile_url=author.profile_url,
        display_name=author.name,
        followers=author.followers,
    )


def _subject_keys(mention: MentionIn, matcher) -> list[str]:
    text = f"{mention.title}\n{mention.text}" if mention.title else mention.text
    keys = matcher.match(text)
    for hinted in mention.subjects:
        if hinted not in keys:
            keys.append(hinted)
    return matcher.order_main_first(keys)


def _mention_row(mention: MentionIn, source, raw, identity, subjects, now) -> dict:
    engagement = mention.engagement or _NO_ENGAGEMENT
    return {
        "source_id": source.pk,
        "external_id": mention.external_id,
        "url": mention.url,
        "platform": mention.platform,
        "source_type": mention.source_type,
        "text": mention.text,
        "title": mention.title,
        "language": mention.language,
        "published_at": mention.published_at,
        "collected_at": mention.collected_at or now,
        "author_id": identity.author_id if identity else None,
        "author_identity_id": identity.pk if identity else None,
        "likes": engagement.likes,
        "comments": engagement.comments,
        "reposts": engagement.reposts,
        "views": engagement.views,
        "reach": engagement.reach,
        "parent_external_id": mention.parent_external_id,
        "discussion_id": mention.discussion_id,
        "source_sentiment": mention.sentiment or "",
        "raw": dict(raw),
        "main_subject_id": subjects[0].pk if subjects else None,
        "status": Mention.Status.NEW,
        "processing_enqueued_at": now,
        "processing_attempts": 0,
        "processed_at": None,
        "created_at": now,
        "updated_at": now,
    }
