import pytest

from demo.services import _ensure_subjects, demo_articles_load
from knowledge_base.models import Article

pytestmark = pytest.mark.django_db


def test_demo_articles_are_published_once_and_safe_to_reload():
    _ensure_subjects()

    first = demo_articles_load()
    again = demo_articles_load()

    assert (first.created, first.failed) == (30, [])
    assert (again.created, again.unchanged) == (0, 30)
    assert Article.objects.filter(status="published").count() == 30
