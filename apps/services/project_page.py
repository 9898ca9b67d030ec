"""What enterprise service adds to a project's page, through apps.projects.hooks: the
project's problems (demands raised from project work) with their state, the link to raise a
new one, and the counts of open and overdue problems that the warning colour reads."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.registry import Panel
from apps.projects.hooks import ProblemCounts
from apps.services import selectors
from apps.services.models import Demand

SECTION_LIMIT = 50


def problem_counts(project_ids, day) -> dict[int, ProblemCounts]:
    """Open and overdue demands per project on `day` (one query)."""
    open_q = Q(status__in=Demand.OPEN_STATUSES)
    rows = (
        Demand.objects.filter(project_id__in=project_ids)
        .values("project_id")
        .annotate(
            open=Count("id", filter=open_q),
            overdue=Count("id", filter=open_q & Q(deadline__lt=day)),
        )
        .order_by()
    )
    return {
        row["project_id"]: ProblemCounts(open=row["open"], overdue=row["overdue"]) for row in rows
    }


def overdue_problems(day):
    """problem_counts' `overdue` as an expression over the outer project row: an open demand of
    the project past its deadline on `day` (for the ledger's colour in SQL)."""
    return Exists(
        Demand.objects.filter(
            project_id=OuterRef("pk"), status__in=Demand.OPEN_STATUSES, deadline__lt=day
        )
    )


def section(project, user) -> Panel | None:
    """The project's problems (one query), for those who may read demands."""
    if not user.has_perm("services.view_demand"):
        return None
    demands = list(
        selectors.demand_list()
        .filter(project=project)
        .order_by("-raised_on", "-id")[:SECTION_LIMIT]
    )
    can_raise = user.has_perm("services.add_demand")
    return Panel(
        title=_("存在问题（诉求）"),
        template="services/_project_section.html",
        context={
            "demands": demands,
            "raise_url": (
                f"{reverse('services:demand_create')}?project={project.pk}" if can_raise else ""
            ),
            "list_url": f"{reverse('services:demand_list')}?project={project.pk}",
        },
        order=10,
    )


def problem_link(project, user, topic: str = "") -> str:
    """The demand form for a problem of the project; an approval's problem (topic
    "approval:<kind>") goes to the 手续办理 category, routed to 行政审批局."""
    if not user.has_perm("services.add_demand"):
        return ""
    url = f"{reverse('services:demand_create')}?project={project.pk}"
    if topic.startswith("approval:"):
        url += f"&topic={topic}"
    return url
