from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ScrmConfig(AppConfig):
    name = "scrm"
    verbose_name = "scrm"

    def ready(self) -> None:
        from scrm.roles import ensure_role_groups

        # Infrastructure, not business logic: groups need the permissions migrate creates.
        post_migrate.connect(ensure_role_groups, dispatch_uid="scrm.ensure_role_groups")
