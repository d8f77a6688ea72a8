from django.urls import path
from rest_framework.routers import SimpleRouter

from mentions.api import views

router = SimpleRouter()
router.register("mentions", views.MentionViewSet, basename="mention")
router.register("subjects", views.TrackedSubjectViewSet, basename="subject")
router.register("sources", views.SourceViewSet, basename="source")

urlpatterns = [
    path("sources/<slug:key>/push/", views.SourcePushView.as_view(), name="source-push"),
    *router.urls,
]
