"""The author read model: profile, timeline and list, composed over authors and mentions (and
replies). Nothing imports this app; the short author card on a mention
stays with mentions (`mentions.selectors.author_summary`).

Every function runs a fixed number of queries, however long the author's history.

Replies: a reply the author received is a sent `responses.Reply` to one of their mentions (a
mention only marked answered, with no reply recorded, is not one). `author_replies` is the only
function that knows it; everything else reads the `reply_*` names it annotates.
"""

import base64
import binascii
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Lag
from django.utils.dateparse import parse_datetime

from authors.models import Author, AuthorIdentity, AuthorMerge, AuthorNote
from authors.segments import suggested_tone
from mentions.models import Mention, MentionSubject, SourceType, TrackedSubject
from mentions.selectors import (
    OPEN_STATUSES,
    authors_with_activity,
    counted_q,
    negative_q,
    recent_since,
)
from responses.models import Reply
from scrm.errors import NotFound

PRODUCT_KINDS = (TrackedSubject.Kind.PRODUCT, TrackedSubject.Kind.BRAND)
HINTS_SHOWN = 5
NOTES_SHOWN = 20
PATH_STEPS_SHOWN = 50
LOCATION_LOOKBACK = 20
SNIPPET = 280

# Where monitoring tools put the author's location: the generic schema's `extra`, or the top
# level of a vendor payload (YouScan).
_LOCATION_KEYS = (
    ("raw__extra__city", "raw__extra__region", "raw__extra__country"),
    ("raw__city", "raw__region", "raw__country"),
)


def author_replies() -> QuerySet:
    """Every reply sent to an author, annotated with `reply_id`, `reply_at`, `reply_author_id`,
    `reply_mention_id`, `reply_by` (username of the sender) and `reply_text`. Filter on those
    names only."""
    return Reply.objects.filter(status=Reply.Status.SENT).annotate(
        reply_id=F("id"),
        reply_at=F("sent_at"),
        reply_author_id=F("mention__author_id"),
        reply_mention_id=F("mention_id"),
        reply_by=F("sent_by__username"),
        reply_text=F("body"),
    )


_REPLY_FIELDS = ("reply_id", "reply_at", "reply_mention_id", "reply_by", "reply_text")


def _snippet(text: str) -> str:
    text = " ".join((text or "").split())
    return text[:SNIPPET] + ("…" if len(text) > SNIPPET else "")


# --- Profile -----------------------------------------------------------------------------------


def author_profile(author_id: int) -> dict:
    """Everything an operator needs before answering this author, in ten queries."""
    author = Author.objects.filter(pk=author_id).first()
    if author is None:
        raise NotFound("No such author.")
    identities = list(AuthorIdentity.objects.filter(author_id=author_id).order_by("platform", "id"))
    counts = _mention_counts(author_id)
    replies = author_replies().filter(reply_author_id=author_id)
    reply_totals = replies.aggregate(count=Count("reply_id"), last=Max("reply_at"))
    last_reply = replies.order_by("-reply_at", "-reply_id").values(*_REPLY_FIELDS).first()
    notes = list(
        AuthorNote.objects.filter(author_id=author_id)
        .select_related("created_by")
        .order_by("-created_at", "-id")[:NOTES_SHOWN]
    )
    last_contact = max(
        (at for at in (counts.last_mention_at, reply_totals["last"]) if at), default=None
    )
    followers = [i.followers for i in identities if i.followers is not None]
    return {
        "id": author.pk,
        "display_name": author.display_name,
        "segment": author.segment,
        "segment_pinned": author.segment_pinned,
        "segment_updated_at": author.segment_updated_at,
        "do_not_contact": author.do_not_contact,
        "anonymized_at": author.anonymized_at,
        "crm_external_id": author.crm_external_id,
        "labels": list(author.labels or []),
        "identities": identities,
        "followers": max(followers, default=None),
        "language": counts.language,
        "location": _location(author_id),
        "first_contact_at": counts.first_mention_at,
        "last_contact_at": last_contact,
        "counts": {
            "mentions": counts.total,
            "by_category": counts.by_category,
            "by_sentiment": counts.by_sentiment,
            "replies_received": reply_totals["count"],
            "open_mentions": counts.open,
        },
        "path": _path(author_id),
        "hints": {
            "open_questions": _open_questions(author_id),
            "products": _products(author_id),
            "last_reply": _reply(last_reply),
            "tone": suggested_tone(
                do_not_contact=author.do_not_contact,
                segment=author.segment,
                recent_negatives=counts.recent_negatives,
                media_mentions=counts.media,
                mentions=counts.total,
            ),
        },
        "notes": notes,
        "created_at": author.created_at,
        "updated_at": author.updated_at,
    }


@dataclass
class _Counts:
    total: int = 0
    open: int = 0
    media: int = 0
    recent_negatives: int = 0
    first_mention_at: datetime | None = None
    last_mention_at: datetime | None = None
    language: str = ""
    by_category: list[dict] = field(default_factory=list)
    by_sentiment: dict[str, int] = field(default_factory=dict)


def _mention_counts(author_id: int) -> _Counts:
    """One grouped query: per (category, sentiment, language, source type), folded here."""
    rows = (
        Mention.objects.filter(author_id=author_id)
        .order_by()
        .values(
            "category__key",
            "category__name_en",
            "category__name_ru",
            "category__order",
            "sentiment",
            "language",
            "source_type",
        )
        .annotate(
            n=Count("id"),
            first=Min("published_at"),
            last=Max("published_at"),
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            recent_negatives=Count(
                "id", filter=counted_q() & negative_q() & Q(published_at__gte=recent_since())
            ),
        )
    )
    counts = _Counts(by_sentiment={"positive": 0, "neutral": 0, "negative": 0, "unknown": 0})
    categories: dict[str | None, dict] = {}
    languages: Counter = Counter()
    for row in rows:
        counts.total += row["n"]
        counts.open += row["open"]
        counts.recent_negatives += row["recent_negatives"]
        if row["source_type"] == SourceType.MEDIA:
            counts.media += row["n"]
        counts.first_mention_at = min(filter(None, (counts.first_mention_at, row["first"])))
        counts.last_mention_at = max(filter(None, (counts.last_mention_at, row["last"])))
        sentiment = row["sentiment"] or "unknown"
        counts.by_sentiment[sentiment] = counts.by_sentiment.get(sentiment, 0) + row["n"]
        if row["language"]:
            languages[row["language"]] += row["n"]
        key = row["category__key"]
        entry = categories.setdefault(
            key,
            {
                "category": key,
                "name_en": row["category__name_en"] or "Not yet classified",
                "name_ru": row["category__name_ru"] or "Ещё не классифицировано",
                "count": 0,
                "_order": row["category__order"] if key else 10_000,
            },
        )
        entry["count"] += row["n"]
    counts.by_category = [
        {k: v for k, v in entry.items() if k != "_order"}
        for entry in sorted(categories.values(), key=lambda e: (e["_order"], e["category"] or ""))
    ]
    if languages:
        counts.language = min(languages.items(), key=lambda item: (-item[1], item[0]))[0]
    return counts


def _location(author_id: int) -> str:
    """The latest location a monitoring tool reported with one of the author's mentions."""
    keys = [key for group in _LOCATION_KEYS for key in group]
    rows = (
        Mention.objects.filter(author_id=author_id)
        .order_by("-published_at", "-id")
        .values_list(*keys)[:LOCATION_LOOKBACK]
    )
    for row in rows:
        for start in range(0, len(keys), 3):
            parts = [str(p).strip() for p in row[start : start + 3] if isinstance(p, str | int)]
            parts = [p for p in parts if p]
            if parts:
                return ", ".join(dict.fromkeys(parts))
    return ""


def _path(author_id: int) -> list[dict]:
    """The consumer-cycle stages in the order the author went through them: one step each time
    the category of their (classified, non-noise) mentions changed, with its date."""
    stages = (
        Mention.objects.filter(author_id=author_id, category__isnull=False)
        .filter(category__is_stage=True, category__is_noise=False)
        .annotate(
            previous=Window(
                Lag("category_id", default=0),
                order_by=(F("published_at").asc(), F("id").asc()),
            )
        )
        .annotate(
            same=Case(
                When(previous=F("category_id"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .filter(same=False)
        .order_by("-published_at", "-id")
        .values("category__key", "category__name_en", "category__name_ru", "published_at", "id")
    )
    steps = list(stages[:PATH_STEPS_SHOWN])
    steps.reverse()
    return [
        {
            "stage": step["category__key"],
            "name_en": step["category__name_en"],
            "name_ru": step["category__name_ru"],
            "at": step["published_at"],
            "mention_id": step["id"],
        }
        for step in steps
    ]


def _open_questions(author_id: int) -> list[dict]:
    mentions = (
        Mention.objects.filter(
            author_id=author_id, status__in=OPEN_STATUSES, category__is_question=True
        )
        .select_related("category")
        .only("id", "text", "title", "published_at", "status", "category__key")
        .order_by("-published_at", "-id")[:HINTS_SHOWN]
    )
    return [
        {
            "mention_id": m.pk,
            "text": _snippet(m.title or m.text),
            "category": m.category.key if m.category else None,
            "status": m.status,
            "published_at": m.published_at,
        }
        for m in mentions
    ]


def _products(author_id: int) -> list[dict]:
    """Our products and brands the author asked about, most asked first."""
    rows = (
        MentionSubject.objects.filter(
            mention__author_id=author_id,
            mention__category__is_question=True,
            subject__kind__in=PRODUCT_KINDS,
        )
        .values("subject__key", "subject__name")
        .annotate(mentions=Count("mention_id", distinct=True), last=Max("mention__published_at"))
        .order_by("-mentions", "-last", "subject__key")[:HINTS_SHOWN]
    )
    return [
        {
            "subject": r["subject__key"],
            "name": r["subject__name"],
            "mentions": r["mentions"],
            "last_asked_at": r["last"],
        }
        for r in rows
    ]


def _reply(row: dict | None) -> dict | None:
    if row is None:
        return None
    return {
        "at": row["reply_at"],
        "mention_id": row["reply_mention_id"],
        "by": row["reply_by"] or "",
        "text": row["reply_text"] or "",
    }


def last_contact(author: Author) -> datetime | None:
    """The later of the author's last mention and the last reply they got (annotated)."""
    return last_contact_at(author.last_mention_at, author.last_reply_at)


def last_contact_at(last_mention_at: datetime | None, last_reply_at: datetime | None):
    """The later of the two moments that are known; None when neither is."""
    return max((at for at in (last_mention_at, last_reply_at) if at), default=None)


# --- List --------------------------------------------------------------------------------------


def _with_last_reply(queryset: QuerySet[Author] | None) -> QuerySet[Author]:
    queryset = queryset if queryset is not None else Author.objects.all()
    last_reply = (
        author_replies()
        .filter(reply_author_id=OuterRef("pk"))
        .order_by("-reply_at")
        .values("reply_at")[:1]
    )
    return authors_with_activity(queryset).annotate(last_reply_at=Subquery(last_reply))


def author_list(queryset: QuerySet[Author] | None = None) -> QuerySet[Author]:
    """Authors with their identities, counts and last contact loaded: two queries a page."""
    return _with_last_reply(queryset).prefetch_related(
        Prefetch("identities", queryset=AuthorIdentity.objects.order_by("platform", "id"))
    )


# What a row of the author list shows (`author_list_rows`), and of each of its identities.
AUTHOR_LIST_COLUMNS = (
    "id",
    "display_name",
    "segment",
    "segment_pinned",
    "do_not_contact",
    "anonymized_at",
    "crm_external_id",
    "labels",
    "followers",
    "mentions_count",
    "open_mentions",
    "last_mention_at",
    "last_reply_at",
)
IDENTITY_LIST_COLUMNS = (
    "id",
    "platform",
    "external_id",
    "handle",
    "display_name",
    "profile_url",
    "followers",
    "verified",
    "erased",
)


def author_list_rows(queryset: QuerySet[Author] | None = None) -> QuerySet:
    """The author list as dicts of `AUTHOR_LIST_COLUMNS` (no model objects: building 50 authors
    and their identities as models was most of the list's time, issue 14); the page's
    identities come from `author_list_identities`, one query more."""
    return _with_last_reply(queryset).values(*AUTHOR_LIST_COLUMNS)


def author_list_identities(rows) -> dict[int, list[dict]]:
    """The identities of the authors in `rows`, by author id, each author's by platform and id:
    one query."""
    found: dict[int, list[dict]] = {row["id"]: [] for row in rows}
    if not found:
        return found
    identities = (
        AuthorIdentity.objects.filter(author_id__in=list(found))
        .order_by("platform", "id")
        .values_list("author_id", *IDENTITY_LIST_COLUMNS)
    )
    for author_id, *values in identities:
        found[author_id].append(dict(zip(IDENTITY_LIST_COLUMNS, values, strict=True)))
    return found


# --- Timeline ----------------------------------------------------------------------------------

MENTION, REPLY, NOTE, MERGE = "mention", "reply", "note", "merge"
KINDS = (MENTION, REPLY, NOTE, MERGE)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    id: int
    data: dict

    @property
    def position(self) -> tuple:
        return (self.at, self.kind, self.id)


@dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry]
    next_cursor: str | None


def encode_cursor(entry: TimelineEntry) -> str:
    raw = json.dumps([entry.at.isoformat(), entry.kind, entry.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str, int]:
    """The position a cursor points at; ValueError if it is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, kind, entry_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        moment = parse_datetime(at)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
        raise ValueError("Not a timeline cursor.") from exc
    if moment is None or moment.tzinfo is None or kind not in KINDS:
        raise ValueError("Not a timeline cursor.")
    try:
        moment = moment.astimezone(UTC)  # PostgreSQL takes offsets below 16 hours only
    except OverflowError as exc:
        raise ValueError("Not a timeline cursor.") from exc
    if not isinstance(entry_id, int) or isinstance(entry_id, bool):
        raise ValueError("Not a timeline cursor.")
    return moment, kind, entry_id


def _after(queryset: QuerySet, *, at: str, pk: str, kind: str, cursor) -> QuerySet:
    """Rows that come after `cursor` in the order (at, kind, id), newest first."""
    if cursor is None:
        return queryset
    c_at, c_kind, c_id = cursor
    if kind < c_kind:
        return queryset.filter(**{f"{at}__lte": c_at})
    if kind > c_kind:
        return queryset.filter(**{f"{at}__lt": c_at})
    return queryset.filter(Q(**{f"{at}__lt": c_at}) | Q(**{at: c_at, f"{pk}__lt": c_id}))


def author_timeline(author_id: int, *, cursor: str | None = None, limit: int = 50) -> TimelinePage:
    """Everything that happened with an author, newest first: their mentions, the replies they
    got, operators' notes and merges. Five queries whatever the page or the history: each kind
    gives its next `limit + 1` rows after the cursor, and the page is the first `limit` of them
    in (time, kind, id) order. Raises ValueError for a bad cursor, NotFound for no author."""
    position = decode_cursor(cursor) if cursor else None
    if not Author.objects.filter(pk=author_id).exists():
        raise NotFound("No such author.")
    take = limit + 1
    entries: list[TimelineEntry] = []

    mentions = _after(
        Mention.objects.filter(author_id=author_id),
        at="published_at",
        pk="id",
        kind=MENTION,
        cursor=position,
    )
    for m in (
        mentions.select_related("category")
        .only(
            "id",
            "published_at",
            "platform",
            "source_type",
            "title",
            "text",
            "url",
            "sentiment",
            "status",
            "category__key",
        )
        .order_by("-published_at", "-id")[:take]
    ):
        entries.append(
            TimelineEntry(
                at=m.published_at,
                kind=MENTION,
                id=m.pk,
                data={
                    "mention_id": m.pk,
                    "platform": m.platform,
                    "source_type": m.source_type,
                    "text": _snippet(m.title or m.text),
                    "url": m.url,
                    "category": m.category.key if m.category else None,
                    "sentiment": m.sentiment or None,
                    "status": m.status,
                },
            )
        )

    replies = _after(
        author_replies().filter(reply_author_id=author_id),
        at="reply_at",
        pk="reply_id",
        kind=REPLY,
        cursor=position,
    )
    for row in replies.order_by("-reply_at", "-reply_id").values(*_REPLY_FIELDS)[:take]:
        entries.append(
            TimelineEntry(
                at=row["reply_at"],
                kind=REPLY,
                id=row["reply_id"],
                data={
                    "mention_id": row["reply_mention_id"],
                    "by": row["reply_by"] or "",
                    "text": row["reply_text"] or "",
                },
            )
        )

    notes = _after(
        AuthorNote.objects.filter(author_id=author_id),
        at="created_at",
        pk="id",
        kind=NOTE,
        cursor=position,
    )
    for note in notes.select_related("created_by").order_by("-created_at", "-id")[:take]:
        entries.append(
            TimelineEntry(
                at=note.created_at,
                kind=NOTE,
                id=note.pk,
                data={
                    "note_id": note.pk,
                    "text": note.text,
                    "by": note.created_by.username if note.created_by else "",
                },
            )
        )

    merges = _after(
        AuthorMerge.objects.filter(author_id=author_id),
        at="created_at",
        pk="id",
        kind=MERGE,
        cursor=position,
    )
    for merge in merges.select_related("merged_by").order_by("-created_at", "-id")[:take]:
        entries.append(
            TimelineEntry(
                at=merge.created_at,
                kind=MERGE,
                id=merge.pk,
                data={
                    "merge_id": merge.pk,
                    "absorbed_author_id": merge.absorbed_author_id,
                    "absorbed_display_name": merge.absorbed_display_name,
                    "by": merge.merged_by.username if merge.merged_by else "",
                    "moved": merge.details.get("moved", {}),
                },
            )
        )

    entries.sort(key=lambda e: e.position, reverse=True)
    page = entries[:limit]
    more = len(entries) > limit
    return TimelinePage(entries=page, next_cursor=encode_cursor(page[-1]) if more else None)
