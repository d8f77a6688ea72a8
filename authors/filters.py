"""django-filter FilterSets for authors (naming: NetBox's, see mentions/filters.py)."""

import django_filters
from django.db.models import Q

from authors.identity import normalize_handle, normalize_profile_url
from authors.models import Author, AuthorIdentity, AuthorIdentityAlias, Segment
from scrm.api.filters import StrictBooleanFilter
from scrm.platforms import Platform


class AuthorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", help_text="Words of a name, a handle, or a profile URL (any form)."
    )
    segment = django_filters.MultipleChoiceFilter(choices=Segment.choices)
    platform = django_filters.MultipleChoiceFilter(
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
        identities = Q(display_name__icontains=value)
        handle = normalize_handle(value)
        if handle:
            identities |= Q(handle__icontains=handle)
        matches = Q(display_name__icontains=value)
        if "." in value or "/" in value:
            url = normalize_profile_url(value)
            if url:
                identities |= Q(profile_url_normalized__icontains=url)
                # Any form of the profile: vk.com/id123 finds the author known by a vanity URL.
                matches |= Q(
                    pk__in=AuthorIdentityAlias.objects.filter(value=f"url:{url}").values(
                        "identity__author_id"
                    )
                )
        matches |= Q(pk__in=AuthorIdentity.objects.filter(identities).values("author_id"))
        return queryset.filter(matches)

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
