from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Reports and the managers' dashboard: a read-only composition over the domain apps.

    It reads `authors`, `mentions` and `responses`; nothing imports it. It owns the daily
    roll-ups behind the mention-count reports (`analytics.rollups`), kept by a note each
    change of the mentions writes in its own transaction (`mentions.changed`, subscribed
    here) and by its periodic task; and a proxy model that gives the dashboard its admin
    page and its `view_dashboard` permission.
    """

    name = "analytics"
    verbose_name = "Reports"

    def ready(self) -> None:
        from analytics import subscribers

        subscribers.connect()
