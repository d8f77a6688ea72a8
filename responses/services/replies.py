"""Every write of a reply: compose, edit, submit, approve, reject, record as sent, hand to a
publisher. One transaction each; durable events (`response.submitted`, `response.approved`,
`response.sent`) are recorded in it.

The moves a reply can make are in `MOVES`; a refused move is a 409 whose `detail` says what the
reply can become. Sending answers the mention through the queue's own service
(`mentions.services.queue.mention_mark_answered`), so the queue's rule holds: only the holder of
a live claim answers. Two replies racing to answer one mention: the mention's row lock orders
them, one wins, the other gets 409 `already_answered` (a unique index stands behind it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from authors.models import Segment
from knowledge_base.models import Article, ArticleVersion
from knowledge_base.services import article_use
from mentions.models import Mention, SourceType
from mentions.queue_rules import AuthorDoNotContact, Move, check_move
from mentions.services.queue import mention_mark_answered
from responses import placeholders
from responses import policy as policy_rules
from responses.models import PolicyVersion, Reply, Responder, ResponseTemplate
from responses.services.configuration import current_policy
from scrm import outbox
from scrm.errors import Conflict, Forbidden, InvalidInput, NotFound
from scrm.roles import Role, user_roles

R = Reply.Status
REASON_MAX_LENGTH = 2000

# status -> (what it can become, by which move)
MOVES: dict[str, dict[str, str]] = {
    R.DRAFT: {"edit": R.DRAFT, "submit": "pending_approval or approved"},
    R.REJECTED: {"edit": R.DRAFT, "submit": "pending_approval or approved"},
    R.PENDING_APPROVAL: {"approve": R.APPROVED, "reject": R.REJECTED},
    R.APPROVED: {"send": R.SENDING, "mark-sent": R.SENT},
    R.SENDING: {},
    R.FAILED: {"send": R.SENDING, "mark-sent": R.SENT},
    R.SENT: {},
}


class IllegalReplyMove(Conflict):
    code = "illegal_transition"


class OwnReply(Conflict):
    code = "own_reply"
    default_detail = "A reply is approved by a manager other than the one who wrote it."


class AlreadyAnswered(Conflict):
    code = "already_answered"


class NoPublisher(Conflict):
    code = "no_publisher"


def check_reply_move(reply: Reply, move: str) -> None:
    """Raise a 409 saying what the reply can become, unless `move` is legal from its status."""
    moves = MOVES[reply.status]
    if move in moves:
        return
    if moves:
        options = "; ".join(f"{target} (by {m})" for m, target in moves.items())
        detail = f"A {reply.status} reply cannot {move}; it can become: {options}."
    elif reply.status == R.SENT:
        detail = (
            "A sent reply is never changed; to correct it, create a new reply with "
            f'"corrects": {reply.pk}.'
        )
    else:
        detail = (
            f"A {reply.status} reply is being posted by its publisher; it becomes sent or failed."
        )
    raise IllegalReplyMove(detail)


def _publish_event(event_type: str, reply: Reply, **extra) -> None:
    outbox.record(
        event_type,
        {"reply_id": reply.pk, "mention_id": reply.mention_id, "status": reply.status, **extra},
    )


def public_name_of(user) -> str:
    responder = Responder.objects.filter(user=user).first()
    return responder.public_name if responder else ""


def approval_reasons(mention: Mention, user) -> list[str]:
    """Why a reply to `mention` by `user` needs a manager's approval (empty: it does not)."""
    reasons = []
    if mention.category_id and mention.category.needs_approval:
        reasons.append(f"Category {mention.category.key} needs approval.")
    if mention.author_id and mention.author.segment == Segment.INFLUENCER:
        reasons.append("The author is an influencer.")
    if mention.source_type == SourceType.MEDIA:
        reasons.append("The post is in the media.")
    if Responder.objects.filter(user=user, needs_review=True).exists():
        reasons.append("Your replies are reviewed.")
    return reasons


def _mention(mention_id, *, lock: bool = False) -> Mention:
    queryset = Mention.objects.select_related(
        "author", "author_identity", "category", "main_subject"
    )
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    mention = queryset.filter(pk=mention_id).first()
    if mention is None:
        raise InvalidInput(errors={"mention": ["No such mention."]})
    return mention


def _reply(reply_id, *, lock: bool = False) -> Reply:
    queryset = Reply.objects.select_related(
        "mention__author", "mention__author_identity", "mention__category", "created_by"
    )
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=int(reply_id))
    except (Reply.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFound("No such reply.") from exc


def _check_contactable(mention: Mention) -> None:
    if mention.author_id and (mention.author.do_not_contact or mention.author.anonymized_at):
        raise AuthorDoNotContact("The author asked not to be contacted; do not reply.")


def _answering_reply(mention_id: int, *, exclude: int | None = None) -> Reply | None:
    """The reply that answers (or is being posted to answer) the mention, corrections aside."""
    return (
        Reply.objects.filter(
            mention_id=mention_id, status__in=(R.SENT, R.SENDING), corrects__isnull=True
        )
        .exclude(pk=exclude)
        .first()
    )


def _already_answered(answer: Reply) -> AlreadyAnswered:
    return AlreadyAnswered(
        f"This mention is already answered by reply #{answer.pk} ({answer.status}); to correct "
        f'it, create a reply with "corrects": {answer.pk}.'
    )


@dataclass(frozen=True)
class Composed:
    """A reply as it would be saved, and what the policy says of it (nothing is written)."""

    body: str
    origin: str
    template: ResponseTemplate | None
    article_version: ArticleVersion | None
    signature: str
    signed_as: str
    policy: PolicyVersion | None
    needs_approval: bool
    approval_reasons: list[str]
    policy_problems: dict[str, list[str]]

    @property
    def text(self) -> str:
        return f"{self.body}\n\n{self.signed_as}" if self.signed_as else self.body


def _template(key) -> ResponseTemplate:
    template = ResponseTemplate.objects.filter(key=key).first()
    if template is None:
        raise InvalidInput(errors={"template": [f"No such template: {key}."]})
    if not template.active:
        raise InvalidInput(errors={"template": [f"Template {key} is not active."]})
    return template


def _article_version(article_id) -> ArticleVersion:
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise InvalidInput(errors={"article": ["No such article."]})
    if article.status != Article.Status.PUBLISHED:
        raise InvalidInput(errors={"article": [f"Article {article_id} is not published."]})
    return ArticleVersion.objects.get(article=article, number=article.version)


def reply_compose(
    *,
    mention: Mention,
    user,
    body: str | None = None,
    template_key: str | None = None,
    article_id: int | None = None,
    signature: str = Reply.Signature.OFFICIAL,
) -> Composed:
    """Render a reply without saving it: placeholders filled (or a 400 naming each one that
    cannot be), the signature line, whether approval is needed and what the policy refuses.
    A given `body` is the text (the template or article it started from is recorded); without
    one, the template's body (its `{article_answer}` from the article) or the article's answer.
    """
    if not (body or "").strip() and not template_key and article_id is None:
        raise InvalidInput(errors={"body": ["Give a body, a template or an article."]})
    policy = current_policy()
    public_name = public_name_of(user)
    error, signed_as = policy_rules.signature_line(
        signature, policy=policy, public_name=public_name
    )
    if error:
        raise InvalidInput(errors={"signature": [error]})
    template = _template(template_key) if template_key else None
    version = _article_version(article_id) if article_id is not None else None
    values = placeholders.values_for(
        mention=mention, brand=policy.brand if policy else "", operator_name=public_name
    )
    if version is not None:
        values["article_answer"] = placeholders.render(version.answer, values, field="article")
    if (body or "").strip():
        text = placeholders.render(body.strip(), values, field="body")
    elif template is not None:
        text = placeholders.render(template.body, values, field="template")
    else:
        text = values["article_answer"]
    origin = (
        Reply.Origin.TEMPLATE
        if template
        else Reply.Origin.ARTICLE
        if version
        else Reply.Origin.FREE_TEXT
    )
    reasons = approval_reasons(mention, user)
    full = f"{text}\n\n{signed_as}" if signed_as else text
    return Composed(
        body=text,
        origin=origin,
        template=template,
        article_version=version,
        signature=signature,
        signed_as=signed_as,
        policy=policy,
        needs_approval=bool(reasons),
        approval_reasons=reasons,
        policy_problems=policy_rules.problems(text=full, platform=mention.platform, policy=policy),
    )


@transaction.atomic
def reply_create(
    *,
    mention_id: int,
    user,
    body: str | None = None,
    template_key: str | None = None,
    article_id: int | None = None,
    signature: str = Reply.Signature.OFFICIAL,
    corrects_id: int | None = None,
) -> Reply:
    """A draft reply to a mention. Nothing is saved when a placeholder cannot be filled. A
    mention that a sent reply answers takes only corrections (`corrects_id`, a sent reply of
    the same mention). The article version used is counted in the knowledge base."""
    mention = _mention(mention_id)
    _check_contactable(mention)
    corrects = None
    if corrects_id is not None:
        corrects = Reply.objects.filter(pk=corrects_id, mention=mention, status=R.SENT).first()
        if corrects is None:
            raise InvalidInput(
                errors={"corrects": ["Name a sent reply to the same mention to correct."]}
            )
    elif (answer := _answering_reply(mention.pk)) is not None:
        raise _already_answered(answer)
    composed = reply_compose(
        mention=mention,
        user=user,
        body=body,
        template_key=template_key,
        article_id=article_id,
        signature=signature,
    )
    reply = Reply.objects.create(
        mention=mention,
        origin=composed.origin,
        template=composed.template,
        article_version=composed.article_version,
        policy_version=composed.policy,
        corrects=corrects,
        body=composed.body,
        signature=composed.signature,
        signed_as=composed.signed_as,
        needs_approval=composed.needs_approval,
        approval_reasons=composed.approval_reasons,
        created_by=user,
    )
    if composed.article_version is not None:
        article_use(
            article_id=composed.article_version.article_id,
            version=composed.article_version.number,
            mention_id=mention.pk,
            user=user,
        )
    return reply


def _check_author_of(reply: Reply, user, what: str) -> None:
    if reply.created_by_id != user.pk and Role.MANAGER not in user_roles(user):
        raise Forbidden(f"Only its author or a manager may {what} this reply.")


@transaction.atomic
def reply_update(*, reply_id: int, user, fields: dict) -> Reply:
    """Change a draft (or a rejected reply, which becomes a draft again): `body`, `signature`.
    Placeholders left in the body are filled; the policy is checked again at submit."""
    reply = _reply(reply_id, lock=True)
    check_reply_move(reply, "edit")
    _check_author_of(reply, user, "edit")
    mention = reply.mention
    policy = current_policy()
    public_name = public_name_of(reply.created_by)
    if "signature" in fields:
        error, signed_as = policy_rules.signature_line(
            fields["signature"], policy=policy, public_name=public_name
        )
        if error:
            raise InvalidInput(errors={"signature": [error]})
        reply.signature, reply.signed_as = fields["signature"], signed_as
    if "body" in fields:
        if not fields["body"].strip():
            raise InvalidInput(errors={"body": ["A reply needs a body."]})
        values = placeholders.values_for(
            mention=mention, brand=policy.brand if policy else "", operator_name=public_name
        )
        if reply.article_version_id:
            values["article_answer"] = placeholders.render(
                reply.article_version.answer, values, field="article"
            )
        reply.body = placeholders.render(fields["body"].strip(), values, field="body")
    reply.status = R.DRAFT
    reply.save()
    return reply


@transaction.atomic
def reply_submit(*, reply_id: int, user) -> Reply:
    """Submit a draft: refused (400 naming the phrase) when it breaks the communication policy
    in force; `pending_approval` when approval is needed (decided again now), else `approved`."""
    reply = _reply(reply_id, lock=True)
    check_reply_move(reply, "submit")
    _check_author_of(reply, user, "submit")
    _check_contactable(reply.mention)
    policy = current_policy()
    leftover = placeholders.problems(reply.body, {})
    if leftover:
        raise InvalidInput(
            "The reply has placeholders that cannot be filled.", errors={"body": leftover}
        )
    found = policy_rules.problems(text=reply.text, platform=reply.mention.platform, policy=policy)
    if found:
        raise InvalidInput("The reply breaks the communication policy.", errors=found)
    reasons = approval_reasons(reply.mention, reply.created_by)
    now = timezone.now()
    reply.policy_version = policy
    reply.needs_approval = bool(reasons)
    reply.approval_reasons = reasons
    reply.submitted_at = now
    reply.reject_reason = ""
    if reasons:
        reply.status = R.PENDING_APPROVAL
    else:
        reply.status = R.APPROVED
    reply.save()
    _publish_event("response.submitted", reply, needs_approval=reply.needs_approval)
    return reply


def _check_manager(user, what: str) -> None:
    if Role.MANAGER not in user_roles(user):
        raise Forbidden(f"Only a manager may {what} a reply.")


@transaction.atomic
def reply_approve(*, reply_id: int, user) -> Reply:
    """A manager approves a reply waiting for it; never their own (409 `own_reply`)."""
    reply = _reply(reply_id, lock=True)
    _check_manager(user, "approve")
    check_reply_move(reply, "approve")
    if reply.created_by_id == user.pk:
        raise OwnReply()
    reply.status = R.APPROVED
    reply.approved_by = user
    reply.approved_at = timezone.now()
    reply.save()
    _publish_event("response.approved", reply, approved_by=user.pk)
    return reply


@transaction.atomic
def reply_reject(*, reply_id: int, user, reason: str) -> Reply:
    """A manager sends a reply back to its author with a reason; it is edited and submitted
    again."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(errors={"reason": ["Say what to change."]})
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInput(errors={"reason": [f"At most {REASON_MAX_LENGTH} characters."]})
    reply = _reply(reply_id, lock=True)
    _check_manager(user, "reject")
    check_reply_move(reply, "reject")
    reply.status = R.REJECTED
    reply.rejected_by = user
    reply.rejected_at = timezone.now()
    reply.reject_reason = reason
    reply.save()
    return reply


def _lock_for_sending(reply_id: int, user, move: str) -> Reply:
    """Lock the mention, then the reply (every sender locks in this order), and check that the
    reply may be sent now by `user`: its status, no other answer, the queue's claim."""
    mention_id = Reply.objects.filter(pk=reply_id).values_list("mention_id", flat=True).first()
    if mention_id is None:
        raise NotFound("No such reply.")
    mention = _mention(mention_id, lock=True)
    reply = _reply(reply_id, lock=True)
    check_reply_move(reply, move)
    _check_contactable(mention)
    if reply.corrects_id is None:
        if (answer := _answering_reply(mention.pk, exclude=reply.pk)) is not None:
            raise _already_answered(answer)
        check_move(mention, user, Move.ANSWER, now=timezone.now())
    return reply


def _save_answer(reply: Reply, fields: list[str]) -> None:
    try:
        with transaction.atomic():
            reply.save(update_fields=[*fields, "updated_at"])
    except IntegrityError as exc:  # the unique index: another reply answered first
        answer = _answering_reply(reply.mention_id, exclude=reply.pk)
        raise _already_answered(answer) if answer else AlreadyAnswered(str(exc)) from exc


def _record_sent(reply: Reply, *, user, at, external_url: str, external_id: str) -> None:
    """Mark `reply` sent at `at`; the mention's first-response times go on its first answer."""
    mention = reply.mention
    reply.status = R.SENT
    reply.sent_by = user
    reply.sent_at = at
    reply.external_url = external_url
    reply.external_id = external_id
    reply.attempt_started_at = None
    if reply.corrects_id is None:
        queued_at = mention.processed_at or mention.created_at
        reply.response_seconds = max(0, int((at - mention.published_at).total_seconds()))
        reply.queue_response_seconds = max(0, int((at - queued_at).total_seconds()))
    _save_answer(
        reply,
        [
            "status",
            "sent_by",
            "sent_at",
            "external_url",
            "external_id",
            "attempt_started_at",
            "response_seconds",
            "queue_response_seconds",
            "publisher",
            "last_error",
        ],
    )
    _publish_event(
        "response.sent",
        reply,
        publisher=reply.publisher,
        corrects_id=reply.corrects_id,
        sent_at=at.isoformat(),
        response_seconds=reply.response_seconds,
        queue_response_seconds=reply.queue_response_seconds,
    )


def _check_url(url: str) -> str:
    url = (url or "").strip()
    if not url.lower().startswith(("https://", "http://")) or len(url) > 2000 or " " in url:
        raise InvalidInput(errors={"external_url": ["The link to the posted reply (https://…)."]})
    return url


@transaction.atomic
def reply_mark_sent(*, reply_id: int, user, external_url: str) -> Reply:
    """The operator posted the reply on the platform by hand: record its link. The mention is
    answered (the holder's live claim is needed, as for every answer) and leaves the queue."""
    url = _check_url(external_url)
    reply = _lock_for_sending(reply_id, user, "mark-sent")
    now = timezone.now()
    if reply.corrects_id is None:
        mention_mark_answered(mention_id=reply.mention_id, user=user)
    reply.publisher = "manual"
    reply.last_error = ""
    _record_sent(reply, user=user, at=now, external_url=url, external_id="")
    return reply


@transaction.atomic
def reply_send(*, reply_id: int, user) -> Reply:
    """Hand an approved (or failed) reply to its platform's publisher: `sending` now, posted in
    Celery after commit (`responses.publish_reply`), then `sent` or `failed`. A platform with
    no publisher configured answers 409 `no_publisher` (post by hand, then mark-sent)."""
    from responses.publishers import account_for

    reply = _lock_for_sending(reply_id, user, "send")
    account = account_for(reply.mention)
    if account is None:
        raise NoPublisher(
            f"Nothing posts to {reply.mention.get_platform_display()} for this source: post the "
            "reply yourself and record its link with mark-sent."
        )
    reply.status = R.SENDING
    reply.publisher = account.kind
    reply.publisher_account = account
    reply.sent_by = user
    reply.send_requested_at = timezone.now()
    reply.attempt_started_at = None
    reply.last_error = ""
    _save_answer(
        reply,
        [
            "status",
            "publisher",
            "publisher_account",
            "sent_by",
            "send_requested_at",
            "attempt_started_at",
            "last_error",
        ],
    )
    from responses.tasks import reply_publish_task

    reply_publish_task.delay_on_commit(reply.pk)
    return reply
