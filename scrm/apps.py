from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class ScrmConfig(AppConfig):
    name = "scrm"
    verbose_name = "scrm"

    def ready(self) -> None:
        from scrm.roles import ensure_role_groups
        from scrm.sqlite import install_unicode_case_functions

        # Infrastructure, not business logic: groups need the permissions migrate creates.
        post_migrate.connect(ensure_role_groups, dispatch_uid="scrm.ensure_role_groups")
        connection_created.connect(
            install_unicode_case_functions, dispatch_uid="scrm.sqlite_unicode_case"
        )
        self._start_eager_beat()

    def _start_eager_beat(self) -> None:
        """No broker, so no beat: the development server runs the periodic tasks itself."""
        import os
        import sys

        from django.conf import settings

        from scrm.eager_beat import eager_beat_start, eager_beat_wanted

        if eager_beat_wanted(argv=sys.argv, environ=os.environ, settings=settings):
            eager_beat_start(settings.CELERY_BEAT_SCHEDULE)
