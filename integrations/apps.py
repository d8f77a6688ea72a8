from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from integrations.api.serializers import WebhookEndpointSerializer
        from integrations.models import WebhookEndpoint
        from integrations.services import crm, webhooks
        from scrm.event_renderers import api_renderer, register

        register(
            "webhook_endpoint.disabled",
            "endpoint",
            "endpoint_id",
            api_renderer(WebhookEndpoint.objects.all, WebhookEndpointSerializer),
        )
        webhooks.connect()
        crm.connect()
