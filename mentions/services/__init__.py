"""Every write on mentions goes through a function here."""

from mentions.services.ingest import (
    IngestResult,
    ItemResult,
    default_source,
    mentions_ingest,
    mentions_ingest_records,
)
from mentions.services.processing import (
    mentions_enqueue_processing,
    mentions_process,
    mentions_sweep_unprocessed,
)

__all__ = [
    "IngestResult",
    "ItemResult",
    "default_source",
    "mentions_enqueue_processing",
    "mentions_ingest",
    "mentions_ingest_records",
    "mentions_process",
    "mentions_sweep_unprocessed",
]
