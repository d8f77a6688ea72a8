"""A small fixed world for the reports, and an independent reckoning of what each report must
say about it. The reckoning reads the plain specs below with plain Python (zoneinfo and
arithmetic), never the code under test."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from authors.models import Author, AuthorIdentity
from mentions.models import Category, Mention, MentionSubject, QueueEvent, Source, Team
from responses.models import Reply
from tests.factories import SourceFactory, TrackedSubjectFactory, UserFactory

MOSCOW = ZoneInfo("Europe/Moscow")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@dataclass
class Spec:
    key: str
    at: datetime  # published_at, UTC
    subjects: tuple[str, ...]
    platform: str = "vk"
    source_type: str = "social"
    category: str | None = None
    sentiment: str = ""
    # The author's sentiment towards a subject where it is not the mention's own (a mention
    # naming several subjects: each read from its own clause).
    toward: dict = field(default_factory=dict)
    author: str | None = None
    likes: int = 0
    comments: int = 0
    reposts: int = 0
    views: int = 0
    reach: int = 0
    source: str = "tool"
    # Support: the question's life (minutes after it was received), or None.
    needs_response: bool = False
    answered_after: int | None = None
    closed_after: int | None = None
    sla_minutes: int | None = None
    team: str | None = None
    operator: str | None = None
    reopened_after: int | None = None
    # A reply sent through scrm (the first answer, `replied_after` minutes after it was
    # received, written by `replied_by`): the first response, whoever held the claim.
    replied_after: int | None = None
    replied_by: str | None = None
    extra: dict = field(default_factory=dict)


SUBJECTS = {
    "acme": ("Acme", True),
    "rival": ("Rival", False),
    "beta": ("Beta", False),
}
# Authors' segments, set as the segment rules would have left them.
AUTHORS = {
    "anna": "advocate",
    "boris": "detractor",
    "clara": "unknown",
    "dmitry": "influencer",
    "elena": "advocate",
}

SPECS = [
    # Moscow is UTC+3: 21:30 UTC on 31 December is 00:30 on 1 January in Moscow.
    Spec(
        "new-year",
        utc(2025, 12, 31, 21, 30),
        ("rival",),
        platform="telegram",
        category="general_request",
        sentiment="neutral",
        author="clara",
        likes=1,
    ),
    # 20:59 UTC on 31 December is still 31 December in Moscow: outside January.
    Spec(
        "old-year",
        utc(2025, 12, 31, 20, 59),
        ("acme",),
        category="praise",
        sentiment="positive",
        author="elena",
        likes=100,
    ),
    Spec(
        "praise",
        utc(2026, 1, 2, 10, 0),
        ("acme",),
        category="praise",
        sentiment="positive",
        author="anna",
        likes=10,
        comments=2,
        reposts=1,
        views=100,
        reach=1000,
    ),
    # One mention naming two subjects: one publication about each; negative about acme (the
    # main subject: the mention's sentiment), positive about rival.
    Spec(
        "both",
        utc(2026, 1, 5, 12, 0),
        ("acme", "rival"),
        category="negative",
        sentiment="negative",
        toward={"rival": "positive"},
        author="boris",
        likes=5,
        comments=5,
        reach=500,
        needs_response=True,
        answered_after=30,
        sla_minutes=60,
        team="support",
        operator="olga",
        replied_after=30,
        replied_by="olga",
    ),
    Spec(
        "press",
        utc(2026, 1, 10, 9, 0),
        ("acme",),
        platform="news",
        source_type="media",
        category="negative",
        sentiment="negative",
        author="dmitry",
        reach=20000,
        views=5000,
    ),
    Spec(
        "spam",
        utc(2026, 1, 12, 8, 0),
        ("acme",),
        category="noise",
        sentiment="neutral",
        author="clara",
        likes=7,
    ),
    Spec(
        "unread",
        utc(2026, 1, 20, 15, 0),
        ("beta",),
        platform="twitter",
        author="clara",
        likes=3,
        reposts=2,
    ),
    Spec(
        "question-late",
        utc(2026, 1, 21, 7, 0),
        ("acme",),
        category="product_request",
        sentiment="neutral",
        author="anna",
        needs_response=True,
        answered_after=300,
        sla_minutes=240,
        team="support",
        operator="olga",
        # pavel's reply went out at 250 minutes (past the SLA); olga recorded the answer
        # later: the reply's time and its author are the first response.
        replied_after=250,
        replied_by="pavel",
    ),
    Spec(
        "question-closed",
        utc(2026, 1, 22, 7, 0),
        ("acme",),
        category="product_request",
        sentiment="neutral",
        author="clara",
        needs_response=True,
        closed_after=10,
        sla_minutes=240,
        team="support",
    ),
    Spec(
        "question-open",
        utc(2026, 1, 23, 7, 0),
        ("rival",),
        category="support",
        sentiment="negative",
        author="boris",
        needs_response=True,
        sla_minutes=60,
        team="night",
    ),
    Spec(
        "question-reopened",
        utc(2026, 1, 24, 7, 0),
        ("acme",),
        category="support",
        sentiment="neutral",
        author="anna",
        needs_response=True,
        answered_after=600,
        reopened_after=100,
        sla_minutes=240,
        team="night",
        operator="pavel",
    ),
    # 21:30 UTC on 31 January is 00:30 on 1 February in Moscow: next day, next month.
    Spec(
        "next-month",
        utc(2026, 1, 31, 21, 30),
        ("acme",),
        category="praise",
        sentiment="positive",
        author="anna",
        likes=4,
    ),
    # The authors' paths: boris went negative (December) -> abandonment (January).
    Spec(
        "boris-leaves",
        utc(2026, 1, 15, 9, 0),
        ("acme",),
        category="abandonment",
        sentiment="negative",
        author="boris",
    ),
    Spec(
        "boris-before",
        utc(2025, 12, 20, 9, 0),
        ("acme",),
        category="negative",
        sentiment="negative",
        author="boris",
    ),
    # anna: first_review -> support -> support (one step) in January.
    Spec(
        "anna-first",
        utc(2026, 1, 3, 9, 0),
        ("acme",),
        category="first_review",
        sentiment="positive",
        author="anna",
    ),
    Spec(
        "anna-help",
        utc(2026, 1, 8, 9, 0),
        ("acme",),
        category="support",
        sentiment="neutral",
        author="anna",
    ),
    Spec(
        "anna-help-again",
        utc(2026, 1, 9, 9, 0),
        ("acme",),
        category="support",
        sentiment="neutral",
        author="anna",
    ),
]

# The base "now" of the world: every question is past its SLA by then.
NOW = utc(2026, 2, 15, 12, 0)


def build_world() -> dict:
    """Create the specs' rows; returns {spec key: mention}, authors, users."""
    SourceFactory(key="tool")
    SourceFactory(key="other")
    subjects = {
        key: TrackedSubjectFactory(key=key, name=name, is_own=own)
        for key, (name, own) in SUBJECTS.items()
    }
    authors = {
        name: Author.objects.create(display_name=name.title(), segment=segment)
        for name, segment in AUTHORS.items()
    }
    for name, author in authors.items():
        AuthorIdentity.objects.create(
            author=author,
            platform="vk",
            key=f"handle:{name}",
            handle=name,
            followers=50_000 if name == "dmitry" else 100,
        )
    users = {name: UserFactory(username=name, roles=["operator"]) for name in ("olga", "pavel")}
    teams = {
        "support": Team.objects.get_or_create(key="support", defaults={"name": "Support"})[0],
        "night": Team.objects.get_or_create(key="night", defaults={"name": "Night"})[0],
    }
    categories = {c.key: c for c in Category.objects.all()}
    sources = {s.key: s for s in Source.objects.all()}
    mentions = {}
    for spec in SPECS:
        mention = Mention.objects.create(
            source=sources[spec.source],
            external_id=spec.key,
            platform=spec.platform,
            source_type=spec.source_type,
            text=spec.key,
            published_at=spec.at,
            collected_at=spec.at,
            author=authors[spec.author] if spec.author else None,
            category=categories[spec.category] if spec.category else None,
            sentiment=spec.sentiment,
            likes=spec.likes,
            comments=spec.comments,
            reposts=spec.reposts,
            views=spec.views,
            reach=spec.reach,
            main_subject=subjects[spec.subjects[0]],
            needs_response=spec.needs_response,
            status="processed",
        )
        for index, key in enumerate(spec.subjects):
            MentionSubject.objects.create(
                mention=mention,
                subject=subjects[key],
                is_main=index == 0,
                sentiment=toward(spec, key),
                sentiment_method="model" if toward(spec, key) else "",
            )
        fields = {"created_at": spec.at}
        if spec.needs_response:
            received = spec.at
            fields.update(
                team=teams[spec.team] if spec.team else None,
                sla_due_at=received + timedelta(minutes=spec.sla_minutes),
                status="queued",
            )
            if spec.answered_after is not None:
                fields.update(
                    status="answered",
                    answered_at=received + timedelta(minutes=spec.answered_after),
                    claimed_by=users[spec.operator],
                )
            if spec.closed_after is not None:
                fields.update(
                    status="closed",
                    closed_at=received + timedelta(minutes=spec.closed_after),
                    resolution="spam",
                )
        Mention.objects.filter(pk=mention.pk).update(**fields)
        if spec.reopened_after is not None:
            event = QueueEvent.objects.create(
                mention=mention, kind=QueueEvent.Kind.REOPENED, reason="wrote again"
            )
            QueueEvent.objects.filter(pk=event.pk).update(
                created_at=spec.at + timedelta(minutes=spec.reopened_after)
            )
        if spec.replied_after is not None:
            sent_at = spec.at + timedelta(minutes=spec.replied_after)
            Reply.objects.create(
                mention=mention,
                origin=Reply.Origin.FREE_TEXT,
                body="Thank you, here is the answer.",
                signature=Reply.Signature.OFFICIAL,
                status=Reply.Status.SENT,
                created_by=users[spec.replied_by],
                sent_by=users[spec.replied_by],
                publisher="manual",
                sent_at=sent_at,
                response_seconds=spec.replied_after * 60,
                queue_response_seconds=spec.replied_after * 60,
            )
        mentions[spec.key] = mention
    return {"mentions": mentions, "authors": authors, "users": users, "subjects": subjects}


# --- The independent reckoning ---------------------------------------------------------------


def local_day(spec: Spec, zone=MOSCOW) -> date:
    return spec.at.astimezone(zone).date()


def toward(spec: Spec, subject: str) -> str:
    """The author's sentiment towards `subject` in the mention of `spec`."""
    return spec.toward.get(subject, spec.sentiment)


def noise(spec: Spec) -> bool:
    return spec.category == "noise"


def in_range(spec: Spec, first: date, last: date, *, include_noise=False, zone=MOSCOW) -> bool:
    return first <= local_day(spec, zone) <= last and (include_noise or not noise(spec))


def chosen(first: date, last: date, specs=None, **kwargs) -> list[Spec]:
    return [s for s in (SPECS if specs is None else specs) if in_range(s, first, last, **kwargs)]


def pct(part, whole) -> float:
    return round(part * 100 / whole, 2) if whole else 0.0
