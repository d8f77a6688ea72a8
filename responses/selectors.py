"""Reads of replies: the working list, the approvals waiting, and the answer archive. Each
loads what its page shows in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from mentions.models import MentionSubject
from responses.models import Reply

R = Reply.Status


def reply_list() -> QuerySet[Reply]:
    return Reply.objects.select_related(
        "mention",
        "template",
        "article_version",
        "policy_version",
        "created_by",
        "approved_by",
        "rejected_by",
        "sent_by",
    )


def pending_approvals() -> QuerySet[Reply]:
    """Replies waiting for a manager, oldest submission first."""
    return (
        reply_list()
        .select_related("mention__category", "mention__author")
        .filter(status=R.PENDING_APPROVAL)
        .order_by("submitted_at", "id")
    )


def archive() -> QuerySet[Reply]:
    """Sent replies with their mention (text, platform, category, subjects), author,
    operator, approver, template and article version: two queries a page. The raw payload and
    the long texts of templates and articles are not read: the archive never shows them."""
    return (
        Reply.objects.filter(status=R.SENT)
        .select_related(
            "mention__category",
            "mention__author",
            "template",
            "article_version",
            "created_by",
            "approved_by",
            "sent_by",
        )
        .defer(
            "mention__raw",
            "template__body",
            "article_version__answer",
            "article_version__question",
            "article_version__phrasings",
        )
        .prefetch_related(
            Prefetch(
                "mention__subject_links",
                queryset=MentionSubject.objects.select_related("subject").order_by(
                    "-is_main", "id"
                ),
            )
        )
    )


def replies_of_mention(mention_id: int) -> QuerySet[Reply]:
    return reply_list().filter(mention_id=mention_id).order_by("-created_at", "-id")
