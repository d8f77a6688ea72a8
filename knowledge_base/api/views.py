"""Knowledge-base endpoints. Views validate, call one service, shape the answer."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from knowledge_base import selectors, services
from knowledge_base.api.serializers import (
    AnswerInSerializer,
    ApproveInSerializer,
    ArticleInSerializer,
    ArticlePatchSerializer,
    ArticleReviewListSerializer,
    ArticleReviewQuerySerializer,
    ArticleReviewSerializer,
    ArticleSerializer,
    ArticleVersionSerializer,
    EscalateInSerializer,
    ExpertRequestSerializer,
    FeedbackInSerializer,
    RejectInSerializer,
    SuggestionsSerializer,
)
from knowledge_base.filters import ArticleFilter, ExpertRequestFilter
from knowledge_base.models import Article, ArticleVersion, ExpertRequest
from mentions.models import Mention
from scrm.api.pagination import CursorPagination
from scrm.errors import InvalidInput, NotFound
from scrm.roles import (
    ANSWERERS,
    KB_EDITORS,
    KB_PROPOSERS,
    KB_READERS,
    REQUEST_READERS,
    SUGGESTION_READERS,
    WORKERS,
)

ARTICLE_READERS, PROPOSERS, EDITORS = KB_READERS, KB_PROPOSERS, KB_EDITORS


class ArticlePagination(CursorPagination):
    ordering = ("-updated_at", "-id")


@extend_schema_view(
    list=extend_schema(summary="Articles you may read; `q` searches like suggestions do"),
    retrieve=extend_schema(summary="One article (its working copy and current version)"),
)
class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    allowed_roles = {
        "list": ARTICLE_READERS,
        "retrieve": ARTICLE_READERS,
        "create": PROPOSERS,
        "partial_update": PROPOSERS,
        "publish": EDITORS,
        "archive": EDITORS,
        "review": EDITORS,
        "versions": ARTICLE_READERS,
        "version_detail": ARTICLE_READERS,
    }
    serializer_class = ArticleSerializer
    filterset_class = ArticleFilter
    pagination_class = ArticlePagination
    queryset = Article.objects.none()

    def get_queryset(self):
        return selectors.article_list(user=self.request.user)

    def list(self, request, *args, **kwargs):
        text = (request.query_params.get("q") or "").strip()
        if not text:
            return super().list(request, *args, **kwargs)
        qs = self.filter_queryset(self.get_queryset())
        found = selectors.article_search(qs, text)[: ArticlePagination.page_size]
        return Response(
            {"next": None, "previous": None, "results": ArticleSerializer(found, many=True).data}
        )

    def _detail(self, article, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=article.pk) if article else None
        return Response(ArticleSerializer(fresh).data, status=code)

    @extend_schema(summary="Propose a draft article", request=ArticleInSerializer)
    def create(self, request):
        serializer = ArticleInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        article = services.article_create(user=request.user, **serializer.validated_data)
        return Response(
            ArticleSerializer(selectors.article_list(user=request.user).get(pk=article.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Change an article; a change to a published one is a new version",
        request=ArticlePatchSerializer,
    )
    def partial_update(self, request, pk=None):
        serializer = ArticlePatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        article = self.get_object()
        fields = {k: v for k, v in serializer.validated_data.items() if k in request.data}
        services.article_update(article_id=article.pk, user=request.user, fields=fields)
        return self._detail(article)

    @extend_schema(summary="Publish the working copy as a new version", request=None)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        article = self.get_object()
        services.article_publish(article_id=article.pk, user=request.user)
        return self._detail(article)

    @extend_schema(summary="Archive: never suggested again", request=None)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        article = self.get_object()
        services.article_archive(article_id=article.pk, user=request.user)
        return self._detail(article)

    @extend_schema(
        summary="Articles to review: past their review-by date, or published and unused in "
        "replies for 90 days (`owner=me` for yours), oldest due first",
        parameters=[ArticleReviewQuerySerializer],
        responses=ArticleReviewListSerializer,
        operation_id="kb_articles_review_list",
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def review(self, request):
        params = ArticleReviewQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        owner = request.user if params.validated_data["owner"] == "me" else None
        found = selectors.articles_for_review(owner=owner)[: params.validated_data["limit"]]
        return Response({"results": ArticleReviewSerializer(found, many=True).data})

    @extend_schema(
        summary="The article's published versions",
        responses=ArticleVersionSerializer(many=True),
        operation_id="kb_article_versions_list",
    )
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        article = self.get_object()
        versions = ArticleVersion.objects.filter(article=article).select_related("created_by")
        return Response({"results": ArticleVersionSerializer(versions, many=True).data})

    @extend_schema(
        summary="One published version, as it was",
        responses=ArticleVersionSerializer,
        operation_id="kb_article_version_retrieve",
    )
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>\d+)")
    def version_detail(self, request, pk=None, number=None):
        article = self.get_object()
        version = get_object_or_404(
            ArticleVersion.objects.select_related("created_by"), article=article, number=number
        )
        return Response(ArticleVersionSerializer(version).data)


class RequestPagination(CursorPagination):
    ordering = ("due_at", "id")


@extend_schema_view(
    list=extend_schema(summary="Expert requests; `assigned=me`, `overdue=true`, `status`"),
    retrieve=extend_schema(summary="One expert request"),
)
class ExpertRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    allowed_roles = {
        "list": REQUEST_READERS,
        "retrieve": REQUEST_READERS,
        "answer": ANSWERERS,
        "approve": EDITORS,
        "reject": EDITORS,
    }
    serializer_class = ExpertRequestSerializer
    filterset_class = ExpertRequestFilter
    pagination_class = RequestPagination
    queryset = ExpertRequest.objects.none()

    def get_queryset(self):
        return selectors.expert_request_list(user=self.request.user)

    def _detail(self, request_obj):
        return Response(ExpertRequestSerializer(self.get_queryset().get(pk=request_obj.pk)).data)

    @extend_schema(
        summary="Answer (the assigned expert or a team member)", request=AnswerInSerializer
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        serializer = AnswerInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = services.expert_request_answer(
            request_id=_id(pk), user=request.user, **serializer.validated_data
        )
        return self._detail(obj)

    @extend_schema(summary="Approve the answer into the base", request=ApproveInSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        serializer = ApproveInSerializer(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        obj = services.expert_request_approve(
            request_id=_id(pk), user=request.user, article_id=serializer.validated_data["article"]
        )
        return self._detail(obj)

    @extend_schema(summary="Send the answer back to the expert", request=RejectInSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        serializer = RejectInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = services.expert_request_reject(
            request_id=_id(pk), user=request.user, **serializer.validated_data
        )
        return self._detail(obj)


def _id(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc


def _mention(pk) -> Mention:
    mention = Mention.objects.filter(pk=_id(pk)).first()
    if mention is None:
        raise NotFound("No such mention.")
    return mention


class MentionSuggestionsView(APIView):
    allowed_roles = {"get": SUGGESTION_READERS}

    @extend_schema(
        summary="Published articles that answer this mention, best first",
        responses=SuggestionsSerializer,
    )
    def get(self, request, pk):
        raw = request.query_params.get("limit", "5")
        try:
            limit = int(raw)
            if not 1 <= limit <= 50:
                raise ValueError
        except ValueError as exc:
            raise InvalidInput(errors={"limit": ["A whole number from 1 to 50."]}) from exc
        mention = _mention(pk)
        results = selectors.suggestions_for_mention(mention=mention, limit=limit)
        services.article_suggestions_record(
            mention_id=mention.pk, suggestions=[(r["article"], r["version"]) for r in results]
        )
        return Response({"results": results})


class SuggestionFeedbackView(APIView):
    allowed_roles = {"post": WORKERS}

    @extend_schema(
        summary="Say whether a suggested article helped",
        request=FeedbackInSerializer,
        responses={204: None},
    )
    def post(self, request, pk, article):
        serializer = FeedbackInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.suggestion_feedback(
            mention_id=_id(pk),
            article_id=_id(article),
            user=request.user,
            helpful=serializer.validated_data["helpful"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MentionEscalateView(APIView):
    allowed_roles = {"post": WORKERS}

    @extend_schema(
        summary="Ask an expert or a team; attaches to an open request asking the same",
        request=EscalateInSerializer,
        responses={201: ExpertRequestSerializer, 200: ExpertRequestSerializer},
    )
    def post(self, request, pk):
        serializer = EscalateInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = services.expert_request_escalate(
            mention_id=_id(pk),
            user=request.user,
            question=data["question"],
            expert_id=data["expert"],
            team_key=data["team"],
            article_id=data["article"],
        )
        obj = selectors.expert_request_list(user=request.user).get(pk=result.request.pk)
        body = ExpertRequestSerializer(obj).data
        body["attached"] = result.attached
        body["similar_requests"] = ExpertRequestSerializer(
            selectors.similar_requests(request=obj), many=True
        ).data
        body["similar_articles"] = selectors.suggestions_for_question(text=obj.question)
        code = status.HTTP_200_OK if result.attached else status.HTTP_201_CREATED
        return Response(body, status=code)
