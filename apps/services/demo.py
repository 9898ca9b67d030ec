"""Demo enterprise service, reproducing the seed report's figures:

- visits every week from the reform (June 2022) to the week of the load day, at two to four a
  week for each of the six 企业服务局 officers;
- 2023: 32 procedures completed for enterprises (手续办理 closed), 4 construction disputes
  resolved, and other demands, almost all followed up; the other years (2022's second half,
  2024 to two months before the load day) some 26 closed demands a year; now: demands waiting,
  in progress, overdue and escalated (dated relative to today, so they stay so whenever it is
  loaded);
- the 9 financial institutions at two matchmaking meetings organised by 县金融工作局; 12
  enterprises with loan letters of intent totalling 1.28 亿元;
- 6 high-tech applications under way; 猎金科技, 瀚之源 and 航宏航空 approved as city
  engineering centres and 天鑫新能源's smart workshop approved (the enterprises demo already
  holds those certificates, issued 2023-10-20, so the applications are recorded as approved on
  that date without issuing them twice); 澳美电气's application to the city fund submitted.

Every state change of a demand goes through the services, so each has its DemandEvent rows.
Idempotent: nothing is loaded when visits already exist.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.accounts.demo import ensure_user
from apps.accounts.models import Department, User
from apps.accounts.roles import Role
from apps.enterprises.models import Enterprise
from apps.projects.models import Project
from apps.projects.selectors import constructing_q
from apps.services import services
from apps.services.models import (
    Demand,
    DemandCategory,
    FinancialInstitution,
    FinancingNeed,
    LoanIntent,
    MatchmakingMeeting,
    PolicyApplication,
    PolicyProgramme,
    Visit,
)

SEED = 20231201

# 企业服务局 officers besides those the enterprises demo creates (service, service_wang,
# service_zhao, service_qian): six in all, the visit cadence is per officer.
EXTRA_STAFF = [("service_ma", "马丽娟"), ("service_he", "何文斌")]
SERVICE_USERNAMES = ["service", "service_wang", "service_zhao", "service_qian"] + [
    username for username, _name in EXTRA_STAFF
]

PURPOSES = [
    "了解企业生产经营情况",
    "宣讲惠企政策",
    "了解项目建设进度",
    "收集企业用工需求",
    "协调解决企业困难",
    "了解企业融资需求",
    "回访诉求办理情况",
]
FINDINGS = [
    "企业生产经营正常，订单饱满。",
    "一季度订单有所下降，企业正在开拓新市场。",
    "新生产线已投产，产能提升约两成。",
    "企业反映招工难，技术工人缺口较大。",
    "企业计划扩建厂房，正在办理前期手续。",
    "企业对营商环境评价较好。",
]
METHODS = [Visit.Method.ON_SITE] * 6 + [
    Visit.Method.PHONE,
    Visit.Method.MEETING,
    Visit.Method.ONLINE,
]

# category code → descriptions of 2023 demands
DEMAND_TEXTS = {
    "procedure": [
        "新建厂房办理施工许可证",
        "办理建设工程规划许可",
        "申请排污许可证变更",
        "办理消防设计审查",
        "办理不动产权证",
        "安全生产许可证延续",
        "项目备案信息变更",
        "办理竣工验收备案",
        "环评批复办理",
        "办理危险化学品经营许可",
    ],
    "construction_dispute": [
        "施工单位与周边村民因道路占用发生纠纷",
        "工程款结算纠纷影响施工进度",
        "施工噪音引发周边居民投诉",
        "土方运输与村民发生矛盾",
    ],
    "labour": ["招聘一线操作工 50 人", "缺少数控技术工人", "希望对接职业院校开展订单培养"],
    "utilities": ["厂区电压不稳影响生产", "申请天然气管网接入", "新厂房用水报装"],
    "financing": ["流动资金紧张，希望对接银行贷款", "设备更新需中长期贷款"],
    "land": ["扩建项目需新增用地 30 亩", "土地证办理遗留问题"],
    "policy": ["咨询高新技术企业认定条件", "咨询技改奖补申报流程"],
    "infrastructure": ["厂区门前道路破损", "园区路灯不亮", "雨污管网不通"],
}
RESOLUTIONS = {
    "procedure": "已协调行政审批局容缺受理，证照已办结并送达企业。",
    "construction_dispute": "会同镇村召开协调会，双方达成一致，施工恢复正常。",
    "labour": "已组织专场招聘会并对接职业院校，企业用工缺口基本解决。",
    "utilities": "已协调供电（水、气）公司完成整改。",
    "financing": "已推荐至合作银行，企业已获授信。",
    "land": "已纳入年度用地计划，正在办理供地手续。",
    "policy": "已上门讲解政策并辅导企业准备材料。",
    "infrastructure": "已安排维修，现场已恢复。",
}
# 2023 demands per category: how many, and the 2023 outcome figures they reproduce.
DEMANDS_2023 = {
    "procedure": 32,
    "construction_dispute": 4,
    "labour": 8,
    "utilities": 8,
    "financing": 5,
    "land": 3,
    "policy": 6,
    "infrastructure": 6,
}

# Demands a year outside 2023 (the reform's first half year, then 2024 on).
DEMANDS_PER_YEAR = {
    "procedure": 10,
    "construction_dispute": 1,
    "labour": 3,
    "utilities": 3,
    "financing": 2,
    "land": 1,
    "policy": 3,
    "infrastructure": 3,
}

LOANS = [
    # enterprise name part, institution index, amount 万元, meeting (0/1), status
    ("花溪科技", 0, 2000, 0, LoanIntent.Status.DISBURSED),
    ("天鑫新能源", 1, 1500, 0, LoanIntent.Status.DISBURSED),
    ("猎金科技", 2, 1000, 0, LoanIntent.Status.CREDITED),
    ("瀚之源", 3, 1200, 0, LoanIntent.Status.CREDITED),
    ("航宏航空", 4, 800, 0, LoanIntent.Status.REVIEWING),
    ("澳美电气", 5, 1000, 1, LoanIntent.Status.DISBURSED),
]
MORE_LOANS = [
    (6, 900, 1, LoanIntent.Status.REVIEWING),
    (7, 700, 1, LoanIntent.Status.CREDITED),
    (8, 1000, 1, LoanIntent.Status.INTENT),
    (0, 1200, 1, LoanIntent.Status.INTENT),
    (2, 600, 0, LoanIntent.Status.FAILED),
    (6, 900, 1, LoanIntent.Status.REVIEWING),
]


def load(*, stdout) -> None:
    if Visit.objects.exists():
        stdout.write("  services: already loaded")
        return
    with transaction.atomic():
        _load(stdout)


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


# The first full week after the selection round's appointments took effect (2022-06-15).
FIRST_WEEK = date(2022, 6, 20)


def _weeks(today: date) -> list[date]:
    """Mondays from the committee's first week after the reform to the week of today."""
    this_monday = today - timedelta(days=today.weekday())
    weeks = (this_monday - FIRST_WEEK).days // 7
    return [FIRST_WEEK + timedelta(weeks=week) for week in range(weeks + 1)]


def _load(stdout) -> None:
    rng = random.Random(SEED)
    today = timezone.localdate()
    for username, full_name in EXTRA_STAFF:
        ensure_user(
            username=username,
            full_name=full_name,
            roles=[Role.SERVICE],
            department_code=Department.Code.SERVICE,
        )
    users = {user.username: user for user in User.objects.filter(is_active=True)}
    officers = [users[name] for name in SERVICE_USERNAMES if name in users]
    enterprises = list(
        Enterprise.objects.exclude(status=Enterprise.Status.MOVED_OUT).order_by("id")
    )
    categories = {category.code: category for category in DemandCategory.objects.all()}

    visit_count = _visits(rng, today, officers, enterprises)
    demand_count = _demands(rng, today, officers, users, enterprises, categories)
    loan_total = _matchmaking(rng, enterprises)
    application_count = _applications(rng, users, enterprises)
    stdout.write(
        f"  {len(officers)} service officers, {visit_count} visits, {demand_count} demands, "
        f"loan intents {loan_total} 万元, {application_count} policy applications"
    )


def _visits(rng, today, officers, enterprises) -> int:
    """Visits without demands, in bulk: two to four a week for each officer."""
    # Visits lean towards the 规上 enterprises (the registry lists the named ones first).
    weighted = enterprises[:80] * 3 + enterprises
    visits, staff_rows = [], []
    for monday in _weeks(today):
        for officer in officers:
            for _ in range(rng.choice([2, 2, 3, 3, 4])):
                day = monday + timedelta(days=rng.randint(0, 4))
                if day > today:
                    day = today
                companion = rng.choice(officers) if rng.random() < 0.2 else None
                visit = Visit(
                    enterprise=rng.choice(weighted),
                    visited_on=day,
                    method=rng.choice(METHODS),
                    purpose=rng.choice(PURPOSES),
                    findings=rng.choice(FINDINGS),
                    created_by=officer,
                )
                visits.append(visit)
                staff_rows.append({officer, companion} - {None})
    Visit.objects.bulk_create(visits, batch_size=1000)
    through = Visit.staff.through
    through.objects.bulk_create(
        [
            through(visit_id=visit.pk, user_id=person.pk)
            for visit, people in zip(visits, staff_rows, strict=True)
            for person in people
        ],
        batch_size=2000,
    )
    return len(visits)


def _handler(users, officers, department_code: str, rng) -> User:
    if department_code == Department.Code.APPROVAL:
        return users["approval"]
    if department_code == Department.Code.ECONOMY:
        return users["economy"]
    return rng.choice(officers)


def _demands(rng, today, officers, users, enterprises, categories) -> int:
    count = 0
    # 2023: raised on a visit (or, for disputes, from project work), closed, followed up.
    plan = [code for code, n in DEMANDS_2023.items() for _ in range(n)]
    rng.shuffle(plan)
    for index, code in enumerate(plan):
        raised = date(2023, 1, 9) + timedelta(days=int(index * 330 / len(plan)))
        _closed_demand(rng, index, code, raised, officers, users, enterprises, categories)
        count += 1
    # The other years, up to two months before today: the same loop, at a steadier pace.
    for first, last in _other_years(today):
        plan = [code for code, n in DEMANDS_PER_YEAR.items() for _ in range(n)]
        rng.shuffle(plan)
        span = (last - first).days
        if span < 0:
            continue
        plan = plan[: max(1, len(plan) * span // 340)]
        for index, code in enumerate(plan):
            raised = first + timedelta(days=int(index * span / len(plan)))
            _closed_demand(rng, index, code, raised, officers, users, enterprises, categories)
            count += 1
    # Returned: out of the committee's remit.
    for text in ["要求协调与外地客户的合同纠纷", "个人劳动仲裁事项"]:
        raised = date(2023, 6, 12)
        officer = rng.choice(officers)
        demand = services.demand_create(
            enterprise=rng.choice(enterprises[:120]),
            source=Demand.Source.PHONE,
            category=categories["other"],
            description=text,
            raised_on=raised,
            by=officer,
            at=_at(raised, 11),
        )
        services.demand_return(
            demand=demand,
            by=rng.choice([o for o in officers if o != officer] or officers),
            reason="不属于管委会职责范围，已告知企业通过司法途径解决",
            at=_at(raised + timedelta(days=1), 9),
        )
        count += 1
    count += _open_demands(rng, today, officers, users, enterprises, categories)
    return count


def _other_years(today: date) -> list[tuple[date, date]]:
    """(first, last) raising days of the demo's closed demands outside 2023: from the reform's
    first weeks in 2022 to two months before today (what is newer is still open or recent)."""
    recent = today - timedelta(days=60)
    spans = [(date(2022, 7, 11), date(2022, 12, 20))]
    spans += [(date(year, 1, 9), date(year, 12, 20)) for year in range(2024, today.year + 1)]
    return [(first, min(last, recent)) for first, last in spans if first <= recent]


def _closed_demand(rng, index, code, raised, officers, users, enterprises, categories) -> None:
    """A demand raised on a visit (or, for disputes, from project work), accepted, closed and
    followed up; one in seventeen reopened once; one in eleven still waits for its follow-up."""
    liaison = users.get("liaison")
    constructing = [e for e in enterprises if e.status == Enterprise.Status.CONSTRUCTING]
    category = categories[code]
    officer = rng.choice(officers)
    text = rng.choice(DEMAND_TEXTS[code])
    if code == "construction_dispute" and liaison and constructing:
        # A dispute on a construction site is a problem of a project under construction then
        # (apps.projects' ledger), raised by its liaison.
        projects = list(
            Project.objects.filter(constructing_q(raised)).select_related("enterprise", "liaison")
        )
        project = rng.choice(projects) if projects else None
        demand = services.demand_create(
            enterprise=project.enterprise if project else rng.choice(constructing),
            project=project,
            source=Demand.Source.PROJECT,
            category=category,
            description=text,
            raised_on=raised,
            priority=Demand.Priority.HIGH,
            by=project.liaison if project else liaison,
            at=_at(raised, 10),
        )
    else:
        enterprise = rng.choice(enterprises[:120])
        visit = services.visit_create(
            enterprise=enterprise,
            visited_on=raised,
            staff=[officer],
            method=Visit.Method.ON_SITE,
            purpose=rng.choice(PURPOSES),
            findings=rng.choice(FINDINGS),
            demands=[services.DemandInput(category=category, description=text)],
            by=officer,
            at=_at(raised, 10),
        )
        demand = visit.demands.get()
    handler = _handler(users, officers, demand.department.code, rng)
    accepted = raised + timedelta(days=rng.randint(0, 2))
    services.demand_accept(demand=demand, by=handler, at=_at(accepted, 14))
    closed = accepted + timedelta(days=rng.randint(2, category.time_limit_days + 3))
    services.demand_close(
        demand=demand,
        by=handler,
        resolution=RESOLUTIONS[code],
        closed_on=closed,
        at=_at(closed, 16),
    )
    follow_up = closed + timedelta(days=rng.randint(2, 7))
    satisfaction = rng.choices(
        [Demand.Satisfaction.SATISFIED, Demand.Satisfaction.BASICALLY], weights=[4, 1]
    )[0]
    if index % 17 == 5:
        # One in seventeen was not solved the first time: reopened, then closed again.
        services.demand_follow_up(
            demand=demand,
            by=officer,
            satisfaction=Demand.Satisfaction.DISSATISFIED,
            comment="企业反映问题仍未彻底解决",
            at=_at(follow_up, 10),
        )
        closed = follow_up + timedelta(days=3)
        services.demand_close(
            demand=demand,
            by=handler,
            resolution=RESOLUTIONS[code] + "经再次协调已彻底解决。",
            closed_on=closed,
            at=_at(closed, 15),
        )
        follow_up = closed + timedelta(days=2)
    if index % 11 != 3:  # a few closed demands still wait for their follow-up call
        services.demand_follow_up(
            demand=demand,
            by=officer,
            satisfaction=satisfaction,
            comment="电话回访企业",
            at=_at(follow_up, 10),
        )


def _open_demands(rng, today, officers, users, enterprises, categories) -> int:
    """Demands still open today: (days ago raised, category, state)."""
    specs = [
        (1, "procedure", "pending"),
        (2, "utilities", "pending"),
        (3, "financing", "pending"),
        (1, "labour", "pending"),
        (5, "procedure", "in_progress"),
        (4, "land", "in_progress"),
        (6, "infrastructure", "in_progress"),
        (8, "policy", "in_progress"),
        (20, "procedure", "in_progress"),  # 15-day limit: overdue by 5
        (13, "utilities", "in_progress"),  # 10-day limit: overdue by 3
        (26, "labour", "pending"),  # 15-day limit: overdue by 11, escalated
        (40, "land", "in_progress"),  # 30-day limit: overdue by 10, escalated
        (9, "procedure", "reassigned"),
    ]
    named = list(enterprises[:6])
    for index, (days_ago, code, state) in enumerate(specs):
        raised = today - timedelta(days=days_ago)
        officer = officers[index % len(officers)]
        enterprise = named[index % len(named)] if index < 6 else rng.choice(enterprises[:120])
        visit = services.visit_create(
            enterprise=enterprise,
            visited_on=raised,
            staff=[officer],
            method=Visit.Method.ON_SITE,
            purpose="协调解决企业困难",
            findings=rng.choice(FINDINGS),
            demands=[
                services.DemandInput(
                    category=categories[code], description=rng.choice(DEMAND_TEXTS[code])
                )
            ],
            by=officer,
            at=_at(raised, 10),
        )
        demand = visit.demands.get()
        handler = _handler(users, officers, demand.department.code, rng)
        if state == "in_progress":
            services.demand_accept(
                demand=demand, by=handler, at=_at(raised + timedelta(days=1), 14)
            )
        elif state == "reassigned":
            services.demand_reassign(
                demand=demand,
                by=handler,
                department=Department.objects.get(code=Department.Code.ECONOMY),
                reason="涉及专项资金，由经济发展局办理",
                at=_at(raised + timedelta(days=1), 10),
            )
    return len(specs)


def _find(enterprises, part: str) -> Enterprise:
    return next(enterprise for enterprise in enterprises if part in enterprise.name)


def _matchmaking(rng, enterprises) -> Decimal:
    institutions = list(FinancialInstitution.objects.order_by("sort_order"))
    meetings = [
        MatchmakingMeeting.objects.create(
            title="大善县政银企融资对接会（第一期）",
            held_on=date(2023, 4, 18),
            organiser="县金融工作局",
            location="开发区管委会三楼会议室",
            notes="县金融工作局牵头，9 家金融机构参加",
        ),
        MatchmakingMeeting.objects.create(
            title="大善县政银企融资对接会（第二期）",
            held_on=date(2023, 9, 12),
            organiser="县金融工作局",
            location="开发区企业服务中心",
            notes="聚焦技术改造和设备更新融资",
        ),
    ]
    others = list(enterprises[6:80])
    rng.shuffle(others)
    rows = [(_find(enterprises, part), *rest) for part, *rest in LOANS]
    rows += [(others[index], *rest) for index, rest in enumerate(MORE_LOANS)]
    for meeting in meetings:
        meeting.institutions.set(institutions)
    meetings[0].enterprises.set([row[0] for row in rows if row[3] == 0] + others[10:18])
    meetings[1].enterprises.set([row[0] for row in rows if row[3] == 1] + others[18:24])
    needs, intents = [], []
    for enterprise, institution, amount, meeting, status in rows:
        amount = Decimal(amount)
        held_on = meetings[meeting].held_on
        needs.append(
            FinancingNeed(
                enterprise=enterprise,
                amount=amount + 200,
                purpose=rng.choice(["流动资金", "设备更新", "技术改造", "厂房扩建"]),
                raised_on=held_on - timedelta(days=20),
                meeting=meetings[meeting],
            )
        )
        credit = amount if status in ("credited", "disbursed") else None
        intents.append(
            LoanIntent(
                enterprise=enterprise,
                institution=institutions[institution],
                meeting=meetings[meeting],
                amount=amount,
                signed_on=held_on,
                status=status,
                credit_amount=credit,
                disbursed_amount=amount * Decimal("0.8") if status == "disbursed" else None,
                failure_reason="抵押物不足，银行未予授信" if status == "failed" else "",
            )
        )
    for enterprise in others[24:28]:
        needs.append(
            FinancingNeed(
                enterprise=enterprise,
                amount=Decimal(rng.choice([300, 500, 800])),
                purpose="流动资金",
                raised_on=date(2023, 10, 15),
            )
        )
    FinancingNeed.objects.bulk_create(needs)
    LoanIntent.objects.bulk_create(intents)
    return sum((intent.amount for intent in intents), Decimal(0))


def _applications(rng, users, enterprises) -> int:
    programmes = {programme.code: programme for programme in PolicyProgramme.objects.all()}
    helper = users["economy"]
    rows = []
    decided = date(2023, 10, 20)
    for part in ["猎金科技", "瀚之源", "航宏航空"]:
        rows.append((_find(enterprises, part), "city_engineering", "approved", decided, None))
    rows.append((_find(enterprises, "天鑫新能源"), "smart_workshop", "approved", decided, None))
    rows.append((_find(enterprises, "澳美电气"), "manufacturing_fund", "submitted", None, None))
    high_tech_holders = set(
        Enterprise.objects.filter(qualifications__type__code="high_tech").values_list(
            "pk", flat=True
        )
    )
    candidates = [e for e in enterprises[6:80] if e.pk not in high_tech_holders][:6]
    for index, enterprise in enumerate(candidates):
        rows.append((enterprise, "high_tech", "submitted" if index < 3 else "coaching", None, None))
    applications = []
    for enterprise, code, status, decided_on, amount in rows:
        started = date(2023, 3, 1) + timedelta(days=rng.randint(0, 60))
        submitted = None if status == "coaching" else started + timedelta(days=rng.randint(30, 90))
        applications.append(
            PolicyApplication(
                enterprise=enterprise,
                programme=programmes[code],
                year=2023,
                status=status,
                started_on=started,
                submitted_on=submitted,
                decided_on=decided_on,
                amount_granted=amount,
                notes="变压器“机器换人”项目" if code == "manufacturing_fund" else "",
            )
        )
    PolicyApplication.objects.bulk_create(applications)
    through = PolicyApplication.helpers.through
    service = users.get("service")
    through.objects.bulk_create(
        [
            through(policyapplication_id=application.pk, user_id=person.pk)
            for application in applications
            for person in {helper, service} - {None}
        ]
    )
    return len(applications)
