"""django-filter FilterSets. Naming (NetBox): `<fk>_id` for ids, `<fk>` for keys, `q` for text,
`<field>_after` / `<field>_before` for ranges."""

import unicodedata

import django_filters
from django.conf import settings
from django.db.models import BooleanField, F, Func, Q, Subquery, Value
from django.db.models.functions import StrIndex, Upper
from django.db.models.lookups import GreaterThan

from mentions.models import Mention, Priority, Sentiment, Source, SourceType, TrackedSubject
from scrm.api.filters import (
    ColumnChoiceFilter,
    IdFilter,
    StrictBooleanFilter,
    UTCIsoDateTimeFilter,
)
from scrm.platforms import Platform


class MentionFilter(django_filters.FilterSet):
    # Unknown keys are a 400 naming the parameter, not an empty page.
    subject = django_filters.ModelChoiceFilter(
        queryset=TrackedSubject.objects.all(),
        to_field_name="key",
        field_name="subject_links__subject",
        help_text="Key of a tracked subject the mention names.",
    )
    source = django_filters.ModelChoiceFilter(
        queryset=Source.objects.all(),
        to_field_name="key",
        field_name="source",
        help_text="Key of the source.",
    )
    platform = ColumnChoiceFilter(choices=Platform.choices)
    source_type = django_filters.ChoiceFilter(choices=SourceType.choices)
    status = ColumnChoiceFilter(choices=Mention.Status.choices, method="filter_status")
    source_sentiment = django_filters.ChoiceFilter(choices=Sentiment.choices)
    author_id = IdFilter(field_name="author_id")
    external_id = django_filters.CharFilter(field_name="external_id")
    published_after = UTCIsoDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = UTCIsoDateTimeFilter(field_name="published_at", lookup_expr="lt")
    category = django_filters.CharFilter(field_name="category__key", help_text="Category key.")
    sentiment = ColumnChoiceFilter(choices=Sentiment.choices)
    priority = ColumnChoiceFilter(choices=Priority.choices)
    team = django_filters.CharFilter(field_name="team__key", help_text="Team key.")
    claimed_by = django_filters.CharFilter(
        field_name="claimed_by__username", help_text="Username of the holder."
    )
    claimed_by_id = IdFilter(field_name="claimed_by_id")
    needs_response = StrictBooleanFilter()
    q = django_filters.CharFilter(method="filter_q", help_text="Words in the title or text.")

    class Meta:
        model = Mention
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        return queryset.filter(Mention.in_status(*value))

    def filter_q(self, queryset, name, value):
        # Stored text is NFC (the ingest normalises it), so the words are too.
        value = unicodedata.normalize("NFC", value.strip())
        if not value:
            return queryset
        return queryset.filter(mention_text_search(value))


class AnyOf(Func):
    """`lhs = ANY(ARRAY(subquery))` on PostgreSQL: unlike `lhs IN (subquery)` (a hashed
    subplan, a filter on rows already read) the planner answers it from lhs's index, as one arm
    of a BitmapOr. Elsewhere `lhs IN (subquery)`."""

    output_field = BooleanField()

    def _sides(self, compiler):
        lhs, rhs = self.get_source_expressions()
        lhs_sql, lhs_params = compiler.compile(lhs)
        rhs_sql, rhs_params = compiler.compile(rhs)
        return lhs_sql, rhs_sql, (*lhs_params, *rhs_params)

    def as_sql(self, compiler, connection, **extra_context):
        lhs, rhs, params = self._sides(compiler)
        return f"{lhs} IN {rhs}", params

    def as_postgresql(self, compiler, connection, **extra_context):
        lhs, rhs, params = self._sides(compiler)
        return f"{lhs} = ANY(ARRAY{rhs})", params


def mention_text_search(value: str) -> Q:
    """Mentions whose title or text contains `value`, any case.

    Spelled per status so that PostgreSQL answers from indexes: the trigram indexes on
    `UPPER(text)` and `UPPER(title)` cover every mention but those still `new` (migration 0006).
    Of those, the newest `SCRM_SEARCH_BACKLOG_ROWS` by enqueue time are read (off
    `mention_unprocessed_idx`, then by primary key) and checked one by one: a processing backlog
    costs a search at most that many rows, however long it grows; an older one is found once
    processed. Their half is written with `strpos` rather than `LIKE`: with one spelling for
    both halves the planner factors the words out of the OR and can no longer use the trigram
    indexes.
    """
    needle = Upper(Value(value))
    indexed = Q(text__icontains=value) | Q(title__icontains=value)
    unindexed = Q(GreaterThan(StrIndex(Upper("text"), needle), 0)) | Q(
        GreaterThan(StrIndex(Upper("title"), needle), 0)
    )
    new = Mention.in_status(Mention.Status.NEW)  # what the trigram indexes' condition says
    backlog = (
        Mention.objects.filter(new)
        .order_by(F("processing_enqueued_at").desc(nulls_first=True))
        .values("pk")[: settings.SCRM_SEARCH_BACKLOG_ROWS]
    )
    # Only mentions still `new` are in the backlog: the arm needs no status test of its own.
    return (~new & indexed) | (Q(AnyOf(F("pk"), Subquery(backlog))) & unindexed)


class TrackedSubjectFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=TrackedSubject.Kind.choices)
    is_own = StrictBooleanFilter()
    active = StrictBooleanFilter()
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = TrackedSubject
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(key__icontains=value) | Q(name__icontains=value))


class SourceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Source.Kind.choices)
    active = StrictBooleanFilter()

    class Meta:
        model = Source
        fields: list[str] = []
