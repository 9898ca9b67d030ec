from apps.investment.api import views

routes = [
    ("investment/investors", views.InvestorViewSet, "investment-investor"),
    ("investment/leads", views.LeadViewSet, "investment-lead"),
    ("investment/projects", views.ProjectViewSet, "investment-project"),
    ("investment/activities", views.ActivityViewSet, "investment-activity"),
]
