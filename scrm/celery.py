"""The Celery app. Tasks are thin: they fetch by id and call one service.

Periodic tasks are declared in one place, `CELERY_BEAT_SCHEDULE` in settings.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrm.settings")

app = Celery("scrm", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
