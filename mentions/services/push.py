"""Writes the push door makes: remembering timestamp-signed pushes so that none is replayed."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from mentions.models import PushReceipt, Source
from scrm.errors import Conflict


class PushReplayed(Conflict):
    code = "push_replayed"
    default_detail = (
        "This signed push was already received; sign every delivery, retries included, "
        "with a fresh timestamp."
    )


@transaction.atomic
def push_receipt_record(
    *, source: Source, signature: str, signed_at: datetime, tolerance: timedelta
) -> PushReceipt:
    """Remember one timestamp-signed push of `source`, or raise `PushReplayed` if it is known.

    Unique per source and signature in the database, so two workers receiving the same copy at
    once accept exactly one. Receipts whose timestamp has left the window are deleted here:
    the window alone refuses those.
    """
    PushReceipt.objects.filter(source=source, signed_at__lt=timezone.now() - 2 * tolerance).delete()
    try:
        with transaction.atomic():
            return PushReceipt.objects.create(
                source=source, signature=signature, signed_at=signed_at
            )
    except IntegrityError:
        raise PushReplayed() from None
