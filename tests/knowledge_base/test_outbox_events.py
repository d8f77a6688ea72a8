"""What the knowledge base tells the outside world goes through the durable outbox."""

import pytest

from scrm.models import OutboxEvent
from tests.knowledge_base.helpers import publish_article

pytestmark = pytest.mark.django_db


def test_publishing_an_article_records_article_published_in_the_outbox():
    article = publish_article(question="Как перенести номер?")

    event = OutboxEvent.objects.get(type="article.published")

    assert event.payload == {"article_id": article.pk, "version": 1}
