"""What replies forget when their author asks to be forgotten (`authors.privacy`).

A sent reply is never edited, except here: the law comes first. The reply's text (it may
greet the person by name) and its link are replaced; who wrote and approved it, when, the
template and article version used, and the response times stay, so the archive and reports
still count it.
"""

from django.db.models import Case, CharField, Value, When
from django.utils import timezone

from authors.privacy import ERASED_TEXT
from responses.models import Reply


def replies_erase_author(author_id: int) -> int:
    """Scrub the replies to the author's mentions; returns how many. Safe to run twice."""
    return Reply.objects.filter(mention__author_id=author_id).update(
        body=Case(
            When(body="", then=Value("")), default=Value(ERASED_TEXT), output_field=CharField()
        ),
        external_url="",
        last_error="",
        reject_reason="",
        updated_at=timezone.now(),
    )
