from apps.investment.api import views

routes = [
    ("investment/investors", views.InvestorViewSet, "investment-investor"),
    ("investment/leads", views.LeadViewSet, "investment-lead"),
    ("investment/projects", views.ProjectViewSet, "investment-project"),
    ("investment/activities", views.ActivityViewSet, "investment-activity"),
    ("investment/funds-arrivals", views.FundsArrivalViewSet, "investment-fundsarrival"),
    ("investment/targets", views.AnnualTargetViewSet, "investment-target"),
    ("investment/ranking", views.RankingViewSet, "investment-ranking"),
    ("investment/forecast", views.ForecastViewSet, "investment-forecast"),
    ("investment/resident-reports", views.ResidentReportViewSet, "investment-residentreport"),
    ("investment/chain-targets", views.ChainTargetViewSet, "investment-chaintarget"),
]
