from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.roles import Role
from apps.enterprises import hooks
from apps.enterprises.models import Enterprise, MonthlyStatistic
from tests.conftest import FRAME_QUERIES
from tests.enterprises.factories import (
    ChainNodeFactory,
    EnterpriseFactory,
    IndustryChainFactory,
    MonthlyStatisticFactory,
    ParkFactory,
    QualificationFactory,
    StatisticsMembershipFactory,
    credit_code,
    qualification_type,
)
from tests.enterprises.test_imports import workbook

pytestmark = pytest.mark.django_db

LIST = reverse("enterprises:enterprise_list")


@pytest.fixture
def economist(user_of):
    return user_of(Role.ECONOMY, username="economist")


@pytest.fixture
def investor(user_of):
    return user_of(Role.INVESTMENT, username="investor")


def names(response):
    return [enterprise.name for enterprise in response.context["object_list"]]


class TestEnterpriseList:
    def test_searches_name_credit_code_and_legal_representative(self, client, investor):
        huaxi = EnterpriseFactory(name="河南花溪科技股份有限公司", legal_representative="王秀芳")
        other = EnterpriseFactory(name="大善钢构有限公司")
        client.force_login(investor)
        assert names(client.get(LIST, {"q": "花溪"})) == [huaxi.name]
        assert names(client.get(LIST, {"q": other.credit_code[-8:].lower()})) == [other.name]
        assert names(client.get(LIST, {"q": "王秀芳"})) == [huaxi.name]

    def test_filters_by_park_category_qualification_listing_and_strategic_flag(
        self, client, investor
    ):
        park = ParkFactory()
        in_park = EnterpriseFactory(park=park, name="甲")
        member = EnterpriseFactory(name="乙")
        StatisticsMembershipFactory(enterprise=member)
        certified = EnterpriseFactory(name="丙", is_strategic_emerging=True)
        QualificationFactory(
            enterprise=certified, type=qualification_type("high_tech"), issued_on=date.today()
        )
        listed = EnterpriseFactory(
            name="丁", listing_exchange="bse", stock_code="872895", listed_on=date(2023, 4, 20)
        )
        client.force_login(investor)
        assert names(client.get(LIST, {"park": park.pk})) == [in_park.name]
        assert names(client.get(LIST, {"four_above": "industry"})) == [member.name]
        high_tech = qualification_type("high_tech").pk
        assert names(client.get(LIST, {"qualification": high_tech})) == [certified.name]
        assert names(client.get(LIST, {"listed": "true"})) == [listed.name]
        assert names(client.get(LIST, {"strategic": "true"})) == [certified.name]

    def test_filters_the_decline_warnings_of_the_latest_month(self, client, economist):
        falling = EnterpriseFactory(name="下滑")
        StatisticsMembershipFactory(enterprise=falling)
        MonthlyStatisticFactory(enterprise=falling, year=2022, month=1, output_value=100)
        MonthlyStatisticFactory(enterprise=falling, year=2023, month=1, output_value=50)
        EnterpriseFactory(name="平稳")
        client.force_login(economist)
        assert names(client.get(LIST, {"decline": "true"})) == ["下滑"]
        assert "decline" in client.get(LIST).context["filter"].form.fields

    @pytest.mark.parametrize("role", [Role.INVESTMENT, Role.APPROVAL, Role.LIAISON, Role.HR])
    def test_roles_without_monthly_figures_neither_see_nor_use_the_decline_filter(
        self, client, user_of, role
    ):
        EnterpriseFactory()
        client.force_login(user_of(role))
        assert "decline" not in client.get(LIST).context["filter"].form.fields
        for value in ("true", "false"):
            response = client.get(LIST, {"decline": value})
            assert response.status_code == 403
            assert "产值下滑预警" in response.content.decode()
            assert client.get(LIST, {"decline": value, "export": "xlsx"}).status_code == 403

    def test_submitting_the_filter_form_untouched_filters_nothing(self, client, investor):
        EnterpriseFactory(is_strategic_emerging=False)
        EnterpriseFactory(is_strategic_emerging=True)
        client.force_login(investor)
        form = client.get(LIST).context["filter"].form
        untouched = {name: form[name].value() or "" for name in form.fields}
        assert len(names(client.get(LIST, untouched))) == 2

    def test_a_bad_filter_value_shows_the_list_unfiltered_with_the_error(self, client, investor):
        EnterpriseFactory()
        client.force_login(investor)
        response = client.get(LIST, {"park": "abc"})
        assert response.status_code == 200

    def test_exports_the_filtered_list_to_excel(self, client, investor):
        EnterpriseFactory(name="导出企业甲")
        EnterpriseFactory(name="其他企业")
        client.force_login(investor)
        response = client.get(LIST, {"q": "导出", "export": "xlsx"})
        sheet = load_workbook(BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "企业名称"
        assert [row[0] for row in rows[1:]] == ["导出企业甲"]

    def test_query_count_does_not_grow_with_the_rows(
        self, client, investor, django_assert_num_queries
    ):
        for _ in range(6):
            EnterpriseFactory(responsible_staff=investor, chain_node=None)
        client.force_login(investor)
        client.get(LIST)
        # the user's permissions (user, groups), the count, the page with
        # park/chain/node/staff joined (the filter form's parks, chains and qualification
        # types are read once: apps.core.filters.ReferenceChoiceFilter)
        with django_assert_num_queries(FRAME_QUERIES + 4):
            client.get(LIST)


class TestEnterpriseDetail:
    def test_shows_profile_qualifications_memberships_and_chart_data(self, client, economist):
        enterprise = EnterpriseFactory(name="河南天鑫新能源科技有限公司")
        QualificationFactory(
            enterprise=enterprise,
            type=qualification_type("high_tech"),
            issued_on=date(2019, 1, 1),
        )
        StatisticsMembershipFactory(enterprise=enterprise, exited_on=date(2021, 1, 1))
        MonthlyStatisticFactory(enterprise=enterprise, year=2023, month=1, output_value=10)
        client.force_login(economist)
        response = client.get(enterprise.get_absolute_url())
        content = response.content.decode()
        assert "天鑫新能源" in content
        assert "已过期" in content
        assert "已退库" in content
        assert 'id="chart-data"' in content
        assert response.context["chart"]["output"][0] == 10.0
        assert "暂无走访、诉求等记录" in content

    def test_a_role_without_statistics_sees_no_figures(self, client, investor):
        enterprise = EnterpriseFactory()
        MonthlyStatisticFactory(enterprise=enterprise)
        client.force_login(investor)
        response = client.get(enterprise.get_absolute_url())
        assert 'id="chart-data"' not in response.content.decode()

    def test_renders_what_later_apps_contribute_to_the_timeline(
        self, client, economist, monkeypatch
    ):
        enterprise = EnterpriseFactory()
        monkeypatch.setattr(
            hooks,
            "_timeline_providers",
            [lambda ent, user: [hooks.TimelineEntry(date(2023, 5, 4), "走访", "了解用工需求")]],
        )
        client.force_login(economist)
        content = client.get(enterprise.get_absolute_url()).content.decode()
        assert "了解用工需求" in content
        assert "暂无走访、诉求等记录" not in content

    def test_query_count_does_not_grow_with_history(
        self, client, economist, django_assert_num_queries, monkeypatch
    ):
        # Later apps' timeline providers pin their own queries; this pins the page's.
        monkeypatch.setattr(hooks, "_timeline_providers", [])
        monkeypatch.setattr(hooks, "_section_providers", [])
        enterprise = EnterpriseFactory()
        for year in (2022, 2023):
            for month in range(1, 13):
                MonthlyStatisticFactory(enterprise=enterprise, year=year, month=month)
        for code in ("high_tech", "tech_sme", "smart_workshop"):
            QualificationFactory(enterprise=enterprise, type=qualification_type(code))
        StatisticsMembershipFactory(enterprise=enterprise)
        client.force_login(economist)
        client.get(enterprise.get_absolute_url())
        # the user's permissions (user, groups), the enterprise (joined), its qualifications
        # (with types), its memberships, its latest period, its 24 months
        with django_assert_num_queries(FRAME_QUERIES + 7):
            client.get(enterprise.get_absolute_url())


class TestEnterpriseForms:
    def form_data(self, **overrides):
        data = {
            "name": "大善新材料有限公司",
            "credit_code": credit_code(999),
            "legal_representative": "张三",
            "status": "operating",
            "contact_phone": "0373-5551234",
        }
        data.update(overrides)
        return data

    def test_a_bad_credit_code_is_refused_in_chinese_and_the_input_kept(self, client, economist):
        client.force_login(economist)
        good = credit_code(5)
        mutated = good[:17] + ("0" if good[17] != "0" else "1")
        response = client.post(
            reverse("enterprises:enterprise_create"), self.form_data(credit_code=mutated)
        )
        assert response.status_code == 400
        assert "统一社会信用代码校验位错误" in response.content.decode()
        assert response.context["form"]["name"].value() == "大善新材料有限公司"
        assert not Enterprise.objects.exists()

    def test_a_code_with_a_forbidden_letter_and_a_bad_phone_are_explained(self, client, economist):
        client.force_login(economist)
        response = client.post(
            reverse("enterprises:enterprise_create"),
            self.form_data(credit_code="91410000MA0000000I", contact_phone="12345"),
        )
        errors = response.context["form"].errors
        assert "不允许的字符" in errors["credit_code"][0]
        assert "有效的手机号" in errors["contact_phone"][0]

    def test_a_duplicate_code_or_name_is_refused(self, client, economist):
        existing = EnterpriseFactory()
        client.force_login(economist)
        response = client.post(
            reverse("enterprises:enterprise_create"),
            self.form_data(name=existing.name, credit_code=existing.credit_code),
        )
        errors = response.context["form"].errors
        assert "企业名称不能重复" in errors["name"][0]
        assert "已登记在另一家企业名下" in errors["credit_code"][0]

    def test_a_listing_needs_its_date_and_a_node_its_chain(self, client, economist):
        node = ChainNodeFactory()
        client.force_login(economist)
        response = client.post(
            reverse("enterprises:enterprise_create"),
            self.form_data(
                listing_exchange="bse", chain=IndustryChainFactory().pk, chain_node=node.pk
            ),
        )
        errors = response.context["form"].errors
        assert errors["listed_on"] == ["已上市企业须填写上市日期"]
        assert "不属于产业链" in errors["chain_node"][0]

    def test_registering_an_enterprise_normalises_and_records_who(self, client, economist):
        client.force_login(economist)
        code = credit_code(77)
        response = client.post(
            reverse("enterprises:enterprise_create"),
            self.form_data(credit_code=code.lower(), contact_phone="+86 138 0013 8000"),
        )
        enterprise = Enterprise.objects.get()
        assert response.url == enterprise.get_absolute_url()
        assert (enterprise.credit_code, enterprise.contact_phone) == (code, "13800138000")
        assert enterprise.history.first().history_user == economist

    def test_an_enterprise_that_leaves_is_marked_moved_out(self, client, economist):
        enterprise = EnterpriseFactory()
        client.force_login(economist)
        data = self.form_data(
            name=enterprise.name, credit_code=enterprise.credit_code, status="moved_out"
        )
        client.post(reverse("enterprises:enterprise_update", args=[enterprise.pk]), data)
        enterprise.refresh_from_db()
        assert enterprise.status == Enterprise.Status.MOVED_OUT
        assert enterprise.history.count() == 2

    def test_an_overlapping_membership_is_refused_with_a_reason(self, client, economist):
        membership = StatisticsMembershipFactory(entered_on=date(2020, 1, 1))
        client.force_login(economist)
        response = client.post(
            reverse("enterprises:membership_create", args=[membership.enterprise_id]),
            {"category": "industry", "entered_on": "2021-01-01"},
        )
        assert "入库期间不能重叠" in response.content.decode()

    def test_a_qualification_expiry_defaults_to_the_type_validity(self, client, economist):
        enterprise = EnterpriseFactory()
        client.force_login(economist)
        client.post(
            reverse("enterprises:qualification_create", args=[enterprise.pk]),
            {"type": qualification_type("high_tech").pk, "issued_on": "2023-12-08"},
        )
        assert enterprise.qualifications.get().expires_on == date(2026, 12, 7)

    def test_an_outsider_may_look_but_not_register(self, client, investor):
        client.force_login(investor)
        assert client.get(reverse("enterprises:enterprise_create")).status_code == 403
        assert client.post(reverse("enterprises:enterprise_create"), {}).status_code == 403


def test_the_chain_page_shows_empty_nodes(client, investor):
    node = ChainNodeFactory(name="空环节")
    ChainNodeFactory(chain=node.chain, name="有企业的环节")
    EnterpriseFactory(chain=node.chain, chain_node=None)
    client.force_login(investor)
    content = client.get(reverse("enterprises:chain_list")).content.decode()
    assert "空环节" in content
    assert "空缺" in content


class TestStatisticsPage:
    def test_renders_the_headline_tables_and_decline_list(
        self, client, economist, django_assert_num_queries
    ):
        for index in range(4):
            enterprise = EnterpriseFactory(name=f"规上{index}")
            StatisticsMembershipFactory(enterprise=enterprise)
            MonthlyStatisticFactory(enterprise=enterprise, year=2022, month=1, output_value=100)
            MonthlyStatisticFactory(
                enterprise=enterprise, year=2023, month=1, output_value=50 + index * 30
            )
        client.force_login(economist)
        url = reverse("enterprises:statistics")
        # Cold: the user's permissions (user, groups), latest period, the figures, chain
        # names, park names, 3 registry counts, the decline list.
        with django_assert_num_queries(FRAME_QUERIES + 10):
            client.get(url)
        # Warm: the month's tables come from the cache (apps.core.figures.cached); only the
        # permissions and the latest period are read.
        with django_assert_num_queries(FRAME_QUERIES + 3):
            response = client.get(url)
        content = response.content.decode()
        assert "截至2023年1月份，4家规上工业企业" in content
        assert [e.name for e in response.context["declining"]] == ["规上0", "规上1"]
        # An edit of a monthly row is seen at once: 规上2 now falls too.
        edited = MonthlyStatistic.objects.get(enterprise__name="规上2", year=2023)
        edited.output_value = 10
        edited.save()
        response = client.get(url)
        assert [e.name for e in response.context["declining"]] == ["规上2", "规上0", "规上1"]

    def test_an_invalid_month_asks_for_a_valid_one(self, client, economist):
        client.force_login(economist)
        response = client.get(reverse("enterprises:statistics"), {"year": "x", "month": "13"})
        assert "请选择有效的年度和月份" in response.content.decode()


class TestImportPage:
    url = reverse("enterprises:statistics_import")

    def upload(self, client, content, month=11):
        return client.post(
            self.url,
            {
                "year": 2023,
                "month": month,
                "file": SimpleUploadedFile("report.xlsx", content),
            },
        )

    def test_preview_then_confirm_writes_the_month(
        self, client, economist, django_capture_on_commit_callbacks
    ):
        enterprise = EnterpriseFactory()
        client.force_login(economist)
        content = workbook((enterprise.credit_code, "", 2023, 11, 100, 90, 1, 10))
        preview = self.upload(client, content)
        assert "检查通过" in preview.content.decode()
        assert not MonthlyStatistic.objects.exists()
        # Confirmed by a background job (run eagerly here) whose page shows the outcome.
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(self.url, {"confirm": "1"})
        assert response.status_code == 302
        assert response.url.startswith("/jobs/")
        assert MonthlyStatistic.objects.get().revenue == Decimal(90)
        status = client.get(response.url + "status/").json()
        assert status["status"] == "succeeded"
        assert "新增 1 行" in status["message"]
        assert status["result_url"] == reverse("enterprises:statistics") + "?year=2023&month=11"
        # A second confirm (a double click) finds nothing pending and writes nothing.
        again = client.post(self.url, {"confirm": "1"}, follow=True)
        assert "导入已过期" in again.content.decode()
        assert MonthlyStatistic.objects.count() == 1

    def test_a_damaged_workbook_is_refused_on_the_page_and_cannot_be_confirmed(
        self, client, economist
    ):
        from tests.enterprises.test_imports import MALFORMED, _good_file, _patched

        enterprise = EnterpriseFactory()
        client.force_login(economist)
        part, change = MALFORMED["truncated sheet XML"]
        response = self.upload(client, _patched(_good_file(enterprise.credit_code), part, change))
        assert response.status_code == 200
        assert "已损坏" in response.content.decode()
        client.post(self.url, {"confirm": "1"})
        assert not MonthlyStatistic.objects.exists()

    def test_a_bad_file_lists_its_errors_and_cannot_be_confirmed(self, client, economist):
        enterprise = EnterpriseFactory()
        client.force_login(economist)
        content = workbook(
            (enterprise.credit_code, "", 2023, 11, 100, 90, 1, 10),
            ("", "查无此企业", 2023, 11, 1, 1, 0, 1),
        )
        content_text = self.upload(client, content).content.decode()
        assert "第 3 行" in content_text
        assert "整个文件未导入" in content_text
        client.post(self.url, {"confirm": "1"})
        assert not MonthlyStatistic.objects.exists()

    def test_a_file_that_is_not_excel_is_refused_on_the_form(self, client, economist):
        client.force_login(economist)
        response = client.post(
            self.url,
            {"year": 2023, "month": 11, "file": SimpleUploadedFile("a.csv", b"a,b")},
        )
        assert "请上传 .xlsx 格式" in response.content.decode()

    def test_the_month_exports_in_the_import_layout(self, client, economist):
        MonthlyStatisticFactory(year=2023, month=11)
        client.force_login(economist)
        response = client.get(reverse("enterprises:statistics_export"), {"year": 2023, "month": 11})
        rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[0][:2] == ("统一社会信用代码", "企业名称")
        assert len(rows) == 2


def test_the_chain_page_takes_a_fixed_number_of_queries(
    client, investor, django_assert_num_queries
):
    for _ in range(3):
        node = ChainNodeFactory()
        EnterpriseFactory(chain=node.chain, chain_node=node)
    client.force_login(investor)
    url = reverse("enterprises:chain_list")
    client.get(url)
    # the user's permissions (user, groups), the chains with counts, their nodes with counts
    with django_assert_num_queries(FRAME_QUERIES + 4):
        client.get(url)


def test_the_registry_counts_can_be_taken_as_of_a_chosen_day(client, economist):
    StatisticsMembershipFactory(entered_on=date(2020, 1, 1), exited_on=date(2023, 6, 1))
    client.force_login(economist)
    url = reverse("enterprises:statistics")
    before = client.get(url, {"year": 2023, "month": 1, "on": "2023-05-31"})
    after = client.get(url, {"year": 2023, "month": 1, "on": "2023-06-01"})
    assert before.context["summary"].four_above == 1
    assert after.context["summary"].four_above == 0
    assert "截至2023年5月31日的企业名录数据" in before.content.decode()


def test_the_decline_threshold_can_be_chosen_on_the_statistics_page(client, economist):
    enterprise = EnterpriseFactory(name="微降")
    StatisticsMembershipFactory(enterprise=enterprise)
    MonthlyStatisticFactory(enterprise=enterprise, year=2022, month=1, output_value=100)
    MonthlyStatisticFactory(enterprise=enterprise, year=2023, month=1, output_value=94)
    client.force_login(economist)
    url = reverse("enterprises:statistics")
    assert list(client.get(url, {"year": 2023, "month": 1}).context["declining"]) == []
    five = client.get(url, {"year": 2023, "month": 1, "threshold": 5})
    assert [e.name for e in five.context["declining"]] == ["微降"]
    assert "下降超过 5%" in five.content.decode()
