"""Which year's targets may be split among groups, and each group's value for a period.

A target split among groups is only useful where the figure can be measured per group (else
there is no completion to show), so a split is declared here, per indicator, with the group it
is split by and how the group's value is computed -- with the same filters as the figure itself,
grouped by the team or department, so the groups of a figure never count anything the figure
does not:

- the 招商 figures signings, contract investment and funds arrived, by 招商小组 (a project's team;
  funds count for the team of their project). The teams' targets are 招商's own
  (`investment.AnnualTarget`, read through `investment.selectors.team_targets`), never written
  here: the dashboard shows them, and warns when they add up to more than the zone's target
  (the rest is the zone's, e.g. projects brought in by the leadership).
- the demand closure rate, by 责任部门 (the demand's responsible department), written here as
  dashboard Target rows. A rate: each department's target is its own rate, with no sum rule.

Group values: 招商 2 queries, demands 1, computed only for the indicators that have a split in
the year, and cached with the figures (`apps.core.figures.cached`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from apps.core.figures import Period, all_figures
from apps.services.models import Demand

TEAM = "team"
DEPARTMENT = "department"
ZERO = Decimal(0)


@dataclass(frozen=True)
class Split:
    kind: str  # TEAM or DEPARTMENT
    # period -> {group id: value}; one source may serve several indicators.
    source: Callable[[Period], dict[int, dict]]
    key: str
    # The figure whose list, with the group's filter added, shows the group's rows.
    link_figure: str
    # Additive values: the groups' targets sum to at most the year's target.
    additive: bool = True
    # The investment.AnnualTarget measure holding the groups' targets (team splits); None
    # where the groups' targets are the dashboard's own Target rows.
    team_target: str | None = None

    @property
    def set_here(self) -> bool:
        """Whether the groups' targets are written on the dashboard's targets page."""
        return self.team_target is None


def _signed_range(period: Period) -> Q:
    return Q(signed_on__range=(period.year_start, period.last))


def team_values(period: Period) -> dict[int, dict]:
    """{team id: {"signed", "contract", "funds"}} for the year to the period (2 queries), as
    the figures investment_signed / _contract / _funds count them."""
    from apps.investment.models import FundsArrival, Project

    values: dict[int, dict] = {}
    for row in (
        Project.objects.filter(_signed_range(period), team__isnull=False)
        .values("team")
        .annotate(signed=Count("pk"), contract=Coalesce(Sum("contract_investment"), ZERO))
        .order_by()
    ):
        values.setdefault(row["team"], {}).update(signed=row["signed"], contract=row["contract"])
    for row in (
        FundsArrival.objects.filter(
            month__range=(period.year_start, period.last), project__team__isnull=False
        )
        .values("project__team")
        .annotate(
            funds=Coalesce(Sum("fixed_assets"), ZERO) + Coalesce(Sum("working_capital"), ZERO)
        )
        .order_by()
    ):
        values.setdefault(row["project__team"], {})["funds"] = row["funds"]
    for group in values.values():
        group.setdefault("signed", 0)
        group.setdefault("contract", ZERO)
        group.setdefault("funds", ZERO)
    return values


def department_values(period: Period) -> dict[int, dict]:
    """{department id: {"raised", "closed", "closure_rate"}} of the demands raised in the
    period's month (1 query), as demands_raised / demands_closed / demand_closure_rate count
    them."""
    rows = (
        Demand.objects.filter(raised_on__range=(period.first, period.last))
        .values("department")
        .annotate(raised=Count("pk"), closed=Count("pk", filter=Q(status__in=Demand.DONE_STATUSES)))
        .order_by()
    )
    return {
        row["department"]: {
            "raised": row["raised"],
            "closed": row["closed"],
            "closure_rate": (Decimal(row["closed"]) * 100 / row["raised"]).quantize(Decimal("0.01"))
            if row["raised"]
            else None,
        }
        for row in rows
    }


SPLITS: dict[str, Split] = {
    "investment_signed": Split(
        TEAM, team_values, "signed", "investment_signed", team_target="signings"
    ),
    "investment_contract": Split(
        TEAM, team_values, "contract", "investment_contract", team_target="contract_investment"
    ),
    "investment_funds": Split(TEAM, team_values, "funds", "investment_funds", team_target="funds"),
    "demand_closure_rate": Split(
        DEPARTMENT, department_values, "closure_rate", "demands_raised", additive=False
    ),
}


def group_values(period: Period, indicators) -> dict[str, dict[int, object]]:
    """{indicator: {group id: value}} for the split indicators named (a query per source)."""
    memo: dict = {}
    result = {}
    for indicator in indicators:
        split = SPLITS.get(indicator)
        if split is None:
            continue
        if split.source not in memo:
            memo[split.source] = split.source(period)
        result[indicator] = {
            group: values.get(split.key) for group, values in memo[split.source].items()
        }
    return result


def group_url(indicator: str, period: Period, group_id: int) -> str | None:
    """The staff page (else the API list) of the group's rows: the figure's own filters and
    the group's."""
    split = SPLITS[indicator]
    list_url, page_url = all_figures()[split.link_figure].urls(period)
    url = page_url or list_url
    if url is None:
        return None
    return f"{url}{'&' if '?' in url else '?'}{split.kind}={group_id}"
