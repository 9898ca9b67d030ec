"""项目台账's figures (see apps/core/figures.py): projects under construction, started this
year, fixed-asset investment completed in the year to date (approved monthly reports, 万元),
monthly reports overdue (judged today) and red projects of the month. Each equals its list."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from apps.core.figures import Breakdown, BreakdownRow, Figure, Period
from apps.projects import rag, selectors
from apps.projects.models import MonthlyReport, Project


def _projects(period: Period, scope) -> dict:
    """The month's counts and the year's approved investment (rag.ledger_facts: one statement
    over the ledger's rows, shared with the red count and the ledger's colour filter, kept until
    a write in the projects or of a demand about a project). The year's approved investment
    is the sum of the rows' YTD (every report belongs to a project)."""
    return rag.ledger_facts(period)


def _red(ctx) -> int:
    """The red projects of the month: the ledger's colour filter's own ids (rag.colour_ids,
    kept until a write in the projects or of a demand about a project), so the figure is the
    list it links to."""
    return len(rag.colour_ids(ctx.period)[rag.RED])


def _by_status(period: Period, scope) -> dict:
    """{status: how many projects are in it today} (1 query)."""
    return dict(Project.objects.values_list("status").annotate(n=Count("pk")).order_by())


def _status_rows(ctx) -> list[BreakdownRow]:
    counts = ctx.source(_by_status)
    return [
        BreakdownRow(str(label), counts.get(status, 0), counts.get(status, 0), {"status": status})
        for status, label in Project.Status.choices
    ]


def _colour_rows(ctx) -> list[BreakdownRow]:
    """The month's projects by colour (rag.colour_ids: the ledger's colour filter's own ids),
    red first."""
    ids = rag.colour_ids(ctx.period)
    return [
        BreakdownRow(
            str(rag.LABELS[colour]),
            len(ids[colour]),
            len(ids[colour]),
            {**_month(ctx.period), "colour": colour},
        )
        for colour, _label in rag.COLOUR_CHOICES
    ]


# The red projects listed on the dashboard, each with its reasons (the 红灯 figure counts all).
RED_LISTED = 10


def _red_rows(ctx) -> list[BreakdownRow]:
    """The month's red projects (rag.colour_ids), the first RED_LISTED by name, each with its
    red reasons (rag.assess over the ledger's row: 2 queries), linking to its ledger row."""
    ids = rag.colour_ids(ctx.period)[rag.RED]
    if not ids:
        return []
    rows = selectors.with_ledger(Project.objects.filter(pk__in=ids), ctx.period)
    projects = rag.attach(rows.order_by("name", "pk")[:RED_LISTED], ctx.period)
    return [
        BreakdownRow(
            project.name,
            None,
            1,
            {**_month(ctx.period), "colour": rag.RED, "id": project.pk},
            note="；".join(
                reason.text for reason in project.rag.reasons if reason.colour == rag.RED
            ),
        )
        for project in projects
    ]


def _month(period: Period) -> dict:
    return {"month": period.code}


FIGURES = [
    Figure(
        code="projects_constructing",
        label=_("在建项目"),
        unit=_("个"),
        definition=_("期末已开工、未竣工且不处于停缓建的项目数"),
        section="projects",
        compute=lambda ctx: ctx.source(_projects)["constructing"],
        api_list="projects-project-list",
        filters=lambda period: {"constructing_on": period.day.isoformat()},
        page="projects:ledger",
        page_filters=lambda period: {**_month(period), "constructing_on": period.day.isoformat()},
        permission="projects.view_project",
        order=60,
    ),
    Figure(
        code="projects_started",
        label=_("新开工项目"),
        unit=_("个"),
        definition=_("当年1月1日至期末实际开工的项目数"),
        section="projects",
        target="cumulative",
        compute=lambda ctx: ctx.source(_projects)["started"],
        api_list="projects-project-list",
        filters=lambda period: {
            "started_from": period.year_start.isoformat(),
            "started_to": period.last.isoformat(),
        },
        page="projects:ledger",
        permission="projects.view_project",
        order=61,
    ),
    Figure(
        code="projects_investment_ytd",
        label=_("项目完成投资（年初至今）"),
        unit=_("万元"),
        definition=_("当年1月至期末各项目已审核月报的本月完成投资之和"),
        section="projects",
        target="cumulative",
        compute=lambda ctx: ctx.source(_projects)["invested"],
        api_list="projects-report-list",
        filters=lambda period: {
            "year": period.year,
            "month_to": period.month,
            "status": MonthlyReport.Status.APPROVED,
        },
        sum_field="invested",
        page="projects:report_list",
        permission="projects.view_monthlyreport",
        order=62,
    ),
    Figure(
        code="projects_reports_overdue",
        label=_("月报逾期项目"),
        unit=_("个"),
        definition=_("截至今天，最近一个已过报送期限的月份未提交月报的在建项目数"),
        section="projects",
        compute=lambda ctx: ctx.source(_projects)["overdue"],
        api_list="projects-project-list",
        filters=lambda period: {"report_overdue": "true"},
        page="projects:ledger",
        permission="projects.view_project",
        current=True,
        order=63,
    ),
    Figure(
        code="projects_red",
        label=_("红灯项目"),
        unit=_("个"),
        definition=_("当月预警为红灯的项目数（开工、投资序时、入库纳统、节点任一项为红）"),
        section="projects",
        compute=_red,
        api_list="projects-project-list",
        filters=lambda period: {**_month(period), "colour": rag.RED},
        page="projects:ledger",
        permission="projects.view_project",
        order=64,
        # The colours also read the problems (services' demands with a project, through
        # apps.projects.hooks), whose writes invalidate the projects' area too.
        areas=rag.COLOUR_AREAS,
    ),
]


BREAKDOWNS = [
    Breakdown(
        code="projects_by_status",
        label=_("建设项目按状态"),
        unit=_("个"),
        definition=_("各状态的建设项目数（按今日状态）"),
        section="projects",
        rows=_status_rows,
        api_list="projects-project-list",
        page="projects:ledger",
        permission="projects.view_project",
        current=True,
        order=10,
    ),
    Breakdown(
        code="projects_by_colour",
        label=_("建设项目按预警"),
        unit=_("个"),
        definition=_("当月预警为红灯、黄灯、绿灯的项目数（开工、投资序时、入库纳统、节点）"),
        section="projects",
        rows=_colour_rows,
        colours=tuple(rag.HEX[colour] for colour, _label in rag.COLOUR_CHOICES),
        api_list="projects-project-list",
        page="projects:ledger",
        permission="projects.view_project",
        order=20,
        areas=rag.COLOUR_AREAS,
    ),
    Breakdown(
        code="projects_red_list",
        label=_("红灯项目及原因"),
        unit=_("个"),
        definition=_("当月预警为红灯的项目（按名称前10个）及其红灯原因"),
        section="projects",
        rows=_red_rows,
        chart="list",
        api_list="projects-project-list",
        page="projects:ledger",
        permission="projects.view_project",
        order=30,
        areas=rag.COLOUR_AREAS,
    ),
]
