"""`GET /api/v1/crm/mentions/changes/?since=`: what a CRM's nightly sync pulls, by cursor."""

from datetime import timedelta
from unittest import mock
from urllib.parse import quote

import pytest
from django.utils import timezone

from mentions.models import Mention
from mentions.services.ingest import mentions_ingest
from scrm.roles import Role
from tests.mentions.helpers import mention_payload

pytestmark = pytest.mark.django_db
URL = "/api/v1/crm/mentions/changes/"


def _ingest(n):
    with mock.patch("mentions.services.ingest.mentions_enqueue_processing"):
        return [r.id for r in mentions_ingest(items=[mention_payload() for _ in range(n)]).results]


def test_changes_come_oldest_change_first_across_pages(integration_client):
    ids = _ingest(5)
    base = timezone.now() - timedelta(hours=5)
    # Changed in this order: 3, 1, 4, 0, 2 (one before `since`).
    for hours, index in enumerate([3, 1, 4, 0, 2]):
        Mention.objects.filter(pk=ids[index]).update(updated_at=base + timedelta(hours=hours))
    since = quote((base + timedelta(minutes=30)).isoformat())

    seen, url = [], f"{URL}?since={since}&page_size=2"
    while url:
        page = integration_client.get(url).json()
        seen += [m["id"] for m in page["results"]]
        url = page["next"]

    assert seen == [ids[1], ids[4], ids[0], ids[2]]


def test_since_is_required_and_must_be_a_time(integration_client):
    missing = integration_client.get(URL)
    bad = integration_client.get(f"{URL}?since=yesterday")

    assert missing.status_code == bad.status_code == 400
    assert "since" in missing.json()["errors"]
    assert "since" in bad.json()["errors"]


def test_a_page_takes_a_fixed_number_of_queries(integration_client, django_assert_num_queries):
    _ingest(10)

    # the token, the user's groups, the page, its subjects
    with django_assert_num_queries(4):
        response = integration_client.get(f"{URL}?since=2000-01-01T00:00:00Z")

    assert len(response.json()["results"]) == 10


def test_editors_are_refused(make_client):
    response = make_client(Role.EDITOR).get(f"{URL}?since=2000-01-01T00:00:00Z")

    assert response.status_code == 403
