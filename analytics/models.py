from django.db import models

from mentions.models import Mention


class Dashboard(Mention):
    """The managers' dashboard in the admin (no table of its own): the proxy gives the page its
    place in the admin index and its `view_dashboard` permission, granted to managers."""

    class Meta:
        proxy = True
        verbose_name = "dashboard"
        verbose_name_plural = "dashboard"
        default_permissions = ("view",)


class MentionDay(models.Model):
    """The reports' daily roll-up: what the mentions published on `day` (a date in the report
    zone the roll-ups are built in, `RollupState.zone`) add up to, per combination of what the
    reports group and filter by.

    `with_subject_id` 0 holds every mention; a subject's id holds only the mentions naming it
    (the `subject` filter). `subject_id` 0 counts the mentions themselves; a subject's id
    counts their links to it (a mention naming two subjects is in the rows of each), and
    `main` how many of those links are the mention's main one. `category_id` 0: not
    classified yet. Kept by `analytics.rollups` (days recomputed whole from the mentions,
    never adjusted by deltas). There is no source in the key: a report narrowed to one source
    reads the mentions (a source multiplies the rows for a filter seldom used)."""

    day = models.DateField()
    with_subject_id = models.IntegerField(default=0)
    subject_id = models.IntegerField(default=0)
    platform = models.CharField(max_length=32)
    source_type = models.CharField(max_length=16)
    category_id = models.IntegerField(default=0)
    sentiment = models.CharField(max_length=16, blank=True)
    mentions = models.PositiveBigIntegerField(default=0)
    main = models.PositiveBigIntegerField(default=0)
    likes = models.PositiveBigIntegerField(default=0)
    comments = models.PositiveBigIntegerField(default=0)
    reposts = models.PositiveBigIntegerField(default=0)
    views = models.PositiveBigIntegerField(default=0)
    reach = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            # Also the index every report reads: the filter's subject, then the range of days.
            models.UniqueConstraint(
                fields=(
                    "with_subject_id",
                    "day",
                    "subject_id",
                    "platform",
                    "source_type",
                    "category_id",
                    "sentiment",
                ),
                name="mention_day_key",
            )
        ]
        indexes = [models.Index(fields=("day",), name="mention_day_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} subject {self.subject_id or '-'} ({self.mentions})"


class RollupChange(models.Model):
    """A note that mentions published on `day` changed: written in the transaction of the
    change (`scrm.events.publish_in_transaction`), deleted by the recompute that read it.
    Append-only, so concurrent ingests never wait on each other for it."""

    day = models.DateField(db_index=True)
    noted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.day} changed"


class RollupState(models.Model):
    """One row: the zone the roll-ups were built in and when. No row, or another zone than
    `SCRM_REPORT_TIME_ZONE`: the roll-ups are not used (the reports read the mentions) until
    they are rebuilt."""

    zone = models.CharField(max_length=64)
    built_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"roll-ups in {self.zone}, built {self.built_at:%Y-%m-%d %H:%M}"
