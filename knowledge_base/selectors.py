"""Reads of the knowledge base: article lists by role, suggestions for a mention, review lists."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from knowledge_base import search, services
from knowledge_base.models import Article, ArticleUsage, ExpertRequest, ExpertRequestMention
from mentions.models import Mention
from scrm.roles import KB_AUTHORS, user_roles

S = Article.Status
UNUSED_DAYS = 90


def article_list(*, user) -> QuerySet[Article]:
    """What `user` may read: everything for editors and managers; published articles (and
    their own proposals) for the others."""
    qs = Article.objects.select_related("owner").prefetch_related("categories", "subjects")
    if services.is_editor(user):
        return qs
    mine = Q(created_by_id=user.pk) if user_roles(user) & KB_AUTHORS else Q()
    return qs.filter(Q(status=S.PUBLISHED) | mine) if mine else qs.filter(status=S.PUBLISHED)


def article_search(qs: QuerySet[Article], text: str) -> QuerySet[Article]:
    """`q`: the same retrieval as suggestions, restricted to `qs` and ordered by score; words
    in unpublished articles (the editor's own view) by a plain text match."""
    found = search.rank(text=text, vector=search.embed([text])[0], limit=50, min_score=0.0)
    ids = [c.article_id for c in found]
    order = {pk: i for i, pk in enumerate(ids)}
    words = [w for w in text.split() if len(w) > 2][:5]
    plain = Q()
    for word in words:
        plain |= Q(question__icontains=word) | Q(answer__icontains=word)
    matched = list(qs.filter(Q(pk__in=ids) | (plain & ~Q(status=S.PUBLISHED))))
    matched.sort(key=lambda a: (order.get(a.pk, len(order)), -a.pk))
    return matched


def suggestions_for_mention(*, mention: Mention, limit: int = 5) -> list[dict]:
    """The published articles that answer the mention, best first, above the threshold.

    An article approved from an expert request the mention waited on comes first.
    """
    pinned = list(
        ExpertRequest.objects.filter(
            status=ExpertRequest.Status.APPROVED,
            article__status=S.PUBLISHED,
            pk__in=ExpertRequestMention.objects.filter(mention=mention).values("request_id"),
        ).values_list("article_id", flat=True)
    )
    subject_ids = frozenset(mention.subject_links.values_list("subject_id", flat=True))
    candidates = search.rank(
        text=mention.full_text,
        vector=services.mention_vector(mention),
        category_id=mention.category_id,
        subject_ids=subject_ids,
        limit=limit + len(pinned),
    )
    by_id = {c.article_id: c for c in candidates}
    order = [*pinned, *[c.article_id for c in candidates if c.article_id not in pinned]][:limit]
    articles = Article.objects.in_bulk(order)
    results = []
    for pk in order:
        article = articles.get(pk)
        if article is None:
            continue
        found = by_id.get(pk)
        results.append(
            {
                "article": pk,
                "version": article.version,
                "question": article.question,
                "answer": article.answer,
                "score": found.score if found else 1.0,
                "passage": found.passage if found else article.question,
                "pinned": pk in pinned,
            }
        )
    return results


def articles_for_review(*, owner=None, now=None) -> QuerySet[Article]:
    """Articles past their review-by date, and published ones unused for 90 days (`reason`:
    `review_due` or `unused`; `last_used_at`: when a reply last used it), oldest due first."""
    now = now or timezone.now()
    uses = ArticleUsage.objects.filter(article=OuterRef("pk"), kind=ArticleUsage.Kind.USED)
    recent_use = uses.filter(created_at__gte=now - timedelta(days=UNUSED_DAYS))
    due = Q(review_by__lt=now.date())
    qs = (
        Article.objects.exclude(status=S.ARCHIVED)
        .filter(
            due
            | Q(status=S.PUBLISHED, published_at__lt=now - timedelta(days=UNUSED_DAYS))
            & ~Exists(recent_use)
        )
        .annotate(
            reason=Case(When(due, then=Value("review_due")), default=Value("unused")),
            last_used_at=Subquery(uses.order_by("-created_at").values("created_at")[:1]),
        )
    )
    if owner is not None:
        qs = qs.filter(owner=owner)
    return (
        qs.select_related("owner")
        .prefetch_related("categories", "subjects")
        .order_by(F("review_by").asc(nulls_last=True), "id")
    )


def expert_request_list(*, user) -> QuerySet[ExpertRequest]:
    return ExpertRequest.objects.select_related(
        "expert", "team", "answered_by", "approved_by", "article"
    ).prefetch_related("links")


def similar_requests(*, request: ExpertRequest, limit: int = 5) -> list[ExpertRequest]:
    """Other requests most like this one (same similarity as the attach rule), best first."""
    vector = search.from_bytes(request.question_vector) if request.question_vector else None
    scored = []
    for other in ExpertRequest.objects.exclude(pk=request.pk).order_by("-id")[:500]:
        other_vec = search.from_bytes(other.question_vector) if other.question_vector else None
        if vector is not None and other_vec is not None and other_vec.shape != vector.shape:
            other_vec = None
        score = search.text_similarity(request.question, vector, other.question, other_vec)
        if score >= search.threshold():
            scored.append((score, other))
    scored.sort(key=lambda pair: -pair[0])
    return [other for _, other in scored[:limit]]


def suggestions_for_question(*, text: str, limit: int = 5) -> list[dict]:
    """Published articles that answer a question typed by an operator (escalation)."""
    found = search.rank(text=text, vector=search.embed([text])[0], limit=limit)
    articles = Article.objects.in_bulk([c.article_id for c in found])
    return [
        {
            "article": c.article_id,
            "version": c.version,
            "question": articles[c.article_id].question,
            "score": c.score,
            "passage": c.passage,
        }
        for c in found
        if c.article_id in articles
    ]
