"""The reports' daily roll-ups: noted in the changing transaction, recomputed whole, read for
clean days beside the mentions of changed ones, and always equal to a recomputation."""

from datetime import date
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from analytics import rollups
from analytics.models import MentionDay, RollupChange, RollupState
from analytics.params import report_params
from analytics.selectors import REPORTS
from authors.services.anonymize import author_anonymize
from authors.services.merge import author_merge
from mentions.models import Mention
from mentions.services.corrections import mention_correct
from mentions.services.ingest import mentions_ingest
from mentions.services.triage import mentions_process
from tests.analytics.world import build_world
from tests.factories import SourceFactory, TrackedSubjectFactory, UserFactory
from tests.mentions.helpers import mention_payload
from tests.mentions.states import BLAME, PRAISE, WordClassifier, process_as

pytestmark = pytest.mark.django_db

JAN = {"date_from": "2026-01-01", "date_to": "2026-01-31"}


def _params(**query):
    return report_params({**JAN, **query}, extra=("weight",))


def _every_report(**query) -> dict:
    """Every report's answer for the same parameters (the advocates' names aside)."""
    params = _params(**query)
    return {name: report(params) for name, report in REPORTS.items()}


def _by_mentions(settings, **query) -> dict:
    settings.SCRM_REPORT_ROLLUPS = False
    try:
        return _every_report(**query)
    finally:
        settings.SCRM_REPORT_ROLLUPS = True


QUERIES = [
    {},
    {"interval": "week"},
    {"interval": "month", "include_noise": "true"},
    {"subject": "acme"},
    {"subject": "rival", "interval": "week"},
    {"platform": "vk"},
    {"source_type": "media"},
    {"source_type": "social", "weight": "engagement"},
    {"weight": "reach", "include_noise": "true"},
]


@pytest.mark.parametrize("query", QUERIES)
def test_every_report_reads_the_same_from_the_rollups_as_from_the_mentions(settings, query):
    build_world()
    rollups.rebuild()

    assert rollups.plan(_params(**query)).rollups
    assert _every_report(**query) == _by_mentions(settings, **query)


def test_the_reports_do_read_the_rollups():
    build_world()
    rollups.rebuild()
    before = _params()
    honest = REPORTS["share-of-voice"](before)["total"]

    # A wrong roll-up row shows in the report (it is what the report reads)...
    row = MentionDay.objects.filter(day__month=1, subject_id__gt=0, with_subject_id=0).first()
    MentionDay.objects.filter(pk=row.pk).update(mentions=row.mentions + 5)
    assert REPORTS["share-of-voice"](_params())["total"] == honest + 5
    # ...the check finds it, and a rebuild puts it right.
    assert rollups.check() == [row.day]
    rollups.rebuild()
    assert rollups.check() == []
    assert REPORTS["share-of-voice"](_params())["total"] == honest


def test_a_change_notes_its_day_in_its_own_transaction():
    SourceFactory(key="tool")
    payload = mention_payload(published_at="2026-03-01T21:30:00+00:00")  # 2 March in Moscow

    with pytest.raises(RuntimeError), transaction.atomic():
        mentions_ingest(items=[payload])
        assert list(RollupChange.objects.values_list("day", flat=True)) == [date(2026, 3, 2)]
        raise RuntimeError("the ingest rolls back")
    assert not RollupChange.objects.exists()

    mentions_ingest(items=[payload])
    assert list(RollupChange.objects.values_list("day", flat=True)) == [date(2026, 3, 2)]


def test_a_correction_shows_in_the_next_report_before_any_recompute(settings):
    world = build_world()
    rollups.rebuild()
    mention = world["mentions"]["press"]
    manager = UserFactory(roles=["manager"])

    mention_correct(mention=mention, user=manager, sentiment="positive")

    plan = rollups.plan(_params())
    assert plan.rollups and plan.noted_days == (date(2026, 1, 10),)
    assert _every_report() == _by_mentions(settings)
    # The periodic refresh recomputes the day and clears its note; the figures stay.
    assert rollups.refresh() == 1
    assert rollups.plan(_params()).noted_days == ()
    assert _every_report() == _by_mentions(settings)
    assert rollups.check() == []


def test_after_any_sequence_of_changes_the_rollups_equal_a_recomputation(settings):
    SourceFactory(key="tool")
    acme = TrackedSubjectFactory(key="acme", aliases=["acme"], is_own=True)
    TrackedSubjectFactory(key="rival", aliases=["rival"], is_own=False)
    manager = UserFactory(roles=["manager"])
    rollups.rebuild()  # an empty base: built, nothing in it

    days = ["2026-01-03T10:00:00+03:00", "2026-01-05T23:30:00+03:00", "2026-01-31T21:30:00Z"]
    items = [
        mention_payload(text=f"acme {n}", published_at=days[n % 3], subjects=["acme"])
        for n in range(6)
    ] + [mention_payload(text="acme and rival", published_at=days[1], subjects=["acme", "rival"])]
    result = mentions_ingest(items=items)
    ids = [r.id for r in result.results]
    process_as(ids[:4], category="support", sentiment="negative")
    process_as(ids[4:], category="praise", sentiment="positive")
    # A re-report raises counters of a known mention.
    mentions_ingest(items=[{**items[0], "engagement": {"likes": 40, "reach": 900}}])
    mention_correct(
        mention=Mention.objects.get(pk=ids[1]),
        user=manager,
        category="praise",
        sentiment="positive",
    )
    first, second = (Mention.objects.get(pk=i).author_id for i in ids[:2])
    author_merge(author_id=first, other_id=second, user=manager)
    author_anonymize(author_id=first, user=manager)

    # Before any recompute, the reports already say what the mentions say.
    for query in ({}, {"subject": "rival"}, {"interval": "week", "include_noise": "true"}):
        assert _every_report(**query) == _by_mentions(settings, **query)
    assert rollups.refresh() >= 1
    assert not RollupChange.objects.exists()
    assert rollups.check() == []
    stored = rollups._as_tuples(MentionDay.objects.all())
    assert stored == rollups._as_tuples(
        rollups.compute_days(date(2026, 1, 1), date(2026, 2, 1), rollups._zone())
    )
    assert MentionDay.objects.filter(with_subject_id=acme.pk, subject_id=0).exists()
    assert _every_report() == _by_mentions(settings)


def test_a_deleted_mention_notes_its_day(settings):
    world = build_world()
    rollups.rebuild()

    world["mentions"]["press"].delete()

    assert rollups.plan(_params()).noted_days == (date(2026, 1, 10),)
    assert _every_report() == _by_mentions(settings)
    rollups.refresh()
    assert rollups.check() == []


def test_a_report_in_another_zone_of_one_source_or_over_a_backfill_reads_the_mentions(settings):
    build_world()
    rollups.rebuild()

    assert not rollups.plan(_params(tz="UTC")).rollups
    assert not rollups.plan(_params(source="other")).rollups
    settings.SCRM_REPORT_ROLLUP_REFRESH_DAYS = 2
    RollupChange.objects.bulk_create(RollupChange(day=date(2026, 1, d)) for d in (2, 3, 4))
    assert not rollups.plan(_params()).rollups
    assert rollups.plan(_params(date_from="2026-01-03", date_to="2026-01-04")).rollups


def test_a_new_report_zone_rebuilds_the_rollups(settings):
    build_world()
    rollups.rebuild()
    settings.SCRM_REPORT_TIME_ZONE = "UTC"

    assert not rollups.plan(_params(tz="UTC")).rollups  # built in Moscow time
    # Nor for a report asking Moscow: changes are now noted by UTC days.
    assert not rollups.plan(_params(tz="Europe/Moscow")).rollups
    assert rollups.refresh() == -1  # the periodic task rebuilds
    assert RollupState.objects.get().zone == "UTC"
    assert rollups.plan(_params(tz="UTC")).rollups
    assert _every_report(tz="UTC") == _by_mentions(settings, tz="UTC")


def test_never_built_rollups_are_built_by_the_periodic_task():
    build_world()

    assert not rollups.plan(_params()).rollups
    assert rollups.refresh() == -1
    assert rollups.plan(_params()).rollups
    assert rollups.check() == []


def test_the_command_rebuilds_and_checks(capsys):
    build_world()

    call_command("rebuild_report_rollups")
    call_command("rebuild_report_rollups", "--check")
    assert "equal a recomputation" in capsys.readouterr().out
    MentionDay.objects.filter(pk=MentionDay.objects.first().pk).update(likes=10**6)
    with pytest.raises(CommandError, match="1 day"):
        call_command("rebuild_report_rollups", "--check")
    call_command("rebuild_report_rollups", "--from", "2026-01-01", "--to", "2026-02-28")
    call_command("rebuild_report_rollups", "--check")
    with pytest.raises(CommandError, match="Not a date"):
        call_command("rebuild_report_rollups", "--from", "yesterday")
    with pytest.raises(CommandError, match="after"):
        call_command("rebuild_report_rollups", "--from", "2026-02-01", "--to", "2026-01-01")


def test_the_refresh_runs_on_the_beat(settings):
    from analytics.tasks import refresh_rollups
    from scrm.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["refresh-report-rollups"]
    assert entry["task"] == refresh_rollups.name == "analytics.refresh_rollups"
    assert app.tasks[entry["task"]].name == refresh_rollups.name
    assert refresh_rollups.delay().get() == -1  # never built: built now
    assert RollupState.objects.exists()


def test_a_mention_naming_two_subjects_counts_each_by_its_own_sentiment_both_ways(settings):
    SourceFactory(key="tool")
    TrackedSubjectFactory(key="acme", name="Acme", is_own=True)
    TrackedSubjectFactory(key="rival", name="Rival", is_own=False)
    rollups.rebuild()
    text = f"Acme {PRAISE} работает! А Rival {BLAME} тормозит."
    (result,) = mentions_ingest(
        items=[mention_payload(text=text, published_at="2026-01-05T12:00:00+03:00")]
    ).results
    with mock.patch("mentions.services.triage.active_classifier", return_value=WordClassifier()):
        mentions_process(mention_ids=[result.id])

    for query in ({}, {"subject": "rival"}):
        assert _every_report(**query) == _by_mentions(settings, **query)
    rollups.refresh()
    assert rollups.check() == []
    report = REPORTS["sentiment"](_params())
    got = {s["key"]: s["social"] for s in report["subjects"]}
    assert (got["acme"]["positive"], got["acme"]["negative"]) == (1, 0)
    assert (got["rival"]["positive"], got["rival"]["negative"]) == (0, 1)
    # The mention's own sentiment, counted once in `all`, is towards its main subject (acme).
    assert report["all"]["social"]["positive"] == 1
    for query in ({}, {"subject": "rival"}, {"subject": "acme", "interval": "week"}):
        assert _every_report(**query) == _by_mentions(settings, **query)
