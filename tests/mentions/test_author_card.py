"""The mention detail embeds a short author summary, so the operator needs no second call."""

import pytest

from authors.services.profile import author_update
from mentions.models import Mention
from tests.authors.helpers import account, answer, at, classify, ingest

pytestmark = pytest.mark.django_db


def test_mention_detail_embeds_the_author_summary(operator_client):
    who = account(name="Анна")
    first = ingest(who, published_at=at(1))
    second = ingest(who, published_at=at(2))
    classify(first, category="support", sentiment="positive")
    classify(second, category="support", sentiment="neutral", status=Mention.Status.QUEUED)
    answer(first, at=second.published_at.replace(day=3))
    author_update(author_id=first.author_id, user=None, segment="advocate")

    response = operator_client.get(f"/api/v1/mentions/{second.pk}/")

    assert response.status_code == 200
    assert response.json()["author_summary"] == {
        "id": first.author_id,
        "display_name": "Анна",
        "segment": "advocate",
        "do_not_contact": False,
        "mentions_count": 2,
        "open_mentions": 1,
        "last_contact_at": "2026-10-03T12:00:00Z",  # the reply, after the last mention
    }


def test_a_mention_without_an_author_has_no_summary(integration_client):
    mention = ingest(None)

    response = integration_client.get(f"/api/v1/mentions/{mention.pk}/")

    assert response.json()["author_summary"] is None


def test_the_mention_list_does_not_embed_it(operator_client):
    ingest(account())

    assert "author_summary" not in operator_client.get("/api/v1/mentions/").json()["results"][0]
