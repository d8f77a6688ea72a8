"""Every write on mentions goes through a function here."""

from mentions.services.corrections import mention_correct
from mentions.services.ingest import (
    IngestResult,
    ItemResult,
    default_source,
    mentions_ingest,
    mentions_ingest_records,
)
from mentions.services.processing import (
    mentions_enqueue_processing,
    mentions_sweep,
    mentions_sweep_unprocessed,
)
from mentions.services.queue import (
    leases_release_expired,
    mention_claim,
    mention_claim_next,
    mention_close,
    mention_mark_answered,
    mention_release,
)
from mentions.services.understanding import mentions_process

__all__ = [
    "IngestResult",
    "ItemResult",
    "default_source",
    "leases_release_expired",
    "mention_claim",
    "mention_claim_next",
    "mention_close",
    "mention_correct",
    "mention_mark_answered",
    "mention_release",
    "mentions_enqueue_processing",
    "mentions_ingest",
    "mentions_ingest_records",
    "mentions_process",
    "mentions_sweep",
    "mentions_sweep_unprocessed",
]
