"""Webhook endpoints and their delivery log, for managers. Views validate, call one service,
shape the answer."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from integrations import selectors
from integrations.api.serializers import (
    ReplayInSerializer,
    ReplayOutSerializer,
    WebhookDeliverySerializer,
    WebhookEndpointInSerializer,
    WebhookEndpointPatchSerializer,
    WebhookEndpointSerializer,
    WebhookEndpointWithSecretSerializer,
)
from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.services import webhooks
from mentions.api.serializers import MentionSerializer
from mentions.models import Mention
from mentions.selectors import mention_list
from scrm.api.filters import UTCIsoDateTimeFilter
from scrm.api.pagination import CursorPagination
from scrm.errors import InvalidInput
from scrm.roles import MANAGERS, READERS


class NewestFirst(CursorPagination):
    ordering = ("-id",)


class DeliveryFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=WebhookDelivery.Status.choices)
    event_type = django_filters.CharFilter()

    class Meta:
        model = WebhookDelivery
        fields = ("status", "event_type")


@extend_schema_view(
    list=extend_schema(summary="Webhook endpoints, newest first"),
    retrieve=extend_schema(summary="One webhook endpoint (its secret is never shown again)"),
    destroy=extend_schema(summary="Delete an endpoint with its delivery log"),
)
class WebhookEndpointViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    allowed_roles = {
        "list": MANAGERS,
        "retrieve": MANAGERS,
        "create": MANAGERS,
        "partial_update": MANAGERS,
        "destroy": MANAGERS,
        "rotate_secret": MANAGERS,
        "deliveries": MANAGERS,
        "replay": MANAGERS,
    }
    serializer_class = WebhookEndpointSerializer
    pagination_class = NewestFirst
    queryset = WebhookEndpoint.objects.all()

    def get_object(self):
        return selectors.endpoint_get(self.kwargs["pk"])

    @extend_schema(
        summary="Register an endpoint; the answer shows its secret, once",
        request=WebhookEndpointInSerializer,
        responses={201: WebhookEndpointWithSecretSerializer},
    )
    def create(self, request):
        serializer = WebhookEndpointInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = webhooks.endpoint_create(user=request.user, **serializer.validated_data)
        return Response(
            WebhookEndpointWithSecretSerializer(endpoint).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Change the URL, description, event types; disable or enable",
        request=WebhookEndpointPatchSerializer,
        responses={200: WebhookEndpointSerializer},
    )
    def partial_update(self, request, pk=None):
        endpoint = self.get_object()
        serializer = WebhookEndpointPatchSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        endpoint = webhooks.endpoint_update(endpoint_id=endpoint.pk, **serializer.validated_data)
        return Response(WebhookEndpointSerializer(endpoint).data)

    def perform_destroy(self, instance):
        webhooks.endpoint_delete(endpoint_id=instance.pk)

    @extend_schema(
        summary="A new secret; the previous one keeps signing beside it for a while",
        description="Both secrets sign every delivery (two `v1,` signatures) until "
        "`secret_rotation_ends_at` (SCRM_WEBHOOK_SECRET_OVERLAP_HOURS).",
        request=None,
        responses={200: WebhookEndpointWithSecretSerializer},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        endpoint = webhooks.endpoint_rotate_secret(endpoint_id=self.get_object().pk)
        return Response(WebhookEndpointWithSecretSerializer(endpoint).data)

    @extend_schema(
        summary="The endpoint's delivery log, newest first, each with its attempts",
        responses={200: WebhookDeliverySerializer(many=True)},
        parameters=[
            OpenApiParameter("status", enum=list(WebhookDelivery.Status.values)),
            OpenApiParameter("event_type", str),
        ],
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        endpoint = self.get_object()
        filters = DeliveryFilter(
            request.query_params, queryset=selectors.delivery_list(endpoint_id=endpoint.pk)
        )
        if not filters.is_valid():
            raise InvalidInput(errors={k: list(v) for k, v in filters.errors.items()})
        queryset = filters.qs
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)

    @extend_schema(
        summary="Send again every event since a time (a receiver that lost its data)",
        request=ReplayInSerializer,
        responses={202: ReplayOutSerializer},
    )
    @action(detail=True, methods=["post"])
    def replay(self, request, pk=None):
        endpoint = self.get_object()
        serializer = ReplayInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        count = webhooks.endpoint_replay(endpoint_id=endpoint.pk, **serializer.validated_data)
        return Response({"deliveries": count}, status=status.HTTP_202_ACCEPTED)


class WebhookDeliveryViewSet(viewsets.GenericViewSet):
    allowed_roles = {"redeliver": MANAGERS}
    queryset = WebhookDelivery.objects.none()
    serializer_class = WebhookDeliverySerializer

    @extend_schema(
        summary="Send one delivery again (same webhook-id, fresh retry schedule)",
        request=None,
        responses={202: WebhookDeliverySerializer},
    )
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        delivery = webhooks.delivery_redeliver(delivery_id=pk)
        fresh = selectors.delivery_list(endpoint_id=delivery.endpoint_id).get(pk=delivery.pk)
        return Response(WebhookDeliverySerializer(fresh).data, status=status.HTTP_202_ACCEPTED)


# --- What a CRM pulls ---------------------------------------------------------------------------


class ChangesPagination(CursorPagination):
    ordering = ("updated_at", "id")


class ChangesFilter(django_filters.FilterSet):
    since = UTCIsoDateTimeFilter(field_name="updated_at", lookup_expr="gte", required=True)

    class Meta:
        model = Mention
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary="Mentions changed since a time, oldest change first (a CRM's catch-up)",
        description="Every mention whose state changed at or after `since` (new, classified, "
        "claimed, answered — our reply — or closed), in the order of their last change, "
        "cursor-paginated: follow `next` until it is null, then keep the largest `updated_at` "
        "you saw and pass it as `since` next time. A mention that changes again moves to the "
        "end, so a sync that runs after an outage catches up on everything; it may see a "
        "mention twice (match by `id`).",
        parameters=[
            OpenApiParameter(
                "since", OpenApiTypes.DATETIME, required=True, description="ISO 8601, with offset."
            )
        ],
    ),
)
class MentionChangesViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    allowed_roles = {"list": READERS}
    serializer_class = MentionSerializer
    pagination_class = ChangesPagination
    queryset = Mention.objects.none()
    filterset_class = ChangesFilter

    def get_queryset(self):
        return mention_list()
