"""What `analytics` does when something happens elsewhere (called from `AnalyticsConfig.ready`):
note the days whose roll-ups a change makes stale, in the changing transaction: the services'
`mentions.changed`, and a mention deleted (by a superuser in the admin, or a cascade), which no
service announces."""

from django.db.models.signals import post_delete

from analytics import rollups
from mentions.models import Mention
from scrm.events import subscribe_in_transaction


def _on_mentions_changed(payload: dict) -> None:
    rollups.note_changes(published_at=payload.get("published_at") or ())


def _on_mention_deleted(sender, instance: Mention, **kwargs) -> None:
    rollups.note_changes(published_at=[instance.published_at])


def connect() -> None:
    subscribe_in_transaction("mentions.changed", _on_mentions_changed)
    post_delete.connect(_on_mention_deleted, sender=Mention, dispatch_uid="analytics.rollups")
