"""With Celery eager (`make run`), the development server runs the beat schedule itself."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from scrm.eager_beat import EagerBeat, eager_beat_wanted


def _settings(*, eager=True, env="development"):
    return SimpleNamespace(CELERY_TASK_ALWAYS_EAGER=eager, SCRM_ENV=env)


@pytest.mark.parametrize(
    ("argv", "environ", "settings", "wanted"),
    [
        (["manage.py", "runserver"], {"RUN_MAIN": "true"}, _settings(), True),
        (["manage.py", "runserver", "--noreload"], {}, _settings(), True),
        # The autoreloader's watching parent: the child serves and runs the schedule.
        (["manage.py", "runserver"], {}, _settings(), False),
        (["manage.py", "runserver"], {"RUN_MAIN": "true"}, _settings(eager=False), False),
        (["manage.py", "runserver"], {"RUN_MAIN": "true"}, _settings(env="test"), False),
        (["manage.py", "migrate"], {"RUN_MAIN": "true"}, _settings(), False),
        (["gunicorn", "scrm.wsgi:application"], {}, _settings(), False),
        (["pytest"], {}, _settings(), False),
    ],
)
def test_the_schedule_runs_only_in_an_eager_development_server(argv, environ, settings, wanted):
    assert eager_beat_wanted(argv=argv, environ=environ, settings=settings) is wanted


def test_each_task_runs_at_its_interval_the_first_time_one_interval_after_start():
    now = [1000.0]
    ran: list[str] = []
    beat = EagerBeat(
        {
            "sweep": {"task": "mentions.sweep_unprocessed", "schedule": timedelta(seconds=60)},
            "retrain": {"task": "mentions.retrain_classifier", "schedule": timedelta(hours=1)},
        },
        clock=lambda: now[0],
        run=ran.append,
    )

    assert beat.tick() == 60.0
    assert ran == []
    now[0] = 1060.0
    assert beat.tick() == 60.0
    now[0] = 1125.0
    beat.tick()
    now[0] = 4600.0
    beat.tick()

    assert ran == [
        "mentions.sweep_unprocessed",
        "mentions.sweep_unprocessed",
        "mentions.sweep_unprocessed",
        "mentions.retrain_classifier",
    ]


@pytest.mark.django_db
def test_the_scheduled_sweep_returns_an_expired_lease_when_run_eagerly(settings):
    """What the thread calls: the real task, applied in-process, ends an expired claim."""
    from django.utils import timezone

    from mentions.models import Mention, Team
    from mentions.services.queue import mention_claim
    from scrm.eager_beat import _run_task
    from scrm.roles import Role
    from tests.factories import UserFactory
    from tests.mentions.queue_helpers import queued_mentions

    team = Team.objects.get(key="support")
    (mention,) = queued_mentions(1, team=team)
    ann = UserFactory(roles=[Role.OPERATOR])
    team.members.add(ann)
    mention_claim(mention_id=mention.pk, user=ann)
    Mention.objects.filter(pk=mention.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )

    _run_task(settings.CELERY_BEAT_SCHEDULE["sweep-unprocessed-mentions"]["task"])

    mention.refresh_from_db()
    assert (mention.status, mention.claimed_by) == (Mention.Status.QUEUED, None)
