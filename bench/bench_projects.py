"""项目台账 at ten times the demo: 240 projects (24 liaisons), each with 10 years of plans and
monthly reports (28,800 reports, 2017-01 to 2026-12 or the last complete month), four
milestones and seven approvals each, over the enterprises of bench_enterprises.py. Measures
the ledger (plain, one colour, searched), a project's page, the report list, the API list and
the Excel 台账 export; then the ledger page building and colouring only its page's rows, the
counts and 合计 in SQL (A), against the same page building and colouring every filtered row in
Python as before (B, `_every_row_in_python`); and the ledger page and its export read from the
monthly summary (ProjectMonthFigure, A) against the same pages summing the approved reports per
row as before the summary existed (B, `_ledger_from_reports`, kept here only), interleaved in
one run."""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

SCALE = 10
PROJECTS = 24 * SCALE
LIAISONS = 12 * 2
YEARS = 10
FIRST_YEAR = 2017


def _aware(day: date, hour: int) -> str:
    return f"{datetime.combine(day, time(hour, 0)).isoformat()}+08:00"


def build(ctx) -> None:
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from apps.accounts.models import Department, User
    from apps.accounts.roles import Role
    from apps.enterprises.models import Enterprise
    from apps.projects import selectors
    from apps.projects.models import AnnualPlan, Approval, Milestone, MonthlyReport, Project

    if Project.objects.count() >= PROJECTS and MonthlyReport.objects.count() >= PROJECTS * 100:
        return
    rng = ctx.rng
    today = timezone.localdate()
    last = selectors.default_period(today)
    now = _aware(today, 8)
    with transaction.atomic():
        for model in (MonthlyReport, AnnualPlan, Milestone, Approval, Project):
            model.objects.all().delete()
        service = Department.objects.get(code=Department.Code.SERVICE)
        economy = Department.objects.get(code=Department.Code.ECONOMY)
        group = Group.objects.get(name=Role.LIAISON)
        liaisons = []
        for index in range(LIAISONS):
            user, _created = User.objects.get_or_create(
                username=f"bench-liaison-{index:02d}",
                defaults={"full_name": f"基准联络员{index:02d}", "department": service},
            )
            user.groups.set([group])
            liaisons.append(user.pk)
        reviewer = User.objects.filter(is_superuser=True).first() or User.objects.first()
        enterprises = list(Enterprise.objects.values_list("pk", "park_id")[:PROJECTS])
        project_rows = []
        for index in range(PROJECTS):
            enterprise, park = enterprises[index % len(enterprises)]
            start = date(FIRST_YEAR, 1 + index % 12, 10)
            total = rng.randint(3000, 150000)
            project_rows.append(
                (
                    now,
                    now,
                    f"基准建设项目{index:03d}",
                    enterprise,
                    rng.choice(["provincial", "city", "county", "general"]),
                    "constructing",
                    "",
                    "",
                    park,
                    "",
                    "新建厂房及配套设施",
                    "",
                    total,
                    total,
                    0,
                    0,
                    0,
                    FIRST_YEAR,
                    FIRST_YEAR + YEARS,
                    start.isoformat(),
                    date(FIRST_YEAR + YEARS, 12, 1).isoformat(),
                    start.isoformat(),
                    0,
                    economy.pk,
                    liaisons[index % LIAISONS],
                    "王经理",
                    "13900000000",
                    (start + timedelta(days=20)).isoformat(),
                )
            )
        ctx.copy_rows(
            "projects_project",
            [
                "created_at",
                "updated_at",
                "name",
                "enterprise_id",
                "level",
                "status",
                "halt_reason",
                "resume_to",
                "park_id",
                "location",
                "content",
                "capacity",
                "total_investment",
                "fund_own",
                "fund_loan",
                "fund_government",
                "fund_other",
                "start_year",
                "end_year",
                "planned_start",
                "planned_completion",
                "actual_start",
                "prior_investment",
                "department_id",
                "liaison_id",
                "owner_contact",
                "owner_phone",
                "registered_on",
            ],
            project_rows,
        )
        projects = list(Project.objects.order_by("id").values_list("pk", "total_investment"))
        plans, reports, milestones, approvals = [], [], [], []
        for pk, total in projects:
            yearly = round(float(total) / YEARS, 2)
            for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
                plans.append((now, now, pk, year, yearly, False))
                for month in range(1, 13):
                    if (year, month) > (last.year, last.month):
                        break
                    invested = round(yearly / 12 * rng.uniform(0.6, 1.2), 2)
                    due = date(year + (month == 12), month % 12 + 1, 4)
                    reports.append(
                        (
                            now,
                            now,
                            pk,
                            year,
                            month,
                            invested,
                            "主体施工",
                            "",
                            "",
                            "approved",
                            "",
                            reviewer.pk,
                            _aware(due, 9),
                            _aware(due, 15),
                            reviewer.pk,
                        )
                    )
            for number, name in enumerate(["基础", "主体", "设备", "竣工"]):
                due = date(FIRST_YEAR + 2 * number + 2, 6, 30)
                done = due if due < today - timedelta(days=30) else None
                milestones.append(
                    (now, now, pk, name, due.isoformat(), "", done and done.isoformat(), "")
                )
            for code in (
                "filing",
                "land_preview",
                "land_planning",
                "works_planning",
                "construction_permit",
                "environment",
                "energy",
            ):
                approvals.append((now, now, pk, code, "2016-10-01", "DOC"))
        ctx.copy_rows(
            "projects_annualplan",
            ["created_at", "updated_at", "project_id", "year", "planned", "is_key"],
            plans,
        )
        ctx.copy_rows(
            "projects_monthlyreport",
            [
                "created_at",
                "updated_at",
                "project_id",
                "year",
                "month",
                "invested",
                "progress",
                "next_plan",
                "problems",
                "status",
                "return_reason",
                "written_by_id",
                "submitted_at",
                "approved_at",
                "approved_by_id",
            ],
            reports,
        )
        ctx.copy_rows(
            "projects_milestone",
            [
                "created_at",
                "updated_at",
                "project_id",
                "name",
                "due_on",
                "person",
                "done_on",
                "note",
            ],
            milestones,
        )
        ctx.copy_rows(
            "projects_approval",
            ["created_at", "updated_at", "project_id", "kind", "done_on", "document_no"],
            approvals,
        )
        # The reports came in by COPY, past the workflow: their summary is rebuilt as the
        # approval's transaction would have kept it.
        from apps.projects import services

        services.month_figures_rebuild()


def _ledger_from_reports(queryset, period):
    """with_ledger() as it was before the summary: every row sums its approved reports of the
    earlier years and of the year to the month (correlated subqueries), and reads the month's
    report."""
    from django.db.models import DecimalField, OuterRef, Subquery, Sum
    from django.db.models.functions import Coalesce

    from apps.projects import selectors
    from apps.projects.models import AMOUNT, MonthlyReport

    def approved_sum(**filters):
        rows = (
            MonthlyReport.objects.filter(project=OuterRef("pk"), status="approved", **filters)
            .order_by()
            .values("project")
            .annotate(total=Sum("invested"))
            .values("total")
        )
        return Coalesce(Subquery(rows, output_field=DecimalField(**AMOUNT)), selectors.ZERO)

    return (
        _CURRENT_WITH_LEDGER(queryset, period)
        .annotate(
            before_year=approved_sum(year__lt=period.year),
            ytd=approved_sum(year=period.year, month__lte=period.month),
        )
        .annotate(month_invested=selectors._month_report(period, "invested"))
    )


_CURRENT_WITH_LEDGER = None


@contextmanager
def _summed_from_reports():
    global _CURRENT_WITH_LEDGER
    from unittest import mock

    from apps.projects import selectors

    _CURRENT_WITH_LEDGER = selectors.with_ledger
    with mock.patch.object(selectors, "with_ledger", _ledger_from_reports):
        yield


@contextmanager
def _every_row_in_python():
    """The ledger page as before the colour moved into SQL: every filtered row built and
    assessed in Python, the page cut from that list (the counts and 合计 query stays)."""
    from unittest import mock

    from django.views.generic.list import MultipleObjectMixin

    from apps.projects import rag
    from apps.projects.views import LedgerView

    def paginate(self, queryset, page_size):
        rows = rag.attach(self.get_queryset()[: self.export_limit], self.period)
        return MultipleObjectMixin.paginate_queryset(self, rows, page_size)

    with mock.patch.object(LedgerView, "paginate_queryset", paginate):
        yield


def run(report) -> None:
    from apps.projects import selectors
    from apps.projects.models import MonthlyReport, Project

    leader = report.user("领导")
    report.note(
        f"{Project.objects.count()} projects, {MonthlyReport.objects.count()} monthly reports"
    )
    busiest = Project.objects.order_by("id").first()
    month = selectors.default_period().code

    report.section("projects: ledger")
    report.time_url("ledger", f"/projects/?month={month}", user=leader, target_ms=50)
    # The colour filter (in SQL): green, since the bench data has no red or amber project.
    report.time_url(
        "ledger, green only", f"/projects/?month={month}&colour=green", user=leader, target_ms=50
    )
    report.time_url(
        "ledger, search",
        "/projects/?q=%E5%9F%BA%E5%87%86%E5%BB%BA%E8%AE%BE",
        user=leader,
        target_ms=50,
    )
    report.time_url("project page", f"/projects/{busiest.pk}/", user=leader, target_ms=50)
    report.time_url("report list", "/projects/reports/", user=leader, target_ms=50)
    report.time_url(
        "API project list (50)", "/api/projects/projects/?page_size=50", user=leader, target_ms=50
    )
    report.time_url(
        "API report list (50)", "/api/projects/reports/?page_size=50", user=leader, target_ms=20
    )
    report.time_url(
        "Excel 台账 (240 projects)",
        f"/projects/?month={month}&export=ledger",
        user=leader,
        requests=5,
        warmups=1,
        target_ms=1000,
    )

    ledger_url = f"/projects/?month={month}"
    export_url = f"/projects/?month={month}&export=ledger"

    def old(url):
        def get():
            with _summed_from_reports():
                response = report.client.get(url)
            if response.status_code != 200:
                report.failures.append(f"HTTP {response.status_code} for {url} (summed)")

        return get

    report.section("projects: the page's rows only (A) against every filtered row in Python (B)")

    def every_row(url):
        def get():
            with _every_row_in_python():
                response = report.client.get(url)
            if response.status_code != 200:
                report.failures.append(f"HTTP {response.status_code} for {url} (every row)")

        return get

    report.compare(
        "ledger page: page rows / every row",
        ledger_url,
        every_row(ledger_url),
        user=leader,
        target=1.0,
        requests=5,
        b_label="every row built and coloured in Python",
    )
    report.section("projects: the ledger from the summary (A) against summing the reports (B)")
    report.compare(
        "ledger page: summary / summed reports",
        ledger_url,
        old(ledger_url),
        user=leader,
        target=1.0,
        requests=5,
        b_label="summed from the reports",
    )
    report.compare(
        "Excel 台账: summary / summed reports",
        export_url,
        old(export_url),
        user=leader,
        target=1.0,
        requests=3,
        b_label="summed from the reports",
    )
