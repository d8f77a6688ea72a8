from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from scrm.api import schema  # noqa: F401  (how the OpenAPI document shows pydantic models)
from scrm.api.errors import json_not_found
from scrm.api.root import APIRootView
from scrm.api.tokens import TokenViewSet
from scrm.health import healthz

tokens = SimpleRouter()
tokens.register("tokens", TokenViewSet, basename="token")

api_v1 = [
    *tokens.urls,
    path("", APIRootView.as_view(), name="api-root"),
    path("", include("mentions.api.urls")),
    path("", include("profiles.api.urls")),
    path("", include("knowledge_base.api.urls")),
    path("", include("analytics.api.urls")),
    path("", include("integrations.api.urls")),
    path("", include("responses.api.urls")),
]

urlpatterns = [
    # The operators' queue screen, under a name people remember.
    path(
        "admin/mentions/queue/",
        RedirectView.as_view(pattern_name="admin:mentions_queueitem_changelist", query_string=True),
    ),
    # The managers' dashboard (analytics), likewise.
    path(
        "admin/dashboard/",
        RedirectView.as_view(
            pattern_name="admin:analytics_dashboard_changelist", query_string=True
        ),
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("healthz", healthz, name="healthz"),
    # Unknown API URLs answer in the API's error shape, in DEBUG too.
    re_path(r"^api/", json_not_found),
]

handler404 = "scrm.api.errors.json_not_found"
handler500 = "scrm.api.errors.json_server_error"
