from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from scrm.event_types import EVENT_TYPES

EVENT_TYPE_HELP = "Event types to receive; empty or left out: every type. Known: " + ", ".join(
    EVENT_TYPES
)


class WebhookEndpointInSerializer(serializers.Serializer):
    url = serializers.CharField(
        max_length=2000,
        help_text="http(s) URL that resolves to public addresses (the SSRF guard).",
    )
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=list(EVENT_TYPES)),
        required=False,
        max_length=len(EVENT_TYPES),
        help_text=EVENT_TYPE_HELP,
    )
    active = serializers.BooleanField(required=False, default=True)


class WebhookEndpointPatchSerializer(WebhookEndpointInSerializer):
    url = serializers.CharField(max_length=2000, required=False)
    active = serializers.BooleanField(
        required=False, help_text="true enables a disabled endpoint: its pending deliveries go."
    )


class WebhookEndpointSerializer(serializers.ModelSerializer):
    secret_rotation_ends_at = serializers.SerializerMethodField()

    class Meta:
        model = WebhookEndpoint
        fields = (
            "id",
            "url",
            "description",
            "event_types",
            "active",
            "disabled_at",
            "disabled_reason",
            "failing_since",
            "secret_rotation_ends_at",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_secret_rotation_ends_at(self, endpoint) -> str | None:
        """Until when the previous secret signs too (null: no rotation under way)."""
        ends = endpoint.previous_secret_expires_at
        if endpoint.previous_secret and ends and ends > timezone.now():
            return serializers.DateTimeField().to_representation(ends)
        return None


class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text="Shown only now: the Standard Webhooks secret (`whsec_…`) to verify with.",
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = (*WebhookEndpointSerializer.Meta.fields, "secret")
        read_only_fields = fields


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ("attempted_at", "status_code", "duration_ms", "success", "response_body", "error")
        read_only_fields = fields


class WebhookDeliverySerializer(serializers.ModelSerializer):
    webhook_id = serializers.UUIDField(source="event_id", read_only=True)
    endpoint = serializers.IntegerField(source="endpoint_id", read_only=True)
    event_timestamp = serializers.DateTimeField(source="event_created_at", read_only=True)
    next_attempt_at = serializers.SerializerMethodField()
    attempt_log = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = (
            "id",
            "endpoint",
            "webhook_id",
            "event_type",
            "event_timestamp",
            "status",
            "attempts",
            "next_attempt_at",
            "last_attempt_at",
            "last_status_code",
            "last_error",
            "delivered_at",
            "created_at",
            "attempt_log",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_next_attempt_at(self, delivery) -> str | None:
        if delivery.status != WebhookDelivery.Status.PENDING:
            return None
        return serializers.DateTimeField().to_representation(delivery.next_attempt_at)


class ReplayInSerializer(serializers.Serializer):
    since = serializers.DateTimeField(help_text="Send again every event recorded from this time.")
    until = serializers.DateTimeField(required=False, help_text="…up to this time (default: now).")


class ReplayOutSerializer(serializers.Serializer):
    deliveries = serializers.IntegerField(help_text="How many deliveries were made pending.")
