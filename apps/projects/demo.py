"""Demo data for 项目台账: the seed's 24 projects under construction on 2023-11-30, each with its
liaison (12 liaison officers), annual plans, monthly reports from each start to the last
complete month, milestones and approvals; and the projects' life since (completed, in
production, one halted, new starts, two still being planned).

Projects are registered and moved through their status by the services. The approved history
is written in bulk with its events (submitted and approved on the month's due days) so that
`load_demo` stays quick; the latest two months go through REPORT_WORKFLOW: some submitted and
waiting for review, one returned, drafts, and a few missing (overdue); about ten of them carry a
generated site photo (PHOTO_EVERY) uploaded through photo_add. The 4 construction
disputes of 2023 become demands of these projects in apps/services/demo.py."""

import io
import random
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Department
from apps.accounts.roles import Role
from apps.core.figures import Period
from apps.enterprises.models import Enterprise, Park
from apps.projects import selectors, services
from apps.projects.models import (
    MonthlyReport,
    MonthlyReportEvent,
    Project,
)

SEED = 20231130
SEED_DAY = date(2023, 11, 30)
CENT = Decimal("0.01")

LIAISONS = [
    ("liaison", "赵磊"),
    ("liaison_qin", "秦海涛"),
    ("liaison_han", "韩雪"),
    ("liaison_feng", "冯建军"),
    ("liaison_zhu", "朱晓丽"),
    ("liaison_xu", "许文博"),
    ("liaison_lv", "吕婷"),
    ("liaison_shi", "施国华"),
    ("liaison_tang", "唐明"),
    ("liaison_luo", "罗佳"),
    ("liaison_gao", "高志强"),
    ("liaison_lin", "林慧"),
]
LEADERS = [("leader", "王建国"), ("leader_sun", "孙志刚"), ("leader_he", "何春林")]

# name, enterprise (a named one, or None: an enterprise of the park), park, level, total 万元,
# start (year, month), months of construction, pace (share of the plan actually done).
NAMED_PROJECTS = [
    ("化工园区碳综合利用项目", None, "现代化工园区", "provincial", 156000, (2022, 9), 40, 0.62),
    ("国家骨干冷链物流基地", None, "中原智慧冷链物流园", "provincial", 98000, (2022, 4), 44, 0.96),
    (
        "花溪科技智能农机产业园项目",
        "河南花溪科技股份有限公司",
        "装备制造园区",
        "city",
        42000,
        (2023, 3),
        26,
        1.0,
    ),
    (
        "天鑫新能源智能车间建设项目",
        "河南天鑫新能源科技有限公司",
        "装备制造园区",
        "county",
        12500,
        (2023, 2),
        14,
        0.98,
    ),
    (
        "澳美电气变压器“机器换人”技改项目",
        "新乡澳美电气有限公司",
        "装备制造园区",
        "county",
        6800,
        (2023, 5),
        12,
        0.78,
    ),
]
OTHER_NAMES = [
    ("年产20万吨可降解新材料项目", "现代化工园区", "city", 68000),
    ("精细化工中间体技改扩能项目", "精细化工园区", "county", 18600),
    ("电子级化学品生产线项目", "精细化工园区", "city", 35000),
    ("高端农机装备制造基地项目", "装备制造园区", "county", 26000),
    ("智能输变电设备产业园项目", "装备制造园区", "city", 48000),
    ("游乐设备智能制造项目", "装备制造园区", "general", 9600),
    ("冷链食品加工配送中心项目", "中原智慧冷链物流园", "county", 22000),
    ("医药冷链仓储项目", "中原智慧冷链物流园", "general", 8800),
    ("生物医药原料药项目", "精细化工园区", "city", 54000),
    ("氢能综合利用示范项目", "现代化工园区", "provincial", 72000),
    ("新能源电池材料项目", "现代化工园区", "city", 46000),
    ("智慧物流分拨中心项目", "中原智慧冷链物流园", "general", 7600),
    ("精密铸造产业化项目", "装备制造园区", "county", 15800),
    ("特种涂料生产线项目", "精细化工园区", "general", 5200),
    ("农机零部件配套产业园项目", "装备制造园区", "county", 13600),
    ("工业气体综合利用项目", "现代化工园区", "county", 21000),
    ("中药饮片加工项目", "精细化工园区", "general", 6300),
    ("标准化厂房（三期）项目", "装备制造园区", "county", 19800),
    ("冷链装备制造项目", "中原智慧冷链物流园", "county", 11200),
]
# Indexes in OTHER_NAMES of projects still under construction today.
STILL_BUILDING = {2, 8, 11, 14, 17}
# Not among the 24: started after the seed's day, or not started yet.
LATER = [
    ("年产5万台智能农机整机项目", "装备制造园区", "city", 38000, (2024, 4), 30),
    ("生物基材料中试基地项目", "现代化工园区", "county", 16500, (2025, 6), 24),
    ("数字化冷链云仓项目", "中原智慧冷链物流园", "general", 9200, None, 18),
    ("绿色化工循环利用项目", "现代化工园区", "city", 52000, None, 30),
]
MILESTONES = [
    ("基础施工完成", 0.15),
    ("主体结构封顶", 0.45),
    ("设备安装调试", 0.8),
    ("竣工验收", 1.0),
]


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _month_add(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _day(year: int, month: int, day: int = 15) -> date:
    return date(year, month, day)


def load(*, stdout) -> None:
    if Project.objects.filter(name=NAMED_PROJECTS[0][0]).exists():
        stdout.write("  projects: already loaded")
        return
    with transaction.atomic():
        counts = _load()
    stdout.write(
        "  projects: {projects} projects ({constructing} 在建 on 2023-11-30), {reports} monthly "
        "reports, {liaisons} liaisons".format(**counts)
    )


def _users():
    from apps.accounts.demo import ensure_user

    liaisons = [
        ensure_user(
            username=username,
            full_name=name,
            roles=[Role.LIAISON],
            department_code=Department.Code.SERVICE,
        )
        for username, name in LIAISONS
    ]
    leaders = [
        ensure_user(
            username=username,
            full_name=name,
            roles=[Role.LEADER],
            department_code=Department.Code.LEADERSHIP,
        )
        for username, name in LEADERS
    ]
    economy = ensure_user(
        username="economy",
        full_name="张伟",
        roles=[Role.ECONOMY],
        department_code=Department.Code.ECONOMY,
    )
    return liaisons, leaders, economy


def _specs(rng):
    """Each project's facts: the 24 of the seed, then the later ones."""
    specs = []
    for name, enterprise, park, level, total, start, months, pace in NAMED_PROJECTS:
        specs.append(
            {
                "name": name,
                "enterprise": enterprise,
                "park": park,
                "level": level,
                "total": total,
                "start": start,
                "months": months,
                "pace": pace,
            }
        )
    for index, (name, park, level, total) in enumerate(OTHER_NAMES):
        start = _month_add(2021, 6, rng.randint(0, 29))  # 2021-06 … 2023-11
        if index < 6:
            start = (2023, rng.randint(1, 11))  # new starts of 2023
        months = rng.randint(14, 42)
        # Every project of the 24 is still under construction on 2023-11-30.
        while _month_add(*start, months) <= (2023, 12):
            months += 6
        if index in STILL_BUILDING:
            # Big or slow ones still under construction today (to 2027).
            months = 2027 * 12 + rng.randint(2, 8) - (start[0] * 12 + start[1])
        pace = rng.choice([1.0, 1.0, 0.97, 0.92, 0.86, 0.8, 0.72, 1.02])
        specs.append(
            {
                "name": name,
                "enterprise": None,
                "park": park,
                "level": level,
                "total": total,
                "start": start,
                "months": months,
                "pace": pace,
            }
        )
    for name, park, level, total, start, months in LATER:
        specs.append(
            {
                "name": name,
                "enterprise": None,
                "park": park,
                "level": level,
                "total": total,
                "start": start,
                "months": months,
                "pace": 0.95,
                "later": True,
            }
        )
    return specs


def _load() -> dict:
    rng = random.Random(SEED)
    today = timezone.localdate()
    last = selectors.default_period(today)
    liaisons, leaders, economy = _users()
    parks = {park.name: park for park in Park.objects.all()}
    department = Department.objects.get(code=Department.Code.ECONOMY)
    by_park: dict[int, list[Enterprise]] = {}
    taken = set()
    for enterprise in Enterprise.objects.filter(status__in=["operating", "constructing"]).order_by(
        "-status", "id"
    ):
        by_park.setdefault(enterprise.park_id, []).append(enterprise)
    reports = 0
    constructing = 0
    specs = _specs(rng)
    for index, spec in enumerate(specs):
        park = parks[spec["park"]]
        if spec["enterprise"]:
            enterprise = Enterprise.objects.get(name=spec["enterprise"])
        else:
            enterprise = next(e for e in by_park[park.pk] if e.pk not in taken)
        taken.add(enterprise.pk)
        project = _project(
            rng,
            index,
            spec,
            enterprise,
            park,
            department,
            liaisons[index % len(liaisons)],
            leaders[index % len(leaders)],
            economy,
            today,
        )
        if project.actual_start is not None:
            reports += _history(rng, index, spec, project, economy, today, last)
            _milestones(rng, index, project, economy, today)
        _approvals(rng, index, project, economy)
        constructing += (
            Project.objects.filter(pk=project.pk).filter(selectors.constructing_q(SEED_DAY)).count()
        )
    return {
        "projects": len(specs),
        "constructing": constructing,
        "reports": reports,
        "liaisons": len(liaisons),
    }


def _project(rng, index, spec, enterprise, park, department, liaison, leader, economy, today):
    total = Decimal(spec["total"])
    start = spec["start"]
    months = spec["months"]
    if start is None:
        planned_start = _day(*_month_add(today.year, today.month, 4), 1)
    else:
        planned_start = _day(*_month_add(*start, -rng.choice([0, 0, 1, 2])), 1)
    planned_end = _day(*_month_add(planned_start.year, planned_start.month, months), 28)
    own = (total * Decimal("0.6")).quantize(CENT)
    loan = (total * Decimal("0.3")).quantize(CENT)
    government = (total * Decimal("0.05")).quantize(CENT) if spec["level"] != "general" else 0
    project = services.project_create(
        by=economy,
        name=spec["name"],
        enterprise=enterprise,
        level=spec["level"],
        chain=enterprise.chain,
        chain_node=None,
        park=park,
        location=_location(rng, park),
        content=_content(rng, spec["name"], total),
        capacity=rng.choice(
            ["年新增产值约5亿元", "年新增产值约2亿元", "新增就业300人", "年新增税收约3000万元"]
        ),
        total_investment=total,
        fund_own=own,
        fund_loan=loan,
        fund_government=government,
        fund_other=0,
        start_year=planned_start.year,
        end_year=planned_end.year,
        planned_start=planned_start,
        planned_completion=planned_end,
        prior_investment=0,
        leader=leader,
        department=department,
        liaison=liaison,
        owner_contact=rng.choice(["王经理", "李总", "张工", "刘主任", "陈经理"]),
        owner_phone=f"13{rng.randint(0, 9)}{rng.randrange(10**8):08d}",
        registered_on=None,
    )
    if start is None:
        if index % 2:
            project = services.project_advance(project=project, action="prepare", by=economy)
        return project
    started = _day(*start, rng.randint(3, 25))
    project = services.project_advance(
        project=project, action="start", by=economy, started_on=started, at=_at(started)
    )
    # 入库纳统 about three weeks after the start; two of the 24 were late (amber / red on
    # 2023-11-30), registered in December.
    registered = started + timedelta(days=rng.randint(12, 25))
    if index in (6, 11):
        registered = date(2023, 12, 18)
    if registered <= today:
        project = services.project_update(by=economy, project=project, registered_on=registered)
    end = _day(*_month_add(*start, months), rng.randint(5, 25))
    if index == 9 and today > date(2025, 5, 20):
        # One project halted since May 2025: the owner's funds.
        project = services.project_advance(
            project=project,
            action="halt",
            by=economy,
            reason="企业资金链紧张，暂缓建设",
            halted_on=date(2025, 5, 20),
            at=_at(date(2025, 5, 20)),
        )
        return project
    if end < today:
        project = services.project_advance(
            project=project, action="complete", by=economy, completed_on=end, at=_at(end)
        )
        produced = end + timedelta(days=rng.randint(30, 90))
        if produced < today:
            project = services.project_advance(
                project=project, action="produce", by=economy, at=_at(produced)
            )
            if produced + timedelta(days=365) < today and index % 3 == 0:
                project = services.project_advance(
                    project=project, action="reach_capacity", by=economy
                )
    return project


def _location(rng, park) -> str:
    road = rng.choice(["纬五路", "经三路", "纬八路", "经七路"])
    return f"{park.name}{road}以{rng.choice('东南西北')}"


def _content(rng, name, total) -> str:
    area = int(total / 3) // 100 * 100 + 2000
    lines = rng.randint(2, 6)
    return f"新建生产车间、仓库及配套设施，总建筑面积约{area}平方米，购置生产线{lines}条及配套设备"


def _weights(months: int) -> list[float]:
    """An S-shaped spend: slow start, busy middle, slow finish."""
    return [1 + 3 * (1 - abs(2 * (i + 0.5) / months - 1)) for i in range(months)]


def _history(rng, index, spec, project, economy, today, last: Period) -> int:
    """Plans per year and monthly reports from the start month to the last complete month."""
    start = (project.actual_start.year, project.actual_start.month)
    end = (
        (project.actual_completion.year, project.actual_completion.month)
        if project.actual_completion
        else _month_add(*start, spec["months"])
    )
    months = []
    cursor = start
    while cursor <= end:
        months.append(cursor)
        cursor = _month_add(*cursor, 1)
    weights = _weights(len(months))
    whole = sum(weights)
    # 95% of the total is spent during construction (the rest after completion).
    spend = Decimal(project.total_investment) * Decimal("0.95")
    planned = [(spend * Decimal(w / whole)).quantize(CENT, ROUND_DOWN) for w in weights]
    by_year: dict[int, list[Decimal]] = {}
    for (year, month), amount in zip(months, planned, strict=True):
        by_year.setdefault(year, [Decimal(0)] * 12)[month - 1] += amount
    for year, monthly in by_year.items():
        if year > today.year:
            continue
        services.plan_save(
            by=economy,
            project=project,
            year=year,
            planned=sum(monthly),
            is_key=project.level in ("provincial", "city"),
            monthly=monthly if index % 2 == 0 else None,
        )
    halted = project.halted_on
    recent = {(last.year, last.month), _month_add(last.year, last.month, -1)}
    rows, events = [], []
    for (year, month), amount in zip(months, planned, strict=True):
        if (year, month) > (last.year, last.month):
            break
        if halted and (year, month) > (halted.year, halted.month):
            break
        if index == 17 and (year, month) == (2023, 10):
            continue  # never filed: amber on 2023-11-30
        pace = spec["pace"] if year == 2023 else min(1.0, spec["pace"] + 0.15)
        invested = (amount * Decimal(str(pace * rng.uniform(0.9, 1.1)))).quantize(CENT)
        if (year, month) in recent:
            continue
        rows.append(
            MonthlyReport(
                project=project,
                year=year,
                month=month,
                invested=invested,
                progress=_progress(rng, (year, month), start, end),
                next_plan="按计划推进下一阶段施工",
                problems=_problem(rng, index, year, month),
                status=MonthlyReport.Status.APPROVED,
                written_by=project.liaison,
                submitted_at=_at(_day(*_month_add(year, month, 1), 4), 9),
                approved_at=_at(_day(*_month_add(year, month, 1), 8), 15),
                approved_by=economy,
            )
        )
    MonthlyReport.objects.bulk_create(rows, batch_size=500)
    services.month_figures_rebuild(project_ids=[project.pk])
    for report in rows:
        written = report.submitted_at - timedelta(days=2)
        events += [
            MonthlyReportEvent(
                report=report, action="create", to_status="draft", by=report.written_by, at=written
            ),
            MonthlyReportEvent(
                report=report,
                action="submit",
                from_status="draft",
                to_status="submitted",
                by=report.written_by,
                at=report.submitted_at,
            ),
            MonthlyReportEvent(
                report=report,
                action="approve",
                from_status="submitted",
                to_status="approved",
                by=economy,
                at=report.approved_at,
            ),
        ]
    MonthlyReportEvent.objects.bulk_create(events, batch_size=1000)
    return len(rows) + _recent(rng, index, project, economy, months, planned, last, halted)


def _recent(rng, index, project, economy, months, planned, last: Period, halted) -> int:
    """The last two months through the workflow: the older one approved (one returned, one
    missing), the latest submitted, drafted or not yet written."""
    older = last.shifted(-1)
    count = 0
    amounts = dict(zip(months, planned, strict=True))
    for period in (older, last):
        key = (period.year, period.month)
        if key not in amounts or (halted and key > (halted.year, halted.month)):
            continue
        if period == older and index % 9 == 4:
            continue  # missing: overdue
        if period == last and index % 4 == 3:
            continue  # not written yet
        report = services.report_save(
            by=project.liaison,
            project=project,
            year=period.year,
            month=period.month,
            invested=(amounts[key] * Decimal(str(rng.uniform(0.8, 1.05)))).quantize(CENT),
            progress=_progress(rng, key, months[0], months[-1]),
            next_plan="按计划推进下一阶段施工",
            problems="",
        )
        count += 1
        if index % PHOTO_EVERY == 0:
            services.photo_add(
                by=project.liaison,
                report=report,
                upload=site_photo(rng, f"{project.pk}-{period.code}.jpg"),
                caption=f"{period.code} 施工现场",
            )
        if period == last and index % 4 == 1:
            continue  # a draft
        report = services.report_transition(report=report, action="submit", by=project.liaison)
        if period == older:
            if index % 7 == 2:
                services.report_transition(
                    report=report,
                    action="return_report",
                    by=economy,
                    reason="本月完成投资与发票凭证不符，请核实后重新提交",
                )
            else:
                services.report_transition(report=report, action="approve", by=economy)
    return count


# One project in PHOTO_EVERY has a photo on each of its last two reports (about ten in all):
# enough for the ledger and the report pages to show them, few enough to keep load_demo fast.
PHOTO_EVERY = 6


def site_photo(rng, name: str):
    """A small generated JPEG of a building site (sky, ground, a frame of storeys and a crane),
    uploaded through photo_add like a liaison's photo (checked, re-encoded, thumbnailed, stored
    through Django's storage)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    width, height = 640, 480
    image = Image.new("RGB", (width, height), (150, 190, 230))
    draw = ImageDraw.Draw(image)
    ground = int(height * 0.7)
    draw.rectangle([0, ground, width, height], fill=(150, 120, 85))
    left = rng.randint(60, 220)
    storeys = rng.randint(3, 8)
    for storey in range(storeys):
        top = ground - (storey + 1) * 34
        draw.rectangle([left, top, left + 260, top + 30], outline=(90, 90, 90), width=4)
        for column in range(5):
            x = left + 10 + column * 52
            draw.rectangle([x, top + 6, x + 28, top + 24], fill=(200, 200, 195))
    mast = left + 300
    draw.line([mast, ground, mast, ground - 300], fill=(230, 180, 20), width=8)
    draw.line([mast - 120, ground - 290, mast + 160, ground - 290], fill=(230, 180, 20), width=6)
    stream = io.BytesIO()
    image.save(stream, "JPEG", quality=80)
    return SimpleUploadedFile(name, stream.getvalue(), content_type="image/jpeg")


PROGRESS = [
    "场地平整及基础开挖",
    "基础施工，桩基完成约{p}%",
    "主体结构施工，完成约{p}%",
    "主体结构封顶，开始墙体砌筑",
    "屋面及外立面施工",
    "设备基础施工，部分设备进场",
    "设备安装调试",
    "配套工程及室外管网施工",
    "竣工验收准备",
]


def _progress(rng, key, start, end) -> str:
    span = max(1, (end[0] - start[0]) * 12 + end[1] - start[1])
    done = ((key[0] - start[0]) * 12 + key[1] - start[1]) / span
    stage = PROGRESS[min(len(PROGRESS) - 1, int(done * len(PROGRESS)))]
    return stage.format(p=rng.randint(30, 90))


def _problem(rng, index, year, month) -> str:
    if index % 5 == 0 and month in (3, 8):
        return rng.choice(["施工用电增容手续待办理", "部分设备到货延迟", "周边群众阻工，需协调"])
    return ""


def _milestones(rng, index, project, economy, today):
    start = project.actual_start
    span = (project.planned_completion - start).days
    for name, share in MILESTONES:
        due = start + timedelta(days=int(span * share))
        done = due + timedelta(days=rng.randint(-10, 6))
        if index == 3 and name == "主体结构封顶":
            due, done = date(2023, 11, 25), date(2023, 12, 6)  # 5 days late on 2023-11-30
        if index == 12 and name == "设备安装调试":
            due, done = date(2023, 11, 10), date(2023, 12, 20)  # 20 days late: red
        if done > today or (project.actual_completion is None and share == 1.0):
            done = None
        services.milestone_save(
            by=economy,
            project=project,
            name=name,
            due_on=due,
            department=project.department,
            person=project.owner_contact,
            done_on=done,
            note="已按期完成" if done and done <= due else ("延期完成" if done else ""),
        )


def _approvals(rng, index, project, economy):
    from apps.projects.models import approval_kinds

    start = project.actual_start or project.planned_start
    for number, (code, _label) in enumerate(approval_kinds()):
        done = start - timedelta(days=120 - number * 15)
        if project.actual_start is None and (number > 2 or done > timezone.localdate()):
            services.approval_save(
                by=economy,
                project=project,
                kind=code,
                planned_on=start - timedelta(days=30 - number * 3),
            )
            continue
        if code == "energy" and index % 6 == 1:
            continue  # 能评 still open: shows among the open approvals
        services.approval_save(
            by=economy,
            project=project,
            kind=code,
            planned_on=done - timedelta(days=rng.randint(0, 20)),
            done_on=done,
            document_no=f"大善{code[:2].upper()}〔{done.year}〕{rng.randint(1, 99)}号",
            valid_until=done + timedelta(days=365 * 2)
            if code in ("filing", "land_preview")
            else None,
        )
