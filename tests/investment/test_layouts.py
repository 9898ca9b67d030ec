"""The customary layouts: the project ledger and the monthly bulletin, as Excel (title row,
merged two-row headers, 合计 row) and print pages, with the list's filters and scope."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from apps.investment import services
from apps.investment.models import Project
from tests.accounts.factories import UserFactory
from tests.investment.factories import InvestorFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _book(response):
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


@pytest.fixture
def projects(team, other_team):
    ProjectFactory(
        team=team,
        name='=HYPERLINK("x")',
        planned_investment=Decimal(1000),
        fixed_asset_investment=Decimal(800),
        land_mu=Decimal("12.5"),
    )
    ProjectFactory(
        team=team,
        name="新材料项目",
        planned_investment=Decimal(2000),
        fixed_asset_investment=Decimal(1200),
        land_mu=Decimal("7.5"),
    )
    ProjectFactory(team=other_team, name="他组保密项目", confidential=True)


def test_the_ledger_has_merged_headers_a_total_and_only_visible_rows(client, officer, projects):
    client.force_login(officer)
    sheet = _book(client.get(reverse("investment:ledger") + "?export=xlsx"))
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    assert "A1:P1" in merged  # the title
    assert "A2:A3" in merged and "C2:D2" in merged  # 序号 over two rows; 投资方 over two cols
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    names = [row[1] for row in values if row[1]]
    assert names == ["新材料项目", '=HYPERLINK("x")'] or set(names) == {
        "新材料项目",
        '=HYPERLINK("x")',
    }
    assert "他组保密项目" not in names
    formula = next(c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("x")')
    assert formula.data_type == "s"
    total = next(row for row in values if row[0] == "合计")
    assert total[5:7] == [Decimal(3000), Decimal(2000)] or total[5:7] == [3000, 2000]
    assert total[8] == 20


def test_the_ledger_keeps_the_lists_filters(client, officer, projects):
    client.force_login(officer)
    page = client.get(reverse("investment:ledger") + "?q=新材料&print=1").content.decode()
    assert "新材料项目" in page and "HYPERLINK" not in page
    assert 'data-testid="totals"' in page


def test_the_bulletin_reports_month_year_and_growth(client, officer, team):
    from apps.dashboard import services as dashboard_services

    admin = UserFactory(is_superuser=True)
    # The zone's targets are the dashboard's; a team's own target (here smaller) is not the
    # zone's, whatever the teams' targets add up to.
    for indicator, value in (("investment_signed", 4), ("investment_contract", 40000)):
        dashboard_services.target_save(
            by=admin, indicator=indicator, year=2026, value=Decimal(value)
        )
    services.annual_target_save(
        by=admin, team=team, year=2026, signings=3, contract_investment=30000, funds=1000
    )
    for on, amount in ((datetime.date(2025, 3, 2), 10000), (datetime.date(2026, 2, 2), 5000)):
        ProjectFactory(
            team=team,
            status=Project.Status.SIGNED,
            signed_on=on,
            contract_investment=Decimal(amount),
            investor=InvestorFactory(),
        )
    ProjectFactory(
        team=team,
        name="三月签约项目",
        status=Project.Status.SIGNED,
        signed_on=datetime.date(2026, 3, 9),
        contract_investment=Decimal(15000),
    )
    client.force_login(officer)
    sheet = _book(client.get(reverse("investment:bulletin") + "?year=2026&month=3&export=xlsx"))
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    signings = next(row for row in rows if row[0] == "新签约项目（个）")
    # month 1, year to date 2, a year before 1, +100 %, target 4, 50 %, 25 % of the year gone
    assert signings[1:8] == [1, 2, 1, Decimal("100.00"), 4, Decimal("50.00"), Decimal("25.00")] or [
        float(v) for v in signings[1:8]
    ] == [1, 2, 1, 100, 4, 50, 25]
    contract = next(row for row in rows if row[0] == "合同投资（万元）")
    assert float(contract[2]) == 20000 and float(contract[6]) == 50
    funds = next(row for row in rows if row[0] == "到位资金（万元）")
    assert funds[5] is None  # no zone target for funds: the team's 1000 is not it
    assert any(row[1] == "三月签约项目" for row in rows)
    page = client.get(reverse("investment:bulletin") + "?year=2026&month=3&print=1")
    assert "三月签约项目" in page.content.decode()


def test_bad_bulletin_periods_do_not_fail(client, officer):
    client.force_login(officer)
    for query in ("?year=x&month=y", "?year=1&month=99", "?export=xlsx&year=-3"):
        assert client.get(reverse("investment:bulletin") + query).status_code == 200


def test_the_lead_ledger_keeps_the_lists_filters_and_scope(client, officer, team, other_team):
    from tests.investment.factories import LeadFactory

    LeadFactory(team=team, title="本组线索", planned_investment=Decimal(3000))
    LeadFactory(team=team, title="另一线索", planned_investment=Decimal(1000), channel="agent")
    LeadFactory(team=other_team, title="他组保密线索", confidential=True)
    client.force_login(officer)
    sheet = _book(client.get(reverse("investment:lead_ledger") + "?export=xlsx"))
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    titles = {row[1] for row in values if row[0] != "合计"}
    assert titles == {"本组线索", "另一线索"}
    total = next(row for row in values if row[0] == "合计")
    assert float(total[7]) == 4000
    page = client.get(reverse("investment:lead_ledger") + "?channel=agent&print=1")
    body = page.content.decode()
    assert "另一线索" in body and "本组线索" not in body and "他组保密线索" not in body
    listing = client.get(reverse("investment:lead_list")).content.decode()
    assert reverse("investment:lead_ledger") in listing


# What the print page's <tbody> was before Table.body_html: every cell through the template.
_BODY_TEMPLATE = (
    "{% load i18n %}{% for cells in table.body %}<tr>{% for cell in cells %}<td>{{ cell }}</td>"
    '{% endfor %}</tr>{% empty %}<tr><td colspan="{{ table.cols|length }}" class="text-muted">'
    '{% translate "无" %}</td></tr>{% endfor %}'
)


@pytest.mark.parametrize("empty", [False, True])
def test_the_print_rows_are_the_html_the_template_wrote(officer, projects, empty):
    # Text needing escapes, a lazy label, a date, a time, amounts, a model, None and a bool.
    from django.template import engines
    from django.utils import timezone
    from django.utils.translation import gettext_lazy

    from apps.core.lists import Col
    from apps.investment import layouts

    cols = [
        Col("名称", "name"),
        Col("<标记> & “引号”", lambda p: '<b>"x" & y</b>'),
        Col("懒", lambda p: gettext_lazy("公海池")),
        Col("日", "created_at"),
        Col("日期", lambda p: datetime.date(2026, 1, 2)),
        Col("时间", lambda p: timezone.now()),
        Col("金额", "planned_investment", fmt="amount"),
        Col("亿", "planned_investment", fmt="yi"),
        Col("数", lambda p: 123456),
        Col("小组", "team"),
        Col("空", lambda p: None),
        Col("是否", "confidential"),
    ]
    rows = [] if empty else list(Project.objects.select_related("team").order_by("pk"))
    table = layouts.Table(groups=[layouts.Group("组", cols)], rows=rows)
    expected = engines["django"].from_string(_BODY_TEMPLATE).render({"table": table})
    assert table.body_html() == expected
