"""Every figure of every report equals an independent reckoning over the fixed world
(`tests.analytics.world`): time-zone edges, a mention naming two subjects, noise, corrections
after the fact, anonymized and merged authors."""

import copy
import math
from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import pairwise

import pytest

from analytics.params import report_params
from analytics.selectors import (
    advocates,
    consumer_cycle,
    engagement,
    sentiment,
    share_of_voice,
    support,
)
from authors.services.anonymize import author_anonymize
from authors.services.merge import author_merge
from mentions.models import Category
from mentions.services.corrections import mention_correct
from tests.analytics.world import SPECS, SUBJECTS, chosen, local_day, pct, toward
from tests.conftest import requires_postgres
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

JAN = {"date_from": "2026-01-01", "date_to": "2026-01-31"}
JAN_FIRST, JAN_LAST = date(2026, 1, 1), date(2026, 1, 31)


def _params(**query):
    return report_params({**JAN, **query}, extra=("weight",))


def _days(first=JAN_FIRST, last=JAN_LAST):
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# --- Share of Voice --------------------------------------------------------------------------


def _sov_expected(specs, *, weight=lambda s: 1):
    counts, values = Counter(), Counter()
    for spec in specs:
        for subject in spec.subjects:
            counts[subject] += 1
            values[subject] += weight(spec)
    total = sum(values.values())
    return counts, values, total


def test_share_of_voice_counts_a_mention_naming_two_subjects_once_for_each(world):
    report = share_of_voice(_params())

    specs = chosen(JAN_FIRST, JAN_LAST)
    counts, values, total = _sov_expected(specs)
    got = {s["key"]: s for s in report["subjects"]}
    assert report["total"] == total
    assert report["distinct_mentions"] == len(specs)
    for key in SUBJECTS:
        assert got[key]["mentions"] == counts[key]
        assert got[key]["share_percent"] == pct(values[key], total)
    assert sum(s["share_percent"] for s in report["subjects"]) == pytest.approx(100, abs=0.02)
    # By hand: acme 10 pairs, rival 3, beta 1 (the two-subject mention counts for acme and
    # rival; the noise mention and the ones outside January in Moscow do not count).
    assert (got["acme"]["mentions"], got["rival"]["mentions"], got["beta"]["mentions"]) == (
        10,
        3,
        1,
    )
    assert report["total"] == 14
    assert got["acme"]["share_percent"] == 71.43


def test_share_of_voice_per_day_in_moscow_time_with_empty_days_as_zeros(world):
    report = share_of_voice(_params())

    days = _days()
    rival = next(s for s in report["subjects"] if s["key"] == "rival")
    assert [p["start"] for p in rival["periods"]] == [d.isoformat() for d in days]
    specs = chosen(JAN_FIRST, JAN_LAST)
    for day, period in zip(days, rival["periods"], strict=True):
        on_day = [s for s in specs if local_day(s) == day]
        expected = sum("rival" in s.subjects for s in on_day)
        whole = sum(len(s.subjects) for s in on_day)
        assert period["mentions"] == expected
        assert period["share_percent"] == pct(expected, whole)
    # 21:30 UTC on 31 December is 1 January in Moscow.
    assert rival["periods"][0] == {
        "start": "2026-01-01",
        "mentions": 1,
        "value": 1,
        "share_percent": 100.0,
    }


def test_the_time_zone_edge_moves_a_mention_to_the_next_day_and_month(world):
    report = share_of_voice(
        report_params({"date_from": "2026-01-01", "date_to": "2026-02-28", "interval": "month"})
    )
    utc_report = share_of_voice(
        report_params(
            {"date_from": "2026-01-01", "date_to": "2026-02-28", "interval": "month", "tz": "UTC"}
        )
    )

    acme = next(s for s in report["subjects"] if s["key"] == "acme")
    acme_utc = next(s for s in utc_report["subjects"] if s["key"] == "acme")
    # "next-month" (21:30 UTC on 31 January) is February in Moscow, January in UTC; "old-year"
    # (20:59 UTC on 31 December) is December in both.
    assert [p["mentions"] for p in acme["periods"]] == [10, 1]
    assert [p["mentions"] for p in acme_utc["periods"]] == [11, 0]
    rival_utc = next(s for s in utc_report["subjects"] if s["key"] == "rival")
    assert rival_utc["mentions"] == 2  # "new-year" is 31 December in UTC: outside


@pytest.mark.parametrize(
    ("weight", "of"),
    [
        ("engagement", lambda s: s.likes + s.comments + s.reposts),
        ("reach", lambda s: s.reach),
    ],
)
def test_weighted_share_of_voice(world, weight, of):
    report = share_of_voice(_params(weight=weight))

    counts, values, total = _sov_expected(chosen(JAN_FIRST, JAN_LAST), weight=of)
    assert report["total"] == total
    for subject in report["subjects"]:
        assert subject["value"] == values[subject["key"]]
        assert subject["mentions"] == counts[subject["key"]]
        assert subject["share_percent"] == pct(values[subject["key"]], total)


def test_noise_counts_only_when_asked(world):
    without = share_of_voice(_params())
    with_noise = share_of_voice(_params(include_noise="true"))

    assert with_noise["total"] == without["total"] + 1
    _, values, total = _sov_expected(chosen(JAN_FIRST, JAN_LAST, include_noise=True))
    assert with_noise["total"] == total
    acme = next(s for s in with_noise["subjects"] if s["key"] == "acme")
    assert acme["share_percent"] == pct(values["acme"], total)


def test_filters_narrow_the_mentions(world):
    on_vk = share_of_voice(_params(platform="vk"))
    press = share_of_voice(_params(source_type="media"))
    of_rival = share_of_voice(_params(subject="rival"))

    vk_specs = [s for s in chosen(JAN_FIRST, JAN_LAST) if s.platform == "vk"]
    assert on_vk["total"] == sum(len(s.subjects) for s in vk_specs)
    assert press["total"] == 1
    # The mentions naming rival, and the subjects named with it (acme in "both").
    got = {s["key"]: s["mentions"] for s in of_rival["subjects"]}
    assert got == {"acme": 1, "rival": 3}


# --- Sentiment -------------------------------------------------------------------------------


def _sentiment_expected(specs, subject=None):
    """A subject's counts read the author's sentiment towards it; the mentions' (subject
    None) their own."""
    blocks = {"social": Counter(), "media": Counter()}
    for spec in specs:
        if subject is not None and subject not in spec.subjects:
            continue
        mood = spec.sentiment if subject is None else toward(spec, subject)
        if mood:
            blocks[spec.source_type][mood] += 1
    out = {}
    for kind, counts in blocks.items():
        rated = sum(counts.values())
        out[kind] = {
            "positive": counts["positive"],
            "neutral": counts["neutral"],
            "negative": counts["negative"],
            "net": pct(counts["positive"] - counts["negative"], rated),
        }
    return out


def test_sentiment_reports_social_and_media_apart_per_subject(world):
    report = sentiment(_params())

    specs = chosen(JAN_FIRST, JAN_LAST)
    for subject in report["subjects"]:
        expected = _sentiment_expected(specs, subject["key"])
        assert subject["social"] == expected["social"], subject["key"]
        assert subject["media"] == expected["media"], subject["key"]
    assert report["all"]["social"] == _sentiment_expected(specs)["social"]
    acme = next(s for s in report["subjects"] if s["key"] == "acme")
    # By hand: the press has one negative acme mention; net -100.
    assert acme["media"] == {"positive": 0, "neutral": 0, "negative": 1, "net": -100.0}
    # "both" is negative about acme and positive about rival (each subject's own sentiment),
    # negative as a mention; rival's other January mentions: neutral, negative.
    rival = next(s for s in report["subjects"] if s["key"] == "rival")
    assert rival["social"] == {"positive": 1, "neutral": 1, "negative": 1, "net": 0.0}
    assert report["all"]["social"]["positive"] == sum(
        s.sentiment == "positive" and s.source_type == "social" for s in specs
    )


def test_sentiment_under_the_subject_filter_counts_each_subject_towards_itself(world):
    report = sentiment(_params(subject="rival"))

    naming = [s for s in chosen(JAN_FIRST, JAN_LAST) if "rival" in s.subjects]
    got = {s["key"]: s for s in report["subjects"]}
    assert set(got) == {"acme", "rival"}
    for key in ("acme", "rival"):
        assert got[key]["social"] == _sentiment_expected(naming, key)["social"], key
    # `all`: the mentions naming rival, each by its own sentiment (towards its main subject).
    assert report["all"]["social"] == _sentiment_expected(naming)["social"]
    assert got["acme"]["social"]["negative"] == 1  # "both", towards acme
    assert got["rival"]["social"]["positive"] == 1  # "both", towards rival


def test_sentiment_per_week_starts_on_monday(world):
    report = sentiment(_params(interval="week"))

    starts = [p["start"] for p in report["all"]["periods"]]
    # 1 January 2026 is a Thursday: the first week starts on Monday 29 December.
    assert starts == ["2025-12-29", "2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"]
    specs = chosen(JAN_FIRST, JAN_LAST)
    for period in report["all"]["periods"]:
        monday = date.fromisoformat(period["start"])
        week = [s for s in specs if monday <= local_day(s) < monday + timedelta(days=7)]
        assert period["social"] == _sentiment_expected(week)["social"]
        assert period["media"] == _sentiment_expected(week)["media"]


def test_a_correction_after_the_fact_moves_the_mention_between_buckets(world):
    manager = UserFactory(username="boss", roles=["manager"])
    before = sentiment(_params())["all"]["social"]

    subjects_before = {s["key"]: s["social"] for s in sentiment(_params())["subjects"]}

    mention_correct(mention=world["mentions"]["both"], user=manager, sentiment="positive")

    report = sentiment(_params())
    after = report["all"]["social"]
    specs = copy.deepcopy(chosen(JAN_FIRST, JAN_LAST))
    # The correction is the mention's, so its main subject's (acme) too; rival keeps its own.
    both = next(s for s in specs if s.key == "both")
    both.sentiment = "positive"
    assert after == _sentiment_expected(specs)["social"]
    assert after["positive"] == before["positive"] + 1
    assert after["negative"] == before["negative"] - 1
    subjects_after = {s["key"]: s["social"] for s in report["subjects"]}
    for key in ("acme", "rival"):
        assert subjects_after[key] == _sentiment_expected(specs, key)["social"], key
    assert subjects_after["acme"]["positive"] == subjects_before["acme"]["positive"] + 1
    assert subjects_after["rival"] == subjects_before["rival"]


# --- Engagement ------------------------------------------------------------------------------

FIELDS = ("likes", "comments", "reposts", "views", "reach")


def _engagement_expected(specs):
    figures = {name: sum(getattr(s, name) for s in specs) for name in FIELDS}
    figures["mentions"] = len(specs)
    figures["engagement"] = figures["likes"] + figures["comments"] + figures["reposts"]
    return figures


def test_engagement_in_total_per_platform_per_subject_and_per_day(world):
    report = engagement(_params())

    specs = chosen(JAN_FIRST, JAN_LAST)
    expected = _engagement_expected(specs)
    assert {k: report[k] for k in expected} == expected
    for platform in report["platforms"]:
        mine = [s for s in specs if s.platform == platform["platform"]]
        assert {k: platform[k] for k in expected} == _engagement_expected(mine)
    for subject in report["subjects"]:
        mine = [s for s in specs if subject["key"] in s.subjects]
        assert {k: subject[k] for k in expected} == _engagement_expected(mine)
    for day, period in zip(_days(), report["periods"], strict=True):
        on_day = [s for s in specs if local_day(s) == day]
        assert {k: period[k] for k in expected} == _engagement_expected(on_day)
    # By hand: likes 10 + 5 + 1 + 3 = 19 (noise's 7 and the edges' 100 and 4 left out).
    assert report["likes"] == 19


# --- Consumer cycle --------------------------------------------------------------------------


def _moves_expected(first, last, specs=SPECS):
    stages = {c.key for c in Category.objects.filter(is_stage=True, is_noise=False)}
    lookback = first - timedelta(days=90)
    by_author = defaultdict(list)
    for spec in specs:
        if spec.author and spec.category in stages and lookback <= local_day(spec) <= last:
            by_author[spec.author].append(spec)
    moves = Counter()
    movers = defaultdict(set)
    for author, specs in by_author.items():
        specs.sort(key=lambda s: s.at)
        for previous, current in pairwise(specs):
            if previous.category != current.category and local_day(current) >= first:
                moves[(previous.category, current.category)] += 1
                movers[(previous.category, current.category)].add(author)
    return {key: (n, len(movers[key])) for key, n in moves.items()}


def test_consumer_cycle_mentions_per_category_and_the_moves_between_stages(world):
    report = consumer_cycle(_params())

    specs = chosen(JAN_FIRST, JAN_LAST)
    per_category = Counter(s.category for s in specs)
    got = {c["key"]: c["mentions"] for c in report["categories"]}
    for key, n in per_category.items():
        if key is not None:
            assert got[key] == n
    assert report["unclassified"]["mentions"] == per_category[None]
    assert report["total"] == len(specs)
    assert "noise" not in got
    moves = {(t["from"], t["to"]): (t["moves"], t["authors"]) for t in report["transitions"]}
    assert moves == _moves_expected(JAN_FIRST, JAN_LAST)
    # By hand: boris negative (December) -> abandonment; anna first_review -> support (once:
    # two support mentions in a row are one step).
    assert moves[("negative", "abandonment")] == (1, 1)
    assert moves[("first_review", "support")] == (1, 1)


# --- Support ---------------------------------------------------------------------------------


def _first_response(spec):
    if spec.replied_after is not None:  # a reply sent through scrm: its time
        return spec.replied_after
    if spec.answered_after is None:
        return None
    if spec.reopened_after is not None and spec.reopened_after < spec.answered_after:
        return spec.reopened_after
    return spec.answered_after


def _responder(spec):
    """Who gave the first response: the reply's author, else the holder who answered."""
    return spec.replied_by or spec.operator


def _support_expected(specs):
    questions = [s for s in specs if s.needs_response]
    times = sorted(_first_response(s) * 60 for s in questions if _first_response(s) is not None)
    answered = len(times)
    closed = sum(1 for s in questions if s.answered_after is None and s.closed_after is not None)
    breaches = 0
    for s in questions:
        handled = _first_response(s) if _first_response(s) is not None else s.closed_after
        if handled is None or handled > s.sla_minutes:  # open ones are past due by now
            breaches += 1
    median = None
    if times:
        mid = len(times) // 2
        median = times[mid] if len(times) % 2 else (times[mid - 1] + times[mid]) / 2
    return {
        "received": len(questions),
        "answered": answered,
        "closed": closed,
        "processed": answered + closed,
        "open": len(questions) - answered - closed,
        "answered_percent": pct(answered, len(questions)),
        "first_response_median_seconds": median,
        "first_response_p90_seconds": times[math.ceil(0.9 * len(times)) - 1] if times else None,
        "sla_breaches": breaches,
        "reopened": sum(1 for s in questions if s.reopened_after is not None),
    }


def test_support_kpis_in_total_and_by_category_team_and_operator(world):
    report = support(_params())

    specs = chosen(JAN_FIRST, JAN_LAST)
    expected = _support_expected(specs)
    assert {k: report[k] for k in expected} == expected
    # By hand: first responses of 30 (a reply), 100 (reopened before the last answer, no
    # reply) and 250 minutes (pavel's reply, before olga recorded the answer at 300).
    assert report["first_response_median_seconds"] == 100 * 60
    assert report["first_response_p90_seconds"] == 250 * 60
    assert report["sla_breaches"] == 2  # replied past the SLA; still open past due
    for category in report["categories"]:
        mine = [s for s in specs if s.category == category["key"]]
        assert {k: category[k] for k in expected} == _support_expected(mine)
    for team in report["teams"]:
        mine = [s for s in specs if s.team == team["key"]]
        assert {k: team[k] for k in expected} == _support_expected(mine)
    for operator in report["operators"]:
        mine = [s for s in specs if _responder(s) == operator["username"]]
        assert {k: operator[k] for k in expected} == _support_expected(mine)
    assert {o["username"] for o in report["operators"]} == {"olga", "pavel"}


def test_support_per_period_sums_to_the_total(world):
    report = support(_params(interval="week"))

    assert sum(p["received"] for p in report["periods"]) == report["received"]
    assert sum(p["sla_breaches"] for p in report["periods"]) == report["sla_breaches"]


# --- Advocates, anonymized and merged authors ------------------------------------------------


def _advocates_expected(first, last, segments):
    firsts = {}
    for spec in SPECS:
        if spec.author and spec.category != "noise" and local_day(spec) <= last:
            day = local_day(spec)
            firsts[spec.author] = min(firsts.get(spec.author, day), day)
    out = {}
    for segment in ("advocate", "detractor"):
        mine = [a for a, s in segments.items() if s == segment and a in firsts]
        out[segment] = {
            "now": len(mine),
            "at_start": sum(1 for a in mine if firsts[a] < first),
        }
    return out


def test_advocates_now_and_their_growth(world):
    report = advocates(_params(interval="month"))

    from tests.analytics.world import AUTHORS

    expected = _advocates_expected(JAN_FIRST, JAN_LAST, AUTHORS)
    assert report["advocates"]["now"] == expected["advocate"]["now"]
    assert report["advocates"]["at_start"] == expected["advocate"]["at_start"]
    assert report["detractors"]["now"] == expected["detractor"]["now"]
    # By hand: anna (first wrote 3 January) and elena (31 December) are advocates; boris a
    # detractor since December.
    assert report["advocates"] == {"now": 2, "active": 1, "at_start": 1, "growth": 1}
    assert report["periods"] == [
        {
            "start": "2026-01-01",
            "new_advocates": 1,
            "advocates": 2,
            "new_detractors": 0,
            "detractors": 1,
        }
    ]
    top = report["top"]
    assert [a["name"] for a in top["advocates"]] == ["Anna"]
    assert top["advocates"][0]["positive"] == 2  # "praise", "anna-first"
    assert [a["name"] for a in top["detractors"]] == ["Boris"]
    assert [a["name"] for a in top["influencers"]] == ["Dmitry"]


def test_an_anonymized_author_is_still_counted(world):
    before = {name: build(_params()) for name, build in _ALL.items()}
    manager = UserFactory(username="boss", roles=["manager"])

    author_anonymize(author_id=world["authors"]["boris"].pk, user=manager)

    after = {name: build(_params()) for name, build in _ALL.items()}
    for name in ("share-of-voice", "sentiment", "engagement", "consumer-cycle", "advocates"):
        assert _figures(after[name]) == _figures(before[name]), name
    assert after["advocates"]["top"]["detractors"][0]["anonymized"] is True
    # Their open question is closed (never to be contacted) but still received.
    assert after["support"]["received"] == before["support"]["received"]
    assert after["support"]["open"] == before["support"]["open"] - 1


def test_a_merge_keeps_every_figure_and_joins_the_paths(world):
    manager = UserFactory(username="boss", roles=["manager"])
    before = {name: build(_params()) for name, build in _ALL.items()}

    # clara's mentions become elena's (an advocate): the paths join, counts stay.
    author_merge(
        author_id=world["authors"]["elena"].pk, other_id=world["authors"]["clara"].pk, user=manager
    )

    after = {name: build(_params()) for name, build in _ALL.items()}
    for name in ("share-of-voice", "sentiment", "engagement", "support"):
        assert _figures(after[name]) == _figures(before[name]), name
    categories = lambda r: {c["key"]: c["mentions"] for c in r["categories"]}  # noqa: E731
    assert categories(after["consumer-cycle"]) == categories(before["consumer-cycle"])
    merged = copy.deepcopy(SPECS)
    for spec in merged:
        if spec.author == "clara":
            spec.author = "elena"
    moves = {
        (t["from"], t["to"]): (t["moves"], t["authors"])
        for t in after["consumer-cycle"]["transitions"]
    }
    assert moves == _moves_expected(JAN_FIRST, JAN_LAST, merged)
    assert moves != _moves_expected(JAN_FIRST, JAN_LAST)


_ALL = {
    "share-of-voice": share_of_voice,
    "sentiment": sentiment,
    "engagement": engagement,
    "consumer-cycle": consumer_cycle,
    "support": support,
    "advocates": advocates,
}


def _figures(report: dict) -> dict:
    """A report without the top authors' names (anonymization changes the names only)."""
    return {k: v for k, v in report.items() if k != "top"}


@requires_postgres
def test_postgresql_aggregates_support_exactly_as_the_row_by_row_count(world):
    from analytics import selectors

    calls = []
    original = selectors._support_in_sql

    def both(questions, params, now):
        calls.append(1)
        by_python = selectors._support_in_python(questions, params, now)
        by_sql = original(questions, params, now)
        for python_part, sql_part in zip(by_python, by_sql, strict=True):
            if isinstance(python_part, dict):
                assert {k: c.figures() for k, c in python_part.items()} == {
                    k: c.figures() for k, c in sql_part.items()
                }
            else:
                assert python_part.figures() == sql_part.figures()
        return by_sql

    selectors._support_in_sql = both
    try:
        for interval in ("day", "week", "month"):
            support(_params(interval=interval))
            support(_params(interval=interval, include_noise="true", tz="UTC"))
    finally:
        selectors._support_in_sql = original
    assert len(calls) == 6
