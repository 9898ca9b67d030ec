"""The enterprise registry at ten times the seed: 6,000 enterprises, 770 规上工业 members,
five years (2019–2023) of monthly reports for every enterprise (360,000 rows)."""

from datetime import date
from decimal import Decimal

SCALE = 10
ENTERPRISES = 600 * SCALE
INDUSTRY = 77 * SCALE
OTHER_FOUR_ABOVE = 54 * SCALE
YEARS = range(2019, 2024)


def entered_on(index: int) -> date:
    """The day the index-th 规上工业 member entered the list: one in ten in the middle of a year
    (2020–2023; the list is revised every month), the others before the bench's years."""
    return date(2020 + index // 10 % 4, 7, 1) if index % 10 == 0 else date(2018, 1, 1)


def _enter_some_mid_year(StatisticsMembership) -> None:
    """A database built before the mid-year members existed gets them (the rest is kept)."""
    members = StatisticsMembership.objects.filter(category="industry").order_by("enterprise_id")
    if members.exclude(entered_on=date(2018, 1, 1)).exists():
        return
    changed = []
    for index, membership in enumerate(members):
        if membership.entered_on != entered_on(index):
            membership.entered_on = entered_on(index)
            changed.append(membership)
    StatisticsMembership.objects.bulk_update(changed, ["entered_on"])
    # bulk_update sends no signals: the figures kept under the old memberships are forgotten.
    from apps.core import figures

    figures.invalidate("enterprises")


def build(ctx) -> None:
    from django.db import transaction
    from django.utils import timezone

    from apps.enterprises.demo import CHAIN_PROFILES, TRADE_NAMES, make_credit_code, mobile
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

    if MonthlyStatistic.objects.count() >= ENTERPRISES * len(YEARS) * 12:
        _enter_some_mid_year(StatisticsMembership)
        return
    if Enterprise.objects.exists():
        # Other modules' data points at these enterprises: rebuild from an empty database.
        raise SystemExit(
            "zone_portal_bench holds enterprises but not the expected monthly reports; "
            "drop it (dropdb zone_portal_bench) and run the bench again to rebuild."
        )
    rng = ctx.rng
    with transaction.atomic():
        parks = {park.name: park for park in Park.objects.all()}
        chains = list(IndustryChain.objects.all())
        nodes = {}
        for node in ChainNode.objects.all():
            nodes.setdefault(node.chain_id, []).append(node)
        enterprises = []
        for index in range(ENTERPRISES):
            chain = chains[index % len(chains)]
            park_names, words = CHAIN_PROFILES.get(chain.name, (list(parks), ["科技"]))
            enterprises.append(
                Enterprise(
                    name=f"{rng.choice(TRADE_NAMES)}{rng.choice(words)}{index:04d}有限公司",
                    credit_code=make_credit_code(5_000_000 + index * 7919, prefix="91410799"),
                    legal_representative=rng.choice("王李张刘陈杨赵黄周吴")
                    + rng.choice("伟芳敏静丽强磊军"),
                    registered_capital=Decimal(rng.choice([100, 500, 1000, 5000])),
                    established_on=date(rng.randint(2000, 2021), rng.randint(1, 12), 1),
                    park=parks[rng.choice(park_names)],
                    chain=chain,
                    chain_node=rng.choice(nodes[chain.pk]),
                    contact_phone=mobile(rng),
                    employees=rng.randint(5, 900),
                    is_strategic_emerging=index % 60 == 0,
                )
            )
        Enterprise.objects.bulk_create(enterprises, batch_size=2000)
        memberships = [
            StatisticsMembership(
                enterprise=enterprise, category="industry", entered_on=entered_on(index)
            )
            for index, enterprise in enumerate(enterprises[:INDUSTRY])
        ] + [
            StatisticsMembership(
                enterprise=enterprise,
                category=["construction", "trade", "services"][index % 3],
                entered_on=date(2018, 1, 1),
            )
            for index, enterprise in enumerate(enterprises[INDUSTRY : INDUSTRY + OTHER_FOUR_ABOVE])
        ]
        StatisticsMembership.objects.bulk_create(memberships, batch_size=2000)
        types = list(QualificationType.objects.all())
        Qualification.objects.bulk_create(
            [
                Qualification(
                    enterprise=enterprise,
                    type=types[index % len(types)],
                    certificate_no=f"B{index:06d}",
                    issued_on=date(2022, 1, 1),
                )
                for index, enterprise in enumerate(enterprises[: 3 * INDUSTRY])
            ],
            batch_size=2000,
        )
        now = timezone.now().isoformat()

        def rows():
            for enterprise in enterprises:
                base = rng.uniform(50, 5000)
                growth = rng.uniform(0.0, 0.12)
                # As in the demo, a few enterprises (about 1 in 12) fall sharply in 2023.
                shock = rng.uniform(0.7, 0.88) if rng.random() < 0.08 else 1.0
                for year in YEARS:
                    trend = (1 + growth) ** (year - 2019) * (shock if year == 2023 else 1.0)
                    for month in range(1, 13):
                        output = Decimal(base * trend * rng.uniform(0.9, 1.1)).quantize(
                            Decimal("0.0001")
                        )
                        revenue = (output * Decimal("0.97")).quantize(Decimal("0.0001"))
                        tax = (revenue * Decimal("0.035")).quantize(Decimal("0.0001"))
                        yield (now, now, enterprise.pk, year, month, output, revenue, tax, 100)

        ctx.copy_rows(
            MonthlyStatistic._meta.db_table,
            [
                "created_at",
                "updated_at",
                "enterprise_id",
                "year",
                "month",
                "output_value",
                "revenue",
                "tax",
                "employees",
            ],
            rows(),
        )


def run(report) -> None:
    from django.urls import reverse

    from apps.enterprises import selectors
    from apps.enterprises.models import Enterprise, MonthlyStatistic

    economist = report.user("经济发展")
    investor = report.user("招商")
    member = Enterprise.objects.filter(memberships__category="industry").order_by("id")[100]
    enterprise_list = reverse("enterprises:enterprise_list")
    report.note(
        f"{Enterprise.objects.count()} enterprises, {MonthlyStatistic.objects.count()} monthly rows"
    )
    report.time_url("enterprise list", enterprise_list, user=investor, target_ms=50)
    report.time_url(
        "enterprise list, filtered (park, status, chain)",
        f"{enterprise_list}?park={member.park_id}&status=operating&chain={member.chain_id}",
        user=investor,
        target_ms=50,
    )
    report.time_url(
        "enterprise list, searched (name fragment)",
        f"{enterprise_list}?q=鑫源",
        user=investor,
        target_ms=50,
    )
    report.time_url(
        "enterprise list, searched (credit code)",
        f"{enterprise_list}?q={member.credit_code[-6:]}",
        user=investor,
        target_ms=50,
    )
    report.time_url(
        "enterprise list, 规上工业 + sorted by capital",
        f"{enterprise_list}?four_above=industry&ordering=-registered_capital",
        user=investor,
        target_ms=50,
    )
    report.time_url(
        "enterprise list, decline warnings",
        f"{enterprise_list}?decline=true",
        user=economist,
        target_ms=50,
    )
    report.time_url(
        "enterprise detail (60 months of reports)",
        member.get_absolute_url(),
        user=economist,
        target_ms=50,
    )
    report.time_url(
        "statistics page, November 2023",
        f"{reverse('enterprises:statistics')}?year=2023&month=11",
        user=economist,
        target_ms=100,
    )
    report.time_url(
        "API enterprise list (50)",
        f"{reverse('api:enterprise-list')}?page_size=50",
        user=investor,
        target_ms=20,
    )
    report.time_url(
        "API monthly statistics, one month (50)",
        f"{reverse('api:monthly-statistic-list')}?year=2023&month=11&page_size=50",
        user=economist,
        target_ms=20,
    )
    report.time_url(
        "API statistics endpoint",
        f"{reverse('api:enterprise-statistics')}?year=2023&month=11",
        user=economist,
        target_ms=100,
    )

    report.compare(
        "API enterprise list / bare .values() view",
        f"{reverse('api:enterprise-list')}?page_size=50",
        "/bench/bare/enterprises/",
        user=investor,
        target=1 / 0.7,
        b_label="bare view",
    )

    from django.db import connection as _connection

    from apps.core import figures as _figures
    from apps.enterprises.selectors import _PERIOD_AND_DECLINE_SQL, _period_params

    period_params = _period_params(2023, 11)

    def best_sql():
        # Every figure on the page straight from the database, nothing rendered: the period
        # figures and the decline list, one statement.
        with _connection.cursor() as cursor:
            cursor.execute(_PERIOD_AND_DECLINE_SQL, period_params)
            cursor.fetchall()

    statistics_url = f"{reverse('enterprises:statistics')}?year=2023&month=11"
    report.compare(
        "statistics page (warm) / its SQL alone",
        statistics_url,
        best_sql,
        user=economist,
        target=1.5,
        b_label="the one statement",
    )

    def cold_page():
        # A write to the registry's data forgets the month's tables (apps.core.figures).
        _figures.invalidate("enterprises")
        report.client.get(statistics_url)

    report.compare(
        "statistics page (cold, after a write) / its SQL alone",
        cold_page,
        best_sql,
        user=economist,
        target=2,
        b_label="the one statement",
    )

    table = MonthlyStatistic._meta.db_table
    from django.db import connection

    with connection.cursor() as cursor:
        sql = cursor.mogrify(_PERIOD_AND_DECLINE_SQL, period_params).decode()
    report.explain("period figures and decline list (one statement)", sql, table=table)
    report.explain(
        "latest reported period",
        MonthlyStatistic.objects.order_by("-year", "-month").values_list("year", "month")[:1],
        table=table,
    )
    report.explain(
        "one enterprise's 24 months",
        MonthlyStatistic.objects.filter(enterprise=member, year__in=[2022, 2023]),
        table=table,
    )
    report.explain(
        "API: one month's reports, first page",
        selectors.monthly_statistic_list().filter(year=2023, month=11)[:50],
        table=table,
    )
