"""`/healthz`: is the database reachable, is the broker reachable. Public, reveals no data."""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception:  # any failure means "not reachable"; the details go to the log
        logger.exception("health check: database unreachable")
        return False


def _broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from scrm.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:
        logger.warning("health check: broker unreachable", exc_info=True)
        return "unavailable"


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers (the broker may be down: ingest keeps working and the
    sweeper catches up), 503 when it does not."""
    database = "ok" if _database_ok() else "unavailable"
    broker = _broker_state()
    healthy = database == "ok"
    body = {
        "status": "ok"
        if healthy and broker in ("ok", "eager")
        else ("degraded" if healthy else "down"),
        "database": database,
        "broker": broker,
    }
    return JsonResponse(body, status=200 if healthy else 503)
