"""Each report's range is read through the `published_at` index (no roll-up tables: the
reports are computed from the mentions, so they are as current as the mentions). With the
planner forbidden sequential scans, the plan of every report query that reads the mentions
names the index: the range predicate is one an index serves."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.params import report_params
from analytics.selectors import REPORTS
from tests.conftest import requires_postgres

pytestmark = [pytest.mark.django_db, requires_postgres]


@pytest.mark.parametrize("report", list(REPORTS))
def test_every_report_reads_the_range_through_the_published_at_index(report):
    params = report_params({"date_from": "2026-01-01", "date_to": "2026-03-31"})
    with CaptureQueriesContext(connection) as queries:
        REPORTS[report](params)
    reading = [q["sql"] for q in queries if '"mentions_mention"."published_at" >=' in q["sql"]]
    assert reading
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in reading:
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "mention_published_idx" in plan, plan
