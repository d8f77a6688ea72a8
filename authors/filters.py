"""django-filter FilterSets for authors (naming: NetBox's, see mentions/filters.py)."""

import django_filters
from django.db.models import Q, QuerySet

from authors.identity import normalize_handle, normalize_profile_url
from authors.models import Author, AuthorIdentity, AuthorIdentityAlias, Segment
from scrm.api.filters import ColumnChoiceFilter, StrictBooleanFilter
from scrm.platforms import Platform


class AuthorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", help_text="Words of a name, a handle, or a profile URL (any form)."
    )
    segment = ColumnChoiceFilter(choices=Segment.choices)
    platform = ColumnChoiceFilter(
        choices=Platform.choices, method="filter_platform", help_text="Has an identity there."
    )
    has_crm_link = StrictBooleanFilter(
        method="filter_has_crm_link",
        help_text="Linked to a contact in the company's CRM.",
    )
    crm_external_id = django_filters.CharFilter(help_text="The CRM contact's id.")
    do_not_contact = StrictBooleanFilter(method="filter_do_not_contact")

    class Meta:
        model = Author
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(pk__in=author_ids_matching(value))

    def filter_platform(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            pk__in=AuthorIdentity.objects.filter(platform__in=value).values("author_id")
        )

    def filter_has_crm_link(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.exclude(crm_external_id="")
        return queryset.filter(crm_external_id="")

    def filter_do_not_contact(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(do_not_contact=value)


def author_ids_matching(value: str) -> QuerySet:
    """The ids of the authors whose name, or one of whose identities' name, handle or profile
    URL, contains `value` (any case), or who are known by the profile URL `value` in any form
    (vk.com/id123 finds the author known by a vanity URL).

    One subquery, a UNION of branches that each an index answers (on PostgreSQL: trigram
    indexes on `UPPER(...)` of the names, handles and URLs, migration authors 0004, and the
    unique alias index). The ids come first and the authors are joined to them, so the cost is
    the matches', not the table's: `display_name ILIKE … OR pk IN (…)` made PostgreSQL walk
    every author by primary key and test each one.
    """
    identities = Q(display_name__icontains=value)
    handle = normalize_handle(value)
    if handle:
        identities |= Q(handle__icontains=handle)
    url = normalize_profile_url(value) if ("." in value or "/" in value) else ""
    if url:
        identities |= Q(profile_url_normalized__icontains=url)
    ids = (
        Author.objects.filter(display_name__icontains=value)
        .order_by()
        .values("pk")
        .union(AuthorIdentity.objects.filter(identities).order_by().values("author_id"))
    )
    if url:
        # Every platform named, so the (platform, value) unique index answers by its first
        # column (ten probes) rather than being read whole for a match on its second.
        ids = ids.union(
            AuthorIdentityAlias.objects.filter(platform__in=Platform.values, value=f"url:{url}")
            .order_by()
            .values("identity__author_id")
        )
    return ids
