"""Reads on mentions: querysets with what they need loaded, the compiled subject matcher, and
what mentions say about their authors (the segment statistics, the author card on a mention)."""

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from authors.models import Author, AuthorIdentity
from authors.segments import AuthorStats
from mentions.filters import MentionFilter
from mentions.matching import SubjectAliases, SubjectMatcher
from mentions.models import Mention, MentionSubject, TrackedSubject


@dataclass
class CompiledSubjects:
    """The active tracked subjects with their matcher, rebuilt when a subject changes."""

    version: tuple
    matcher: SubjectMatcher
    subjects_by_key: dict[str, TrackedSubject]

    def match(self, text: str) -> list[str]:
        return self.matcher.match(text) if text else []

    def order_main_first(self, keys: list[str]) -> list[str]:
        """Known keys only, the main subject first: the first-named of our own, else the first."""
        known = [key for key in keys if key in self.subjects_by_key]
        own = [key for key in known if self.subjects_by_key[key].is_own]
        if own and known and known[0] != own[0]:
            known.remove(own[0])
            known.insert(0, own[0])
        return known


_compiled: CompiledSubjects | None = None
_lock = threading.Lock()


def subject_matcher() -> CompiledSubjects:
    """The matcher for the active subjects; one cheap query checks it is still current."""
    global _compiled
    version = tuple(
        TrackedSubject.objects.aggregate(count=Count("id"), changed=Max("updated_at")).values()
    )
    compiled = _compiled
    if compiled is not None and compiled.version == version:
        return compiled
    with _lock:
        subjects = list(TrackedSubject.objects.filter(active=True))
        matcher = SubjectMatcher(
            SubjectAliases(key=s.key, name=s.name, aliases=tuple(s.aliases or ()), is_own=s.is_own)
            for s in subjects
        )
        _compiled = CompiledSubjects(
            version=version, matcher=matcher, subjects_by_key={s.key: s for s in subjects}
        )
        return _compiled


# What a list shows (`MentionSerializer`), and the queue's cursor (`priority_rank`): a page
# of the list reads these and nothing else, neither `raw` (the whole payload a tool sent) nor
# the dozens of columns of the six joined tables that only the detail or nobody shows.
LIST_COLUMNS = (
    "id",
    "source",
    "source__key",
    "external_id",
    "url",
    "platform",
    "source_type",
    "title",
    "text",
    "language",
    "published_at",
    "collected_at",
    "author_identity",
    "author_identity__author_id",
    "author_identity__platform",
    "author_identity__external_id",
    "author_identity__handle",
    "author_identity__display_name",
    "author_identity__profile_url",
    "author_identity__followers",
    "likes",
    "comments",
    "reposts",
    "views",
    "reach",
    "parent_external_id",
    "discussion_id",
    "source_sentiment",
    "main_subject",
    "main_subject__key",
    "category",
    "category__key",
    "category_confidence",
    "category_method",
    "sentiment",
    "sentiment_confidence",
    "sentiment_method",
    "classifier_version",
    "needs_response",
    "priority",
    "priority_rank",
    "sla_due_at",
    "team",
    "team__key",
    "status",
    "claimed_by",
    "claimed_by__username",
    "claimed_at",
    "lease_expires_at",
    "resolution",
    "created_at",
    "updated_at",
)


class PageFirstQuerySet(QuerySet):
    """Mentions whose page (a slice, the paginator's LIMIT) is found on the mention table alone
    before anything is joined to it, in the same single query:

        SELECT <list columns> FROM mention LEFT JOIN source … LEFT JOIN auth_user …
        WHERE mention.id IN (SELECT id FROM mention WHERE <filters> ORDER BY … LIMIT 51)
        ORDER BY …

    Written as one query with the joins, PostgreSQL joined every match before sorting them
    for the LIMIT (a text search matching thousands of mentions joined them all, the author
    identities by a scan of that whole table); now the filters, the order and the limit run
    where an index answers them and six joins cost 51 index probes. `shape` adds the joins,
    columns and prefetches to the outer query; every other use of the queryset is Django's.
    """

    _shape = None

    def _clone(self):
        clone = super()._clone()
        clone._shape = self._shape
        return clone

    def __getitem__(self, k):
        if not isinstance(k, slice) or self._shape is None or self._result_cache is not None:
            return super().__getitem__(k)
        plain = self.prefetch_related(None)
        plain._shape = None
        page_ids = plain.values("pk")[k]
        page = self._shape(self.model._default_manager.filter(pk__in=page_ids))
        return page.order_by(*self.query.order_by) if self.query.order_by else page


def _list_shape(queryset: QuerySet[Mention]) -> QuerySet[Mention]:
    return _loaded(queryset).only(*LIST_COLUMNS)


def _loaded(queryset: QuerySet[Mention]) -> QuerySet[Mention]:
    return queryset.select_related(
        "source", "author_identity", "main_subject", "category", "team", "claimed_by"
    ).prefetch_related(
        Prefetch(
            "subject_links",
            # The API shows a subject by its key; its aliases stay in the database.
            queryset=MentionSubject.objects.select_related("subject")
            .only("mention", "is_main", "subject__key", *MentionSubject.SENTIMENT_FIELDS)
            .order_by("-is_main", "id"),
        )
    )


def mention_list(
    *,
    filters: dict | None = None,
    queryset: QuerySet[Mention] | None = None,
    list_columns: bool = False,
) -> QuerySet[Mention]:
    """Mentions with source, author, subjects, category, team and holder loaded (no N+1 when
    serialised); `filters` are MentionFilter's. `list_columns`: a list's page, with only what
    a list shows, found before anything is joined (`PageFirstQuerySet`)."""
    queryset = queryset if queryset is not None else Mention.objects.all()
    if list_columns:
        page_first = PageFirstQuerySet(model=Mention, query=queryset.query.chain())
        page_first._shape = _list_shape
        queryset = _list_shape(page_first)  # shaped too when read whole, not by the page
    else:
        queryset = _loaded(queryset)
    return MentionFilter(filters, queryset=queryset).qs if filters else queryset


# --- What mentions say about their authors ------------------------------------------------------

OPEN_STATUSES = (Mention.Status.QUEUED, Mention.Status.CLAIMED)  # waiting for an answer


def negative_q() -> Q:
    """A negative mention: negative sentiment, or a category of negative polarity."""
    return Q(sentiment="negative") | Q(category__polarity="negative")


def positive_q() -> Q:
    """A positive mention that is not negative: positive sentiment or a positive category."""
    return (Q(sentiment="positive") | Q(category__polarity="positive")) & ~negative_q()


def counted_q() -> Q:
    """Mentions that say something about the author's relationship (noise does not)."""
    return Q(category__isnull=True) | Q(category__is_noise=False)


def recent_since() -> datetime:
    return timezone.now() - timedelta(days=settings.SCRM_AUTHOR_RECENT_DAYS)


def author_mention_stats(author_ids: Iterable[int]) -> dict[int, AuthorStats]:
    """What the segment rules (`authors.segments`) read, for each author, in three queries."""
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
            customer_mentions=Count("id", filter=Q(category__customers_only=True)),
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


def _count_of(queryset: QuerySet) -> Subquery:
    return Coalesce(
        Subquery(
            queryset.order_by().values("author_id").annotate(n=Count("id")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def authors_with_activity(queryset: QuerySet[Author]) -> QuerySet[Author]:
    """Authors annotated, as correlated subqueries, with `mentions_count`, `open_mentions`,
    `last_mention_at`, `last_answered_at` (the last time one of their mentions was answered)
    and `followers` (their largest audience)."""
    mentions = Mention.objects.filter(author_id=OuterRef("pk"))
    return queryset.annotate(
        mentions_count=_count_of(mentions),
        open_mentions=_count_of(mentions.filter(status__in=OPEN_STATUSES)),
        last_mention_at=Subquery(mentions.order_by("-published_at").values("published_at")[:1]),
        last_answered_at=Subquery(
            mentions.filter(answered_at__isnull=False)
            .order_by("-answered_at")
            .values("answered_at")[:1]
        ),
        followers=Subquery(
            AuthorIdentity.objects.filter(author_id=OuterRef("pk"), followers__isnull=False)
            .order_by("-followers")
            .values("followers")[:1]
        ),
    )


def author_summary(author_id: int) -> dict | None:
    """The short author card shown with each mention: one query."""
    author = authors_with_activity(Author.objects.filter(pk=author_id)).first()
    if author is None:
        return None
    return {
        "id": author.pk,
        "display_name": author.display_name,
        "segment": author.segment,
        "do_not_contact": author.do_not_contact,
        "mentions_count": author.mentions_count,
        "open_mentions": author.open_mentions,
        "last_contact_at": max(
            (at for at in (author.last_mention_at, author.last_answered_at) if at), default=None
        ),
    }
