"""The reports: every figure is computed from the mentions when asked, by GROUP BY queries over
the range's mentions (the `mention_published_idx` index on `published_at` bounds each scan to
the range asked). Each function runs a fixed number of queries, whatever the range or interval.

The formulas are those of `../shared/DOMAIN.md`, "The metrics" (quoted in the README, section
"Reports"):

- Share of Voice: SoV(%) = publications about the subject / all publications in the industry
  (our subjects and the tracked competitors') × 100, over a period. A mention naming two
  subjects is one publication about each, so the denominator is the sum of the subjects'
  counts and the shares add up to 100.
- Sentiment: positive / neutral / negative shares, social posts and the press apart;
  `net` = (positive − negative) / (positive + neutral + negative) × 100.
- Engagement: likes + comments + reposts over a period (views and reach beside it).
- Support KPIs: questions received vs. processed, time to first response, share answered.
- Advocates: how many authors are loyal fans, and how that number grows.

Common rules: a mention belongs to the bucket of its `published_at` in the report's time zone;
noise (a category with `is_noise`) is left out unless `include_noise`; an unclassified mention
counts (it is not noise until classified so); anonymized authors' mentions count like any other.
"""

import math
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from statistics import median

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Lag, Trunc
from django.utils import timezone

from analytics import rollups
from analytics.models import MentionDay
from analytics.params import ReportParams, bucket_start
from authors.models import Author, Segment
from mentions.models import (
    Category,
    Mention,
    MentionSubject,
    QueueEvent,
    SourceType,
    Team,
    TrackedSubject,
)
from responses.models import Reply
from scrm.platforms import Platform

TOP_AUTHORS = 10
ENGAGEMENT_FIELDS = ("likes", "comments", "reposts", "views", "reach")
SENTIMENTS = ("positive", "neutral", "negative")


# --- The mentions a report reads ------------------------------------------------------------


def _mention_filter(params: ReportParams, prefix: str = "", *, since: datetime | None = None):
    """The Q (and the subject's Exists, if any) that selects the report's mentions; `prefix`
    is the path from the queried model to the mention (`mention__` from MentionSubject)."""
    p = prefix
    q = Q(**{f"{p}published_at__gte": since or params.start, f"{p}published_at__lt": params.end})
    if not params.include_noise:
        q &= Q(**{f"{p}category__isnull": True}) | Q(**{f"{p}category__is_noise": False})
    if params.platform:
        q &= Q(**{f"{p}platform": params.platform})
    if params.source_type:
        q &= Q(**{f"{p}source_type": params.source_type})
    if params.source is not None:
        q &= Q(**{f"{p}source_id": params.source.pk})
    return q


def _with_subject(queryset: QuerySet, params: ReportParams, mention_id: str) -> QuerySet:
    if params.subject is None:
        return queryset
    names = MentionSubject.objects.filter(mention_id=OuterRef(mention_id), subject=params.subject)
    return queryset.filter(Exists(names))


def report_mentions(params: ReportParams, *, since: datetime | None = None) -> QuerySet:
    """The mentions a report counts (published in the range, filters applied, noise out)."""
    queryset = Mention.objects.filter(_mention_filter(params, since=since))
    return _with_subject(queryset, params, "pk")


def report_subject_links(params: ReportParams) -> QuerySet:
    """(mention, subject) pairs of the report's mentions: a mention naming two subjects is in
    it twice, once for each."""
    queryset = MentionSubject.objects.filter(_mention_filter(params, "mention__"))
    return _with_subject(queryset, params, "mention_id")


def _bucket(field: str, params: ReportParams):
    """The first day of the mention's bucket in the report's zone, as a date (a date, not an
    aware datetime: converting tens of thousands of those cost more than the query)."""
    return Trunc(field, params.interval, output_field=DateField(), tzinfo=params.zone)


def _as_date(value, params: ReportParams) -> date:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(params.zone)
        return value.date()
    return value


def _percent(part: float, whole: float) -> float:
    return round(part * 100 / whole, 2) if whole else 0.0


def _range(params: ReportParams) -> dict:
    return {
        "date_from": params.date_from.isoformat(),
        "date_to": params.date_to.isoformat(),
        "interval": params.interval,
        "tz": params.tz_name,
        "include_noise": params.include_noise,
    }


def _subjects(params: ReportParams, seen: set[int]) -> list[TrackedSubject]:
    """The subjects a report lists: the active ones and any other that has mentions in it.
    With `subject`, that one and those named with it (the mentions are the subject's)."""
    queryset = TrackedSubject.objects.filter(Q(active=True) | Q(pk__in=seen))
    subjects = list(queryset.only("id", "key", "name", "is_own"))
    if params.subject is not None:
        subjects = [s for s in subjects if s.pk in seen or s.pk == params.subject.pk]
    return subjects


def _subject_head(subject: TrackedSubject) -> dict:
    return {"key": subject.key, "name": subject.name, "is_own": subject.is_own}


# --- The cells: sums per bucket and group, from the roll-ups or the mentions -----------------

CELL_SUMS = ("mentions", "main", *ENGAGEMENT_FIELDS)


def _mention_rows(params: ReportParams, per_subject: bool, group: tuple[str, ...], days=None):
    """The report's mentions (`per_subject`: their subject links) grouped by bucket and
    `group`, summed; `days` narrows them to those days of the report's zone."""
    if per_subject:
        queryset, prefix = report_subject_links(params), "mention__"
        queryset = queryset.annotate(
            **{g: F(f"{prefix}{g}") for g in group if g not in rollups.LINK_OWN}
        )
        sums = {"mentions": Count("id"), "main": Count("id", filter=Q(is_main=True))}
    else:
        queryset, prefix = report_mentions(params), ""
        sums = {"mentions": Count("id")}
    if days is not None:
        queryset = queryset.filter(rollups.days_filter(days, params.zone, f"{prefix}published_at"))
    sums.update({name: Coalesce(Sum(f"{prefix}{name}"), 0) for name in ENGAGEMENT_FIELDS})
    rows = (
        queryset.annotate(bucket=_bucket(f"{prefix}published_at", params))
        .values("bucket", *group)
        .annotate(**sums)
        .order_by()
    )
    for row in rows:
        row["bucket"] = _as_date(row["bucket"], params)
        yield row


def _rollup_rows(params: ReportParams, plan, per_subject: bool, group: tuple[str, ...]):
    """The same sums from the daily roll-ups, for the range's days not noted as changed."""
    queryset = MentionDay.objects.filter(
        day__gte=params.date_from,
        day__lte=params.date_to,
        with_subject_id=params.subject.pk if params.subject is not None else 0,
    )
    queryset = queryset.exclude(subject_id=0) if per_subject else queryset.filter(subject_id=0)
    if params.platform:
        queryset = queryset.filter(platform=params.platform)
    if params.source_type:
        queryset = queryset.filter(source_type=params.source_type)
    if not params.include_noise:
        counted = Category.objects.filter(is_noise=False).values("pk")
        queryset = queryset.filter(Q(category_id=0) | Q(category_id__in=counted))
    if plan.noted_days:
        queryset = queryset.exclude(day__in=plan.noted_days)
    rows = (
        queryset.values("day", *group)
        .annotate(**{name: Sum(name) for name in CELL_SUMS})
        .order_by()
    )
    for row in rows:
        row["bucket"] = bucket_start(row["day"], params.interval)
        if "category_id" in row:
            row["category_id"] = row["category_id"] or None
        yield row


def _cells(
    params: ReportParams, plan, *, per_subject: bool, group: tuple[str, ...]
) -> dict[tuple, dict]:
    """`{(bucket, *group values): {"mentions", "main", "likes", ...}}` for the report's
    mentions (`per_subject`: their subject links, `subject_id` being in `group`). One query,
    and one more for the noted days when the roll-ups are read (`rollups.plan`)."""
    if plan.rollups:
        sources = [_rollup_rows(params, plan, per_subject, group)]
        if plan.noted_days:
            sources.append(_mention_rows(params, per_subject, group, days=plan.noted_days))
    else:
        sources = [_mention_rows(params, per_subject, group)]
    cells: dict[tuple, dict] = {}
    for source in sources:
        for row in source:
            key = (row["bucket"], *(row[g] for g in group))
            cell = cells.get(key)
            if cell is None:
                cell = cells[key] = dict.fromkeys(CELL_SUMS, 0)
            for name in CELL_SUMS:
                cell[name] += row.get(name) or 0
    return cells


# --- Share of Voice -------------------------------------------------------------------------


def share_of_voice(params: ReportParams) -> dict:
    """Each tracked subject's mentions and its share of all the industry's mentions, in total
    and per period. `weight=engagement` weighs each mention by likes + comments + reposts,
    `weight=reach` by its reach (share of engagement, share of reach); `value` is the weighed
    sum the share is computed from (the mention count when unweighted). Two queries."""
    weigh = {
        "mentions": lambda c: c["mentions"],
        "engagement": lambda c: c["likes"] + c["comments"] + c["reposts"],
        "reach": lambda c: c["reach"],
    }[params.weight]
    cells = _cells(params, rollups.plan(params), per_subject=True, group=("subject_id",))
    by_subject: dict[int, dict[date, tuple[int, int]]] = defaultdict(dict)
    distinct = 0
    for (bucket, subject_id), cell in cells.items():
        distinct += cell["main"]
        by_subject[subject_id][bucket] = (cell["mentions"], weigh(cell))
    periods = params.periods()
    period_totals = {
        start: sum(buckets.get(start, (0, 0))[1] for buckets in by_subject.values())
        for start in periods
    }
    total = sum(period_totals.values())
    subjects = []
    for subject in _subjects(params, set(by_subject)):
        buckets = by_subject.get(subject.pk, {})
        mentions = sum(m for m, _ in buckets.values())
        value = sum(v for _, v in buckets.values())
        subjects.append(
            {
                **_subject_head(subject),
                "mentions": mentions,
                "value": value,
                "share_percent": _percent(value, total),
                "periods": [
                    {
                        "start": start.isoformat(),
                        "mentions": buckets.get(start, (0, 0))[0],
                        "value": buckets.get(start, (0, 0))[1],
                        "share_percent": _percent(
                            buckets.get(start, (0, 0))[1], period_totals[start]
                        ),
                    }
                    for start in periods
                ],
            }
        )
    subjects.sort(key=lambda s: (not s["is_own"], -s["value"], s["key"]))
    return {
        **_range(params),
        "weight": params.weight,
        "subjects": subjects,
        "total": total,
        # Exactly one link of each mention is its main one: their count is the mentions'.
        "distinct_mentions": distinct,
        "periods": [
            {"start": start.isoformat(), "total": period_totals[start]} for start in periods
        ],
    }


# --- Sentiment ------------------------------------------------------------------------------


def _sentiment_block(counts: dict[str, int]) -> dict:
    rated = sum(counts.get(s, 0) for s in SENTIMENTS)
    block = {s: counts.get(s, 0) for s in SENTIMENTS}
    block["net"] = _percent(block["positive"] - block["negative"], rated)
    return block


def _sentiment_series(cells: dict, periods: list[date]) -> dict:
    """`cells[(bucket, source_type)][sentiment]` -> the totals and the periods, social and
    media apart."""
    totals = {t: defaultdict(int) for t in SourceType.values}
    for (_, source_type), counts in cells.items():
        for sentiment, n in counts.items():
            totals[source_type][sentiment] += n
    return {
        "social": _sentiment_block(totals[SourceType.SOCIAL]),
        "media": _sentiment_block(totals[SourceType.MEDIA]),
        "periods": [
            {
                "start": start.isoformat(),
                "social": _sentiment_block(cells.get((start, SourceType.SOCIAL), {})),
                "media": _sentiment_block(cells.get((start, SourceType.MEDIA), {})),
            }
            for start in periods
        ],
    }


def sentiment(params: ReportParams) -> dict:
    """Positive, neutral and negative mentions per subject, social posts and reviews
    (`source_type=social`) apart from the press (`media`), in total and per period; `all` is
    the same over the distinct mentions (one that names two subjects counts once there).

    Which sentiment: a subject's rows count the author's sentiment **towards that subject**
    (the subject link's: the mention's own for a mention naming one subject, its clause's for
    one naming several); `all` counts the mention's own (whole-text) sentiment. An operator's
    correction moves the mention, and its main subject, between buckets at once. Unrated
    mentions (not yet classified) are in no bucket. Three queries."""
    plan = rollups.plan(params)
    group = ("subject_id", "source_type", "sentiment")
    cells: dict[int, dict] = defaultdict(lambda: defaultdict(dict))
    for (bucket, subject_id, source_type, mood), cell in _cells(
        params, plan, per_subject=True, group=group
    ).items():
        if mood:
            cells[subject_id][(bucket, source_type)][mood] = cell["mentions"]
    all_cells: dict = defaultdict(dict)
    for (bucket, source_type, mood), cell in _cells(
        params, plan, per_subject=False, group=("source_type", "sentiment")
    ).items():
        if mood:
            all_cells[(bucket, source_type)][mood] = cell["mentions"]
    periods = params.periods()
    subjects = [
        {**_subject_head(s), **_sentiment_series(cells.get(s.pk, {}), periods)}
        for s in _subjects(params, set(cells))
    ]
    subjects.sort(key=lambda s: (not s["is_own"], s["key"]))
    return {**_range(params), "subjects": subjects, "all": _sentiment_series(all_cells, periods)}


# --- Engagement -----------------------------------------------------------------------------


def _sums(prefix: str = "") -> dict:
    sums = {name: Coalesce(Sum(f"{prefix}{name}"), 0) for name in ENGAGEMENT_FIELDS}
    sums["mentions"] = Count("id")
    return sums


def _engagement(values: dict | None) -> dict:
    values = values or {}
    figures = {name: values.get(name, 0) for name in ("mentions", *ENGAGEMENT_FIELDS)}
    figures["engagement"] = figures["likes"] + figures["comments"] + figures["reposts"]
    return figures


def _add(into: dict, row: dict) -> None:
    for name in ("mentions", *ENGAGEMENT_FIELDS):
        into[name] = into.get(name, 0) + row[name]


def _engagement_series(cells: dict[date, dict], periods: list[date]) -> dict:
    total: dict = {}
    for row in cells.values():
        _add(total, row)
    return {
        **_engagement(total),
        "periods": [
            {"start": start.isoformat(), **_engagement(cells.get(start))} for start in periods
        ],
    }


def engagement(params: ReportParams) -> dict:
    """Likes, comments, reposts (engagement = their sum), views and reach, in total and per
    period; per platform; per subject (a mention naming two subjects counts for each). Three
    queries."""
    plan = rollups.plan(params)
    by_platform: dict[str, dict[date, dict]] = defaultdict(dict)
    everything: dict[date, dict] = defaultdict(dict)
    for (start, platform), cell in _cells(
        params, plan, per_subject=False, group=("platform",)
    ).items():
        by_platform[platform][start] = cell
        _add(everything[start], cell)
    by_subject: dict[int, dict[date, dict]] = defaultdict(dict)
    for (start, subject_id), cell in _cells(
        params, plan, per_subject=True, group=("subject_id",)
    ).items():
        by_subject[subject_id][start] = cell
    periods = params.periods()
    labels = dict(Platform.choices)
    platforms = [
        {"platform": key, "name": labels.get(key, key), **_engagement_series(cells, periods)}
        for key, cells in by_platform.items()
    ]
    platforms.sort(key=lambda p: (-p["engagement"], p["platform"]))
    subjects = [
        {**_subject_head(s), **_engagement_series(by_subject.get(s.pk, {}), periods)}
        for s in _subjects(params, set(by_subject))
    ]
    subjects.sort(key=lambda s: (not s["is_own"], -s["engagement"], s["key"]))
    return {
        **_range(params),
        **_engagement_series(everything, periods),
        "platforms": platforms,
        "subjects": subjects,
    }


# --- Consumer cycle -------------------------------------------------------------------------


def _category_head(category: Category | None) -> dict:
    if category is None:
        return {"key": None, "name_en": "Not classified yet", "name_ru": "Не разобрано"}
    return {
        "key": category.key,
        "name_en": category.name_en,
        "name_ru": category.name_ru,
        "polarity": category.polarity,
    }


def stage_moves(params: ReportParams) -> list[dict]:
    """The authors' movements between consumer-cycle stages that happened in the range: a move
    is a step of the author's path (`profiles`: the stage of each classified, non-noise
    mention, consecutive repeats collapsed) whose mention is in the range; its `from` is the
    author's previous stage, looked for back to `SCRM_REPORT_PATH_LOOKBACK_DAYS` (90) before
    the range, so the cost grows with the period asked, not with the table. The filters narrow
    the path to the mentions they keep (a `platform=vk` report follows paths on VK). One
    query."""
    lookback = params.start - timedelta(days=settings.SCRM_REPORT_PATH_LOOKBACK_DAYS)
    steps = (
        _with_subject(
            Mention.objects.filter(_mention_filter(params, since=lookback)),
            params,
            "pk",
        )
        .filter(author__isnull=False, category__is_stage=True, category__is_noise=False)
        .annotate(
            previous=Window(
                Lag("category_id"),
                partition_by=[F("author_id")],
                order_by=(F("published_at").asc(), F("id").asc()),
            )
        )
        .values("author_id", "category_id", "published_at", "previous")
        .order_by()
    )
    inner, inner_params = steps.query.get_compiler(connection=connection).as_sql()
    start = connection.ops.adapt_datetimefield_value(params.start.astimezone(UTC))
    sql = (
        "SELECT steps.previous, steps.category_id, COUNT(*), COUNT(DISTINCT steps.author_id) "
        f"FROM ({inner}) steps WHERE steps.published_at >= %s AND steps.previous IS NOT NULL "
        "AND steps.previous <> steps.category_id GROUP BY steps.previous, steps.category_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*inner_params, start])
        return [
            {"from_id": a, "to_id": b, "moves": moves, "authors": authors}
            for a, b, moves, authors in cursor.fetchall()
        ]


def consumer_cycle(params: ReportParams) -> dict:
    """Mentions per category per period (unclassified ones apart), and the authors' moves
    between stages in the range (`stage_moves`): how many went from first review to support,
    from negative to abandonment... Three queries."""
    cells: dict[int | None, dict[date, int]] = defaultdict(dict)
    for (bucket, category_id), cell in _cells(
        params, rollups.plan(params), per_subject=False, group=("category_id",)
    ).items():
        cells[category_id][bucket] = cell["mentions"]
    categories = {c.pk: c for c in Category.objects.all()}
    periods = params.periods()
    total = sum(sum(c.values()) for c in cells.values())

    def series(category_id):
        counts = cells.get(category_id, {})
        mentions = sum(counts.values())
        return {
            "mentions": mentions,
            "share_percent": _percent(mentions, total),
            "periods": [
                {"start": start.isoformat(), "mentions": counts.get(start, 0)} for start in periods
            ],
        }

    shown = [
        c
        for c in categories.values()
        if c.pk in cells or (c.active and (params.include_noise or not c.is_noise))
    ]
    moves = stage_moves(params)
    transitions = []
    for move in moves:
        origin, target = categories.get(move["from_id"]), categories.get(move["to_id"])
        if origin is None or target is None:
            continue
        transitions.append(
            {
                "from": origin.key,
                "to": target.key,
                "from_name": origin.name_en,
                "to_name": target.name_en,
                "from_polarity": origin.polarity,
                "to_polarity": target.polarity,
                "authors": move["authors"],
                "moves": move["moves"],
            }
        )
    transitions.sort(key=lambda t: (-t["moves"], t["from"], t["to"]))
    return {
        **_range(params),
        "total": total,
        "categories": [{**_category_head(c), **series(c.pk)} for c in shown],
        "unclassified": {**_category_head(None), **series(None)},
        "transitions": transitions,
    }


# --- Support KPIs ---------------------------------------------------------------------------


def question_responses(params: ReportParams) -> QuerySet:
    """THE one place that says when a question was received and first answered, for the
    support KPIs. Each row: `id`, `published_at`, `category_id`, `team_id`, `status`,
    `sla_due_at`, and

    - `received_at`: when scrm received it (`created_at`; the SLA clock starts there, see
      `mentions.services.triage.sla_due_for`);
    - `first_response_at`: when it was first answered. A reply sent through scrm
      (`responses.Reply`, the mention's one answer, corrections aside) gives its `sent_at`.
      A mention recorded as answered with no reply in scrm (answered on the platform by
      hand) gives `Mention.answered_at`; if it was reopened and answered again it has only
      its last answer time, and its first reopening (`QueueEvent` `reopened`) came after the
      first answer or close, so the earlier of the two is used;
    - `closed_at`: when it was closed without an answer (spam, duplicate, elsewhere);
    - `responder_id`: who answered: the reply's author, else the holder of the claim the
      answer was recorded under;
    - `reopened_at`: its first reopening, if any.
    """
    answer = Reply.objects.filter(
        mention_id=OuterRef("pk"), status=Reply.Status.SENT, corrects__isnull=True
    ).order_by("sent_at", "id")
    reopenings = QueueEvent.objects.filter(
        mention_id=OuterRef("pk"), kind=QueueEvent.Kind.REOPENED
    ).order_by("created_at")
    return (
        report_mentions(params)
        .filter(needs_response=True)
        .annotate(
            replied_at=Subquery(answer.values("sent_at")[:1]),
            replied_by_id=Subquery(answer.values("created_by_id")[:1]),
            reopened_at=Subquery(reopenings.values("created_at")[:1]),
            received_at=F("created_at"),
            first_response_at=Case(
                When(replied_at__isnull=False, then=F("replied_at")),
                When(answered_at__isnull=True, then=Value(None)),
                When(reopened_at__lt=F("answered_at"), then=F("reopened_at")),
                default=F("answered_at"),
                output_field=DateTimeField(),
            ),
            responder_id=Coalesce(
                F("replied_by_id"), F("claimed_by_id"), output_field=IntegerField()
            ),
        )
    )


def _percentile(sorted_values: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile (the smallest value at or above `fraction` of them)."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


class _SupportCell:
    """One group's support figures: counted row by row (`add`), or given whole by the
    database's aggregate (`filled`)."""

    __slots__ = (
        "answered",
        "breaches",
        "closed",
        "p50",
        "p90",
        "precomputed",
        "received",
        "reopened",
        "times",
    )

    def __init__(self):
        self.received = self.answered = self.closed = self.breaches = self.reopened = 0
        self.times: list[float] = []
        self.precomputed = False
        self.p50 = self.p90 = None

    @classmethod
    def filled(cls, received, answered, closed, breaches, reopened, p50, p90) -> "_SupportCell":
        cell = cls()
        cell.received, cell.answered, cell.closed = received, answered, closed
        cell.breaches, cell.reopened = breaches, reopened
        cell.precomputed, cell.p50, cell.p90 = True, p50, p90
        return cell

    def add(self, seconds: float | None, closed: bool, breach: bool, reopened: bool) -> None:
        self.received += 1
        if seconds is not None:
            self.answered += 1
            self.times.append(seconds)
        elif closed:
            self.closed += 1
        self.reopened += reopened
        self.breaches += breach

    def figures(self) -> dict:
        if self.precomputed:
            p50 = None if self.p50 is None else float(self.p50)
            p90 = None if self.p90 is None else float(self.p90)
        else:
            times = sorted(self.times)
            p50, p90 = (median(times) if times else None), _percentile(times, 0.9)
        processed = self.answered + self.closed
        return {
            "received": self.received,
            "processed": processed,
            "answered": self.answered,
            "closed": self.closed,
            "open": self.received - processed,
            "answered_percent": _percent(self.answered, self.received),
            "processed_percent": _percent(processed, self.received),
            "first_response_median_seconds": p50,
            "first_response_p90_seconds": p90,
            "sla_breaches": self.breaches,
            "sla_breach_percent": _percent(self.breaches, self.received),
            "reopened": self.reopened,
        }


def _support_in_python(questions: QuerySet, params: ReportParams, now: datetime):
    """Count row by row (SQLite has no ordered-set aggregates)."""
    handled = Coalesce("first_response_at", "closed_at", output_field=DateTimeField())
    rows = (
        questions.annotate(
            waited=ExpressionWrapper(
                F("first_response_at") - F("received_at"), output_field=DurationField()
            ),
            breach=Case(
                When(sla_due_at__isnull=True, then=Value(False)),
                When(
                    Q(first_response_at__isnull=True, closed_at__isnull=True),
                    then=Q(sla_due_at__lt=Value(now)),
                ),
                default=Q(sla_due_at__lt=handled),
                output_field=BooleanField(),
            ),
        )
        .values_list(
            "bucket",
            "category_id",
            "team_id",
            "responder_id",
            "waited",
            "closed_at",
            "breach",
            "reopened_at",
        )
        .order_by()
    )
    total = _SupportCell()
    periods: dict[date, _SupportCell] = defaultdict(_SupportCell)
    categories: dict[int | None, _SupportCell] = defaultdict(_SupportCell)
    teams: dict[int | None, _SupportCell] = defaultdict(_SupportCell)
    operators: dict[int, _SupportCell] = defaultdict(_SupportCell)
    days: dict = {}
    for bucket, category_id, team_id, responder_id, waited, closed_at, breach, reopened in rows:
        day = days.get(bucket)
        if day is None:
            day = days[bucket] = _as_date(bucket, params)
        seconds = None if waited is None else max(0.0, waited.total_seconds())
        facts = (seconds, closed_at is not None, bool(breach), reopened is not None)
        total.add(*facts)
        periods[day].add(*facts)
        categories[category_id].add(*facts)
        teams[team_id].add(*facts)
        if seconds is not None and responder_id is not None:
            operators[responder_id].add(*facts)
    return total, periods, categories, teams, operators


# The same groups as `_support_in_python`, aggregated by PostgreSQL: percentile_cont(0.5) is
# the median (the mean of the middle two of an even count), percentile_disc(0.9) the nearest
# rank. The operators' set counts answered questions only. The first response is
# `question_responses`'s rule, written once more in SQL over columns read once (a reply
# joined, not looked up three times; the first reopening by a lateral join):
# tests/analytics/test_reports_exact.py checks it against the row-by-row count of the ORM rule.
_SUPPORT_SQL = """
SELECT GROUPING(q.bucket), GROUPING(q.category_id), GROUPING(q.team_id), GROUPING(q.operator),
       q.bucket, q.category_id, q.team_id, q.operator,
       COUNT(*), COUNT(q.seconds), COUNT(*) FILTER (WHERE q.seconds IS NULL AND q.closed_at IS NOT
       NULL), COUNT(*) FILTER (WHERE q.breach), COUNT(q.reopened_at),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY q.seconds),
       percentile_disc(0.9) WITHIN GROUP (ORDER BY q.seconds)
FROM (
    SELECT r.bucket, r.category_id, r.team_id, r.closed_at, reopen.at AS reopened_at,
           -- GREATEST skips NULLs: an unanswered question must stay NULL, not 0.
           CASE WHEN first.at IS NOT NULL
                THEN GREATEST(EXTRACT(EPOCH FROM first.at - r.received_at), 0) END AS seconds,
           CASE WHEN first.at IS NOT NULL THEN first.responder END AS operator,
           r.sla_due_at IS NOT NULL
               AND COALESCE(first.at, r.closed_at, %s) > r.sla_due_at AS breach
    FROM ({inner}) r
    -- The mention's one answer (a unique index allows one sent reply that corrects nothing).
    LEFT JOIN {reply} answer ON answer.mention_id = r.id AND answer.status = %s
                              AND answer.corrects_id IS NULL
    LEFT JOIN LATERAL (SELECT MIN(e.created_at) AS at FROM {event} e
                       WHERE e.mention_id = r.id AND e.kind = %s) reopen ON true
    CROSS JOIN LATERAL (
        SELECT CASE WHEN answer.sent_at IS NOT NULL THEN answer.sent_at
                    WHEN r.answered_at IS NULL THEN NULL
                    WHEN reopen.at < r.answered_at THEN reopen.at
                    ELSE r.answered_at END AS at,
               COALESCE(answer.created_by_id, r.claimed_by_id) AS responder
    ) first
) q
GROUP BY GROUPING SETS ((), (q.bucket), (q.category_id), (q.team_id), (q.operator))
"""


def _support_in_sql(questions: QuerySet, params: ReportParams, now: datetime):
    columns = questions.order_by().values_list(
        "id",
        "bucket",
        "category_id",
        "team_id",
        "claimed_by_id",
        "received_at",
        "answered_at",
        "closed_at",
        "sla_due_at",
    )
    inner, inner_params = columns.query.get_compiler(connection=connection).as_sql()
    total = _SupportCell()
    periods: dict[date, _SupportCell] = {}
    categories: dict[int | None, _SupportCell] = {}
    teams: dict[int | None, _SupportCell] = {}
    operators: dict[int, _SupportCell] = {}
    with connection.cursor() as cursor:
        sql = _SUPPORT_SQL.format(
            inner=inner, reply=Reply._meta.db_table, event=QueueEvent._meta.db_table
        )
        cursor.execute(
            sql, [now, *inner_params, Reply.Status.SENT.value, QueueEvent.Kind.REOPENED.value]
        )
        for (
            g_bucket,
            g_category,
            g_team,
            g_operator,
            bucket,
            category,
            team,
            operator,
            *figures,
        ) in cursor.fetchall():
            cell = _SupportCell.filled(*figures)
            if not g_bucket:
                periods[_as_date(bucket, params)] = cell
            elif not g_category:
                categories[category] = cell
            elif not g_team:
                teams[team] = cell
            elif not g_operator:
                if operator is not None:
                    operators[operator] = cell
            else:
                total = cell
    return total, periods, categories, teams, operators


def support(params: ReportParams) -> dict:
    """Questions received (mentions that need a response, published in the range) against
    processed (answered or closed), the shares answered and processed, the median and the 90th
    percentile (nearest rank) of the time to first response in seconds over the answered ones
    (never below zero), and SLA breaches: answered or closed after `sla_due_at`, or still open
    past it. In total, per period, by category, by team and by operator (who answered). Four
    queries: the questions (one row each, flags computed in SQL), then the names of the
    categories, teams and operators they name."""
    now = timezone.now()
    questions = question_responses(params).annotate(bucket=_bucket("published_at", params))
    if connection.vendor == "postgresql":
        total, periods, categories, teams, operators = _support_in_sql(questions, params, now)
    else:
        total, periods, categories, teams, operators = _support_in_python(questions, params, now)

    category_rows = Category.objects.filter(pk__in=[k for k in categories if k]).values_list(
        "pk", "key", "name_en", "sla_minutes"
    )
    category_heads = {
        pk: {"key": key, "name": name, "sla_minutes": sla} for pk, key, name, sla in category_rows
    }
    team_rows = Team.objects.filter(pk__in=[k for k in teams if k]).values_list("pk", "key", "name")
    team_heads = {pk: {"key": key, "name": name} for pk, key, name in team_rows}
    user_rows = (
        get_user_model().objects.filter(pk__in=list(operators)).values_list("pk", "username")
    )
    usernames = dict(user_rows)
    none_category = {"key": None, "name": "", "sla_minutes": None}
    none_team = {"key": None, "name": ""}

    def listed(items) -> list[dict]:
        return [{**head, **cell.figures()} for head, cell in items]

    return {
        **_range(params),
        **total.figures(),
        "periods": [
            {"start": start.isoformat(), **periods.get(start, _SupportCell()).figures()}
            for start in params.periods()
        ],
        "categories": sorted(
            listed((category_heads.get(k, none_category), c) for k, c in categories.items()),
            key=lambda c: (-c["received"], c["key"] or ""),
        ),
        "teams": sorted(
            listed((team_heads.get(k, none_team), c) for k, c in teams.items()),
            key=lambda t: (-t["received"], t["key"] or ""),
        ),
        "operators": sorted(
            listed(({"username": usernames.get(k, f"#{k}")}, c) for k, c in operators.items()),
            key=lambda o: (-o["answered"], o["username"]),
        ),
    }


# --- Advocates ------------------------------------------------------------------------------


def _authors_in_range(params: ReportParams) -> list[dict]:
    """Every advocate, detractor and influencer who wrote a counted mention in the range, with
    their figures there: one query (the top lists and the active counts are cut from it)."""
    rows = (
        report_mentions(params)
        .filter(author__segment__in=(Segment.ADVOCATE, Segment.DETRACTOR, Segment.INFLUENCER))
        .values("author_id", "author__segment", "author__display_name", "author__anonymized_at")
        .annotate(
            mentions=Count("id"),
            positive=Count("id", filter=Q(sentiment="positive")),
            negative=Count("id", filter=Q(sentiment="negative")),
            reach=Coalesce(Sum("reach"), 0),
            engagement=Coalesce(Sum(F("likes") + F("comments") + F("reposts")), 0),
        )
        .order_by()
    )
    return [
        {
            "author_id": r["author_id"],
            "segment": r["author__segment"],
            "name": r["author__display_name"] or f"Author #{r['author_id']}",
            "anonymized": r["author__anonymized_at"] is not None,
            "mentions": r["mentions"],
            "positive": r["positive"],
            "negative": r["negative"],
            "reach": r["reach"],
            "engagement": r["engagement"],
        }
        for r in rows
    ]


def _top_authors(authors: list[dict], segment: str, order: str) -> list[dict]:
    """The segment's first `TOP_AUTHORS` by `order`, then mentions, then id."""
    mine = [a for a in authors if a["segment"] == segment]
    mine.sort(key=lambda a: (-a[order], -a["mentions"], a["author_id"]))
    return [{k: v for k, v in a.items() if k != "segment"} for a in mine[:TOP_AUTHORS]]


def advocates(params: ReportParams) -> dict:
    """Advocates and detractors now, and how their number grew. Authors keep no history of
    their segment, so growth is counted by when each of today's advocates (detractors) first
    wrote a counted mention (within the filters): `new_*` in the period, `*` the running total
    at its end. `now` counts them all, `active` those who wrote in the range. `top` lists the
    range's most active advocates (by positive mentions), detractors (by negative ones) and
    influencers (by reach), anonymized authors included under their placeholder. Two
    queries."""
    segments = (Segment.ADVOCATE, Segment.DETRACTOR)
    # Each advocate's (detractor's) first counted mention: one probe of the author's
    # (author, published_at) index per author, not a scan of every mention they ever wrote.
    first_counted = (
        report_mentions(params, since=datetime(1970, 1, 1, tzinfo=UTC))
        .filter(author_id=OuterRef("pk"))
        .order_by("published_at")
        .values("published_at")[:1]
    )
    firsts = (
        Author.objects.filter(segment__in=segments)
        .annotate(first=Subquery(first_counted))
        .filter(first__isnull=False)
        .values_list("pk", "segment", "first")
    )
    start_of = {pk: (segment, first) for pk, segment, first in firsts}
    in_range = _authors_in_range(params)
    active = {a["author_id"] for a in in_range if a["segment"] in segments}
    periods = params.periods()
    new = {s: defaultdict(int) for s in segments}
    before = dict.fromkeys(segments, 0)
    for segment, first in start_of.values():
        day = first.astimezone(params.zone).date()
        if day < params.date_from:
            before[segment] += 1
        else:
            new[segment][bucket_start(day, params.interval)] += 1
    running = dict(before)
    series = []
    for start in periods:
        entry = {"start": start.isoformat()}
        for segment in segments:
            running[segment] += new[segment][start]
            entry[f"new_{segment}s"] = new[segment][start]
            entry[f"{segment}s"] = running[segment]
        series.append(entry)
    counts = {segment: sum(1 for s, _ in start_of.values() if s == segment) for segment in segments}
    active_counts = {
        segment: sum(1 for a in active if start_of.get(a, ("",))[0] == segment)
        for segment in segments
    }
    return {
        **_range(params),
        "advocates": {
            "now": counts[Segment.ADVOCATE],
            "active": active_counts[Segment.ADVOCATE],
            "at_start": before[Segment.ADVOCATE],
            "growth": counts[Segment.ADVOCATE] - before[Segment.ADVOCATE],
        },
        "detractors": {
            "now": counts[Segment.DETRACTOR],
            "active": active_counts[Segment.DETRACTOR],
            "at_start": before[Segment.DETRACTOR],
            "growth": counts[Segment.DETRACTOR] - before[Segment.DETRACTOR],
        },
        "periods": series,
        "top": {
            "advocates": _top_authors(in_range, Segment.ADVOCATE, "positive"),
            "detractors": _top_authors(in_range, Segment.DETRACTOR, "negative"),
            "influencers": _top_authors(in_range, Segment.INFLUENCER, "reach"),
        },
    }


REPORTS = {
    "share-of-voice": share_of_voice,
    "sentiment": sentiment,
    "engagement": engagement,
    "consumer-cycle": consumer_cycle,
    "support": support,
    "advocates": advocates,
}
