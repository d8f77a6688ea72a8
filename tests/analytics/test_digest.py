"""The weekly digest: every manager gets last week's figures against the week before, with the
dashboard's link."""

from datetime import date

import pytest
from django.core import mail

from analytics.services import weekly_digest_send
from analytics.tasks import weekly_digest
from tests.analytics.world import build_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_manager_gets_the_week_against_the_week_before(settings):
    settings.SCRM_PUBLIC_URL = "https://scrm.example.com"
    build_world()
    UserFactory(username="m1", email="m1@example.com", roles=["manager"])
    UserFactory(username="m2", email="m2@example.com", roles=["manager"])
    UserFactory(username="op", email="op@example.com", roles=["operator"])
    UserFactory(username="nomail", email="", roles=["manager"])

    # Monday 26 January 2026: the digest covers 19–25 January against 12–18 January.
    sent = weekly_digest_send(today=date(2026, 1, 26))

    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["m1@example.com", "m2@example.com"]
    message = mail.outbox[0]
    assert message.subject == "scrm weekly report, 19.01 – 25.01.2026"
    # 19–25 January in Moscow: "unread", "question-late", "question-closed", "question-open",
    # "question-reopened" (5); 12–18 January: "boris-leaves" ("spam" is noise) (1).
    assert "Mentions: 5 (week before: 1)" in message.body
    assert "Questions received: 4 (week before: 0)" in message.body
    assert (
        "https://scrm.example.com/admin/analytics/dashboard/"
        "?date_from=2026-01-19&date_to=2026-01-25&interval=day" in message.body
    )


def test_the_task_sends_nothing_without_managers():
    assert weekly_digest.delay().get() == 0
    assert mail.outbox == []


def test_the_beat_schedule_runs_the_digest_weekly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["weekly-report-digest"]

    assert entry["task"] == "analytics.weekly_digest"
    assert entry["schedule"].day_of_week == {1}
