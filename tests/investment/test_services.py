import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.accounts.roles import Role
from apps.core.errors import NotAllowed
from apps.enterprises.demo import make_credit_code
from apps.investment import services
from apps.investment.models import AdmissionReview, Lead, LossReason, Project
from tests.conftest import make_role_user
from tests.enterprises.factories import EnterpriseFactory
from tests.investment.factories import InvestorFactory, LeadFactory, ProjectFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _review(project, by, **overrides):
    fields = {
        "reviewed_on": TODAY(),
        "industrial_policy": True,
        "industry_fit": True,
        "planning_land": True,
        "environment": True,
        "energy": True,
        "safety": True,
        "investor_credit": True,
        "conclusion": AdmissionReview.Conclusion.PASSED,
    }
    fields.update(overrides)
    return services.admission_review_create(by=by, project=project, **fields)


def _sign_inputs():
    return {
        "kind": "contract",
        "amount": Decimal("30000"),
        "signed_on": TODAY(),
        "committed_start_on": TODAY() + datetime.timedelta(days=90),
    }


class TestLeads:
    def test_a_lead_keeps_its_first_reporter_and_time(self, officer, team):
        lead = services.lead_create(
            by=officer, investor=InvestorFactory(), title="新材料项目", channel="own"
        )
        assert lead.reported_by == officer and lead.owner == officer and lead.team == team
        with pytest.raises(ValidationError):
            services.lead_update(by=officer, lead=lead, reported_by=None)

    def test_the_same_credit_code_reported_twice_is_flagged_as_a_duplicate(
        self, officer, outsider, team, other_team
    ):
        code = make_credit_code(42, prefix="91110000")
        first = services.lead_create(
            by=officer,
            investor=services.investor_save(by=officer, name="甲科技有限公司", credit_code=code),
            title="电池项目",
            channel="own",
        )
        second_investor = InvestorFactory(name="甲科技公司")
        second_investor.credit_code = ""
        second_investor.save()
        again = services.lead_create(
            by=outsider, investor=first.investor, title="完全不同的名字", channel="agent"
        )
        assert again.duplicate_of == first

    def test_a_similar_normalised_investor_name_is_flagged_by_trigram_similarity(
        self, officer, outsider, team, other_team
    ):
        first = services.lead_create(
            by=officer,
            investor=InvestorFactory(name="河南恒瑞精工装备集团有限公司"),
            title="精工装备生产基地项目",
            channel="own",
        )
        second = services.lead_create(
            by=outsider,
            investor=InvestorFactory(name="河南恒瑞精工装备集团有限公司 "),
            title="精工装备生产基地",
            channel="event",
        )
        unrelated = services.lead_create(
            by=outsider,
            investor=InvestorFactory(name="北京博远生物医药股份有限公司"),
            title="生物医药中试基地",
            channel="event",
        )
        assert second.duplicate_of == first
        assert unrelated.duplicate_of is None

    def test_the_team_leader_merges_a_duplicate_and_credit_stays_with_the_first(
        self, officer, colleague, team
    ):
        first = LeadFactory(team=team, owner=colleague)
        second = LeadFactory(team=team, owner=colleague, duplicate_of=first)
        with pytest.raises(NotAllowed):
            services.lead_merge(by=colleague, lead=second)
        services.lead_merge(by=officer, lead=second)
        second.refresh_from_db()
        assert second.merged and first.reported_by_id == first.reported_by.pk

    def test_not_following_a_lead_needs_a_reason(self, officer, team):
        lead = LeadFactory(team=team)
        with pytest.raises(ValidationError):
            services.lead_judge(by=officer, lead=lead, judgement="drop", reason=" ")
        services.lead_judge(by=officer, lead=lead, judgement="drop", reason="产业不符")
        assert lead.judgement == "drop"

    def test_another_team_may_not_follow_up_a_lead(self, outsider, team, other_team):
        lead = LeadFactory(team=team)
        with pytest.raises(NotAllowed):
            services.lead_follow_up(by=outsider, lead=lead, on=TODAY(), kind="call", note="x")

    def test_a_follow_up_moves_the_last_follow_up_date(self, officer, team):
        lead = LeadFactory(team=team, last_follow_up_on=TODAY() - datetime.timedelta(days=20))
        services.lead_follow_up(by=officer, lead=lead, on=TODAY(), kind="visit", note="拜访")
        lead.refresh_from_db()
        assert lead.last_follow_up_on == TODAY() and lead.follow_ups.count() == 1


class TestPool:
    def test_a_lead_without_follow_up_for_thirty_days_returns_to_the_pool(self, officer, team):
        stale = LeadFactory(team=team, last_follow_up_on=TODAY() - datetime.timedelta(days=31))
        fresh = LeadFactory(team=team, last_follow_up_on=TODAY() - datetime.timedelta(days=29))
        assert services.pool_return_stale() == 1
        stale.refresh_from_db()
        fresh.refresh_from_db()
        assert stale.owner is None and fresh.owner == officer
        assert services.pool_return_stale() == 0

    def test_the_celery_task_returns_stale_leads(self, officer, team):
        from apps.investment.tasks import pool_return

        LeadFactory(team=team, last_follow_up_on=TODAY() - datetime.timedelta(days=40))
        assert pool_return.delay().get() == 1

    def test_an_officer_claims_pool_leads_up_to_the_limit(self, settings, outsider, other_team):
        settings.INVESTMENT_CLAIM_LIMIT = 2
        pool = [LeadFactory(team=None, owner=None) for _ in range(3)]
        services.lead_claim(by=outsider, lead=pool[0])
        services.lead_claim(by=outsider, lead=pool[1])
        with pytest.raises(ValidationError, match="最多认领 2 条"):
            services.lead_claim(by=outsider, lead=pool[2])
        pool[0].refresh_from_db()
        assert pool[0].owner == outsider and pool[0].team == other_team

    def test_a_lead_with_an_owner_cannot_be_claimed(self, outsider, team, other_team):
        with pytest.raises(ValidationError):
            services.lead_claim(by=outsider, lead=LeadFactory(team=team))

    def test_leadership_cannot_claim(self, db):
        leader = make_role_user(Role.LEADER)
        with pytest.raises(NotAllowed):
            services.lead_claim(by=leader, lead=LeadFactory(team=None, owner=None))


def _project(team, status=Project.Status.NEGOTIATING, **fields):
    return ProjectFactory(team=team, status=status, **fields)


S = Project.Status


class TestPipeline:
    @pytest.mark.parametrize(
        ("action", "source", "target", "inputs"),
        [
            ("inspect", S.NEGOTIATING, S.INSPECTING, {}),
            ("submit_review", S.INSPECTING, S.REVIEWING, {}),
            ("produce", S.STARTED, S.PRODUCING, {}),
            ("reach_capacity", S.PRODUCING, S.CAPACITY, {}),
            ("shelve", S.INSPECTING, S.SHELVED, {}),
            ("terminate", S.REGISTERED, S.TERMINATED, {"reason": "投资方违约"}),
        ],
    )
    def test_the_team_moves_a_project_and_others_may_not(
        self, action, source, target, inputs, officer, colleague, outsider, team, other_team
    ):
        fields = (
            {"enterprise": EnterpriseFactory()}
            if source in (S.REGISTERED, S.STARTED, S.PRODUCING)
            else {}
        )
        project = _project(team, source, **fields)
        for stranger in (outsider, make_role_user(Role.LEADER), make_role_user(Role.ECONOMY)):
            with pytest.raises(NotAllowed):
                services.project_advance(project=project, action=action, by=stranger, **inputs)
        moved = services.project_advance(project=project, action=action, by=colleague, **inputs)
        assert moved.status == target
        assert moved.events.get().to_status == target

    def test_a_transition_from_the_wrong_stage_is_refused(self, officer, team):
        project = _project(team, S.NEGOTIATING)
        with pytest.raises(ValidationError):
            services.project_advance(project=project, action="produce", by=officer)

    def test_signing_needs_an_approved_admission_review(self, officer, team):
        project = _project(team, S.REVIEWING)
        with pytest.raises(ValidationError, match="准入评审"):
            services.project_advance(project=project, action="sign", by=officer, **_sign_inputs())
        _review(project, officer, conclusion=AdmissionReview.Conclusion.CONDITIONAL)
        signed = services.project_advance(
            project=project, action="sign", by=officer, **_sign_inputs()
        )
        assert signed.status == S.SIGNED and signed.contract_investment == Decimal("30000")
        assert signed.signings.count() == 1 and signed.signed_on == TODAY()

    def test_a_failed_veto_item_allows_only_a_rejection(self, officer, team):
        project = _project(team, S.REVIEWING)
        with pytest.raises(ValidationError, match="一票否决"):
            _review(project, officer, environment=False)
        review = _review(project, officer, environment=False, conclusion="rejected")
        assert review.intensity == Decimal("400.00")  # 20000 万元 ÷ 50 亩
        with pytest.raises(ValidationError):
            services.project_advance(project=project, action="sign", by=officer, **_sign_inputs())

    def test_registration_creates_the_enterprise_in_the_registry(self, officer, team):
        project = _project(team, S.SIGNED, signed_on=TODAY(), contract_investment=1000)
        code = make_credit_code(77)
        landed = services.project_advance(
            project=project,
            action="register",
            by=officer,
            enterprise=None,
            enterprise_name="落地新材料（大善）有限公司",
            credit_code=code,
        )
        assert landed.enterprise.credit_code == code
        landed.investor.refresh_from_db()
        assert landed.investor.enterprise == landed.enterprise

    def test_registration_refuses_a_bad_credit_code(self, officer, team):
        project = _project(team, S.SIGNED)
        with pytest.raises(ValidationError):
            services.project_advance(
                project=project,
                action="register",
                by=officer,
                enterprise=None,
                enterprise_name="某公司",
                credit_code="123",
            )
        project.refresh_from_db()
        assert project.status == S.SIGNED

    def test_starting_needs_a_permit_or_a_document(self, officer, team):
        project = _project(team, S.REGISTERED, enterprise=EnterpriseFactory())
        with pytest.raises(ValidationError, match="施工许可证号"):
            services.project_advance(
                project=project, action="start", by=officer, started_on=TODAY()
            )
        started = services.project_advance(
            project=project, action="start", by=officer, started_on=TODAY(), evidence="开工报告"
        )
        assert started.status == S.STARTED and started.start_evidence == "开工报告"

    def test_a_lost_project_needs_a_reason_and_resumes_where_it_was(self, officer, team):
        project = _project(team, S.INSPECTING)
        reason = LossReason.objects.first()
        lost = services.project_advance(
            project=project, action="lose", by=officer, loss_reason=reason, reason="去了外地"
        )
        assert lost.status == S.LOST and lost.loss_reason == reason
        resumed = services.project_advance(project=lost, action="resume", by=officer)
        assert resumed.status == S.INSPECTING and resumed.loss_reason is None

    def test_a_shelved_project_resumes_to_its_stage(self, officer, team):
        project = _project(team, S.REVIEWING)
        shelved = services.project_advance(project=project, action="shelve", by=officer)
        assert services.project_advance(project=shelved, action="resume", by=officer).status == (
            S.REVIEWING
        )

    def test_termination_is_only_after_signing_and_needs_a_reason(self, officer, team):
        with pytest.raises(ValidationError):
            services.project_advance(
                project=_project(team, S.INSPECTING), action="terminate", by=officer, reason="x"
            )
        with pytest.raises(ValidationError):
            services.project_advance(
                project=_project(team, S.SIGNED), action="terminate", by=officer, reason=" "
            )

    def test_funds_need_a_signed_project(self, officer, team):
        with pytest.raises(ValidationError):
            services.funds_arrival_create(
                by=officer, project=_project(team), month=TODAY(), fixed_assets=10, origin="city"
            )

    def test_a_project_is_opened_from_a_lead_once(self, officer, team):
        lead = LeadFactory(team=team)
        project = services.project_create(by=officer, lead=lead)
        assert project.investor == lead.investor and project.status == S.NEGOTIATING
        with pytest.raises(ValidationError):
            services.project_create(by=officer, lead=Lead.objects.get(pk=lead.pk))


class TestActivities:
    def test_an_outbound_trip_needs_a_destination(self, officer):
        with pytest.raises(ValidationError):
            services.activity_create(
                by=officer, kind="outbound", title="外出", starts_on=TODAY(), ends_on=TODAY()
            )

    def test_a_trip_report_is_due_fifteen_days_after_return(self, officer):
        activity = services.activity_create(
            by=officer,
            kind="outbound",
            title="赴沪招商",
            starts_on=TODAY() - datetime.timedelta(days=3),
            ends_on=TODAY(),
            province="上海",
        )
        assert activity.report_due_on == TODAY() + datetime.timedelta(days=15)
