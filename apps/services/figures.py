"""Enterprise service's figures (see apps/core/figures.py): visits, coverage, demands,
procedures and disputes, bank matchmaking. A month's figures count what happened in the month;
procedures and disputes count the year to the month's end; overdue and escalated demands are
judged today."""

from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from apps.core.figures import Figure, FigureList, Period, days_between, from_source, reference_id
from apps.enterprises.models import Enterprise
from apps.enterprises.selectors import in_zone_q
from apps.services import selectors
from apps.services.models import Demand, DemandCategory, LoanIntent, Visit

# Coverage looks back this many days from the period's day (the day itself included).
COVERAGE_DAYS = 90


def _coverage_start(period: Period):
    return period.day - timedelta(days=COVERAGE_DAYS - 1)


def _service(period: Period, scope) -> dict:
    """Visits and coverage (1 query), the demands of the year (1), loan intents (1)."""
    # WHERE bounds each aggregate to the rows its counts can read (an index range), rather than
    # filtering every visit and demand of every year.
    visits = Visit.objects.filter(
        visited_on__range=(min(period.first, _coverage_start(period)), period.last)
    ).aggregate(
        month=Count("id", filter=Q(visited_on__range=(period.first, period.last))),
        covered=Count(
            "enterprise_id",
            distinct=True,
            filter=Q(visited_on__range=(_coverage_start(period), period.day)),
        ),
    )
    done = Q(status__in=Demand.DONE_STATUSES)
    in_month = Q(raised_on__range=(period.first, period.last))
    # The year's demands: an index-only range of demand_outcome_idx.
    demands = Demand.objects.filter(raised_on__range=(period.year_start, period.last)).aggregate(
        raised=Count("id", filter=in_month),
        closed=Count("id", filter=in_month & done),
        procedures=Count("id", filter=done & Q(category__code="procedure")),
        disputes=Count("id", filter=done & Q(category__code="construction_dispute")),
    )
    loans = LoanIntent.objects.filter(signed_on__lte=period.last).aggregate(
        count=Count("id"), amount=Sum("amount")
    )
    return {
        "visits": visits["month"],
        "covered": visits["covered"],
        **demands,
        "loans": loans["count"],
        "loan_amount": loans["amount"] or 0,
    }


def _service_today(period: Period, scope) -> dict:
    """The demands overdue and escalated today (1 query over the open demands), apart from the
    period's: judged today, so never computed for the year before (no year on year), and read
    by an index on the open demands rather than a scan of the year's and the open ones
    together (32-34 -> 15-20 ms for both statements at 30,000 demands)."""
    return Demand.objects.filter(selectors.overdue_q() | selectors.escalated_q()).aggregate(
        overdue=Count("id", filter=selectors.overdue_q()),
        escalated=Count("id", filter=selectors.escalated_q()),
    )


def _zone(period: Period, scope) -> dict:
    """The enterprises in the zone on the period's day (1 query): the registry's data, so
    cached with the enterprises' figures (a visit does not change it, a move-in does)."""
    return {"in_zone": Enterprise.objects.filter(in_zone_q(period.day)).count()}


def _month_first(period: Period):
    return period.first


def _month_last(period: Period):
    return period.last


def _year_start(period: Period):
    return period.year_start


def _day(period: Period):
    return period.day


_raised = days_between(_month_first, _month_last, field="raised")


def _category_done(code: str):
    def filters(period: Period) -> dict:
        return days_between(_year_start, _month_last, field="raised")(period) | {
            "category": reference_id(DemandCategory, code),
            "done": "true",
        }

    return filters


def _loans(period: Period) -> dict:
    return {"signed_to": period.last.isoformat()}


VISITS = FigureList("visit-list", "services:visit_list", "services.view_visit")
DEMANDS = FigureList("demand-list", "services:demand_list", "services.view_demand")
LOANS = FigureList("loan-intent-list", "services:loan_list", "services.view_loanintent")

FIGURES = [
    Figure(
        code="visits",
        label=_("走访企业次数"),
        unit=_("次"),
        definition=_("当月登记的走访记录数"),
        section="service",
        compute=from_source(_service, "visits"),
        **VISITS(days_between(_month_first, _month_last, field="visited")),
        order=10,
    ),
    Figure(
        code="visited_enterprises",
        label=_("近90天走访企业"),
        unit=_("家"),
        definition=_("期末前90天内（含当日）至少走访一次的企业数"),
        section=None,
        compute=from_source(_service, "covered"),
        **VISITS(
            days_between(_coverage_start, _day, field="visited", one_per_enterprise="true"),
            page="",
        ),
    ),
    Figure(
        code="zone_enterprises",
        label=_("在区企业"),
        unit=_("家"),
        definition=_("期末已入驻、未迁出的企业数"),
        section=None,
        compute=from_source(_zone, "in_zone"),
        areas=("enterprises",),
        api_list="enterprise-list",
        filters=lambda period: {"in_zone": "true", "on": period.day.isoformat()},
    ),
    Figure(
        code="visit_coverage",
        label=_("走访覆盖率"),
        unit="%",
        definition=_("近90天走访企业数 ÷ 期末在区企业数"),
        section="service",
        ratio=("share", "visited_enterprises", "zone_enterprises"),
        target="level",
        order=11,
        permission="services.view_visit",
    ),
    Figure(
        code="demands_raised",
        label=_("新增诉求"),
        unit=_("件"),
        definition=_("当月提出的诉求数"),
        section="service",
        compute=from_source(_service, "raised"),
        **DEMANDS(_raised),
        order=20,
    ),
    Figure(
        code="demands_closed",
        label=_("办结诉求"),
        unit=_("件"),
        definition=_("当月提出的诉求中已办结或已回访的件数"),
        section="service",
        compute=from_source(_service, "closed"),
        **DEMANDS(days_between(_month_first, _month_last, field="raised", done="true")),
        order=21,
    ),
    Figure(
        code="demand_closure_rate",
        label=_("诉求办结率"),
        unit="%",
        definition=_("办结诉求 ÷ 新增诉求（当月提出）"),
        section="service",
        ratio=("share", "demands_closed", "demands_raised"),
        target="level",
        order=22,
        permission="services.view_demand",
    ),
    Figure(
        code="demands_overdue",
        label=_("超期诉求"),
        unit=_("件"),
        definition=_("今天未办结且已过办理时限的诉求"),
        section="service",
        compute=from_source(_service_today, "overdue"),
        **DEMANDS(lambda period: {"overdue": "true"}),
        current=True,
        order=23,
    ),
    Figure(
        code="demands_escalated",
        label=_("升级督办诉求"),
        unit=_("件"),
        definition=_("今天超期达到升级天数的诉求"),
        section="service",
        compute=from_source(_service_today, "escalated"),
        **DEMANDS(lambda period: {"escalated": "true"}),
        current=True,
        order=24,
    ),
    Figure(
        code="procedures_completed",
        label=_("代办手续办结（年累计）"),
        unit=_("件"),
        definition=_("当年1月至期末提出、已办结的手续办理类诉求"),
        section="service",
        compute=from_source(_service, "procedures"),
        **DEMANDS(_category_done("procedure")),
        order=30,
    ),
    Figure(
        code="disputes_resolved",
        label=_("施工纠纷化解（年累计）"),
        unit=_("件"),
        definition=_("当年1月至期末提出、已办结的施工纠纷类诉求"),
        section="service",
        compute=from_source(_service, "disputes"),
        **DEMANDS(_category_done("construction_dispute")),
        order=31,
    ),
    Figure(
        code="loan_intents",
        label=_("政银企对接意向"),
        unit=_("笔"),
        definition=_("期末前签订的贷款意向累计笔数"),
        section="service",
        compute=from_source(_service, "loans"),
        **LOANS(_loans),
        order=40,
    ),
    Figure(
        code="loan_amount",
        label=_("意向贷款金额"),
        unit=_("万元"),
        definition=_("期末前签订的贷款意向金额之和"),
        section="service",
        compute=from_source(_service, "loan_amount"),
        **LOANS(_loans, sum_field="amount"),
        order=41,
    ),
]
