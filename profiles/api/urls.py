from rest_framework.routers import SimpleRouter

from profiles.api import views

router = SimpleRouter()
router.register("authors", views.AuthorViewSet, basename="author")

urlpatterns = router.urls
