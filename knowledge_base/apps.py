from django.apps import AppConfig


class KnowledgeBaseConfig(AppConfig):
    name = "knowledge_base"
    verbose_name = "Knowledge base"

    def ready(self) -> None:
        from knowledge_base.api.serializers import ArticleSerializer, ExpertRequestSerializer
        from knowledge_base.models import Article, ExpertRequest
        from scrm.event_renderers import api_renderer, register

        # How outgoing events show an article and an expert request. The selectors take the
        # caller (what a user may read); an event's article is a published one.
        articles = Article.objects.select_related("owner").prefetch_related(
            "categories", "subjects"
        )
        register(
            "article.published",
            "article",
            "article_id",
            api_renderer(articles.all, ArticleSerializer),
        )
        requests = ExpertRequest.objects.select_related(
            "expert", "team", "answered_by", "approved_by", "article"
        ).prefetch_related("links")
        render = api_renderer(requests.all, ExpertRequestSerializer)
        for event_type in ("expert_request.created", "expert_request.answered"):
            register(event_type, "expert_request", "request_id", render)
