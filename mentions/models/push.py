from django.db import models

from mentions.models.subjects import Source


class PushReceipt(models.Model):
    """A timestamp-signed push already accepted: a second copy of it is a replay.

    Kept only as long as the signature's timestamp is inside the tolerance window (older
    receipts are deleted as new pushes arrive): outside it, the timestamp alone refuses a replay.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="push_receipts")
    signature = models.CharField(max_length=64, help_text="Hex HMAC-SHA256 of the signed push.")
    signed_at = models.DateTimeField(help_text="The timestamp the sender signed.")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("source", "signature"), name="pushreceipt_unique_signature"
            )
        ]
        indexes = [models.Index(fields=("source", "signed_at"), name="pushreceipt_signed_at")]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.signature[:12]}"
