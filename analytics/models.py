from mentions.models import Mention


class Dashboard(Mention):
    """The managers' dashboard in the admin (no table of its own): the proxy gives the page its
    place in the admin index and its `view_dashboard` permission, granted to managers."""

    class Meta:
        proxy = True
        verbose_name = "dashboard"
        verbose_name_plural = "dashboard"
        default_permissions = ("view",)
