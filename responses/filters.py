"""FilterSets for replies and the archive (naming: `<fk>` for keys and usernames, `q` for text,
`<field>_after` / `<field>_before` for ranges). An unknown key or user is a 400 naming it."""

import unicodedata

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q

from mentions.models import Category, Sentiment, TrackedSubject
from responses.models import Reply, ResponseTemplate, Tone
from scrm.api.filters import IdFilter, StrictBooleanFilter, UTCIsoDateTimeFilter
from scrm.platforms import Platform


class ReplyFilter(django_filters.FilterSet):
    mention = IdFilter(field_name="mention_id", help_text="Mention id.")
    status = django_filters.MultipleChoiceFilter(choices=Reply.Status.choices, distinct=False)
    mine = StrictBooleanFilter(method="filter_mine", help_text="Only replies you wrote.")

    class Meta:
        model = Reply
        fields: list[str] = []

    def filter_mine(self, queryset, name, value):
        if value is None:
            return queryset
        user = self.request.user
        return queryset.filter(created_by=user) if value else queryset.exclude(created_by=user)


def _users():
    return get_user_model().objects.all()


class ArchiveFilter(django_filters.FilterSet):
    sent_after = UTCIsoDateTimeFilter(field_name="sent_at", lookup_expr="gte")
    sent_before = UTCIsoDateTimeFilter(field_name="sent_at", lookup_expr="lt")
    operator = django_filters.ModelChoiceFilter(
        queryset=_users(),
        to_field_name="username",
        field_name="created_by",
        help_text="Username of the operator who wrote the reply.",
    )
    approver = django_filters.ModelChoiceFilter(
        queryset=_users(),
        to_field_name="username",
        field_name="approved_by",
        help_text="Username of the manager who approved it.",
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(),
        to_field_name="key",
        field_name="mention__category",
        help_text="Category key of the mention.",
    )
    subject = django_filters.ModelChoiceFilter(
        queryset=TrackedSubject.objects.all(),
        to_field_name="key",
        field_name="mention__subject_links__subject",
        distinct=False,
        help_text="Key of a tracked subject the mention names.",
    )
    # Each filter matches a reply at most once (a mention names a subject once): no DISTINCT,
    # which would make PostgreSQL sort every matching row before the page's LIMIT.
    platform = django_filters.MultipleChoiceFilter(
        choices=Platform.choices, field_name="mention__platform", distinct=False
    )
    article = IdFilter(
        field_name="article_version__article_id", help_text="Knowledge-base article id."
    )
    template = django_filters.ModelChoiceFilter(
        queryset=ResponseTemplate.objects.all(),
        to_field_name="key",
        field_name="template",
        help_text="Template key.",
    )
    q = django_filters.CharFilter(method="filter_q", help_text="Words in the reply or the mention.")

    class Meta:
        model = Reply
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = unicodedata.normalize("NFC", value.strip())
        if not value:
            return queryset
        return queryset.filter(
            Q(body__icontains=value)
            | Q(mention__text__icontains=value)
            | Q(mention__title__icontains=value)
        )


class TemplateFilter(django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(),
        to_field_name="key",
        field_name="categories",
        help_text="Templates that suit this category.",
    )
    sentiment = django_filters.ChoiceFilter(
        choices=Sentiment.choices, method="filter_sentiment", help_text="Templates for it."
    )
    language = django_filters.CharFilter()
    tone = django_filters.ChoiceFilter(choices=Tone.choices)
    active = StrictBooleanFilter()

    class Meta:
        model = ResponseTemplate
        fields: list[str] = []

    def filter_sentiment(self, queryset, name, value):
        # JSON containment is not on SQLite: the list is small, a LIKE on its text is enough.
        return queryset.filter(sentiments__icontains=f'"{value}"') if value else queryset
