"""Processing of ingested mentions, and the outbox that makes sure none is forgotten.

A mention is inserted with `status=new` and `processing_enqueued_at` set in the same transaction.
After commit its id is published to Celery. If the broker is down the marker is cleared, and the
sweeper (a periodic task) re-enqueues every mention still `new` whose marker is empty or older
than `SCRM_REENQUEUE_AFTER_SECONDS`. Processing is a conditional update, so running it twice is
harmless.
"""

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from mentions.models import Mention
from mentions.services.queue import leases_release_expired

logger = logging.getLogger(__name__)

ENQUEUE_CHUNK = 200


def is_backfill(published_at: datetime | None, *, now: datetime | None = None) -> bool:
    """Whether a mention is history rather than news: published more than
    `SCRM_LIVE_WINDOW_HOURS` before it arrived."""
    if published_at is None:
        return False
    now = now or timezone.now()
    return published_at < now - timedelta(hours=settings.SCRM_LIVE_WINDOW_HOURS)


def mentions_enqueue_live_and_backfill(*, live: Sequence[int], backfill: Sequence[int]) -> int:
    """Publish the live ids to the default queue and the backfill ids to the backfill queue;
    returns how many were published. Call after commit."""
    published = mentions_enqueue_processing(mention_ids=live) if live else 0
    if backfill:
        published += mentions_enqueue_processing(mention_ids=backfill, backfill=True)
    return published


def mentions_enqueue_processing(*, mention_ids: Sequence[int], backfill: bool = False) -> int:
    """Publish processing tasks for `mention_ids`; returns how many ids were published.

    Live mentions go to the default queue in tasks of up to 200 ids; `backfill` ones (history
    being imported) to `SCRM_BACKFILL_QUEUE` in tasks of `SCRM_BACKFILL_BATCH`, smaller, so
    that a worker that takes live tasks first never makes a live mention wait long behind one.
    Call after commit. A broker failure is logged, not raised: the ids' markers are cleared so
    the next sweep picks them up.
    """
    from mentions.tasks import process_mentions_task

    size = settings.SCRM_BACKFILL_BATCH if backfill else ENQUEUE_CHUNK
    options = {"queue": settings.SCRM_BACKFILL_QUEUE} if backfill else {}
    published = 0
    for start in range(0, len(mention_ids), size):
        chunk = list(mention_ids[start : start + size])
        try:
            process_mentions_task.apply_async((chunk,), **options)
        except OperationalError as exc:
            # Do not wait on a dead broker once per chunk: leave all the rest to the sweeper.
            rest = list(mention_ids[start:])
            logger.warning(
                "Broker unavailable, %d mentions left for the sweeper: %s", len(rest), exc
            )
            Mention.objects.filter(pk__in=rest, status=Mention.Status.NEW).update(
                processing_enqueued_at=None
            )
            break
        published += len(chunk)
    return published


def mentions_sweep(*, limit: int = 5000) -> dict[str, int]:
    """The periodic sweep: re-enqueue unprocessed mentions and end expired claims."""
    return {
        "reenqueued": mentions_sweep_unprocessed(limit=limit),
        "leases_released": leases_release_expired(),
    }


def mentions_sweep_unprocessed(*, limit: int = 5000) -> int:
    """Re-enqueue mentions whose processing never happened; returns how many were enqueued.

    Picks mentions still `new` whose marker is empty or older than the re-enqueue delay and
    which have been tried fewer than `SCRM_PROCESSING_MAX_ATTEMPTS` times (a mention that keeps
    killing workers is given up on and logged). Two sweepers never pick the same rows
    (SKIP LOCKED on PostgreSQL).
    """
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.SCRM_REENQUEUE_AFTER_SECONDS)
    with transaction.atomic():
        candidates = Mention.objects.filter(
            Q(processing_enqueued_at__isnull=True) | Q(processing_enqueued_at__lt=stale_before),
            Mention.in_status(Mention.Status.NEW),  # off `mention_unprocessed_idx`
        )
        exhausted = candidates.filter(
            processing_attempts__gte=settings.SCRM_PROCESSING_MAX_ATTEMPTS,
            processing_error="",  # those were logged when they failed
        )
        if exhausted.exists():
            logger.error(
                "%d mentions exceeded %d processing attempts and are no longer retried",
                exhausted.count(),
                settings.SCRM_PROCESSING_MAX_ATTEMPTS,
            )
        rows = list(
            candidates.filter(processing_attempts__lt=settings.SCRM_PROCESSING_MAX_ATTEMPTS)
            .order_by("processing_enqueued_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", "published_at")[:limit]
        )
        if not rows:
            return 0
        ids = [pk for pk, _ in rows]
        Mention.objects.filter(pk__in=ids).update(
            processing_enqueued_at=now, processing_attempts=F("processing_attempts") + 1
        )
        live = [pk for pk, published in rows if not is_backfill(published, now=now)]
        backfill = [pk for pk, published in rows if is_backfill(published, now=now)]
        transaction.on_commit(
            lambda: mentions_enqueue_live_and_backfill(live=live, backfill=backfill)
        )
    return len(ids)
