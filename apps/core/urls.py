from django.urls import path

from apps.core import jobs

app_name = "jobs"

urlpatterns = [
    path("<uuid:job_id>/", jobs.detail, name="detail"),
    path("<uuid:job_id>/status/", jobs.status, name="status"),
    path("<uuid:job_id>/download/", jobs.download, name="download"),
]
