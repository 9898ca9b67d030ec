"""招商引资 at ten times the demo: 40 招商 officers in 8 teams, 3,000 activities, 2,000 investors
and leads (with 6,000 follow-ups), 600 pipeline projects with their events, signings and funds,
targets for each team and year, and target enterprises on every chain node. Measures the lead,
project and activity lists (plain, filtered, searched), a lead's and a project's page, the API
lists, the board, the ledger, the ranking, the bulletin, the chain map, the forecast and the
indicators (lists ≤ 50 ms, indicators and reports ≤ 100 ms)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

SCALE = 10
OFFICERS = 4 * SCALE
TEAMS = 8
ACTIVITIES = 300 * SCALE
LEADS = 200 * SCALE
PROJECTS = 60 * SCALE
FOLLOW_UPS = 3 * LEADS
STAGES = [
    "negotiating",
    "inspecting",
    "reviewing",
    "signed",
    "registered",
    "started",
    "producing",
    "shelved",
    "lost",
]


def _aware(day: date, hour: int = 10):
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def build(ctx) -> None:
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from apps.accounts.models import Department, User
    from apps.accounts.roles import Role
    from apps.enterprises.models import ChainNode, Enterprise
    from apps.investment import models as m

    if m.Lead.objects.count() >= LEADS and m.Project.objects.count() >= PROJECTS:
        return
    rng = ctx.rng
    today = timezone.localdate()
    start = date(2023, 1, 2)
    span = (today - start).days
    with transaction.atomic():
        for model in (
            m.ChainTarget,
            m.AnnualTarget,
            m.ResidentReportEvent,
            m.ResidentReport,
            m.FundsArrival,
            m.Signing,
            m.AdmissionReview,
            m.ProjectEvent,
            m.Project,
            m.FollowUp,
            m.Lead,
            m.Activity.staff.through,
            m.Activity,
            m.Investor,
            m.Team.members.through,
            m.Team,
        ):
            model.objects.all().delete()
        department = Department.objects.get(code=Department.Code.INVESTMENT)
        group = Group.objects.get(name=Role.INVESTMENT)
        officers = []
        for index in range(OFFICERS):
            user, _created = User.objects.get_or_create(
                username=f"bench-investment-{index:02d}",
                defaults={"full_name": f"基准招商{index:02d}", "department": department},
            )
            user.groups.set([group])
            officers.append(user)
        teams = []
        for index in range(TEAMS):
            members = officers[index * 5 : index * 5 + 5]
            team = m.Team.objects.create(
                name=f"基准招商{index + 1}组",
                kind="resident" if index == TEAMS - 1 else "local",
                city="上海" if index == TEAMS - 1 else "",
                leader=members[0],
            )
            team.members.set(members)
            teams.append((team, members))
        nodes = list(ChainNode.objects.values_list("pk", "chain_id"))
        enterprises = list(Enterprise.objects.values_list("pk", flat=True)[:PROJECTS])
        now = timezone.now()

        activities = []
        for index in range(ACTIVITIES):
            day = start + timedelta(days=rng.randint(0, span - 3))
            kind = rng.choice(["reception"] * 7 + ["outbound"] * 2 + ["promotion"])
            team, members = rng.choice(teams)
            activities.append(
                m.Activity(
                    created_at=now,
                    updated_at=now,
                    kind=kind,
                    title=f"基准活动{index}",
                    starts_on=day,
                    ends_on=day + timedelta(days=2 if kind == "outbound" else 0),
                    province=rng.choice(["北京", "上海", "广东", "江苏"])
                    if kind == "outbound"
                    else "",
                    team=team,
                    created_by=members[0],
                    reported_on=day + timedelta(days=5) if kind == "outbound" else None,
                )
            )
        activities = m.Activity.objects.bulk_create(activities, batch_size=2000)
        m.Activity.staff.through.objects.bulk_create(
            [
                m.Activity.staff.through(activity_id=a.pk, user_id=a.created_by_id)
                for a in activities
            ],
            batch_size=5000,
        )
        investors = m.Investor.objects.bulk_create(
            [
                m.Investor(
                    created_at=now,
                    updated_at=now,
                    name=f"基准客商{index:05d}科技有限公司",
                    province="江苏",
                    city="苏州",
                    contact_name="张三",
                    contact_phone=f"138{index:08d}",
                    created_by=officers[0],
                )
                for index in range(LEADS)
            ],
            batch_size=2000,
        )
        leads = []
        for index, investor in enumerate(investors):
            team, members = rng.choice(teams)
            reported = start + timedelta(days=rng.randint(0, span))
            node, chain = rng.choice(nodes) if nodes else (None, None)
            owned = rng.random() > 0.1
            judged = rng.random() > 0.15
            leads.append(
                m.Lead(
                    created_at=now,
                    updated_at=now,
                    investor=investor,
                    title=f"基准项目{index:05d}",
                    chain_id=chain,
                    chain_node_id=node,
                    chain_role=rng.choice(["", "", "extend", "fill"]),
                    channel=rng.choice(["own", "event", "referrer", "agent"]),
                    activity=rng.choice(activities) if rng.random() < 0.5 else None,
                    planned_investment=Decimal(rng.randint(1000, 50000)),
                    fixed_asset_investment=Decimal(rng.randint(800, 40000)),
                    land_mu=Decimal(rng.randint(10, 200)),
                    confidential=rng.random() < 0.05,
                    team=team,
                    owner=rng.choice(members) if owned else None,
                    reported_by=members[0],
                    reported_at=_aware(reported),
                    judgement=rng.choice(["follow", "drop"]) if judged else "pending",
                    judgement_reason="基准" if judged else "",
                    last_follow_up_on=min(reported + timedelta(days=rng.randint(0, 60)), today),
                    claimed_at=_aware(reported) if owned else None,
                )
            )
        leads = m.Lead.objects.bulk_create(leads, batch_size=2000)
        m.FollowUp.objects.bulk_create(
            [
                m.FollowUp(
                    lead=lead,
                    on=lead.last_follow_up_on,
                    kind="call",
                    note="电话沟通",
                    by=lead.reported_by,
                )
                for lead in leads
                for _ in range(FOLLOW_UPS // LEADS)
            ],
            batch_size=5000,
        )
        projects = []
        for index, lead in enumerate(rng.sample(leads, PROJECTS)):
            status = rng.choice(STAGES)
            entered = _aware(start + timedelta(days=rng.randint(0, span)))
            if not enterprises and status in ("registered", "started", "producing"):
                status = "signed"
            signed = status in ("signed", "registered", "started", "producing")
            landed = status in ("registered", "started", "producing")
            signed_on = (start + timedelta(days=rng.randint(0, span))) if signed else None
            projects.append(
                m.Project(
                    created_at=now,
                    updated_at=now,
                    name=lead.title,
                    lead=lead,
                    investor_id=lead.investor_id,
                    chain_node_id=lead.chain_node_id,
                    team_id=lead.team_id,
                    owner_id=lead.owner_id or lead.reported_by_id,
                    confidential=lead.confidential,
                    status=status,
                    stage_entered_at=entered,
                    planned_investment=lead.planned_investment,
                    fixed_asset_investment=lead.fixed_asset_investment,
                    land_mu=lead.land_mu,
                    contract_investment=Decimal(rng.randint(2000, 60000)) if signed else None,
                    signed_on=signed_on,
                    expected_signing_month=(
                        (today.replace(day=1) + timedelta(days=32 * rng.randint(0, 8))).replace(
                            day=1
                        )
                        if status in ("negotiating", "inspecting", "reviewing")
                        else None
                    ),
                    committed_start_on=signed_on + timedelta(days=120) if signed else None,
                    enterprise_id=enterprises[index % len(enterprises)] if landed else None,
                    loss_reason=m.LossReason.objects.order_by("pk").first()
                    if status == "lost"
                    else None,
                )
            )
        projects = m.Project.objects.bulk_create(projects, batch_size=2000)
        events, signings, funds = [], [], []
        for project in projects:
            events.append(
                m.ProjectEvent(
                    project=project,
                    action="create",
                    to_status="negotiating",
                    by_id=project.owner_id,
                    at=project.stage_entered_at - timedelta(days=40),
                )
            )
            events.append(
                m.ProjectEvent(
                    project=project,
                    action="advance",
                    from_status="negotiating",
                    to_status=project.status,
                    by_id=project.owner_id,
                    at=project.stage_entered_at,
                )
            )
            if project.signed_on:
                signings.append(
                    m.Signing(
                        created_at=now,
                        updated_at=now,
                        project=project,
                        kind="contract",
                        signed_on=project.signed_on,
                        amount=project.contract_investment,
                        by_id=project.owner_id,
                    )
                )
                funds.append(
                    m.FundsArrival(
                        created_at=now,
                        updated_at=now,
                        project=project,
                        month=project.signed_on.replace(day=1),
                        fixed_assets=project.contract_investment / 10,
                        origin="province",
                        by_id=project.owner_id,
                    )
                )
        m.ProjectEvent.objects.bulk_create(events, batch_size=5000)
        m.Signing.objects.bulk_create(signings, batch_size=2000)
        m.FundsArrival.objects.bulk_create(funds, batch_size=2000)
        m.AnnualTarget.objects.bulk_create(
            [
                m.AnnualTarget(
                    created_at=now,
                    updated_at=now,
                    team=team,
                    year=year,
                    signings=10,
                    contract_investment=Decimal(150000),
                    funds=Decimal(40000),
                    set_by=officers[0],
                )
                for team, _members in teams
                for year in range(2023, today.year + 1)
            ]
        )
        m.ChainTarget.objects.bulk_create(
            [
                m.ChainTarget(
                    created_at=now,
                    updated_at=now,
                    chain_node_id=node,
                    name=f"基准目标企业{k}",
                    role="fill",
                    created_by=officers[0],
                )
                for node, _chain in nodes
                for k in range(5)
            ]
        )


def run(report) -> None:
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.investment.models import Activity, Lead, Project

    leader = report.user("领导")
    officer = User.objects.get(username="bench-investment-00")
    report.note(
        f"{Activity.objects.count()} activities, {Lead.objects.count()} leads, "
        f"{Project.objects.count()} projects"
    )
    lead = Lead.objects.filter(team__leader=officer).order_by("pk").first()
    project = Project.objects.filter(team__leader=officer).order_by("pk").first()
    year = timezone.localdate().year

    report.section("investment: leads and projects")
    report.time_url("lead list (officer)", "/investment/leads/", user=officer, target_ms=50)
    report.time_url("lead list (leadership)", "/investment/leads/", user=leader, target_ms=50)
    report.time_url(
        "lead list, judgement overdue",
        "/investment/leads/?clock=overdue",
        user=leader,
        target_ms=50,
    )
    report.time_url(
        "lead list, search", "/investment/leads/?q=%E5%9F%BA%E5%87%86", user=leader, target_ms=50
    )
    report.time_url("pool", "/investment/leads/pool/", user=officer, target_ms=50)
    if lead is not None:
        report.time_url("lead page", f"/investment/leads/{lead.pk}/", user=officer, target_ms=50)
    report.time_url("project list", "/investment/projects/", user=leader, target_ms=50)
    report.time_url(
        "project list, red", "/investment/projects/?red=true", user=leader, target_ms=50
    )
    if project is not None:
        report.time_url(
            "project page", f"/investment/projects/{project.pk}/", user=officer, target_ms=50
        )
    report.time_url("board", "/investment/projects/board/", user=leader, target_ms=100)
    report.time_url(
        "activity list", f"/investment/activities/?year={year}", user=leader, target_ms=50
    )
    report.time_url(
        "API lead list (50)", "/api/investment/leads/?page_size=50", user=leader, target_ms=20
    )
    report.time_url(
        "API project list (50)",
        "/api/investment/projects/?page_size=50",
        user=leader,
        target_ms=20,
    )

    report.section("investment: figures and reports")
    report.time_url(
        "indicators (2023)", "/investment/indicators/?year=2023", user=leader, target_ms=100
    )
    report.time_url(
        "ranking (2023)", "/investment/ranking/?year=2023&month=12", user=leader, target_ms=100
    )
    report.time_url(
        "bulletin (2023-12)",
        "/investment/bulletin/?year=2023&month=12",
        user=leader,
        target_ms=100,
    )
    report.time_url("chain map", "/investment/chains/", user=leader, target_ms=100)
    report.time_url("forecast", "/investment/projects/forecast/", user=leader, target_ms=100)
    report.time_url(
        "project ledger (print, all)",
        "/investment/projects/ledger/?print=1",
        user=leader,
        requests=5,
        warmups=1,
        target_ms=500,
    )
    report.time_url("home (team leader)", "/", user=officer, target_ms=100)
