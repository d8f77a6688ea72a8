from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from integrations import renderers
        from integrations.services import crm, webhooks

        renderers.register_defaults()
        webhooks.connect()
        crm.connect()
