from apps.projects.api import views

routes = [
    ("projects/projects", views.ProjectViewSet, "projects-project"),
    ("projects/reports", views.ReportViewSet, "projects-report"),
]
