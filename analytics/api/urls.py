from django.urls import path

from analytics.api import views

urlpatterns = [
    path("reports/", views.ReportIndexView.as_view(), name="report-index"),
    path("reports/share-of-voice/", views.ShareOfVoiceView.as_view(), name="report-share-of-voice"),
    path("reports/sentiment/", views.SentimentView.as_view(), name="report-sentiment"),
    path("reports/engagement/", views.EngagementView.as_view(), name="report-engagement"),
    path(
        "reports/consumer-cycle/", views.ConsumerCycleView.as_view(), name="report-consumer-cycle"
    ),
    path("reports/support/", views.SupportView.as_view(), name="report-support"),
    path("reports/advocates/", views.AdvocatesView.as_view(), name="report-advocates"),
]
