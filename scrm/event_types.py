"""The catalogue of durable events: every type that goes through the outbox, with its payload.

One pydantic model per type; `scrm.outbox.record` validates against it before writing the
row. Payloads hold ids and the facts of the change, not copies of the objects: an event stays
small, and no personal data is ever kept in the outbox: erasing a person needs no scrubbing of
old events (`tests/authors/test_anonymize.py` checks that no trace of them is left anywhere).
Whoever delivers an event outside (the webhooks of `integrations`) renders the object as the
API shows it from these ids.

Names follow the webhook catalogue (`<object>.<past participle>`, singular). The in-process
events of `scrm.events` (`mentions.processed`, ...) are a different, cheaper channel.

Adding a type: a model below with a docstring, an entry in `EVENT_TYPES`, a `record()` call in
the service whose transaction makes the change, and a line in the README's event list.
"""

from pydantic import BaseModel, ConfigDict


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MentionProcessed(_Payload):
    """A new mention was classified, prioritised and routed (or left out of the queue)."""

    mention_id: int
    status: str
    category: str | None
    sentiment: str
    priority: str
    team: str | None


class FieldChange(_Payload):
    field: str
    old: str
    new: str


class MentionCorrected(_Payload):
    """An operator corrected a mention's category, sentiment or priority; `changes` lists each
    corrected field with its old and new value, `status` and `team` are those after re-routing."""

    mention_id: int
    corrected_by: int | None
    changes: list[FieldChange]
    status: str
    team: str | None


class AuthorMerged(_Payload):
    """Two authors became one: `absorbed_author_id` no longer exists, its identities, mentions
    and notes now belong to `author_id`."""

    author_id: int
    absorbed_author_id: int


class AuthorAnonymized(_Payload):
    """A person was forgotten; their author row remains with placeholders.

    Unlike the in-process `authors.anonymized`, which passes the CRM link in memory after
    commit, this event does not carry `crm_external_id`: a durable copy would be a trace of
    the person that outlives the erasure. A CRM connector that must forget the contact keeps
    its own link to it (it stores the remote ids anyway) until it has done so."""

    author_id: int


class ArticlePublished(_Payload):
    """A version of a knowledge-base article was published (`version` is its number)."""

    article_id: int
    version: int


class ExpertRequestCreated(_Payload):
    """An operator's question went to an internal expert (or their team)."""

    request_id: int
    mention_id: int | None


class ExpertRequestAnswered(_Payload):
    """An expert's answer was approved into the knowledge base as `article_id` at `version`;
    the mentions that waited for it are back in their queues."""

    request_id: int
    article_id: int
    version: int
    mention_ids: list[int]


class MentionCreated(_Payload):
    """A new mention was stored (by any door: API, bulk, push, file import); it is not yet
    classified (`mention.processed` follows)."""

    mention_id: int
    source: str
    platform: str
    author_id: int | None


class MentionClaimed(_Payload):
    """An operator claimed a mention from the queue (renewing one's own lease is not a claim)."""

    mention_id: int
    claimed_by: int


class MentionClosed(_Payload):
    """A mention was closed with a resolution (ignored, spam, duplicate, handled elsewhere)."""

    mention_id: int
    resolution: str
    closed_by: int | None


class MentionAnswered(_Payload):
    """The operator holding a mention recorded that it was answered."""

    mention_id: int
    answered_by: int | None


class AuthorCreated(_Payload):
    """A new author was created for an account seen for the first time."""

    author_id: int


class AuthorUpdated(_Payload):
    """An author's profile was edited: `fields` names what changed (`labels`, `segment`,
    `segment_pinned`, `crm_external_id`, `notes`). Facts that monitoring tools report about
    accounts (followers, handles) do not make this event."""

    author_id: int
    fields: list[str]


class WebhookEndpointDisabled(_Payload):
    """A webhook endpoint was disabled because it answered 410 Gone or failed for too long."""

    endpoint_id: int
    reason: str


class ResponseSubmitted(_Payload):
    """An operator submitted a reply: `status` is `pending_approval` (a manager approves it
    first) or `approved` (no approval needed)."""

    reply_id: int
    mention_id: int
    status: str
    needs_approval: bool


class ResponseApproved(_Payload):
    """A manager (`approved_by`, a user id) approved a reply."""

    reply_id: int
    mention_id: int
    status: str
    approved_by: int


class ResponseSent(_Payload):
    """A reply was posted (by its publisher, or by hand: `publisher` `manual`); the first answer
    of a mention carries its first-response times in seconds (from publication, from its
    arrival in the queue); a correction names the reply it corrects."""

    reply_id: int
    mention_id: int
    status: str
    publisher: str
    corrects_id: int | None
    sent_at: str
    response_seconds: int | None
    queue_response_seconds: int | None


EVENT_TYPES: dict[str, type[_Payload]] = {
    "mention.processed": MentionProcessed,
    "mention.corrected": MentionCorrected,
    "author.merged": AuthorMerged,
    "author.anonymized": AuthorAnonymized,
    "article.published": ArticlePublished,
    "expert_request.created": ExpertRequestCreated,
    "expert_request.answered": ExpertRequestAnswered,
    "mention.created": MentionCreated,
    "mention.claimed": MentionClaimed,
    "mention.closed": MentionClosed,
    "mention.answered": MentionAnswered,
    "author.created": AuthorCreated,
    "author.updated": AuthorUpdated,
    "webhook_endpoint.disabled": WebhookEndpointDisabled,
    "response.submitted": ResponseSubmitted,
    "response.approved": ResponseApproved,
    "response.sent": ResponseSent,
}
