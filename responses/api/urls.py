from django.urls import path
from rest_framework.routers import SimpleRouter

from responses.api import views

router = SimpleRouter()
router.register("responses", views.ReplyViewSet, basename="response")
router.register("templates", views.TemplateViewSet, basename="template")

urlpatterns = [
    # Before the router: "archive" is not a reply id.
    path("responses/archive/", views.ArchiveView.as_view(), name="response-archive"),
    path("policy/", views.PolicyView.as_view(), name="policy"),
    path("policy/versions/", views.PolicyVersionsView.as_view(), name="policy-versions"),
    *router.urls,
]
