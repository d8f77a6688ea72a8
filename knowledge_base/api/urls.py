from django.urls import path
from rest_framework.routers import SimpleRouter

from knowledge_base.api import views

router = SimpleRouter()
router.register("kb/articles", views.ArticleViewSet, basename="kb-article")
router.register("kb/expert-requests", views.ExpertRequestViewSet, basename="kb-expert-request")

urlpatterns = [
    path(
        "mentions/<str:pk>/suggestions/",
        views.MentionSuggestionsView.as_view(),
        name="mention-suggestions",
    ),
    path(
        "mentions/<str:pk>/suggestions/<str:article>/feedback/",
        views.SuggestionFeedbackView.as_view(),
        name="mention-suggestion-feedback",
    ),
    path(
        "mentions/<str:pk>/escalate/", views.MentionEscalateView.as_view(), name="mention-escalate"
    ),
    *router.urls,
]
