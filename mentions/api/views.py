"""Mention, subject and source endpoints. Views validate, call one service, shape the answer."""

from datetime import timedelta

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from mentions import selectors
from mentions.adapters import push_adapter
from mentions.api import openapi  # noqa: F401  (registers the push door's security schemes)
from mentions.api.push_auth import SourcePrincipal, SourcePushThrottle, SourceSecretAuthentication
from mentions.api.serializers import (
    CategorySerializer,
    ClassificationRuleSerializer,
    MentionCloseSerializer,
    MentionCorrectionSerializer,
    MentionDetailSerializer,
    MentionReopenSerializer,
    MentionSerializer,
    RoutingRuleSerializer,
    SourceSerializer,
    SourceWithSecretSerializer,
    TeamSerializer,
    TrackedSubjectSerializer,
    bulk_limit,
    mention_detail_data,
    mention_list_data,
)
from mentions.filters import MentionFilter, SourceFilter, TrackedSubjectFilter
from mentions.ingest.schema import BulkMentionsIn, BulkMentionsOut, MentionIn
from mentions.models import (
    Category,
    ClassificationRule,
    Mention,
    RoutingRule,
    Source,
    Team,
    TrackedSubject,
)
from mentions.services import configuration
from mentions.services.corrections import mention_correct
from mentions.services.ingest import mentions_ingest, mentions_ingest_records
from mentions.services.push import push_receipt_record
from mentions.services.queue import (
    mention_claim,
    mention_claim_next,
    mention_close,
    mention_mark_answered,
    mention_release,
    mention_reopen,
    queue_for,
)
from scrm.api.pagination import CursorPagination
from scrm.errors import ApplicationError, InvalidInput, NotFound
from scrm.roles import INGESTERS, READERS, WORKERS
from scrm.roles import MANAGERS as CONFIGURERS


class MentionCursorPagination(CursorPagination):
    ordering = ("-published_at", "-id")


def _json_data(request):
    """The body of an ingest door, which speaks JSON only: a form or multipart body would
    arrive as lists of strings (and files), not as the schema's types, so it is a 415."""
    media_type = (request.content_type or "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise exceptions.UnsupportedMediaType(
            media_type or "(none)", detail="Send the mentions as application/json."
        )
    return request.data


def _ingest_response(result) -> dict:
    """The bulk answer; its shape is `BulkMentionsOut` (the OpenAPI schema), built directly."""
    return result.as_dict()


@extend_schema_view(
    list=extend_schema(summary="List mentions, newest published first"),
    retrieve=extend_schema(summary="One mention with its author, engagement and subjects"),
)
class MentionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    allowed_roles = {
        "list": READERS,
        "retrieve": READERS,
        "create": INGESTERS,
        "bulk": INGESTERS,
        "partial_update": WORKERS,
        "claim": WORKERS,
        "release": WORKERS,
        "close": WORKERS,
        "answered": WORKERS,
        "reopen": WORKERS,
    }
    filterset_class = MentionFilter
    pagination_class = MentionCursorPagination
    queryset = Mention.objects.none()

    def get_queryset(self):
        return selectors.mention_list(list_columns=self.action == "list")

    def get_serializer_class(self):
        return MentionDetailSerializer if self.action != "list" else MentionSerializer

    def list(self, request, *args, **kwargs):
        return _list_page(self)

    def retrieve(self, request, *args, **kwargs):
        return Response(mention_detail_data(self.get_object()))

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
        result = mentions_ingest(items=[_json_data(request)])
        item = result.results[0]
        if item.status == "failed":
            raise InvalidInput(errors=item.errors)
        mention = selectors.mention_list().get(pk=item.id)
        code = status.HTTP_201_CREATED if item.status == "created" else status.HTTP_200_OK
        return Response(mention_detail_data(mention), status=code)

    @extend_schema(
        summary="Ingest up to 1,000 mentions; a bad item fails alone",
        request=BulkMentionsIn,
        responses={200: BulkMentionsOut},
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        data = _json_data(request)
        items = data.get("mentions") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise InvalidInput(errors={"mentions": ["Expected a list of mentions."]})
        if len(items) > bulk_limit():
            raise InvalidInput(
                errors={
                    "mentions": [f"At most {bulk_limit()} mentions per call; got {len(items)}."]
                }
            )
        result = mentions_ingest(items=items)
        return Response(_ingest_response(result))

    def _detail(self, mention, code=status.HTTP_200_OK) -> Response:
        fresh = selectors.mention_list().get(pk=mention.pk)
        return Response(mention_detail_data(fresh), status=code)

    @extend_schema(
        summary="Correct a mention's category, sentiment or priority (operators' labels)",
        request=MentionCorrectionSerializer,
        responses={200: MentionDetailSerializer},
    )
    def partial_update(self, request, pk=None):
        serializer = MentionCorrectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        mention = mention_correct(
            mention=self.get_object(), user=request.user, **serializer.validated_data
        )
        return self._detail(mention)

    @extend_schema(
        summary="Claim this mention (or renew your lease on it); 409 if someone holds it",
        request=None,
        responses={200: MentionDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        return self._detail(mention_claim(mention_id=_id(pk), user=request.user))

    @extend_schema(
        summary="Give the mention back to its queue",
        request=None,
        responses={200: MentionDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        return self._detail(mention_release(mention_id=_id(pk), user=request.user))

    @extend_schema(
        summary="Close the mention with a resolution",
        request=MentionCloseSerializer,
        responses={200: MentionDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        serializer = MentionCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        mention = mention_close(mention_id=_id(pk), user=request.user, **serializer.validated_data)
        return self._detail(mention)

    @extend_schema(
        summary="Record that you answered it; refused unless you hold it under a live lease",
        description="Takes no body: the reply's text and link are not stored yet, so a body "
        "that sends any field is a 400 naming it rather than silently dropped.",
        request=None,
        responses={200: MentionDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def answered(self, request, pk=None):
        _refuse_fields(
            request.data,
            allowed=(),
            why="Replies are not stored yet; mark the mention answered with an empty body.",
        )
        return self._detail(mention_mark_answered(mention_id=_id(pk), user=request.user))

    @extend_schema(
        summary="Reopen an answered or closed mention, with a reason (recorded)",
        request=MentionReopenSerializer,
        responses={200: MentionDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        _refuse_fields(request.data, allowed=("reason",), why="Unknown field.")
        serializer = MentionReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        mention = mention_reopen(mention_id=_id(pk), user=request.user, **serializer.validated_data)
        return self._detail(mention)


def _list_page(view) -> Response:
    """A page of mentions shaped by `mention_list_data` (MentionSerializer's fast path)."""
    page = view.paginate_queryset(view.filter_queryset(view.get_queryset()))
    return view.get_paginated_response(mention_list_data(page))


def _refuse_fields(data, *, allowed: tuple[str, ...], why: str) -> None:
    """A 400 naming every field the endpoint does not take: nothing sent is silently dropped."""
    if not data:
        return
    if not isinstance(data, dict):
        raise InvalidInput(errors={"non_field_errors": ["Expected a JSON object."]})
    unknown = sorted(name for name in data if name not in allowed)
    if unknown:
        raise InvalidInput(errors={name: [why] for name in unknown})


def _id(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFound("No such mention.") from exc


class QueueCursorPagination(CursorPagination):
    ordering = ("priority_rank", "sla_due_at", "id")


@extend_schema_view(list=extend_schema(summary="My teams' unclaimed mentions, most urgent first"))
class QueueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    allowed_roles = {"list": WORKERS, "claim_next": WORKERS}
    serializer_class = MentionSerializer
    pagination_class = QueueCursorPagination
    queryset = Mention.objects.none()
    filter_backends: list = []

    def get_queryset(self):
        return selectors.mention_list(queryset=queue_for(self.request.user), list_columns=True)

    def list(self, request, *args, **kwargs):
        return _list_page(self)

    @extend_schema(
        summary="Atomically claim the most urgent mention of my teams' queues",
        request=None,
        responses={
            200: MentionDetailSerializer,
            204: OpenApiResponse(description="The queue is empty."),
        },
    )
    @action(detail=False, methods=["post"], url_path="claim-next")
    def claim_next(self, request):
        mention = mention_claim_next(user=request.user)
        if mention is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        fresh = selectors.mention_list().get(pk=mention.pk)
        return Response(mention_detail_data(fresh))


class ConfigViewSet(viewsets.ModelViewSet):
    """Configuration that managers edit and everyone reads; writes go through services."""

    allowed_roles = {
        "list": READERS,
        "retrieve": READERS,
        "create": CONFIGURERS,
        "update": CONFIGURERS,
        "partial_update": CONFIGURERS,
        "destroy": CONFIGURERS,
    }
    pagination_class = None
    m2m_fields: tuple[str, ...] = ()

    def _save(self, serializer, instance):
        data = dict(serializer.validated_data)
        m2m = {name: data.pop(name) for name in self.m2m_fields if name in data}
        serializer.instance = configuration.config_object_save(
            instance=instance, fields=data, m2m=m2m
        )

    def perform_create(self, serializer):
        self._save(serializer, self.queryset.model())

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        configuration.config_object_delete(instance=instance)


class CategoryViewSet(ConfigViewSet):
    serializer_class = CategorySerializer
    queryset = Category.objects.select_related("default_team")
    lookup_field = "key"


class TeamViewSet(ConfigViewSet):
    serializer_class = TeamSerializer
    queryset = Team.objects.prefetch_related("members")
    lookup_field = "key"
    m2m_fields = ("members",)


class RoutingRuleViewSet(ConfigViewSet):
    serializer_class = RoutingRuleSerializer
    queryset = RoutingRule.objects.select_related("category", "subject", "team")


class ClassificationRuleViewSet(ConfigViewSet):
    serializer_class = ClassificationRuleSerializer
    queryset = ClassificationRule.objects.select_related("category")


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


# The tool's own format, so only its outline is known: one record, a list, or {"mentions": [...]}.
PUSH_BODY = {
    "oneOf": [
        {"type": "object", "additionalProperties": True},
        {"type": "array", "items": {"type": "object", "additionalProperties": True}},
    ],
    "description": 'One record, a list of records, or `{"mentions": [...]}`, in the format of '
    "the source's kind.",
}


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
    throttle_classes = [SourcePushThrottle]

    @extend_schema(
        summary="Receive a monitoring tool's push (YouScan webhook, generic schema, ...)",
        request={"application/json": PUSH_BODY},
        responses={200: BulkMentionsOut},
    )
    def post(self, request, key: str):
        source: Source = request.auth
        signed = request.user.signed
        if signed is not None:
            push_receipt_record(
                source=source,
                signature=signed.signature,
                signed_at=signed.signed_at,
                tolerance=timedelta(seconds=settings.SCRM_PUSH_TOLERANCE_SECONDS),
            )
        adapter = push_adapter(source.kind)
        if adapter is None:
            raise ApplicationError(
                f"Sources of kind '{source.kind}' cannot push; import their files instead.",
                code="push_not_supported",
            )
        result = mentions_ingest_records(
            records=_records(_json_data(request)), adapter=adapter, source=source
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
