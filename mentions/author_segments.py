"""Authors' segments, recomputed from their mentions whenever one is processed or corrected.

Rules, first that holds (settings in `scrm/settings.py`, "Domain settings"):

1. `detractor`: a negative mention in the last `SCRM_AUTHOR_RECENT_DAYS` days, and more negative
   mentions than positive ones overall;
2. `advocate`: at least `SCRM_AUTHOR_ADVOCATE_MIN_PRAISE` positive mentions and no negative one in
   the last `SCRM_AUTHOR_RECENT_DAYS` days;
3. `influencer`: an identity with at least `SCRM_AUTHOR_INFLUENCER_FOLLOWERS` followers;
4. `customer`: a mention of a stage only customers reach (first review, support, praise,
   abandonment), or a link to the company's CRM;
5. `unknown`.

A mention is negative when its sentiment is negative or its category is `negative` or
`abandonment`; positive when its sentiment is positive or its category is `praise`, and it is
not negative. Noise counts for nothing. A segment a manager pinned is never overridden
(`authors.services.author_segment_set`).
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from authors.models import Author, AuthorIdentity, Segment
from authors.services import author_segment_set
from mentions.models import Mention
from scrm.events import subscribe

logger = logging.getLogger(__name__)

NEGATIVE_CATEGORIES = ("negative", "abandonment")
PRAISE_CATEGORIES = ("praise",)
CUSTOMER_CATEGORIES = ("first_review", "support", "praise", "abandonment")
NOISE_CATEGORIES = ("noise",)


def negative_q() -> Q:
    return Q(sentiment="negative") | Q(category__key__in=NEGATIVE_CATEGORIES)


def positive_q() -> Q:
    return (Q(sentiment="positive") | Q(category__key__in=PRAISE_CATEGORIES)) & ~negative_q()


def counted_q() -> Q:
    """Mentions that say something about the author's relationship (noise does not)."""
    return Q(category__isnull=True) | ~Q(category__key__in=NOISE_CATEGORIES)


def recent_since():
    return timezone.now() - timedelta(days=settings.SCRM_AUTHOR_RECENT_DAYS)


@dataclass(frozen=True)
class AuthorStats:
    positives: int = 0
    negatives: int = 0
    recent_negatives: int = 0
    customer_mentions: int = 0
    followers: int = 0
    crm_linked: bool = False


def segment_for(stats: AuthorStats) -> str:
    if stats.recent_negatives and stats.negatives > stats.positives:
        return Segment.DETRACTOR
    if stats.positives >= settings.SCRM_AUTHOR_ADVOCATE_MIN_PRAISE and not stats.recent_negatives:
        return Segment.ADVOCATE
    if stats.followers >= settings.SCRM_AUTHOR_INFLUENCER_FOLLOWERS:
        return Segment.INFLUENCER
    if stats.customer_mentions or stats.crm_linked:
        return Segment.CUSTOMER
    return Segment.UNKNOWN


def author_stats(author_ids: Iterable[int]) -> dict[int, AuthorStats]:
    """What the segment rules read, for each author, in three queries."""
    ids = sorted(set(author_ids))
    if not ids:
        return {}
    since = recent_since()
    counts = {
        row["author_id"]: row
        for row in Mention.objects.filter(author_id__in=ids)
        .filter(counted_q())
        .order_by()
        .values("author_id")
        .annotate(
            positives=Count("id", filter=positive_q()),
            negatives=Count("id", filter=negative_q()),
            recent_negatives=Count("id", filter=negative_q() & Q(published_at__gte=since)),
            customer_mentions=Count("id", filter=Q(category__key__in=CUSTOMER_CATEGORIES)),
        )
    }
    followers = dict(
        AuthorIdentity.objects.filter(author_id__in=ids)
        .order_by()
        .values("author_id")
        .annotate(most=Max("followers"))
        .values_list("author_id", "most")
    )
    linked = dict(Author.objects.filter(pk__in=ids).values_list("pk", "crm_external_id"))
    stats = {}
    for author_id in linked:
        row = counts.get(author_id, {})
        stats[author_id] = AuthorStats(
            positives=row.get("positives", 0),
            negatives=row.get("negatives", 0),
            recent_negatives=row.get("recent_negatives", 0),
            customer_mentions=row.get("customer_mentions", 0),
            followers=followers.get(author_id) or 0,
            crm_linked=bool(linked[author_id]),
        )
    return stats


def author_segments_recompute(*, author_ids: Iterable[int]) -> int:
    """Recompute and store the segments of these authors; returns how many changed."""
    stats = author_stats(author_ids)
    if not stats:
        return 0
    return author_segment_set(
        segments={author_id: segment_for(s) for author_id, s in stats.items()}
    )


def _on_mentions_changed(payload: dict) -> None:
    author_ids = set(
        Mention.objects.filter(pk__in=payload.get("mention_ids") or (), author_id__isnull=False)
        .values_list("author_id", flat=True)
        .distinct()
    )
    author_segments_recompute(author_ids=author_ids)


def _on_author_changed(payload: dict) -> None:
    ids = payload.get("author_ids") or [payload["author_id"]]
    author_segments_recompute(author_ids=ids)


def connect() -> None:
    """Subscribe to the events that change a segment (called from `MentionsConfig.ready`)."""
    subscribe("mentions.processed", _on_mentions_changed)
    subscribe("mentions.corrected", _on_mentions_changed)
    subscribe("authors.merged", _on_author_changed)
    subscribe("authors.segment_unpinned", _on_author_changed)
