"""Daily roll-ups behind the mention-count reports (Share of Voice, sentiment, engagement, the
consumer-cycle mix): `MentionDay` rows, one per day and combination of what those reports group
and filter by, so that a report over 90 days of a million mentions reads a few thousand rows.

How they stay exact:

- Every service that changes what these reports count (ingest, including a re-report that
  raises counters; processing; corrections) publishes `mentions.changed` inside its
  transaction; `note_changes` writes one `RollupChange` row per day it touches, in that same
  transaction: a committed change always leaves its note, a rolled-back one never does.
- A day is recomputed whole from the mentions (`refresh_day`), never adjusted by deltas, and
  deletes exactly the notes it read before recomputing: a note written meanwhile stays for
  the next refresh. Recomputes take one lock (PostgreSQL advisory lock), so two never
  interleave their deletes and inserts.
- A report reads the roll-ups for its clean days and the mentions themselves for its noted
  (changed, not yet recomputed) days (`plan`), so a correction shows in the very next report,
  and a report never writes (it can run on a read replica). With more noted days in its
  range than `SCRM_REPORT_ROLLUP_REFRESH_DAYS` (a backfill under way), roll-ups built in
  another zone than the report's, or a `source` filter, it reads the mentions only.
- `refresh` (Celery beat, every `SCRM_ROLLUP_REFRESH_INTERVAL_SECONDS`) recomputes noted days;
  it rebuilds everything when the roll-ups were never built or `SCRM_REPORT_TIME_ZONE`
  changed. `manage.py rebuild_report_rollups` rebuilds (or `--check`s) them by hand.

The support and advocates reports and the consumer-cycle moves read the mentions (their
figures are per question and per author, not sums per day).
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from analytics.models import MentionDay, RollupChange, RollupState
from mentions.models import Mention, MentionSubject

logger = logging.getLogger(__name__)

SUMS = ("likes", "comments", "reposts", "views", "reach")
KEY = ("platform", "source_type", "category_id", "sentiment")
# What a subject's row reads from the subject link itself rather than from the mention: the
# subject, and the author's sentiment towards it (`MentionSubject.sentiment`). The rows of the
# mentions themselves (`subject_id` 0) read the mention's own sentiment.
LINK_OWN = ("subject_id", "sentiment")
REBUILD_CHUNK_DAYS = 31
REFRESH_MAX_DAYS_PER_RUN = 31
_LOCK_KEY = 0x5C12_0001  # the advisory lock all roll-up writes take (PostgreSQL)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.SCRM_REPORT_TIME_ZONE)


def day_bounds(first: date, last: date, zone) -> tuple[datetime, datetime]:
    """The instants from midnight of `first` to midnight after `last` in `zone`."""
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
    )


# --- Noting changes (in the changing transaction) -------------------------------------------


def note_changes(*, published_at: Iterable[datetime]) -> int:
    """Note the days of these publication times as changed; returns how many days."""
    if not settings.SCRM_REPORT_ROLLUPS:
        return 0
    zone = _zone()
    days = sorted({value.astimezone(zone).date() for value in published_at if value})
    RollupChange.objects.bulk_create([RollupChange(day=day) for day in days])
    return len(days)


# --- Computing days from the mentions --------------------------------------------------------


def _row(values: dict, *, with_subject_id: int, subject_id: int, main: int) -> MentionDay:
    return MentionDay(
        day=values["day"],
        with_subject_id=with_subject_id,
        subject_id=subject_id,
        platform=values["platform"],
        source_type=values["source_type"],
        category_id=values["category_id"] or 0,
        sentiment=values["sentiment"] or "",
        mentions=values["mentions"],
        main=main,
        **{name: values[name] for name in SUMS},
    )


def _sum_into(summed: dict, values: dict, *, with_subject_id: int, subject_id: int) -> None:
    """Add one group's sums to the roll-up row it belongs to (rows that group finer than a
    roll-up row, by both sentiments, add up into it)."""
    key = (with_subject_id, subject_id, values["day"], *(values[name] for name in KEY))
    into = summed.get(key)
    if into is None:
        summed[key] = dict(values)
        return
    for name in ("mentions", "main_links", *SUMS):
        into[name] += values[name]


def compute_days(first: date, last: date, zone) -> list[MentionDay]:
    """The roll-up rows of the days `first`..`last` as the mentions say now. Three queries:
    the mentions, their subject links, and the pairs of links of one mention (the rows of
    the `subject` filter)."""
    start, end = day_bounds(first, last, zone)
    rows: list[MentionDay] = []
    mentions = (
        Mention.objects.filter(published_at__gte=start, published_at__lt=end)
        .annotate(day=TruncDate("published_at", tzinfo=zone))
        .values("day", *KEY)
        .annotate(mentions=Count("id"), **{n: Coalesce(Sum(n), 0) for n in SUMS})
        .order_by()
    )
    for values in mentions:
        rows.append(_row(values, with_subject_id=0, subject_id=0, main=0))

    links = MentionSubject.objects.filter(
        mention__published_at__gte=start, mention__published_at__lt=end
    ).annotate(
        day=TruncDate("mention__published_at", tzinfo=zone),
        mention_sentiment=F("mention__sentiment"),
        **{name: F(f"mention__{name}") for name in KEY if name not in LINK_OWN},
    )
    sums = {
        "mentions": Count("id"),
        "main_links": Count("id", filter=Q(is_main=True)),
        **{n: Coalesce(Sum(f"mention__{n}"), 0) for n in SUMS},
    }
    # A subject's row counts the link's sentiment; the row of the mentions naming the subject
    # (what the `subject` filter reads as `all`) counts the mention's own: grouped by both,
    # then summed into each kind of row.
    summed: dict[tuple, dict] = {}
    grouped = links.values("day", "subject_id", "mention_sentiment", *KEY)
    for values in grouped.annotate(**sums).order_by():
        subject = values["subject_id"]
        _sum_into(summed, values, with_subject_id=0, subject_id=subject)
        # The mentions naming `subject`, counted once each (one link per mention and subject).
        of_mention = {**values, "sentiment": values["mention_sentiment"], "main_links": 0}
        _sum_into(summed, of_mention, with_subject_id=subject, subject_id=0)
    for (with_subject_id, subject_id, *_key), values in summed.items():
        rows.append(
            _row(
                values,
                with_subject_id=with_subject_id,
                subject_id=subject_id,
                main=values["main_links"],
            )
        )
    pairs = (
        links.annotate(with_subject=F("mention__subject_links__subject_id"))
        .values("day", "with_subject", "subject_id", *KEY)
        .annotate(**sums)
        .order_by()
    )
    for values in pairs:
        rows.append(
            _row(
                values,
                with_subject_id=values["with_subject"],
                subject_id=values["subject_id"],
                main=values["main_links"],
            )
        )
    return rows


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    # SQLite: one writer at a time already.


def _replace(first: date, last: date, zone) -> int:
    MentionDay.objects.filter(day__gte=first, day__lte=last).delete()
    rows = compute_days(first, last, zone)
    MentionDay.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def refresh_day(day: date) -> bool:
    """Recompute `day` if it is noted as changed; returns whether it was."""
    with transaction.atomic():
        _lock()
        noted = list(RollupChange.objects.filter(day=day).values_list("pk", flat=True))
        if not noted:
            return False  # another refresh did it while this one waited for the lock
        _replace(day, day, _zone())
        RollupChange.objects.filter(pk__in=noted).delete()
    return True


def _chunks(first: date, last: date, size: int) -> Iterable[tuple[date, date]]:
    current = first
    while current <= last:
        end = min(last, current + timedelta(days=size - 1))
        yield current, end
        current = end + timedelta(days=1)


def rebuild(*, first: date | None = None, last: date | None = None) -> int:
    """Recompute every day that has mentions (or `first`..`last`), a month per transaction;
    returns the rows written. A full rebuild also records the zone the roll-ups are now in
    (until it ends, a report in the new zone reads the mentions)."""
    zone = _zone()
    full = first is None and last is None
    bounds = Mention.objects.aggregate(first=Min("published_at"), last=Max("published_at"))
    if bounds["first"] is None:
        first = last = timezone.now().astimezone(zone).date()
    else:
        first = first or bounds["first"].astimezone(zone).date()
        last = last or bounds["last"].astimezone(zone).date()
    written = 0
    for chunk_first, chunk_last in _chunks(first, last, REBUILD_CHUNK_DAYS):
        with transaction.atomic():
            _lock()
            noted = list(
                RollupChange.objects.filter(day__gte=chunk_first, day__lte=chunk_last).values_list(
                    "pk", flat=True
                )
            )
            written += _replace(chunk_first, chunk_last, zone)
            RollupChange.objects.filter(pk__in=noted).delete()
    if full:
        with transaction.atomic():
            _lock()
            outside = Q(day__lt=first) | Q(day__gt=last)
            MentionDay.objects.filter(outside).delete()
            RollupChange.objects.filter(outside).delete()
            RollupState.objects.all().delete()
            RollupState.objects.create(zone=zone.key, built_at=timezone.now())
    return written


def refresh(*, max_days: int = REFRESH_MAX_DAYS_PER_RUN) -> int:
    """The periodic task's work: rebuild when never built or built in another zone, else
    recompute up to `max_days` noted days, oldest first; returns the days recomputed."""
    if not settings.SCRM_REPORT_ROLLUPS:
        return 0
    state = RollupState.objects.first()
    if state is None or state.zone != settings.SCRM_REPORT_TIME_ZONE:
        logger.info("Report roll-ups: full rebuild in %s", settings.SCRM_REPORT_TIME_ZONE)
        rebuild()
        return -1
    days = list(
        RollupChange.objects.order_by("day").values_list("day", flat=True).distinct()[:max_days]
    )
    return sum(refresh_day(day) for day in days)


def _as_tuples(rows: Iterable[MentionDay]) -> set[tuple]:
    fields = ("day", "with_subject_id", "subject_id", *KEY, "mentions", "main", *SUMS)
    return {tuple(getattr(row, name) for name in fields) for row in rows}


def check(*, first: date | None = None, last: date | None = None) -> list[date]:
    """The days whose stored rows differ from a recomputation (noted days excepted: they are
    known to be behind)."""
    zone = _zone()
    bounds = Mention.objects.aggregate(first=Min("published_at"), last=Max("published_at"))
    if bounds["first"] is None:
        return sorted(set(MentionDay.objects.values_list("day", flat=True)))
    first = first or bounds["first"].astimezone(zone).date()
    last = last or bounds["last"].astimezone(zone).date()
    noted = set(RollupChange.objects.values_list("day", flat=True))
    wrong: list[date] = []
    for chunk_first, chunk_last in _chunks(first, last, REBUILD_CHUNK_DAYS):
        expected: dict[date, set] = {}
        for row in _as_tuples(compute_days(chunk_first, chunk_last, zone)):
            expected.setdefault(row[0], set()).add(row)
        stored: dict[date, set] = {}
        in_chunk = MentionDay.objects.filter(day__gte=chunk_first, day__lte=chunk_last)
        for row in _as_tuples(in_chunk):
            stored.setdefault(row[0], set()).add(row)
        for day in sorted(set(expected) | set(stored)):
            if day not in noted and expected.get(day) != stored.get(day):
                wrong.append(day)
    return wrong


# --- Reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """How a report reads its range: `rollups` false, the mentions only; else the roll-ups,
    and the mentions for `noted_days` (changed since their last recompute)."""

    rollups: bool
    noted_days: tuple[date, ...] = ()


MENTIONS_ONLY = Plan(rollups=False)


def plan(params) -> Plan:
    """Two queries: the roll-ups' state and the range's noted days."""
    if not settings.SCRM_REPORT_ROLLUPS:
        return MENTIONS_ONLY
    if params.source is not None:  # not in the roll-ups' key
        return MENTIONS_ONLY
    state = RollupState.objects.only("zone").first()
    # Built in the report's zone, and still in the configured one: after a change of
    # `SCRM_REPORT_TIME_ZONE` the notes are cut in the new zone, so the old rows are not kept
    # exact even for a report asking the old zone, until `refresh` rebuilds them.
    if state is None or not (state.zone == params.tz_name == settings.SCRM_REPORT_TIME_ZONE):
        return MENTIONS_ONLY
    limit = settings.SCRM_REPORT_ROLLUP_REFRESH_DAYS
    noted = tuple(
        RollupChange.objects.filter(day__gte=params.date_from, day__lte=params.date_to)
        .order_by("day")
        .values_list("day", flat=True)
        .distinct()[: limit + 1]
    )
    if len(noted) > limit:
        return MENTIONS_ONLY
    return Plan(rollups=True, noted_days=noted)


def days_filter(days: Sequence[date], zone, field: str = "published_at") -> Q:
    """The publication times that fall on `days` in `zone`."""
    q = Q()
    for day in days:
        start, end = day_bounds(day, day, zone)
        q |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return q
