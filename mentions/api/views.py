"""Mention, subject and source endpoints. Views validate, call one service, shape the answer."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from mentions import selectors, services
from mentions.adapters import push_adapter
from mentions.api.push_auth import SourcePrincipal, SourceSecretAuthentication
from mentions.api.serializers import (
    MentionDetailSerializer,
    MentionSerializer,
    SourceSerializer,
    SourceWithSecretSerializer,
    TrackedSubjectSerializer,
    bulk_limit,
)
from mentions.filters import MentionFilter, SourceFilter, TrackedSubjectFilter
from mentions.ingest.schema import BulkMentionsIn, BulkMentionsOut, MentionIn
from mentions.models import Mention, Source, TrackedSubject
from mentions.services import configuration
from scrm.api.errors import ApplicationError, InvalidInput
from scrm.api.pagination import CursorPagination
from scrm.roles import Role

READERS = frozenset({Role.OPERATOR, Role.EXPERT, Role.MANAGER, Role.INTEGRATION})
INGESTERS = frozenset({Role.OPERATOR, Role.MANAGER, Role.INTEGRATION})
CONFIGURERS = frozenset({Role.MANAGER})


class MentionCursorPagination(CursorPagination):
    ordering = ("-published_at", "-id")


def _ingest_response(result) -> dict:
    return BulkMentionsOut.model_validate(result.as_dict()).model_dump()


@extend_schema_view(
    list=extend_schema(summary="List mentions, newest published first"),
    retrieve=extend_schema(summary="One mention with its author, engagement and subjects"),
)
class MentionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    allowed_roles = {"list": READERS, "retrieve": READERS, "create": INGESTERS, "bulk": INGESTERS}
    filterset_class = MentionFilter
    pagination_class = MentionCursorPagination
    queryset = Mention.objects.none()

    def get_queryset(self):
        return selectors.mention_list()

    def get_serializer_class(self):
        return MentionDetailSerializer if self.action != "list" else MentionSerializer

    @extend_schema(
        summary="Ingest one mention (generic schema)",
        request=MentionIn,
        responses={
            201: OpenApiResponse(MentionDetailSerializer, description="Created."),
            200: OpenApiResponse(
                MentionDetailSerializer, description="Already known: engagement updated."
            ),
        },
    )
    def create(self, request):
        result = services.mentions_ingest(items=[request.data])
        item = result.results[0]
        if item.status == "failed":
            raise InvalidInput(errors=item.errors)
        mention = selectors.mention_list().get(pk=item.id)
        code = status.HTTP_201_CREATED if item.status == "created" else status.HTTP_200_OK
        return Response(MentionDetailSerializer(mention).data, status=code)

    @extend_schema(
        summary="Ingest up to 1,000 mentions; a bad item fails alone",
        request=BulkMentionsIn,
        responses={200: BulkMentionsOut},
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        items = request.data.get("mentions") if isinstance(request.data, dict) else None
        if not isinstance(items, list):
            raise InvalidInput(errors={"mentions": ["Expected a list of mentions."]})
        if len(items) > bulk_limit():
            raise InvalidInput(
                errors={
                    "mentions": [f"At most {bulk_limit()} mentions per call; got {len(items)}."]
                }
            )
        result = services.mentions_ingest(items=items)
        return Response(_ingest_response(result))


class TrackedSubjectViewSet(viewsets.ModelViewSet):
    """Tracked subjects: readable by every role, configured by managers."""

    allowed_roles = {
        "list": READERS,
        "retrieve": READERS,
        "create": CONFIGURERS,
        "update": CONFIGURERS,
        "partial_update": CONFIGURERS,
        "destroy": CONFIGURERS,
    }
    serializer_class = TrackedSubjectSerializer
    filterset_class = TrackedSubjectFilter
    queryset = TrackedSubject.objects.all()
    lookup_field = "key"
    pagination_class = None

    def perform_create(self, serializer):
        serializer.instance = configuration.subject_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = configuration.subject_update(
            subject=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        configuration.subject_delete(subject=instance)


class SourceViewSet(viewsets.ModelViewSet):
    """Sources: readable by every role, configured by managers. The push secret is shown only
    when a source is created and when it is rotated."""

    allowed_roles = {
        "list": READERS,
        "retrieve": READERS,
        "create": CONFIGURERS,
        "update": CONFIGURERS,
        "partial_update": CONFIGURERS,
        "destroy": CONFIGURERS,
        "rotate_secret": CONFIGURERS,
    }
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    queryset = Source.objects.all()
    lookup_field = "key"
    pagination_class = None

    @extend_schema(responses={201: SourceWithSecretSerializer})
    def create(self, request, *args, **kwargs):
        serializer = SourceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        source = configuration.source_create(**serializer.validated_data)
        return Response(SourceWithSecretSerializer(source).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        serializer.instance = configuration.source_update(
            source=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        configuration.source_delete(source=instance)

    @extend_schema(request=None, responses={200: SourceWithSecretSerializer})
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, key=None):
        source = configuration.source_rotate_secret(source=self.get_object())
        return Response(SourceWithSecretSerializer(source).data)


class IsSourceCaller(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, SourcePrincipal)


class SourcePushView(APIView):
    """A monitoring tool pushes its own format here, authenticated by the source's secret.

    The body is one record, a list of records, or `{"mentions": [...]}` (at most
    `SCRM_BULK_MAX_ITEMS`). The answer is the bulk answer.
    """

    authentication_classes = [SourceSecretAuthentication]
    permission_classes = [IsSourceCaller]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "source_push"

    @extend_schema(
        summary="Receive a monitoring tool's push (YouScan webhook, generic schema, ...)",
        request={"application/json": dict},
        responses={200: BulkMentionsOut},
        auth=[{"basicAuth": []}, {}],
    )
    def post(self, request, key: str):
        source: Source = request.auth
        adapter = push_adapter(source.kind)
        if adapter is None:
            raise ApplicationError(
                f"Sources of kind '{source.kind}' cannot push; import their files instead.",
                code="push_not_supported",
            )
        result = services.mentions_ingest_records(
            records=_records(request.data), adapter=adapter, source=source
        )
        return Response(_ingest_response(result))


def _records(data) -> list:
    if isinstance(data, dict) and isinstance(data.get("mentions"), list):
        records = data["mentions"]
    elif isinstance(data, list):
        records = data
    elif isinstance(data, dict):
        records = [data]
    else:
        raise InvalidInput(errors={"non_field_errors": ["Expected a JSON object or list."]})
    if not records:
        raise InvalidInput(errors={"mentions": ["No mentions in the request."]})
    if len(records) > bulk_limit():
        raise InvalidInput(errors={"mentions": [f"At most {bulk_limit()} mentions per call."]})
    return records
