"""Demo data: the six bodies' positions, the June 2022 selection round that appointed 44 people,
leadership terms and contracts (renewed since, a few ending within 60 days of the load date),
annual appraisals within the 优秀 quota and their pay sheets for every year from 2022 to the
year before the load date (a year is appraised once it is over).

The whole set is keyed by the round's name: when the round exists, nothing is loaded again.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from apps.accounts.demo import ensure_user
from apps.accounts.models import Department, User
from apps.accounts.roles import Role
from apps.staff import services
from apps.staff.models import (
    Appointment,
    Grade,
    GradeRule,
    Position,
    RoundPosition,
    SalaryGrade,
    SelectionRound,
    StaffMember,
)
from apps.staff.validators import id_number_check_character

ROUND_NAME = "2022年开发区竞争上岗·双向选聘"
ROUND_START = date(2022, 5, 9)
ROUND_END = date(2022, 6, 10)
APPOINTMENT_START = date(2022, 6, 15)

SALARY_GRADES = [
    ("G1", "主任级", Decimal("6800.00"), Decimal("3200.00")),
    ("G2", "副主任级", Decimal("6200.00"), Decimal("2800.00")),
    ("G3", "局长级", Decimal("5600.00"), Decimal("2400.00")),
    ("G4", "副局长级", Decimal("5000.00"), Decimal("2000.00")),
    ("G5", "一般岗位", Decimal("4200.00"), Decimal("1500.00")),
]

L, M, G = Position.Kind.LEADERSHIP, Position.Kind.MIDDLE, Position.Kind.GENERAL
# (department, title, kind, headcount, salary grade, appointed in the round)
POSITIONS = [
    ("leadership", "党工委书记", L, 1, "G1", 1),
    ("leadership", "管委会主任", L, 1, "G1", 1),
    ("leadership", "管委会副主任", L, 3, "G2", 3),
    ("office", "党政办主任", M, 1, "G3", 1),
    ("office", "党政办副主任", M, 1, "G4", 1),
    ("office", "综合文秘岗", G, 3, "G5", 2),
    ("office", "人事薪酬岗", G, 1, "G5", 1),
    ("office", "财务岗", G, 2, "G5", 2),
    ("economy", "经济发展局局长", M, 1, "G3", 1),
    ("economy", "经济发展局副局长", M, 1, "G4", 1),
    ("economy", "经济运行统计岗", G, 2, "G5", 2),
    ("economy", "科技与政策服务岗", G, 2, "G5", 2),
    ("economy", "金融服务岗", G, 1, "G5", 1),
    ("investment", "招商局局长", M, 1, "G3", 1),
    ("investment", "招商局副局长", M, 2, "G4", 2),
    ("investment", "招商专员", G, 6, "G5", 5),
    ("service", "企业服务局局长", M, 1, "G3", 1),
    ("service", "企业服务局副局长", M, 1, "G4", 1),
    ("service", "企业服务专员", G, 5, "G5", 5),
    ("service", "项目联络岗", G, 3, "G5", 3),
    ("approval", "行政审批局局长", M, 1, "G3", 1),
    ("approval", "行政审批局副局长", M, 1, "G4", 1),
    ("approval", "审批服务岗", G, 4, "G5", 3),
    ("approval", "帮办代办岗", G, 2, "G5", 2),
]

# Demo accounts that are also appointed staff: username -> (position title, is male).
ACCOUNT_HOLDERS = {
    "leader": ("管委会主任", True),
    "hr": ("人事薪酬岗", False),
    "service": ("企业服务专员", False),
    "economy": ("经济运行统计岗", True),
    "investment": ("招商专员", False),
    "approval": ("审批服务岗", True),
    "liaison": ("项目联络岗", True),
}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力鹏飞宇晨欣悦浩然志远"
# Days from the load date to the end of the few contracts that end soon (7, 30, 60-day buckets).
ENDING_SOON_DAYS = [5, 21, 44, 58]


def _id_number(rng: random.Random, birth: date, male: bool) -> str:
    region = rng.choice(["410724", "410782", "410721", "410702"])
    sequence = rng.randrange(0, 499) * 2 + (1 if male else 0)
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_number_check_character(first17)


def _people(rng: random.Random, count: int, taken: set[str]) -> list[dict]:
    people = []
    while len(people) < count:
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
        if name in taken:
            continue
        taken.add(name)
        male = rng.random() < 0.55
        birth = date(rng.randint(1968, 1998), rng.randint(1, 12), rng.randint(1, 28))
        people.append(
            {
                "name": name,
                "gender": StaffMember.Gender.MALE if male else StaffMember.Gender.FEMALE,
                "birth_date": birth,
                "id_number": _id_number(rng, birth, male),
                "phone": f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
                "education": rng.choice(
                    [
                        StaffMember.Education.MASTER,
                        StaffMember.Education.BACHELOR,
                        StaffMember.Education.BACHELOR,
                        StaffMember.Education.BACHELOR,
                        StaffMember.Education.COLLEGE,
                    ]
                ),
                "former_status": rng.choice(
                    [
                        StaffMember.FormerStatus.CIVIL,
                        StaffMember.FormerStatus.INSTITUTION,
                        StaffMember.FormerStatus.INSTITUTION,
                        StaffMember.FormerStatus.NON_ESTABLISHMENT,
                        StaffMember.FormerStatus.RECRUITED,
                    ]
                ),
            }
        )
    return people


def _positions() -> dict[str, Position]:
    grades = {}
    for order, (code, name, base, performance) in enumerate(SALARY_GRADES):
        grades[code], _created = SalaryGrade.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "base_pay": base,
                "performance_base": performance,
                "sort_order": order,
            },
        )
    departments = {d.code: d for d in Department.objects.all()}
    positions = {}
    for order, (department, title, kind, headcount, grade, _appointed) in enumerate(POSITIONS):
        positions[title], _created = Position.objects.get_or_create(
            department=departments[department],
            title=title,
            defaults={
                "kind": kind,
                "headcount": headcount,
                "salary_grade": grades[grade],
                "sort_order": order,
            },
        )
    return positions


def _round(rng: random.Random, positions: dict[str, Position], hr: User) -> SelectionRound:
    selection = SelectionRound.objects.create(
        name=ROUND_NAME,
        start_date=ROUND_START,
        end_date=ROUND_END,
        appointment_start=APPOINTMENT_START,
        contract_years=3,
        weight_written=Decimal("0.40"),
        weight_interview=Decimal("0.40"),
        weight_democratic=Decimal("0.20"),
    )
    offers = {
        title: RoundPosition.objects.create(
            round=selection, position=positions[title], vacancies=headcount
        )
        for _d, title, _k, headcount, _g, _a in POSITIONS
    }
    taken: set[str] = set()
    accounts = {username: User.objects.get(username=username) for username in ACCOUNT_HOLDERS}
    taken.update(user.full_name for user in accounts.values())
    intended = [title for _d, title, _k, _h, _g, appointed in POSITIONS for _i in range(appointed)]
    people = _people(rng, len(intended) + 8, taken)
    # The account holders take the first seat of their position.
    for username, (title, male) in ACCOUNT_HOLDERS.items():
        index = next(i for i, t in enumerate(intended) if t == title and "user" not in people[i])
        person = people[index]
        person["name"] = accounts[username].full_name
        person["user"] = accounts[username]
        person["gender"] = StaffMember.Gender.MALE if male else StaffMember.Gender.FEMALE
        person["id_number"] = _id_number(rng, person["birth_date"], male)
    full = [title for title, offer in offers.items() if _seats(title) == offer.vacancies]
    # Only general positions are aimed lower, so the higher aims never take each other's seat.
    full_higher = [title for title in full if positions[title].kind != G]
    for index, person in enumerate(people):
        member = StaffMember.objects.create(**person)
        if index < len(intended):
            title = intended[index]
            # Every sixth appointee first aimed higher (a full position), placed by preference two.
            aimed_higher = index % 6 == 5 and positions[title].kind == G
            first = rng.choice(full_higher) if aimed_higher else title
            second = title if aimed_higher else None
            scores = [rng.randint(78, 96) for _s in range(3)]
            if aimed_higher:
                scores = [rng.randint(70, 77) for _s in range(3)]
        else:
            # Applicants who were not appointed: they chose full positions and scored lower.
            first, second = rng.sample(full, 2)
            scores = [rng.randint(55, 69) for _s in range(3)]
        candidate = services.candidate_apply(
            round=selection,
            staff=member,
            first_choice=offers[first],
            second_choice=offers[second] if second else None,
            by=hr,
        )
        services.candidate_score(
            candidate=candidate,
            written=Decimal(scores[0]),
            interview=Decimal(scores[1]),
            democratic=Decimal(scores[2]),
            by=hr,
        )
    services.round_compute(round=selection, by=hr)
    return selection


def _seats(title: str) -> int:
    return next(appointed for _d, t, _k, _h, _g, appointed in POSITIONS if t == title)


def _renew_to_today(appointment: Appointment, *, today: date, target_end: date | None, hr: User):
    """Renew each contract as it ran out, so that the chain reaches today; contracts with a
    target end (the ones ending soon) take it when it is one to three years away."""
    current = appointment
    while current.end_date < today:
        start = current.end_date + timedelta(days=1)
        end = None
        if target_end and services.term_end(start, 1) <= target_end <= services.term_end(start, 3):
            end = target_end
        current = services.appointment_renew(
            appointment=current,
            end_date=end,
            years=3,
            override_reason="年度考核不称职，经党政联席会议研究同意续聘一年观察期",
            by=hr,
            today=today,
        )
    return current


def _slipping(appointments: list[Appointment]) -> Appointment:
    return [a for a in appointments if a.position.title == "招商专员"][-1]


def appraised_years(today: date) -> range:
    """The years appraised by `today`: from the round's year to the last full year."""
    return range(APPOINTMENT_START.year, today.year)


def _appraisals(
    rng: random.Random, appointments: list[Appointment], hr: User, years: range
) -> None:
    rules = dict(GradeRule.objects.values_list("grade", "max_share"))
    by_department: dict[int, list[Appointment]] = {}
    for appointment in appointments:
        by_department.setdefault(appointment.position.department_id, []).append(appointment)
    # One person (an 招商专员) slips two years running: flagged for review, renewal blocked.
    slipping = _slipping(appointments).staff
    for year in years:
        for people in by_department.values():
            excellent = int(len(people) * (rules[Grade.EXCELLENT] or 0))
            ordered = sorted(people, key=lambda a: rng.random())
            for index, appointment in enumerate(ordered):
                staff = appointment.staff
                if staff == slipping and year in (2022, 2023):
                    grade = Grade.BASIC if year == 2022 else Grade.INCOMPETENT
                elif index < excellent:
                    grade = Grade.EXCELLENT
                elif year % 2 == 1 and index == len(ordered) - 1 and len(ordered) > 6:
                    # Every other year, so nobody else is flagged twice running.
                    grade = Grade.BASIC
                else:
                    grade = Grade.COMPETENT
                low, high = {
                    Grade.EXCELLENT: (92, 98),
                    Grade.COMPETENT: (80, 91),
                    Grade.BASIC: (65, 79),
                    Grade.INCOMPETENT: (50, 64),
                }[grade]
                services.appraisal_record(
                    staff=staff,
                    year=year,
                    quarter=0,
                    score=Decimal(rng.randint(low, high)),
                    grade=grade,
                    comments="",
                    by=hr,
                )


def load(*, stdout) -> None:
    if SelectionRound.objects.filter(name=ROUND_NAME).exists():
        stdout.write("  staff: already loaded")
        return
    rng = random.Random(20220615)
    today = timezone.localdate()
    hr = ensure_user(
        username="hr",
        full_name="孙丽",
        roles=[Role.HR],
        department_code=Department.Code.OFFICE,
        is_staff=True,
    )
    positions = _positions()
    selection = _round(rng, positions, hr)
    first_contracts = services.round_confirm(round=selection, by=hr, today=today)
    # The people whose latest contract ends soon: general staff, the slipping one among them.
    general = [a for a in first_contracts if a.position.kind == G]
    soon = {
        a.pk: today + timedelta(days=days)
        for a, days in zip(general[3::7][:4], ENDING_SOON_DAYS, strict=True)
    }
    slipping = _slipping(first_contracts)
    soon.setdefault(slipping.pk, today + timedelta(days=ENDING_SOON_DAYS[-1]))
    years = appraised_years(today)
    _appraisals(rng, first_contracts, hr, years)
    for appointment in first_contracts:
        _renew_to_today(appointment, today=today, target_end=soon.get(appointment.pk), hr=hr)
    for year in years:
        for department in Department.objects.all():
            services.pay_sheet_generate(department=department, year=year, quarter=0, by=hr)
    stdout.write(
        f"  staff: {len(positions)} positions, {selection.candidates.count()} candidates, "
        f"{len(first_contracts)} appointed, appraisals and pay sheets {years[0]}–{years[-1]}"
    )
