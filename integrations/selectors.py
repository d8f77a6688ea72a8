from django.db.models import Prefetch, QuerySet

from integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from scrm.errors import NotFound


def endpoint_get(pk) -> WebhookEndpoint:
    try:
        return WebhookEndpoint.objects.get(pk=int(pk))
    except (WebhookEndpoint.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("No such webhook endpoint.") from exc


def delivery_list(*, endpoint_id: int) -> QuerySet[WebhookDelivery]:
    """An endpoint's deliveries with their attempts: two queries a page."""
    return WebhookDelivery.objects.filter(endpoint_id=endpoint_id).prefetch_related(
        Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("id"))
    )
