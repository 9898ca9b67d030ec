"""Demo data for 招商引资 (`manage.py load_demo`).

2023 reproduces the seed: 102 activities (72 receptions of investors, 24 outbound trips to
eleven provinces, a resident team in 上海, promotion meetings and fairs), 12 projects brought to
the inspection stage (考察) from that work, signed and landed projects, three lost with reasons.
Activity then goes on every month to today: receptions, trips, new leads and projects, and the
projects of 2023 and after move on through their stages to today (signed, built, in production,
lost or shelved), so that today's pipeline is mostly within its stages' time limits.
Every write goes through the services (dates are back-dated where the story needs it).
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone

from apps.accounts.models import Department
from apps.accounts.roles import Role
from apps.enterprises.demo import make_credit_code, mobile, person_name
from apps.enterprises.models import ChainNode
from apps.investment import services
from apps.investment.models import (
    Activity,
    AdmissionReview,
    Lead,
    LossReason,
    Signing,
    Team,
)

SEED = 20231130
STAFF = [
    ("investment", "陈静"),
    ("investment_li", "李航"),
    ("investment_sun", "孙浩然"),
    ("investment_guo", "郭佳"),
]
# Outbound trips of 2023: eleven provinces and cities, 24 trips.
TRIPS_2023 = [
    ("北京", "北京"),
    ("北京", "北京"),
    ("北京", "北京"),
    ("上海", "上海"),
    ("上海", "上海"),
    ("上海", "上海"),
    ("天津", "天津"),
    ("天津", "天津"),
    ("广东", "深圳"),
    ("广东", "广州"),
    ("广东", "东莞"),
    ("江苏", "苏州"),
    ("江苏", "南京"),
    ("江苏", "无锡"),
    ("浙江", "杭州"),
    ("浙江", "宁波"),
    ("四川", "成都"),
    ("四川", "成都"),
    ("安徽", "合肥"),
    ("安徽", "芜湖"),
    ("山东", "济南"),
    ("山东", "青岛"),
    ("湖北", "武汉"),
    ("福建", "厦门"),
]
RECEPTIONS_2023 = 72
COMPANY_WORDS = ["精工", "智造", "新材料", "生物", "化工", "装备", "冷链", "能源", "电气", "医药"]
TRADE = [
    "恒瑞",
    "中科",
    "华锐",
    "天成",
    "金泰",
    "联创",
    "博远",
    "宏达",
    "鼎盛",
    "瑞丰",
    "嘉誉",
    "正泰",
]
TRADE += ["同力", "海川", "远航", "中德", "鑫源", "凯盛", "万通", "东方", "卓越", "利民"]


def load(*, stdout) -> None:
    if Team.objects.filter(name="招商一组").exists():
        stdout.write("  investment: already loaded")
        return
    with transaction.atomic():
        counts = _load()
    stdout.write(
        "  investment: {activities} activities, {leads} leads, {projects} projects".format(**counts)
    )


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _load() -> dict:
    from apps.accounts.demo import ensure_user

    rng = random.Random(SEED)
    today = timezone.localdate()
    staff = [
        ensure_user(
            username=username,
            full_name=full_name,
            roles=[Role.INVESTMENT],
            department_code=Department.Code.INVESTMENT,
        )
        for username, full_name in STAFF
    ]
    lead_user, *others = staff
    local = Team.objects.create(name="招商一组", leader=lead_user)
    local.members.set(staff[:3])
    resident = Team.objects.create(
        name="驻上海招商小分队", kind=Team.Kind.RESIDENT, city="上海", leader=staff[2]
    )
    resident.members.set([staff[2], staff[3]])
    nodes = list(ChainNode.objects.select_related("chain"))
    reasons = list(LossReason.objects.all())

    investors = []
    names = set()

    def new_investor(province, city):
        while True:
            kind = rng.choice(["集团", "科技", "股份"])
            name = f"{rng.choice(TRADE)}{rng.choice(COMPANY_WORDS)}{kind}有限公司"
            if name not in names:
                names.add(name)
                break
        investor = services.investor_save(
            by=lead_user,
            name=name,
            credit_code=make_credit_code(5000 + len(investors), prefix="91110000"),
            province=province,
            city=city,
            tags=rng.choice(["", "上市", "专精特新", "500强", ""]),
            contact_name=person_name(rng),
            contact_title=rng.choice(["董事长", "总经理", "投资总监"]),
            contact_phone=mobile(rng),
        )
        investors.append(investor)
        return investor

    activities = []

    def activity(kind, day, *, days=0, province="", city="", team=None, who=None, title=""):
        who = who or rng.choice(staff)
        ends = min(day + timedelta(days=days), today)
        reported = ends + timedelta(days=rng.randint(3, 12))
        needs_report = kind == Activity.Kind.OUTBOUND
        item = services.activity_create(
            by=who,
            kind=kind,
            title=title or f"{Activity.Kind(kind).label} · {city or province}",
            starts_on=day,
            ends_on=ends,
            leading_official=rng.choice(["王建国", "刘振华", ""]),
            province=province,
            city=city,
            visitors="" if province else "",
            team=team,
            staff=[who],
            report="已形成考察报告，见附件。" if needs_report and reported <= today else "",
            reported_on=reported if needs_report and reported <= today else None,
        )
        activities.append(item)
        return item

    # --- 2023 ---------------------------------------------------------------------------------
    year = date(2023, 1, 1)
    trips = []
    for index, (province, city) in enumerate(TRIPS_2023):
        day = year + timedelta(days=8 + index * 14)
        trips.append(
            activity(Activity.Kind.OUTBOUND, day, days=3, province=province, city=city, team=local)
        )
    receptions = []
    for index in range(RECEPTIONS_2023):
        day = year + timedelta(days=5 + (index * 330) // RECEPTIONS_2023)
        receptions.append(
            activity(Activity.Kind.RECEPTION, day, title=f"接待客商来访（第 {index + 1} 批）")
        )
    activity(
        Activity.Kind.RESIDENT,
        date(2023, 3, 1),
        days=270,
        province="上海",
        city="上海",
        team=resident,
        who=staff[2],
        title="驻上海招商小分队驻地招商",
    )
    for index, day in enumerate([date(2023, 4, 18), date(2023, 6, 20), date(2023, 9, 12)]):
        activity(Activity.Kind.PROMOTION, day, title=f"大善开发区投资环境推介会（{index + 1}）")
    for day, city in [(date(2023, 5, 16), "郑州"), (date(2023, 10, 24), "上海")]:
        activity(
            Activity.Kind.FAIR,
            day,
            days=2,
            province="河南" if city == "郑州" else "上海",
            city=city,
            title=f"{city}投资贸易洽谈会",
        )

    projects = []

    def pipeline(source, day, *, stages, later=(), owner=None, team=local, signed=None):
        """A lead from an activity, a project, and the stages it went through (each ~3 weeks),
        then `later` ones: (action, days after `day` or a date), those up to today taken."""
        owner = owner or rng.choice([s for s in staff if team.members.filter(pk=s.pk).exists()])
        investor = new_investor(source.province or "江苏", source.city or "苏州")
        node = rng.choice(nodes)
        land = Decimal(rng.choice([30, 50, 80, 120, 200]))
        fixed = land * Decimal(rng.choice([300, 350, 420, 500]))
        lead = services.lead_create(
            by=owner,
            investor=investor,
            title=f"{investor.name[:4]}{node.name}项目",
            channel=Lead.Channel.EVENT,
            activity=source,
            chain_node=node,
            planned_investment=fixed * Decimal("1.3"),
            fixed_asset_investment=fixed,
            land_mu=land,
            team=team,
        )
        Lead.objects.filter(pk=lead.pk).update(
            reported_at=_at(day), claimed_at=_at(day), last_follow_up_on=day
        )
        services.lead_judge(by=team.leader, lead=lead, judgement=Lead.Judgement.FOLLOW)
        services.lead_follow_up(
            by=owner,
            lead=lead,
            on=day + timedelta(days=2),
            kind="call",
            note="电话沟通投资意向，约定来园区考察。",
            next_step="安排考察",
            next_on=day + timedelta(days=10),
        )
        project = services.project_create(by=owner, lead=lead, at=_at(day))
        schedule = []
        step = day
        for action in stages:
            step = min(step + timedelta(days=21), today)
            schedule.append((action, step))
        for action, when in later:
            on = when if isinstance(when, date) else day + timedelta(days=when)
            if on <= today:
                schedule.append((action, on))
        for action, step in schedule:
            inputs = {}
            if action == "sign":
                services.admission_review_create(
                    by=owner,
                    project=project,
                    reviewed_on=step - timedelta(days=5),
                    **dict.fromkeys(AdmissionReview.CHECK_ITEMS, True),
                    jobs=rng.randint(50, 400),
                    conclusion=AdmissionReview.Conclusion.PASSED,
                )
                amount = signed or fixed * Decimal("1.2")
                inputs = {
                    "kind": Signing.Kind.CONTRACT,
                    "amount": amount,
                    "signed_on": step,
                    "committed_start_on": step + timedelta(days=120),
                    "committed_production_on": step + timedelta(days=480),
                }
            elif action == "register":
                inputs = {
                    "enterprise_name": investor.name.replace("集团", "").replace("有限公司", "")
                    + "（大善）有限公司",
                    "credit_code": make_credit_code(7000 + len(projects), prefix="91410782"),
                }
            elif action == "start":
                inputs = {
                    "construction_permit_no": f"410782{step:%Y%m%d}0{len(projects):02d}",
                    "started_on": step,
                }
            elif action == "lose":
                inputs = {"loss_reason": rng.choice(reasons), "reason": "经多轮洽谈未能达成一致"}
            project = services.project_advance(
                project=project, action=action, by=owner, at=_at(step), **inputs
            )
            # Funds arrive at the signing (a tenth) and, from 2024, when building starts (three
            # tenths): 2023 keeps the funds the demo's 2023 targets were set on.
            share = {"sign": Decimal("0.1"), "start": Decimal("0.3")}.get(action)
            if action == "start" and step.year <= 2023:
                share = None
            if share:
                services.funds_arrival_create(
                    by=owner,
                    project=project,
                    month=step.replace(day=1),
                    fixed_assets=(project.contract_investment * share).quantize(Decimal("0.01")),
                    working_capital=Decimal("0"),
                    origin="province",
                )
        projects.append(project)
        return project

    # 12 projects brought to 考察 from 2023's receptions, still there at year end; since then
    # three were lost, one shelved then lost, one shelved and resumed lately, one left shelved
    # (red: a decision is due), five signed in 2024 and 2025 and one signed lately.
    inspected_later = [
        [("lose", 150)],
        [("lose", 170)],
        [("lose", 190)],
        [("shelve", 120), ("lose", 400)],
        [("shelve", 120), ("resume", today - timedelta(days=40))],
        [("submit_review", 240), ("sign", 260), ("register", 330), ("start", 450)]
        + [("produce", 830)],
        [("submit_review", 240), ("sign", 260), ("register", 330), ("start", 450)]
        + [("produce", 1000)],
        [("submit_review", 250), ("sign", 270), ("register", 340), ("start", 460)]
        + [("produce", 1050)],
        [("submit_review", 560), ("sign", 580), ("register", 650), ("start", 760)],
        [("submit_review", 560), ("sign", 580), ("register", 650), ("start", 760)],
        [("submit_review", today - timedelta(days=70)), ("sign", today - timedelta(days=50))],
        [("shelve", 150)],
    ]
    for index, later in enumerate(inspected_later):
        source = receptions[5 + index * 5]
        pipeline(source, source.starts_on, stages=["inspect"], later=later)
    # Signed in 2023, some landed and started; one in production. All went on since; one is
    # still building, past its stage's red line (a late project for the red list).
    signed_story = [
        (
            ["inspect", "submit_review", "sign"],
            [("register", 200), ("start", 330), ("produce", 900)],
        ),
        (
            ["inspect", "submit_review", "sign"],
            [("register", 260), ("start", 420), ("produce", 950)],
        ),
        (["inspect", "submit_review", "sign", "register"], [("start", 250), ("produce", 800)]),
        (["inspect", "submit_review", "sign", "register"], [("start", 300)]),
        (
            ["inspect", "submit_review", "sign", "register", "start"],
            [("produce", 500), ("reach_capacity", 1000)],
        ),
        (["inspect", "submit_review", "sign", "register", "start"], [("produce", 600)]),
        (
            ["inspect", "submit_review", "sign", "register", "start", "produce"],
            [("reach_capacity", 640)],
        ),
    ]
    for index, (stages, later) in enumerate(signed_story):
        big = Decimal("15000") if index < 3 else None
        trip = trips[index * 2]
        pipeline(trip, trip.starts_on, stages=stages, later=later, signed=big)
    # Lost with reasons.
    for index in range(3):
        pipeline(trips[16 + index], trips[16 + index].starts_on, stages=["inspect", "lose"])

    # --- 2024 to today ------------------------------------------------------------------------
    month = date(2024, 1, 1)
    provinces = list(TRIPS_2023)
    n = 0
    while month <= today:
        for k in range(5):
            day = month + timedelta(days=2 + k * 5)
            if day > today:
                break
            activity(Activity.Kind.RECEPTION, day, title=f"接待客商来访（{day:%Y-%m}-{k + 1}）")
        day = month + timedelta(days=12)
        if day <= today:
            province, city = provinces[n % len(provinces)]
            trip = activity(
                Activity.Kind.OUTBOUND, day, days=2, province=province, city=city, team=local
            )
            if n % 3 == 0 and day + timedelta(days=30) < today:
                # Every third trip brings a project: signed on the spot and building within
                # the year, or inspected, then lost or signed a few months on.
                if n % 2 == 0:
                    stages = ["inspect", "submit_review", "sign"]
                    later = [("register", 90), ("start", 200), ("produce", 620)]
                elif (n // 3) % 4 == 1:
                    stages, later = ["inspect"], [("lose", 100)]
                else:
                    stages = ["inspect"]
                    later = [("submit_review", 80), ("sign", 95), ("register", 170)]
                    later += [("start", 290), ("produce", 700)]
                pipeline(trip, day, stages=stages, later=later)
            n += 1
        month = (month + timedelta(days=32)).replace(day=1)
    _load_recent(staff=staff, local=local, resident=resident, new_investor=new_investor)
    return {
        "activities": len(activities),
        "leads": Lead.objects.count(),
        "projects": len(projects),
    }


# Annual targets of 招商一组 and the resident team (signings, contract investment and funds
# arrived in 万元), from 2023 to this year; together they make the zone's 2023 targets of the
# dashboard demo (8 signings, 20 亿元 contracted, 3 亿元 arrived), so the teams' shares add up.
TARGETS = {"招商一组": (6, 150000, 22000), "驻上海招商小分队": (2, 50000, 8000)}


def _load_recent(*, staff, local, resident, new_investor) -> None:
    """What the 招商 pages show today: annual targets for the 赛马榜, and fresh leads with
    their clocks running (one left for the leader to assign and overdue, one past its
    judgement clock, one just in)."""
    from apps.accounts.models import User

    today = timezone.localdate()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is not None:
        for year in range(2023, today.year + 1):
            for team in (local, resident):
                signings, contract, funds = TARGETS[team.name]
                services.annual_target_save(
                    by=admin,
                    team=team,
                    year=year,
                    signings=signings,
                    contract_investment=Decimal(contract),
                    funds=Decimal(funds),
                )
    lead_user, li, sun, guo = staff
    fresh = [
        (li, local, True, 6, "新能源电池回收项目"),
        (li, local, False, 8, "精密铸件扩产项目"),
        (guo, resident, False, 0, "长三角研发中心项目"),
    ]
    for who, team, to_pool, days_ago, title in fresh:
        lead = services.lead_create(
            by=who,
            investor=new_investor("上海" if team == resident else "浙江", "上海"),
            title=title,
            channel=Lead.Channel.REFERRER,
            referrer="商会秘书处",
            team=team,
            to_pool=to_pool,
        )
        reported = _at(today - timedelta(days=days_ago))
        Lead.objects.filter(pk=lead.pk).update(
            reported_at=reported,
            claimed_at=None if to_pool else reported,
            last_follow_up_on=today - timedelta(days=days_ago),
        )
    _load_chain_targets(lead_user)
    _load_forecast(today)
    _load_resident_reports(sun=sun, reviewer=lead_user, resident=resident, today=today)


# Target enterprises per chain node (the first node of each chain without zone enterprises gets
# 补链 targets; others 强链), and the leads tagged 延链.
TARGET_NAMES = ["华东某龙头企业", "珠三角某上市公司", "京津冀某专精特新企业"]


def _load_chain_targets(by) -> None:
    from apps.enterprises.models import ChainNode

    nodes = (
        ChainNode.objects.select_related("chain")
        .annotate(n=models.Count("enterprises"))
        .order_by("chain__sort_order", "chain_id", "position")
    )
    for index, node in enumerate(nodes):
        role = "fill" if node.n == 0 else "strengthen"
        for k, name in enumerate(TARGET_NAMES[: 1 + index % 2]):
            lead = (
                Lead.objects.filter(chain_node=node, merged=False).order_by("pk").first()
                if k == 0
                else None
            )
            services.chain_target_save(
                by=by,
                chain_node=node,
                name=f"{name}（{node.name}）",
                role=role,
                province=["江苏", "广东", "北京"][k],
                lead=lead,
                note="拟重点对接",
            )
    # Leads on the last node of each chain extend the chain downstream (延链).
    last_nodes = {}
    for node in nodes:
        last_nodes[node.chain_id] = node.pk
    Lead.objects.filter(chain_node__in=last_nodes.values()).update(chain_role="extend")


def _load_forecast(today) -> None:
    """Open projects before signing expect to sign within the next months (the forecast)."""
    from apps.investment.models import Project

    open_ = Project.objects.filter(status__in=("negotiating", "inspecting", "reviewing"))
    for index, project in enumerate(open_.order_by("pk")):
        month = (today.replace(day=1) + timedelta(days=32 * (1 + index % 6))).replace(day=1)
        Project.objects.filter(pk=project.pk).update(expected_signing_month=month)


def _load_resident_reports(*, sun, reviewer, resident, today) -> None:
    """The 上海 resident team's monthly reports for the last twelve months, reviewed."""
    month = today.replace(day=1)
    for back in range(12, 0, -1):
        start = month
        for _ in range(back):
            start = (start - timedelta(days=1)).replace(day=1)
        report = services.resident_report_create(
            by=sun,
            team=resident,
            month=start,
            people=2,
            days_on_site=18 + back % 5,
            visits=10 + (back * 3) % 9,
            destinations="浦东、嘉定、松江",
            work="走访长三角企业，对接研发中心和区域总部项目。",
        )
        if back > 1:
            services.RESIDENT_REPORT_WORKFLOW.perform(report, "accept", by=reviewer, comment="")
