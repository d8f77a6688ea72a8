"""In-process domain events: an app tells the world something happened; others subscribe.

This is the cheap channel, for recomputes that may be lost without harm (the next change redoes
them): the segment recompute subscribes here. What must reach something outside the process (a
webhook, a CRM) is a durable event: `scrm.outbox.record` writes it in the business transaction
and a dispatcher and a sweeper deliver it (catalogue in `scrm.event_types`). The services that
publish `mentions.processed`, `mentions.corrected`, `authors.merged` and `authors.anonymized`
here also record `mention.processed`, `mention.corrected`, `author.merged` and
`author.anonymized` there.

Apps publish after their transaction commits (`publish_on_commit`), with ids only. Subscribers
(other apps) register in their `AppConfig.ready`. A failing subscriber is logged and never
breaks the publisher or the other subscribers; nothing retries it, so work that must not be
lost belongs in the outbox instead.

A third channel runs *inside* the publisher's transaction (`publish_in_transaction`, handlers
registered with `subscribe_in_transaction`): for bookkeeping that must never miss a change,
such as the reports' note of which days to recompute. Such a handler commits or rolls back with
the change, and its error is the change's error (it is not caught): keep it to one cheap write.

In-transaction events:
- `mentions.changed` {"published_at": [...]}: mentions published at these instants were
  stored, re-reported (counters), processed or corrected: what the reports count of them may
  have changed.

Events:
- `mentions.processed` {"mention_ids": [...]}: classified, prioritised and routed.
- `mentions.corrected` {"mention_ids": [...]}: an operator corrected category, sentiment
  or priority.
- `authors.merged` {"author_id", "absorbed_author_id"}: two authors became one.
- `authors.segment_unpinned` {"author_ids": [...]}: a manager unpinned a segment.
- `authors.anonymized` {"author_id", "crm_external_id"}: a person was forgotten; the CRM link
  it had is passed so a CRM connector can forget them too.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)

Handler = Callable[[dict], None]
_subscribers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(event: str, handler: Handler) -> None:
    if handler not in _subscribers[event]:
        _subscribers[event].append(handler)


def publish(event: str, payload: dict) -> None:
    for handler in list(_subscribers.get(event, ())):
        try:
            handler(payload)
        except Exception:
            logger.exception("subscriber %s of %s failed", handler, event)


def publish_on_commit(event: str, payload: dict) -> None:
    transaction.on_commit(partial(publish, event, payload))


_in_transaction: dict[str, list[Handler]] = defaultdict(list)


def subscribe_in_transaction(event: str, handler: Handler) -> None:
    if handler not in _in_transaction[event]:
        _in_transaction[event].append(handler)


def publish_in_transaction(event: str, payload: dict) -> None:
    """Run the event's in-transaction handlers now, in the caller's transaction; an error is
    raised to the caller (the change and the handler's write go or stay together)."""
    for handler in list(_in_transaction.get(event, ())):
        handler(payload)
