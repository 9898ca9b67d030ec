from django.urls import path

from apps.core import jobs

app_name = "jobs"

urlpatterns = [
    path("<uuid:pk>/", jobs.detail, name="detail"),
    path("<uuid:pk>/status/", jobs.status, name="status"),
    path("<uuid:pk>/download/", jobs.download, name="download"),
]
