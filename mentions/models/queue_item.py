from mentions.models.mention import Mention


class QueueItem(Mention):
    """A mention as the operators' queue screen in the admin shows it (no table of its own).

    The proxy gives the queue its own admin page and its own `view_queueitem` permission,
    granted to the operator and manager groups.
    """

    class Meta:
        proxy = True
        verbose_name = "mention in the queue"
        verbose_name_plural = "mentions in the queue"
