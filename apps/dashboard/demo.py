"""Demo data for the dashboard (`manage.py load_demo`): 2023's targets, so that November 2023
shows completion and 超/欠序时, and the heads of 企业服务局 and 招商局 (李敏, 陈静) given their
area's dashboard."""

from decimal import Decimal

from django.contrib.auth.models import Permission
from django.db import transaction

from apps.accounts.models import User
from apps.dashboard import services
from apps.dashboard.models import Target

# indicator: the year's target (万元, 个 or %), with a monthly split where the plan is uneven.
TARGETS_2023 = {
    "industry_output_ytd": Decimal("540000"),
    "industry_revenue_ytd": Decimal("550000"),
    "industry_revenue_growth": Decimal("10"),
    "investment_signed": Decimal("8"),
    "investment_contract": Decimal("200000"),
    "investment_funds": Decimal("30000"),
    "investment_performance_rate": Decimal("90"),
    "demand_closure_rate": Decimal("95"),
    # The demo's projects: 13 started and 186,078 万元 completed by November, against plans of
    # 252,535 万元 for the year: both behind schedule (欠序时).
    "projects_started": Decimal("15"),
    "projects_investment_ytd": Decimal("250000"),
}
SPLIT_2023 = {"investment_contract": {6: Decimal("80000")}}
# The closure rate each department is held to (the 招商 teams' targets are investment's demo).
DEPARTMENT_CLOSURE_2023 = {"service": Decimal("95"), "approval": Decimal("90")}
AREA_HEADS = ("service", "investment")
NEXT_STEPS_OCTOBER = (
    "一是抓好四季度工业生产调度，确保规上工业总产值完成年度目标；\n"
    "二是加快签约项目注册落地和开工，提高资金到位率；\n"
    "三是持续开展企业走访，确保诉求按期办结。"
)


def load(*, stdout) -> None:
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None or Target.objects.filter(year=2023).exists():
        stdout.write("  dashboard: already loaded")
        return
    with transaction.atomic():
        indicators = dict(services.targetable_indicators())
        for indicator, value in TARGETS_2023.items():
            if indicator not in indicators:
                continue
            services.target_save(by=admin, indicator=indicator, year=2023, value=value)
            for month, due in SPLIT_2023.get(indicator, {}).items():
                services.target_save(
                    by=admin, indicator=indicator, year=2023, month=month, value=due
                )
        _splits(admin)
        area = Permission.objects.get(
            content_type__app_label="dashboard", codename="view_area_dashboard"
        )
        for head in User.objects.filter(username__in=AREA_HEADS):
            head.user_permissions.add(area)
        _briefings()
    stdout.write(f"  dashboard: {len(TARGETS_2023)} targets for 2023, {len(AREA_HEADS)} heads")


def _splits(admin) -> None:
    from apps.accounts.models import Department

    indicators = dict(services.targetable_indicators())
    if "demand_closure_rate" in indicators:
        for department in Department.objects.filter(code__in=DEPARTMENT_CLOSURE_2023):
            services.target_save(
                by=admin,
                indicator="demand_closure_rate",
                year=2023,
                value=DEPARTMENT_CLOSURE_2023[department.code],
                department=department,
            )


def _briefings() -> None:
    """October 2023's briefing, reviewed and issued (frozen); November is left to draft."""
    economy = User.objects.filter(username="economy").first()
    leader = User.objects.filter(username="leader").first()
    if economy is None or leader is None:
        return
    october = services.briefing_create(
        by=economy, year=2023, month=10, next_steps=NEXT_STEPS_OCTOBER
    )
    services.briefing_update(
        by=economy,
        briefing=october,
        next_steps=NEXT_STEPS_OCTOBER,
        narratives={
            "economy": "工业生产保持平稳增长，现代化工和装备制造产业链支撑明显。",
            "investment": "外出招商和来访接待持续推进，重点在谈项目进入考察和审核阶段。",
        },
    )
    services.BRIEFING_WORKFLOW.perform(october, "review", by=leader, comment="同意印发")
    services.briefing_issue(briefing=october, by=leader)
