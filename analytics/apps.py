from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Reports and the managers' dashboard: a read-only composition over the domain apps.

    It reads `authors` and `mentions` (and, as they land, `responses`); nothing imports it. It
    owns no table: every figure is computed from the mentions when asked (see the README,
    "Reports"), so there is no roll-up to keep in step with corrections and merges. Its one
    model is an unmanaged-in-effect proxy that gives the dashboard its admin page and its
    `view_dashboard` permission.
    """

    name = "analytics"
    verbose_name = "Reports"
