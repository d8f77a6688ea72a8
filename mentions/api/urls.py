from django.urls import path
from rest_framework.routers import SimpleRouter

from mentions.api import views

router = SimpleRouter()
router.register("mentions", views.MentionViewSet, basename="mention")
router.register("subjects", views.TrackedSubjectViewSet, basename="subject")
router.register("sources", views.SourceViewSet, basename="source")
router.register("queue", views.QueueViewSet, basename="queue")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("teams", views.TeamViewSet, basename="team")
router.register("routing-rules", views.RoutingRuleViewSet, basename="routing-rule")
router.register(
    "classification-rules", views.ClassificationRuleViewSet, basename="classification-rule"
)

urlpatterns = [
    path("sources/<slug:key>/push/", views.SourcePushView.as_view(), name="source-push"),
    *router.urls,
]
