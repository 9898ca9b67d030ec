"""The home page's project box: for a liaison, their projects, this month's reports to write,
overdue milestones and open problems; for 经济发展局, the reports waiting for review; for the
leadership, the red projects with their reasons."""

from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.roles import Role
from apps.core import figures
from apps.core.registry import Panel
from apps.projects import hooks, permissions, rag, selectors
from apps.projects.models import Milestone, MonthlyReport, Project

RED_LIMIT = 8


class RedRow(NamedTuple):
    name: str
    url: str
    explanation: str


def red_projects(period) -> dict:
    """The ledger's red rows of `period` (its colour=red list): how many, and the first
    RED_LIMIT with their reasons. The colour in SQL (rag.with_colour): only red rows are read
    and explained. Kept until a write in the areas the colours read (apps.core.figures)."""
    rows = rag.with_colour(selectors.project_list(None, period), period).filter(colour=rag.RED)
    red = rag.attach(rows, period)
    return {
        "total": len(red),
        "rows": [RedRow(p.name, p.get_absolute_url(), p.rag.explanation) for p in red[:RED_LIMIT]],
    }


def panels(request):
    user = request.user
    if not user.has_perm("projects.view_project"):
        return []
    today = timezone.localdate()
    context = {}
    is_liaison = permissions.has_role(user, Role.LIAISON) and not user.is_superuser
    if is_liaison:
        mine = Project.objects.filter(liaison=user)
        due = selectors.due_period(today)
        current = selectors.default_period(today)
        to_write = mine.filter(selectors.report_to_write_q(current)).order_by("name")
        context.update(
            mine_count=mine.count(),
            due_period=current,
            to_write=list(to_write[:10]),
            overdue_period=due,
            overdue=mine.filter(selectors.report_overdue_q(today)).count(),
            late_milestones=Milestone.objects.filter(
                project__liaison=user, done_on__isnull=True, due_on__lt=today
            ).count(),
            open_problems=sum(
                counts.open
                for counts in hooks.problems_for(mine.values_list("pk", flat=True), today).values()
            ),
        )
    if user.has_perm("projects.review_monthlyreport"):
        context["to_review"] = MonthlyReport.objects.filter(
            status=MonthlyReport.Status.SUBMITTED
        ).count()
    if permissions.has_role(user, Role.LEADER, Role.ECONOMY):
        period = selectors.default_period(today)
        red = figures.cached(
            "projects-home-red", lambda: red_projects(period), period.code, areas=rag.COLOUR_AREAS
        )
        context.update(red=red["rows"], red_total=red["total"], red_period=period)
    if not context:
        return []
    return [
        Panel(title=_("项目建设"), template="projects/_panel_home.html", context=context, order=28)
    ]
