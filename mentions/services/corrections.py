"""Operators' corrections of what processing decided. A correction wins over the model and the
monitoring tool, is stored as a training label with who and when, and re-routes the mention."""

from django.db import transaction
from django.utils import timezone

from mentions.models import (
    Category,
    Correction,
    Mention,
    MentionSubject,
    Method,
    Priority,
    Sentiment,
)
from mentions.queue_rules import Move, check_move
from mentions.services.triage import Routing, apply_priority_and_routing
from scrm import outbox
from scrm.errors import InvalidInput
from scrm.events import publish_in_transaction, publish_on_commit


@transaction.atomic
def mention_correct(
    *,
    mention: Mention,
    user,
    category: str | None = None,
    sentiment: str | None = None,
    priority: str | None = None,
) -> Mention:
    """Apply an operator's corrections (each optional); returns the updated mention.

    Only a value that differs from the current one is a correction (recorded, with who and
    when); giving the current value again changes and records nothing. Category and sentiment
    corrections become training labels; a priority correction pins the priority so processing
    never overrides it. A new category re-evaluates whether the mention needs a response and
    which team's queue it belongs to (a claimed mention stays with its holder). A sentiment
    correction sets the main subject's sentiment too. Who may correct is `mentions.queue_rules`
    (`Move.CORRECT`).
    """
    mention = (
        Mention.objects.select_for_update(of=("self",))
        .select_related("category", "author_identity", "author", "claimed_by")
        .get(pk=mention.pk)
    )
    check_move(mention, user, Move.CORRECT, now=timezone.now())
    errors: dict[str, list[str]] = {}
    labels: list[Correction] = []

    if category is not None:
        found = Category.objects.filter(key=category, active=True).first()
        if found is None:
            errors["category"] = [f"Unknown or inactive category '{category}'."]
        elif found.pk != mention.category_id:
            labels.append(
                _label(
                    mention, "category", mention.category and mention.category.key, category, user
                )
            )
            mention.category = found
            mention.category_method = Method.OPERATOR
            mention.category_confidence = 1.0
    if sentiment is not None:
        if sentiment not in Sentiment.values:
            errors["sentiment"] = [f"Choose one of: {', '.join(Sentiment.values)}."]
        elif sentiment != mention.sentiment:
            labels.append(_label(mention, "sentiment", mention.sentiment, sentiment, user))
            mention.sentiment = sentiment
            mention.sentiment_method = Method.OPERATOR
            mention.sentiment_confidence = 1.0
    if priority is not None:
        if priority not in Priority.values:
            errors["priority"] = [f"Choose one of: {', '.join(Priority.values)}."]
        elif priority != mention.priority:
            labels.append(_label(mention, "priority", mention.priority, priority, user))
            mention.priority = priority
            mention.priority_is_manual = True
    if errors:
        raise InvalidInput(errors=errors)
    if not labels:
        return mention

    if mention.status != Mention.Status.NEW:
        apply_priority_and_routing(mention, Routing.load())
    mention.save()
    if any(label.field == Correction.Field.SENTIMENT for label in labels):
        _main_subject_follows(mention)
    Correction.objects.bulk_create(labels)
    publish_on_commit("mentions.corrected", {"mention_ids": [mention.pk]})
    publish_in_transaction("mentions.changed", {"published_at": [mention.published_at]})
    outbox.record(
        "mention.corrected",
        {
            "mention_id": mention.pk,
            "corrected_by": getattr(user, "pk", None),
            "changes": [{"field": c.field, "old": c.old_value, "new": c.new_value} for c in labels],
            "status": mention.status,
            "team": mention.team.key if mention.team else None,
        },
    )
    return mention


def _main_subject_follows(mention: Mention) -> None:
    """The mention's sentiment is the author's towards its main subject: that link (the only
    one of a mention naming one subject) takes the operator's correction too. The other
    subjects of a mention naming several keep what their own clauses said."""
    MentionSubject.objects.filter(mention=mention, is_main=True).update(
        sentiment=mention.sentiment,
        sentiment_confidence=mention.sentiment_confidence,
        sentiment_method=mention.sentiment_method,
    )


def _label(mention: Mention, field: str, old, new: str, user) -> Correction:
    return Correction(
        mention=mention, field=field, old_value=old or "", new_value=new, created_by=user
    )
