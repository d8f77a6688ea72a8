"""Author endpoints. They live in `profiles` because every answer is the author's profile,
composed over the domain apps (`profiles.selectors`); writes go through `authors.services`."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from authors.field_rules import author_fields_refused
from authors.filters import AuthorFilter
from authors.models import Author
from authors.selectors import author_merged_into
from authors.services.anonymize import author_anonymize
from authors.services.merge import author_merge
from authors.services.profile import KEEP, author_update
from profiles.api.serializers import (
    AuthorAnonymizeSerializer,
    AuthorListSerializer,
    AuthorMergeSerializer,
    AuthorProfileSerializer,
    AuthorUpdateSerializer,
    TimelinePageSerializer,
    author_list_data,
)
from profiles.selectors import (
    author_list_identities,
    author_list_rows,
    author_profile,
    author_timeline,
)
from scrm.api.pagination import CursorPagination, parse_page_size
from scrm.api.permissions import HasRole
from scrm.errors import InvalidInput, NotFound
from scrm.roles import INTEGRATIONS, MANAGERS, READERS, WORKERS

TIMELINE_PAGE_SIZE = 50
TIMELINE_MAX_PAGE_SIZE = 200


class AuthorCursorPagination(CursorPagination):
    ordering = ("-id",)


def _author_id(pk) -> int:
    try:
        author_id = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFound("No such author.") from exc
    return author_id


def _profile(author_id: int) -> dict:
    try:
        profile = author_profile(author_id)
    except NotFound:
        kept = author_merged_into(author_id)
        if kept is not None:
            raise NotFound(
                f"Author #{author_id} was merged into author #{kept}.", code="author_merged"
            ) from None
        raise
    return AuthorProfileSerializer(profile).data


@extend_schema_view(
    list=extend_schema(
        summary="Find authors by name, handle or profile URL",
        description="Newest first, cursor-paginated. `q` matches names and handles by words "
        "and profile URLs in any form (`https://m.vk.com/durov/`, `vk.com/id1`).",
    ),
)
class AuthorViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    allowed_roles = {
        "list": READERS,
        "retrieve": READERS,
        "timeline": READERS,
        "partial_update": WORKERS | MANAGERS | INTEGRATIONS,
        "merge": WORKERS,
        "anonymize": MANAGERS,
    }
    serializer_class = AuthorListSerializer
    filterset_class = AuthorFilter
    pagination_class = AuthorCursorPagination
    queryset = Author.objects.none()

    def get_queryset(self):
        return author_list_rows()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(author_list_data(page, author_list_identities(page)))

    @extend_schema(
        summary="An author's profile: identities, counts, path, segment, hints, notes",
        responses={200: AuthorProfileSerializer},
    )
    def retrieve(self, request, pk=None):
        return Response(_profile(_author_id(pk)))

    @extend_schema(
        summary="Add a note or labels (operators, managers), pin a segment (managers), link "
        "the CRM contact (integration)",
        request=AuthorUpdateSerializer,
        responses={200: AuthorProfileSerializer},
    )
    def partial_update(self, request, pk=None):
        author_id = _author_id(pk)
        if not isinstance(request.data, dict):
            raise InvalidInput(errors={"non_field_errors": ["Expected a JSON object."]})
        if author_fields_refused(request.user, request.data):
            raise PermissionDenied(HasRole.message)
        serializer = AuthorUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        author_update(
            author_id=author_id,
            user=request.user,
            note=data.get("note"),
            labels=data.get("labels"),
            segment=data.get("segment", KEEP),
            crm_external_id=data.get("crm_external_id"),
        )
        return Response(_profile(author_id))

    @extend_schema(
        summary="Merge another author into this one: everything moves here, nothing is lost",
        request=AuthorMergeSerializer,
        responses={200: AuthorProfileSerializer},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        author_id = _author_id(pk)
        serializer = AuthorMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        author_merge(
            author_id=author_id, other_id=serializer.validated_data["other_id"], user=request.user
        )
        return Response(_profile(author_id))

    @extend_schema(
        summary="Forget the person: placeholders everywhere, counts kept, do not contact",
        request=AuthorAnonymizeSerializer,
        responses={200: AuthorProfileSerializer},
    )
    @action(detail=True, methods=["post"])
    def anonymize(self, request, pk=None):
        author_id = _author_id(pk)
        AuthorAnonymizeSerializer(data=request.data).is_valid(raise_exception=True)
        author_anonymize(author_id=author_id, user=request.user)
        return Response(_profile(author_id))

    @extend_schema(
        summary="Everything that happened with this author, newest first",
        description="Mentions (with category, sentiment, status), replies sent to them, "
        "operators' notes and merges, in one stream ordered by (time, kind, id), newest "
        "first. Follow `next` for older entries; its `cursor` is opaque (URL-safe base64 of "
        "the JSON `[time, kind, id]` of the last entry of the page).",
        parameters=[
            OpenApiParameter("cursor", OpenApiTypes.STR, description="From the `next` link."),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": TIMELINE_MAX_PAGE_SIZE},
                description=f"1 to {TIMELINE_MAX_PAGE_SIZE}; default {TIMELINE_PAGE_SIZE}.",
            ),
        ],
        responses={200: TimelinePageSerializer},
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def timeline(self, request, pk=None):
        author_id = _author_id(pk)
        limit = _page_size(request.query_params.get("page_size"))
        try:
            page = author_timeline(
                author_id, cursor=request.query_params.get("cursor") or None, limit=limit
            )
        except ValueError as exc:
            raise InvalidInput(errors={"cursor": [str(exc)]}) from exc
        next_url = None
        if page.next_cursor:
            next_url = replace_query_param(request.build_absolute_uri(), "cursor", page.next_cursor)
        return Response(TimelinePageSerializer({"next": next_url, "results": page.entries}).data)


def _page_size(value) -> int:
    return parse_page_size(value, default=TIMELINE_PAGE_SIZE, maximum=TIMELINE_MAX_PAGE_SIZE)
