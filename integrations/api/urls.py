from rest_framework.routers import SimpleRouter

from integrations.api import views

router = SimpleRouter()
router.register("webhooks/endpoints", views.WebhookEndpointViewSet, basename="webhook-endpoint")
router.register("webhooks/deliveries", views.WebhookDeliveryViewSet, basename="webhook-delivery")

router.register("crm/mentions/changes", views.MentionChangesViewSet, basename="crm-mention-changes")

urlpatterns = router.urls
