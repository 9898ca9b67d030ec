"""Demo registry: 620 enterprises (612 in the zone, 8 moved out), 131 in the 四上 lists
(77 规上工业), 10 strategic emerging, 15 valid 高企, 8 省级研发中心, the enterprises the seed
names, and monthly reports for 2022 and January–November 2023 that reproduce the seed exactly:

    截至2023年11月份，77家规上工业企业工业总产值49.86亿元；工业营业收入累计实现50.4亿元，同比增长12.04%

How the figures are built (exact Decimal arithmetic, remainders on the last row):
- 2023 YTD output 498,600 万元 and revenue 504,000 万元 are shared among the 77 members by
  random weights, then among their months by seasonal weights.
- 3 of the 77 entered the list in March 2023 and have no 2022 reports, so the growth rate is
  computed over the 74 comparable ones (同口径); their 2022 revenue is set to
  rev2023(comparable) / 1.1204 so the growth rounds to 12.04%.
- 6 of the 74 have output down 15–30% (the decline warning list); 5 enterprises left the
  规上工业 list in July 2023 and are excluded from November's figures although they reported.

The story goes on from the seed's day (2023-11-30) to the day the demo is loaded: monthly
reports through the last complete month (growing by some 8% a year, a handful of decliners each
year), enterprises settling and entering the 四上 lists each year, certificates renewed back to
back as they run out (a few lapse, new ones are issued each November). So the registry as of
2023-11-30 still counts the seed's 131 / 10 / 15 / 8, and today's counts are today's.
"""

import random
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django.db import transaction

from apps.accounts.models import Department
from apps.accounts.roles import Role
from apps.core.validators import CREDIT_CODE_ALPHABET, credit_code_check_character
from apps.enterprises.models import (
    ChainNode,
    Enterprise,
    IndustryChain,
    MonthlyStatistic,
    Park,
    Qualification,
    QualificationType,
    StatisticsMembership,
)

SEED = 20231130
# The day the seed report describes: the registry's counts as of this day are the seed's.
SEED_DAY = date(2023, 11, 30)
TOTAL_ENTERPRISES = 620
MOVED_OUT = 8
INDUSTRY_MEMBERS = 77
NEW_IN_2023 = 3
DECLINING = 6
LEFT_IN_2023 = 5
OTHER_FOUR_ABOVE = 131 - INDUSTRY_MEMBERS
STRATEGIC = 10
HIGH_TECH_VALID = 15
PROVINCIAL_RD = 8

OUTPUT_2023 = Decimal("498600")
REVENUE_2023 = Decimal("504000")
REVENUE_GROWTH = Decimal("1.1204")
FOUR = Decimal("0.0001")

# A typical output curve: slow January–February (Spring Festival), strong year end.
SEASON = [70, 75, 95, 98, 100, 102, 98, 100, 104, 106, 110, 120]

# The chain, the parks its enterprises sit in, and words for their names.
CHAIN_PROFILES = {
    "现代化工": (["现代化工园区", "精细化工园区"], ["化工", "新材料", "化学", "能源化工", "碳业"]),
    "装备制造": (["装备制造园区"], ["机械", "重工", "电气", "装备", "精密制造"]),
    "生物医药": (["精细化工园区"], ["药业", "生物科技", "医药化工", "制药"]),
    "冷链物流": (["中原智慧冷链物流园"], ["冷链物流", "供应链", "食品", "仓储"]),
    "农机装备": (["“中原农谷”农机装备制造专业园"], ["农机", "农业装备", "机械制造"]),
    "新能源": (["装备制造园区", "现代化工园区"], ["新能源", "储能科技", "光电"]),
    "游乐设施": (["游乐设施产业制造园"], ["游乐设备", "游艺机械", "文旅装备"]),
}
TRADE_NAMES = [
    "金穗",
    "华星",
    "恒达",
    "鑫源",
    "瑞丰",
    "宏图",
    "中原",
    "牧野",
    "卫辉",
    "丰泽",
    "博远",
    "天成",
    "汇通",
    "嘉禾",
    "润泽",
    "新科",
    "长城",
    "永盛",
    "佳和",
    "锦程",
    "联创",
    "豫北",
    "凯瑞",
    "华润",
    "东方",
    "盛世",
    "广源",
    "安泰",
    "同创",
    "启航",
    "众诚",
    "晨光",
    "德辉",
    "远航",
    "创新",
    "信达",
    "金鼎",
    "万通",
    "海川",
    "兴旺",
    "裕丰",
    "祥和",
    "鸿运",
    "卓越",
    "明德",
]
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志红玉兰海波鹏辉"
ROADS = ["纬一路", "纬三路", "纬五路", "经二路", "经四路", "发展大道", "创业路", "科技路"]

# The enterprises the seed names, with their facts.
NAMED = [
    {
        "name": "河南花溪科技股份有限公司",
        "chain": "农机装备",
        "park": "“中原农谷”农机装备制造专业园",
        "legal_representative": "王秀芳",
        "registered_capital": 12500,
        "listing_exchange": Enterprise.Exchange.BSE,
        "stock_code": "872895",
        "listed_on": date(2023, 4, 20),
        "is_strategic_emerging": True,
        "notes": "2023年4月在北交所上市，新乡市第一家北交所上市公司、北交所第一家上市农机企业",
        "qualifications": ["high_tech", "specialized_sme"],
    },
    {
        "name": "河南天鑫新能源科技有限公司",
        "chain": "新能源",
        "park": "装备制造园区",
        "legal_representative": "李建国",
        "is_strategic_emerging": True,
        "notes": "智能车间获批；与河南工学院共建大学生技能实训基地",
        "qualifications": ["smart_workshop", "high_tech"],
    },
    {
        "name": "新乡猎金科技有限公司",
        "chain": "装备制造",
        "park": "装备制造园区",
        "legal_representative": "张志红",
        "notes": "市级工程技术研究中心",
        "qualifications": ["city_engineering"],
    },
    {
        "name": "河南瀚之源生物科技有限公司",
        "chain": "生物医药",
        "park": "精细化工园区",
        "legal_representative": "刘海波",
        "notes": "市级工程技术研究中心",
        "qualifications": ["city_engineering"],
    },
    {
        "name": "河南航宏航空科技有限公司",
        "chain": "装备制造",
        "park": "装备制造园区",
        "legal_representative": "陈鹏",
        "notes": "市级工程技术研究中心",
        "qualifications": ["city_engineering"],
    },
    {
        "name": "新乡澳美电气有限公司",
        "chain": "装备制造",
        "park": "装备制造园区",
        "legal_representative": "杨立华",
        "notes": "变压器“机器换人”项目，申报市级专项资金",
        "qualifications": [],
    },
]

# 企业服务局 staff who are the enterprises' 包联干部, besides the `service` demo account.
LIAISON_STAFF = [
    ("service", "李敏"),
    ("service_wang", "王晓东"),
    ("service_zhao", "赵雪梅"),
    ("service_qian", "钱志远"),
]


def make_credit_code(n: int, *, prefix: str = "91410782") -> str:
    """A valid 统一社会信用代码: prefix, the number n in the code's alphabet, check character."""
    base = len(CREDIT_CODE_ALPHABET)
    body = ""
    for _position in range(17 - len(prefix)):
        body = CREDIT_CODE_ALPHABET[n % base] + body
        n //= base
    first17 = prefix + body
    return first17 + credit_code_check_character(first17)


def enterprise_names(rng: random.Random, count: int, taken: set[str]) -> list[tuple[str, str]]:
    """`count` unique (name, chain name) pairs, spread over the chains."""
    chains = list(CHAIN_PROFILES)
    names = []
    while len(names) < count:
        chain = chains[len(names) % len(chains)]
        words = CHAIN_PROFILES[chain][1]
        suffix = "股份有限公司" if rng.random() < 0.15 else "有限公司"
        place = rng.choice(["河南", "新乡", "大善", ""])
        name = f"{place}{rng.choice(TRADE_NAMES)}{rng.choice(words)}{suffix}"
        if name not in taken:
            taken.add(name)
            names.append((name, chain))
    return names


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def split_exact(total: Decimal, weights: list[float]) -> list[Decimal]:
    """Share `total` by weights to four decimals; the remainder goes on the last share."""
    whole = sum(weights)
    shares = [
        (total * Decimal(str(weight)) / Decimal(str(whole))).quantize(FOUR, ROUND_DOWN)
        for weight in weights[:-1]
    ]
    return [*shares, total - sum(shares, Decimal(0))]


def monthly_rows(
    enterprise: Enterprise,
    year: int,
    months: list[int],
    output: Decimal,
    revenue: Decimal,
    rng: random.Random,
) -> list[MonthlyStatistic]:
    weights = [SEASON[m - 1] * rng.uniform(0.9, 1.1) for m in months]
    outputs = split_exact(output, weights)
    revenues = split_exact(revenue, weights)
    employees = enterprise.employees or 50
    return [
        MonthlyStatistic(
            enterprise=enterprise,
            year=year,
            month=month,
            output_value=month_output,
            revenue=month_revenue,
            tax=(month_revenue * Decimal("0.035")).quantize(FOUR),
            employees=employees,
        )
        for month, month_output, month_revenue in zip(months, outputs, revenues, strict=True)
    ]


def load(*, stdout) -> None:
    if Enterprise.objects.filter(name=NAMED[0]["name"]).exists():
        stdout.write("  enterprises: already loaded")
        return
    with transaction.atomic():
        _load(stdout)


def _load(stdout) -> None:
    from apps.accounts.demo import ensure_user

    rng = random.Random(SEED)
    today = date.today()
    staff = [
        ensure_user(
            username=username,
            full_name=full_name,
            roles=[Role.SERVICE],
            department_code=Department.Code.SERVICE,
        )
        for username, full_name in LIAISON_STAFF
    ]
    parks = {park.name: park for park in Park.objects.all()}
    chains = {chain.name: chain for chain in IndustryChain.objects.all()}
    nodes: dict[int, list[ChainNode]] = {}
    for node in ChainNode.objects.order_by("chain_id", "position"):
        nodes.setdefault(node.chain_id, []).append(node)
    types = {qtype.code: qtype for qtype in QualificationType.objects.all()}

    taken = {spec["name"] for spec in NAMED}
    generated = enterprise_names(rng, TOTAL_ENTERPRISES - len(NAMED), taken)
    specs = [dict(spec) for spec in NAMED] + [
        {"name": name, "chain": chain} for name, chain in generated
    ]
    enterprises = [
        _enterprise(rng, index, spec, parks=parks, chains=chains, nodes=nodes, staff=staff)
        for index, spec in enumerate(specs)
    ]
    # The 规上工业 members are the first 77 (the named six among them), bigger than the rest.
    industry = enterprises[:INDUSTRY_MEMBERS]
    for enterprise in industry:
        enterprise.employees = rng.randint(120, 900)
    left = enterprises[INDUSTRY_MEMBERS : INDUSTRY_MEMBERS + LEFT_IN_2023]
    others = enterprises[INDUSTRY_MEMBERS + LEFT_IN_2023 :]
    other_four_above = others[:OTHER_FOUR_ABOVE]
    for enterprise in other_four_above:
        enterprise.chain = enterprise.chain_node = None
    for enterprise in others[-MOVED_OUT:]:
        enterprise.status = Enterprise.Status.MOVED_OUT
    for enterprise in others[OTHER_FOUR_ABOVE : OTHER_FOUR_ABOVE + 20]:
        enterprise.status = rng.choice(
            [Enterprise.Status.PREPARING, Enterprise.Status.CONSTRUCTING, Enterprise.Status.HALTED]
        )
    strategic = sum(enterprise.is_strategic_emerging for enterprise in enterprises)
    for enterprise in industry[len(NAMED) : len(NAMED) + STRATEGIC - strategic]:
        enterprise.is_strategic_emerging = True
    Enterprise.objects.bulk_create(enterprises, batch_size=500)

    _memberships(rng, industry, left, other_four_above)
    _qualifications(random.Random(SEED + 2), enterprises, types, today)
    annual = _statistics(rng, industry, left)
    # Operating enterprises outside the 四上 lists: where new members come from.
    outside = [
        enterprise
        for enterprise in others[OTHER_FOUR_ABOVE + 20 : -MOVED_OUT]
        if enterprise.status == Enterprise.Status.OPERATING
    ]
    settled = _since_the_seed(
        random.Random(SEED + 1),
        today,
        annual=annual,
        industry=industry,
        outside=outside,
        make=lambda rng, index, spec: _enterprise(
            rng, index, spec, parks=parks, chains=chains, nodes=nodes, staff=staff
        ),
        taken=taken,
    )
    year, month = last_complete_month(today)
    stdout.write(
        f"  {len(enterprises) + settled} enterprises, {INDUSTRY_MEMBERS} 规上工业 in 2023, "
        f"{MonthlyStatistic.objects.count()} monthly reports to {year}-{month:02d}"
    )


def _enterprise(rng, index, spec, *, parks, chains, nodes, staff) -> Enterprise:
    """One enterprise of the registry (not saved), from its spec: name and chain at least."""
    chain = chains[spec["chain"]]
    park_names = CHAIN_PROFILES[spec["chain"]][0]
    park = parks[spec.get("park") or rng.choice(park_names)]
    # Leave each chain's last (most downstream) node empty: the gaps investment targets.
    chain_nodes = nodes[chain.pk][:-1] or nodes[chain.pk]
    established = spec.get("established_on") or date(
        rng.randint(2005, 2021), rng.randint(1, 12), rng.randint(1, 28)
    )
    return Enterprise(
        name=spec["name"],
        credit_code=make_credit_code(100_000 + index * 7919),
        legal_representative=spec.get("legal_representative") or person_name(rng),
        registered_capital=Decimal(
            spec.get("registered_capital") or rng.choice([100, 200, 500, 1000, 2000, 5000, 10000])
        ),
        established_on=established,
        settled_on=spec.get("settled_on") or established + timedelta(days=rng.randint(30, 700)),
        park=park,
        chain=chain,
        chain_node=rng.choice(chain_nodes),
        address=f"大善县开发区{rng.choice(ROADS)}{rng.randint(1, 300)}号",
        contact_person=person_name(rng),
        contact_phone=mobile(rng),
        employees=rng.randint(8, 120),
        status=Enterprise.Status.OPERATING,
        responsible_staff=staff[index % len(staff)],
        is_strategic_emerging=spec.get("is_strategic_emerging", False),
        listing_exchange=spec.get("listing_exchange", ""),
        stock_code=spec.get("stock_code", ""),
        listed_on=spec.get("listed_on"),
        notes=spec.get("notes", ""),
    )


def _memberships(rng, industry, left, other_four_above) -> None:
    rows = []
    for index, enterprise in enumerate(industry):
        entered = (
            date(2023, 3, 1)
            if index >= INDUSTRY_MEMBERS - NEW_IN_2023
            else date(rng.randint(2012, 2021), 1, 1)
        )
        rows.append(
            StatisticsMembership(
                enterprise=enterprise,
                category=StatisticsMembership.Category.INDUSTRY,
                entered_on=entered,
            )
        )
    for enterprise in left:
        rows.append(
            StatisticsMembership(
                enterprise=enterprise,
                category=StatisticsMembership.Category.INDUSTRY,
                entered_on=date(2019, 1, 1),
                exited_on=date(2023, 7, 1),
                notes="2023年产值未达2000万元，年中退库",
            )
        )
    categories = [
        StatisticsMembership.Category.CONSTRUCTION,
        StatisticsMembership.Category.TRADE,
        StatisticsMembership.Category.SERVICES,
    ]
    for index, enterprise in enumerate(other_four_above):
        rows.append(
            StatisticsMembership(
                enterprise=enterprise,
                category=categories[index % len(categories)],
                entered_on=date(rng.randint(2015, 2022), 1, 1),
            )
        )
    StatisticsMembership.objects.bulk_create(rows)


def add_years(day: date, years: int) -> date:
    """The same day `years` later (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def last_complete_month(today: date) -> tuple[int, int]:
    """The newest month whose monthly reports are all in on `today`: the month before."""
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def certificate_chain(
    enterprise: Enterprise,
    qtype: QualificationType,
    first_issued: date,
    *,
    today: date,
    number,
    lapse_after: date | None = None,
) -> list[Qualification]:
    """A certificate and its renewals back to back (each issued the day after the previous one
    expires) until one is in force on `today`; with `lapse_after`, the one in force on that day
    is the last (the enterprise did not renew). `number(issued_on)` names each certificate."""
    rows = []
    issued = first_issued
    while issued <= today:
        expires = None
        if qtype.validity_years:
            expires = add_years(issued, qtype.validity_years) - timedelta(days=1)
        rows.append(
            Qualification(
                enterprise=enterprise,
                type=qtype,
                certificate_no=number(issued),
                issued_on=issued,
                expires_on=expires,
            )
        )
        if expires is None or expires >= today or (lapse_after and expires >= lapse_after):
            break
        issued = expires + timedelta(days=1)
    return rows


def first_issue_for_expiry(expiry: date, *, years: int, before: date) -> date:
    """The first issue date, on or before `before`, of a chain of `years`-year certificates
    whose certificate in force on the expiry day ends exactly on it."""
    issued = expiry + timedelta(days=1)
    while issued > before:
        issued = add_years(issued, -years)
    return issued


def _qualifications(rng, enterprises, types, today) -> None:
    """Certificates as a timeline: on SEED_DAY 15 enterprises hold a 高企 certificate in force
    and 8 a 省级研发中心; certificates with a validity are renewed as they run out, two 高企
    lapse after the seed's day, two new 高企 are certified each November since, and two of
    the chains fall due within 90 days of the load day (即将到期)."""
    rows = []
    serial = iter(range(1, 100_000))

    def chain(enterprise, code, first_issued, prefix, lapse_after=None):
        rows.extend(
            certificate_chain(
                enterprise,
                types[code],
                first_issued,
                today=today,
                number=lambda issued: f"{prefix}{issued.year}41{next(serial):06d}",
                lapse_after=lapse_after,
            )
        )

    named = {enterprise.name: enterprise for enterprise in enterprises[: len(NAMED)]}
    high_tech = []
    for spec in NAMED:
        for code in spec["qualifications"]:
            if code == "high_tech":
                high_tech.append(named[spec["name"]])
            elif types[code].validity_years is None:
                # Long-term certifications: the seed's approvals of October 2023.
                chain(named[spec["name"]], code, date(2023, 10, 20), code[:2].upper())
            else:
                chain(named[spec["name"]], code, date(2022, 8, 1), code[:2].upper())
    pool = enterprises[len(NAMED) : INDUSTRY_MEMBERS]
    high_tech += pool[: HIGH_TECH_VALID - len(high_tech)]
    for index, enterprise in enumerate(high_tech):
        if index < 2:
            expiry = today + timedelta(days=rng.randint(20, 80))
            first = first_issue_for_expiry(expiry, years=3, before=SEED_DAY)
        else:
            first = SEED_DAY - timedelta(days=rng.randint(20, 3 * 365 - 20))
        chain(enterprise, "high_tech", first, "GR", SEED_DAY if index in (5, 9) else None)
    # Certified in 2019 and not renewed: expired before the seed's day.
    for enterprise in pool[HIGH_TECH_VALID : HIGH_TECH_VALID + 4]:
        chain(enterprise, "high_tech", date(2019, 12, 3), "GR", date(2019, 12, 3))
    newcomers = iter(pool[60:])
    for year in range(SEED_DAY.year + 1, today.year + 1):
        for _pair in range(2):
            issued = date(year, 11, rng.randint(10, 25))
            enterprise = next(newcomers, None)
            if enterprise is not None and issued <= today:
                chain(enterprise, "high_tech", issued, "GR")
    for enterprise in pool[20 : 20 + PROVINCIAL_RD]:
        chain(enterprise, "provincial_rd", date(rng.randint(2016, 2022), 12, 1), "YF")
    if date(2025, 12, 1) <= today:
        chain(pool[28], "provincial_rd", date(2025, 12, 1), "YF")
    for enterprise in pool[30:34]:
        chain(enterprise, "city_engineering", date(2021, 11, 1), "GC")
    for enterprise in pool[34:37]:
        chain(enterprise, "smart_workshop", date(2022, 9, 1), "ZN")
    for enterprise in pool[40:52]:
        chain(enterprise, "specialized_sme", SEED_DAY - timedelta(days=rng.randint(30, 1000)), "ZJ")
    for index, enterprise in enumerate(enterprises[INDUSTRY_MEMBERS : INDUSTRY_MEMBERS + 30]):
        first = SEED_DAY - timedelta(days=rng.randint(10, 500))
        chain(enterprise, "tech_sme", first, "KJ", SEED_DAY if index % 5 == 4 else None)
    Qualification.objects.bulk_create(rows, batch_size=1000)


def _statistics(rng, industry, left) -> dict[Enterprise, tuple[Decimal, Decimal]]:
    comparable = industry[: INDUSTRY_MEMBERS - NEW_IN_2023]
    newcomers = industry[INDUSTRY_MEMBERS - NEW_IN_2023 :]
    weights = [rng.lognormvariate(0, 0.8) for _ in industry]
    ratios = [rng.uniform(0.92, 1.12) for _ in industry]
    outputs = split_exact(OUTPUT_2023, weights)
    revenues = split_exact(REVENUE_2023, [w * r for w, r in zip(weights, ratios, strict=True)])
    months_2023 = list(range(1, 12))
    rows = []
    for index, enterprise in enumerate(industry):
        months = months_2023 if enterprise not in newcomers else list(range(3, 12))
        rows += monthly_rows(enterprise, 2023, months, outputs[index], revenues[index], rng)

    # 2022: output growth per enterprise (the decliners fell by 15–30%); revenue scaled so the
    # comparable set's growth is exactly 12.04% after rounding.
    declining = set(range(10, 10 + DECLINING))
    output_growth = [
        rng.uniform(-0.30, -0.15) if index in declining else rng.uniform(-0.05, 0.25)
        for index in range(len(comparable))
    ]
    comparable_revenue = sum(revenues[: len(comparable)], Decimal(0))
    previous_revenue_total = (comparable_revenue / REVENUE_GROWTH).quantize(FOUR)
    previous_revenues = split_exact(
        previous_revenue_total,
        [
            float(revenues[index]) / (1 + output_growth[index] + rng.uniform(-0.03, 0.03))
            for index in range(len(comparable))
        ],
    )
    for index, enterprise in enumerate(comparable):
        previous_output = (outputs[index] / Decimal(str(1 + output_growth[index]))).quantize(FOUR)
        rows += monthly_rows(
            enterprise, 2022, months_2023, previous_output, previous_revenues[index], rng
        )
        december = (previous_output / 11 * Decimal("1.15")).quantize(FOUR)
        rows += monthly_rows(enterprise, 2022, [12], december, december, rng)
    # Enterprises that left the list mid-2023 reported until they left.
    for enterprise in left:
        base = Decimal(rng.randint(1500, 2500))
        rows += monthly_rows(enterprise, 2022, list(range(1, 13)), base, base, rng)
        third = (base / 3).quantize(FOUR)
        rows += monthly_rows(enterprise, 2023, list(range(1, 7)), third, third, rng)
    MonthlyStatistic.objects.bulk_create(rows, batch_size=1000)
    # Each member's 2023 as a whole year (output, revenue), where the years after start from:
    # January–November plus a December like 2022's, newcomers' months scaled to twelve.
    annual = {}
    for index, enterprise in enumerate(industry):
        months = 9 if enterprise in newcomers else 11
        scale = Decimal(12) / Decimal(months) if enterprise in newcomers else Decimal(1)
        december = Decimal("1.15") / 11
        annual[enterprise] = (
            (outputs[index] * scale * (1 + december)).quantize(FOUR),
            (revenues[index] * scale * (1 + december)).quantize(FOUR),
        )
    return annual


# Entries into (and exits from) the 四上 lists after the seed, each on 1 January: the
# statistics bureau's yearly review.
INDUSTRY_ENTRANTS_PER_YEAR = [4, 3, 3, 4]
OTHER_ENTRANTS_PER_YEAR = 2
INDUSTRY_EXITS = {2025: 2}
SETTLED_PER_YEAR = 8
DECLINERS_PER_YEAR = 6


def _months_of(year: int, last: tuple[int, int]) -> list[int]:
    if (year, 1) > last:
        return []
    return list(range(1, 13 if year < last[0] else last[1] + 1))


def _since_the_seed(rng, today, *, annual, industry, outside, make, taken) -> int:
    """From December 2023 to the load day: new enterprises settle, the 四上 lists change each
    January, and every 规上工业 member reports each month through the last complete one.
    Returns how many enterprises settled after the seed's day."""
    last = last_complete_month(today)
    category_cycle = [
        StatisticsMembership.Category.CONSTRUCTION,
        StatisticsMembership.Category.TRADE,
        StatisticsMembership.Category.SERVICES,
    ]
    # Enterprises that settle in the zone after the seed's day.
    newcomers = []
    for year in range(SEED_DAY.year + 1, today.year + 1):
        for name, chain in enterprise_names(rng, SETTLED_PER_YEAR, taken):
            settled = date(year, rng.randint(1, 12), rng.randint(1, 28))
            if settled > today:
                continue
            newcomers.append(
                make(
                    rng,
                    TOTAL_ENTERPRISES + len(newcomers),
                    {
                        "name": name,
                        "chain": chain,
                        "established_on": settled - timedelta(days=rng.randint(60, 400)),
                        "settled_on": settled,
                    },
                )
            )
    Enterprise.objects.bulk_create(newcomers)

    memberships, rows = [], []
    # The years each 规上工业 member reports: (first year, last year or None).
    years = dict.fromkeys(annual, (2023, None))
    base = dict(annual)  # enterprise -> its last full year's (output, revenue)
    candidates = iter(outside)
    exits = iter(industry[20:])
    for offset, year in enumerate(range(SEED_DAY.year + 1, today.year + 1)):
        january = date(year, 1, 1)
        for enterprise in [next(exits) for _exit in range(INDUSTRY_EXITS.get(year, 0))]:
            StatisticsMembership.objects.filter(
                enterprise=enterprise, exited_on__isnull=True
            ).update(exited_on=january, notes="上年产值未达2000万元，年初退库")
            years[enterprise] = (years[enterprise][0], year - 1)
        entrants = INDUSTRY_ENTRANTS_PER_YEAR[offset % len(INDUSTRY_ENTRANTS_PER_YEAR)]
        for _entrant in range(entrants):
            enterprise = next(candidates)
            enterprise.employees = rng.randint(120, 400)
            enterprise.save(update_fields=["employees"])
            memberships.append(
                StatisticsMembership(
                    enterprise=enterprise,
                    category=StatisticsMembership.Category.INDUSTRY,
                    entered_on=january,
                )
            )
            # A first year above the 2000万元 threshold.
            output = Decimal(rng.randint(2500, 6000))
            years[enterprise] = (year, None)
            base[enterprise] = (output, output * Decimal(str(round(rng.uniform(0.92, 1.1), 4))))
        for index in range(OTHER_ENTRANTS_PER_YEAR):
            memberships.append(
                StatisticsMembership(
                    enterprise=next(candidates),
                    category=category_cycle[(offset + index) % len(category_cycle)],
                    entered_on=january,
                )
            )
    StatisticsMembership.objects.bulk_create(memberships)

    # December 2023 completes the seed's year; then each year grows on the one before.
    if last >= (2023, 12):
        for enterprise, (output, revenue) in annual.items():
            rows += monthly_rows(
                enterprise,
                2023,
                [12],
                (output * SEASON[11] / sum(SEASON)).quantize(FOUR),
                (revenue * SEASON[11] / sum(SEASON)).quantize(FOUR),
                rng,
            )
    for year in range(SEED_DAY.year + 1, last[0] + 1):
        months = _months_of(year, last)
        share = Decimal(sum(SEASON[m - 1] for m in months)) / Decimal(sum(SEASON))
        members = [
            enterprise
            for enterprise, (first, final) in years.items()
            if first <= year and (final is None or final >= year)
        ]
        decliners = set(rng.sample(range(len(members)), DECLINERS_PER_YEAR))
        for index, enterprise in enumerate(members):
            output, revenue = base[enterprise]
            if years[enterprise][0] < year:
                growth = (
                    rng.uniform(-0.28, -0.13) if index in decliners else rng.uniform(-0.04, 0.22)
                )
                factor = Decimal(str(round(1 + growth, 4)))
                drift = Decimal(str(round(rng.uniform(0.97, 1.03), 4)))
                output, revenue = output * factor, revenue * factor * drift
                base[enterprise] = (output, revenue)
            rows += monthly_rows(
                enterprise,
                year,
                months,
                (output * share).quantize(FOUR),
                (revenue * share).quantize(FOUR),
                rng,
            )
    MonthlyStatistic.objects.bulk_create(rows, batch_size=1000)
    return len(newcomers)
