"""The report endpoints as managers and integrators call them: the contract, the refused roles,
bad parameters (a 400 naming each), the downloads, and a fixed number of queries whatever the
period."""

import csv
import io

import pytest
from openpyxl import load_workbook

from scrm.roles import Role

pytestmark = pytest.mark.django_db

REPORTS = ("share-of-voice", "sentiment", "engagement", "consumer-cycle", "support", "advocates")
JAN = "date_from=2026-01-01&date_to=2026-01-31"
# Queries per report after authentication (knox token, the user's groups): the report's own.
REPORT_QUERIES = {
    "share-of-voice": 2,
    "sentiment": 3,
    "engagement": 3,
    "consumer-cycle": 3,
    "support": 4,
    "advocates": 2,
}
AUTH_QUERIES = 2  # the token with its user, the user's groups
# Read from the roll-ups: their state and the range's changed days first.
ROLLUP_QUERIES = {"share-of-voice": 2, "sentiment": 2, "engagement": 2, "consumer-cycle": 2}


def _url(report, query=JAN):
    return f"/api/v1/reports/{report}/?{query}"


@pytest.mark.parametrize("role", [Role.MANAGER, Role.INTEGRATION])
@pytest.mark.parametrize("report", REPORTS)
def test_managers_and_the_integration_role_read_every_report(world, make_client, role, report):
    response = make_client(role).get(_url(report))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["date_from"] == "2026-01-01"
    assert body["tz"] == "Europe/Moscow"


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.EXPERT, Role.EDITOR])
@pytest.mark.parametrize("report", REPORTS)
def test_other_roles_are_refused(world, make_client, role, report):
    response = make_client(role).get(_url(report))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_anonymous_callers_are_refused_even_for_a_csv(anon_client):
    response = anon_client.get(_url("support", f"{JAN}&format=csv"))

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


def test_share_of_voice_answers_the_contract(world, manager_client):
    body = manager_client.get(_url("share-of-voice", f"{JAN}&interval=month")).json()

    assert set(body) >= {"subjects", "total"}
    subject = body["subjects"][0]
    assert set(subject) >= {"key", "name", "is_own", "mentions", "share_percent", "periods"}
    assert set(subject["periods"][0]) >= {"start", "mentions", "share_percent"}
    assert subject["key"] == "acme"  # ours first
    assert subject["periods"] == [
        {"start": "2026-01-01", "mentions": 10, "value": 10, "share_percent": 71.43}
    ]
    assert body["total"] == 14


def test_sentiment_answers_the_contract(world, integration_client):
    body = integration_client.get(_url("sentiment", f"{JAN}&interval=month")).json()

    subject = body["subjects"][0]
    assert set(subject) >= {"key", "name", "is_own", "social", "media", "periods"}
    assert set(subject["social"]) == {"positive", "neutral", "negative", "net"}
    assert set(subject["periods"][0]) == {"start", "social", "media"}


def test_the_other_reports_answer_their_shapes(world, manager_client):
    engagement = manager_client.get(_url("engagement")).json()
    cycle = manager_client.get(_url("consumer-cycle")).json()
    support = manager_client.get(_url("support")).json()
    advocates = manager_client.get(_url("advocates")).json()

    assert {"likes", "comments", "reposts", "engagement", "views", "reach", "platforms"} <= set(
        engagement
    )
    assert {"categories", "transitions", "unclassified"} <= set(cycle)
    assert {
        "received",
        "processed",
        "answered_percent",
        "first_response_median_seconds",
        "first_response_p90_seconds",
        "sla_breaches",
        "categories",
        "teams",
        "operators",
    } <= set(support)
    assert {"advocates", "detractors", "periods", "top"} <= set(advocates)


def test_the_report_index_links_every_report(manager_client):
    body = manager_client.get("/api/v1/reports/").json()

    assert body["share_of_voice"] == "http://testserver/api/v1/reports/share-of-voice/"
    assert len(body) == len(REPORTS)


def test_without_dates_the_last_30_days_to_today(manager_client):
    body = manager_client.get("/api/v1/reports/engagement/").json()

    assert len(body["periods"]) == 30


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("date_from=2026-13-01", "date_from"),
        ("date_from=yesterday", "date_from"),
        ("date_to=2026-02-30", "date_to"),
        ("date_from=2026-02-01&date_to=2026-01-01", "date_to"),
        ("date_from=2020-01-01&date_to=2026-01-01", "date_to"),  # over SCRM_REPORT_MAX_DAYS
        ("interval=hour", "interval"),
        ("tz=Mars/Olympus", "tz"),
        ("tz=../../etc/passwd", "tz"),
        ("subject=nonexistent", "subject"),
        ("source=nonexistent", "source"),
        ("platform=myspace", "platform"),
        ("source_type=tv", "source_type"),
        ("include_noise=maybe", "include_noise"),
        ("platfrom=vk", "platfrom"),  # a misspelt filter is not silently ignored
        ("format=pdf", "format"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(manager_client, query, parameter):
    response = manager_client.get(f"/api/v1/reports/support/?{query}")

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == [parameter]


def test_weight_is_a_share_of_voice_parameter_only(manager_client):
    assert manager_client.get("/api/v1/reports/share-of-voice/?weight=likes").status_code == 400
    assert manager_client.get("/api/v1/reports/share-of-voice/?weight=reach").status_code == 200
    errors = manager_client.get("/api/v1/reports/sentiment/?weight=reach").json()["errors"]
    assert list(errors) == ["weight"]


def test_the_longest_range_is_accepted_and_one_day_more_refused(manager_client, settings):
    settings.SCRM_REPORT_MAX_DAYS = 31

    ok = manager_client.get("/api/v1/reports/support/?date_from=2026-01-01&date_to=2026-01-31")
    refused = manager_client.get("/api/v1/reports/support/?date_from=2026-01-01&date_to=2026-02-01")

    assert ok.status_code == 200
    assert refused.status_code == 400
    assert "at most 31" in refused.json()["errors"]["date_to"][0]


def test_the_tz_parameter_overrides_the_report_time_zone(world, manager_client):
    moscow = manager_client.get(_url("engagement")).json()
    utc = manager_client.get(_url("engagement", f"{JAN}&tz=UTC")).json()

    assert utc["tz"] == "UTC"
    # "new-year" (00:30 on 1 January in Moscow) is 31 December in UTC; "next-month" (00:30 on
    # 1 February in Moscow) is 31 January in UTC.
    assert moscow["periods"][0]["likes"] == 1
    assert utc["periods"][0]["likes"] == 0
    assert utc["periods"][-1]["likes"] == 4


def test_a_report_downloads_as_csv(world, manager_client):
    response = manager_client.get(_url("share-of-voice", f"{JAN}&interval=month&format=csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "share-of-voice_2026-01-01_2026-01-31_month.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["start", "subject", "name", "is_own", "mentions", "value", "share_percent"]
    assert ["total", "acme", "Acme", "true", "10", "10", "71.43"] in rows
    assert ["2026-01-01", "rival", "Rival", "false", "3", "3", "21.43"] in rows


@pytest.mark.parametrize("report", REPORTS)
def test_every_report_downloads_as_csv_and_xlsx(world, integration_client, report):
    as_csv = integration_client.get(_url(report, f"{JAN}&format=csv"))
    as_xlsx = integration_client.get(_url(report, f"{JAN}&format=xlsx"))

    assert as_csv.status_code == 200
    assert as_xlsx.status_code == 200
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet.title == report
    assert [c.value for c in next(sheet.iter_rows())] == rows[0]
    assert sheet.max_row == len(rows)


def test_a_bad_parameter_of_a_csv_download_is_answered_in_json(manager_client):
    response = manager_client.get("/api/v1/reports/support/?format=csv&interval=hour")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "interval": ["Choose one of: day, week, month; got 'hour'."]
    }


@pytest.mark.parametrize("report", REPORTS)
def test_a_report_runs_the_same_queries_for_a_day_and_for_a_year(
    world, manager_client, django_assert_num_queries, report
):
    expected = AUTH_QUERIES + REPORT_QUERIES[report]
    if world["reading"] == "rollups":
        expected += ROLLUP_QUERIES.get(report, 0)
    with django_assert_num_queries(expected):
        short = manager_client.get(_url(report, "date_from=2026-01-05&date_to=2026-01-05"))
    with django_assert_num_queries(expected):
        long = manager_client.get(_url(report, "date_from=2025-06-01&date_to=2026-05-31"))
    with django_assert_num_queries(expected + 1):  # the subject looked up by its key
        narrowed = manager_client.get(_url(report, f"{JAN}&interval=week&subject=acme"))

    assert (short.status_code, long.status_code, narrowed.status_code) == (200, 200, 200)
