"""What `analytics` does when something happens elsewhere (called from `AnalyticsConfig.ready`):
note the days whose roll-ups a change makes stale, in the changing transaction."""

from analytics import rollups
from scrm.events import subscribe_in_transaction


def _on_mentions_changed(payload: dict) -> None:
    rollups.note_changes(published_at=payload.get("published_at") or ())


def connect() -> None:
    subscribe_in_transaction("mentions.changed", _on_mentions_changed)
