import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from apps.accounts.models import Department
from apps.core.errors import NotAllowed
from apps.enterprises.models import Qualification
from apps.services import services
from apps.services.models import Demand, DemandEvent, LoanIntent, PolicyApplication, Visit
from tests.enterprises.factories import EnterpriseFactory
from tests.services.factories import (
    ApplicationFactory,
    DemandFactory,
    LoanIntentFactory,
    category,
    programme,
)

pytestmark = pytest.mark.django_db

Status = Demand.Status


def dept(code):
    return Department.objects.get(code=code)


def in_progress(actors, **kwargs):
    demand = DemandFactory(created_by=actors["service"], **kwargs)
    return services.demand_accept(demand=demand, by=actors["approval"])


def closed(actors, **kwargs):
    demand = in_progress(actors, **kwargs)
    return services.demand_close(demand=demand, by=actors["approval"], resolution="已办理完毕")


# --- creating --------------------------------------------------------------------------------


def test_a_visit_with_two_demands_is_logged_in_one_go(actors):
    enterprise = EnterpriseFactory()
    visit = services.visit_create(
        enterprise=enterprise,
        visited_on=datetime.date.today(),
        staff=[actors["service"]],
        method=Visit.Method.ON_SITE,
        purpose="了解项目手续",
        demands=[
            services.DemandInput(category=category("procedure"), description="消防验收"),
            services.DemandInput(category=category("labour"), description="招工难"),
        ],
        by=actors["service"],
    )
    demands = list(visit.demands.order_by("id"))
    assert [d.department.code for d in demands] == ["approval", "service"]
    assert all(d.source == Demand.Source.VISIT and d.status == Status.PENDING for d in demands)
    assert demands[0].deadline == visit.visited_on + datetime.timedelta(days=15)
    assert DemandEvent.objects.filter(action="create").count() == 2


def test_a_visit_whose_second_demand_is_invalid_leaves_nothing_behind(actors):
    with pytest.raises(ValidationError):
        services.visit_create(
            enterprise=EnterpriseFactory(),
            visited_on=datetime.date.today(),
            staff=[actors["service"]],
            method=Visit.Method.ON_SITE,
            purpose="走访",
            demands=[
                services.DemandInput(category=category("procedure"), description="消防验收"),
                services.DemandInput(category=category("labour"), description="   "),
            ],
            by=actors["service"],
        )
    assert not Visit.objects.exists() and not Demand.objects.exists()


def test_a_visit_cannot_be_dated_in_the_future(actors):
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.visit_create(
            enterprise=EnterpriseFactory(),
            visited_on=datetime.date.today() + datetime.timedelta(days=1),
            staff=[actors["service"]],
            method=Visit.Method.ON_SITE,
            purpose="走访",
            by=actors["service"],
        )


def test_an_approval_officer_may_not_log_visits(actors):
    with pytest.raises(NotAllowed, match="没有登记走访的权限"):
        services.visit_create(
            enterprise=EnterpriseFactory(),
            visited_on=datetime.date.today(),
            staff=[actors["approval"]],
            method=Visit.Method.PHONE,
            purpose="走访",
            by=actors["approval"],
        )


def test_a_liaison_registers_project_demands_but_no_others(actors):
    enterprise = EnterpriseFactory()
    demand = services.demand_create(
        enterprise=enterprise,
        source=Demand.Source.PROJECT,
        category=category("construction_dispute"),
        description="施工方与村民纠纷",
        by=actors["liaison"],
    )
    assert demand.department.code == "service"
    with pytest.raises(ValidationError, match="项目推进"):
        services.demand_create(
            enterprise=enterprise,
            source=Demand.Source.PHONE,
            category=category("labour"),
            description="招工难",
            by=actors["liaison"],
        )


@pytest.mark.parametrize("who", ["leader", "investment", "approval", "economy"])
def test_other_roles_may_not_register_demands(actors, who):
    with pytest.raises(NotAllowed, match="没有登记诉求的权限"):
        services.demand_create(
            enterprise=EnterpriseFactory(),
            source=Demand.Source.PHONE,
            category=category("labour"),
            description="招工难",
            by=actors[who],
        )


def test_the_deadline_defaults_from_the_category_and_may_be_set(actors):
    enterprise = EnterpriseFactory()
    raised = datetime.date(2023, 6, 1)
    kwargs = {
        "enterprise": enterprise,
        "source": Demand.Source.PHONE,
        "category": category("utilities"),
        "description": "停电",
        "raised_on": raised,
        "by": actors["service"],
    }
    assert services.demand_create(**kwargs).deadline == datetime.date(2023, 6, 11)
    chosen = services.demand_create(**kwargs, deadline=datetime.date(2023, 6, 3))
    assert chosen.deadline == datetime.date(2023, 6, 3)
    with pytest.raises(ValidationError, match="不能早于提出日期"):
        services.demand_create(**kwargs, deadline=datetime.date(2023, 5, 30))


def test_leadership_is_not_a_responsible_department(actors):
    with pytest.raises(ValidationError, match="责任部门须为"):
        services.demand_create(
            enterprise=EnterpriseFactory(),
            source=Demand.Source.PHONE,
            category=category("other"),
            description="其他",
            department=dept("leadership"),
            by=actors["service"],
        )


# --- accept ------------------------------------------------------------------------------------


def test_the_responsible_department_accepts_a_demand_and_becomes_its_assignee(actors):
    demand = DemandFactory(category=category("procedure"))
    demand = services.demand_accept(demand=demand, by=actors["approval"], comment="马上办")
    assert demand.status == Status.IN_PROGRESS
    assert demand.assignee == actors["approval"]
    event = demand.events.get()
    assert (event.action, event.from_status, event.to_status, event.by, event.comment) == (
        "accept",
        "pending",
        "in_progress",
        actors["approval"],
        "马上办",
    )


@pytest.mark.parametrize("who", ["service", "economy", "leader", "liaison", "investment"])
def test_no_one_outside_the_responsible_department_may_accept(actors, who):
    demand = DemandFactory(category=category("procedure"))
    with pytest.raises(NotAllowed, match="只有责任部门（行政审批局）的人员"):
        services.demand_accept(demand=demand, by=actors[who])
    demand.refresh_from_db()
    assert demand.status == Status.PENDING and not demand.events.exists()


def test_a_superuser_may_act_for_any_department(actors):
    demand = DemandFactory(category=category("procedure"))
    services.demand_accept(demand=demand, by=actors["admin"], assignee=actors["approval"])
    demand.refresh_from_db()
    assert demand.assignee == actors["approval"]


def test_the_assignee_must_work_in_the_responsible_department(actors):
    demand = DemandFactory(category=category("procedure"))
    with pytest.raises(ValidationError, match="承办人须为责任部门的人员"):
        services.demand_accept(demand=demand, by=actors["approval"], assignee=actors["service"])


def test_an_accepted_demand_cannot_be_accepted_again(actors):
    demand = in_progress(actors)
    with pytest.raises(ValidationError, match="只有待受理的诉求可以受理"):
        services.demand_accept(demand=demand, by=actors["approval"])


def test_a_stale_copy_cannot_accept_twice(actors):
    demand = DemandFactory(category=category("procedure"))
    stale = Demand.objects.get(pk=demand.pk)
    services.demand_accept(demand=demand, by=actors["approval"])
    with pytest.raises(ValidationError, match="只有待受理"):
        services.demand_accept(demand=stale, by=actors["approval"])
    assert DemandEvent.objects.filter(action="accept").count() == 1


# --- close -------------------------------------------------------------------------------------


def test_the_responsible_department_closes_with_a_resolution(actors):
    demand = in_progress(actors)
    demand = services.demand_close(demand=demand, by=actors["approval"], resolution="已办证")
    assert demand.status == Status.CLOSED and demand.closed_on == datetime.date.today()
    assert demand.resolution == "已办证"


def test_closing_needs_a_resolution(actors):
    demand = in_progress(actors)
    with pytest.raises(ValidationError, match="须填写办理结果"):
        services.demand_close(demand=demand, by=actors["approval"], resolution=" ")


@pytest.mark.parametrize("who", ["service", "economy", "leader"])
def test_others_may_not_close(actors, who):
    demand = in_progress(actors)
    with pytest.raises(NotAllowed, match="只有责任部门"):
        services.demand_close(demand=demand, by=actors[who], resolution="好了")


def test_a_pending_demand_cannot_be_closed(actors):
    demand = DemandFactory()
    with pytest.raises(ValidationError, match="只有办理中的诉求可以办结"):
        services.demand_close(demand=demand, by=actors["approval"], resolution="好了")


# --- follow up ---------------------------------------------------------------------------------


def test_enterprise_service_follows_up_a_closed_demand(actors):
    demand = closed(actors)
    demand = services.demand_follow_up(
        demand=demand, by=actors["service"], satisfaction="satisfied", comment="企业满意"
    )
    assert demand.status == Status.FOLLOWED_UP and demand.satisfaction == "satisfied"
    assert demand.events.last().satisfaction == "satisfied"


def test_a_dissatisfied_follow_up_reopens_the_demand_to_the_same_assignee(actors):
    demand = closed(actors)
    demand = services.demand_follow_up(
        demand=demand, by=actors["service"], satisfaction="dissatisfied", comment="证还没拿到"
    )
    demand.refresh_from_db()
    assert demand.status == Status.IN_PROGRESS
    assert demand.assignee == actors["approval"]
    assert demand.closed_on is None and demand.satisfaction == ""
    event = demand.events.last()
    assert (event.action, event.from_status, event.to_status, event.satisfaction) == (
        "reopen",
        "closed",
        "in_progress",
        "dissatisfied",
    )
    # ... and it goes round the loop again.
    services.demand_close(demand=demand, by=actors["approval"], resolution="证已送达")
    demand = services.demand_follow_up(
        demand=demand, by=actors["service"], satisfaction="basically"
    )
    assert demand.status == Status.FOLLOWED_UP
    assert list(demand.events.values_list("action", flat=True)) == [
        "accept",
        "close",
        "reopen",
        "close",
        "follow_up",
    ]


def test_dissatisfaction_needs_a_reason(actors):
    demand = closed(actors)
    with pytest.raises(ValidationError, match="须说明原因"):
        services.demand_follow_up(demand=demand, by=actors["service"], satisfaction="dissatisfied")


@pytest.mark.parametrize("who", ["approval", "economy", "leader", "liaison"])
def test_only_enterprise_service_follows_up(actors, who):
    demand = closed(actors)
    with pytest.raises(NotAllowed, match="回访由企业服务局人员进行"):
        services.demand_follow_up(demand=demand, by=actors[who], satisfaction="satisfied")


def test_an_open_demand_cannot_be_followed_up(actors):
    demand = in_progress(actors)
    with pytest.raises(ValidationError, match="只有已办结的诉求可以回访"):
        services.demand_follow_up(demand=demand, by=actors["service"], satisfaction="satisfied")


# --- return and reassign ---------------------------------------------------------------------


def test_the_responsible_department_returns_a_demand_with_a_reason(actors):
    demand = DemandFactory()
    with pytest.raises(ValidationError, match="退回须说明原因"):
        services.demand_return(demand=demand, by=actors["approval"], reason="")
    demand = services.demand_return(demand=demand, by=actors["approval"], reason="不属于管委会职权")
    assert demand.status == Status.RETURNED
    assert demand.events.get().comment == "不属于管委会职权"


def test_an_accepted_demand_cannot_be_returned(actors):
    demand = in_progress(actors)
    with pytest.raises(ValidationError, match="只有待受理的诉求可以退回"):
        services.demand_return(demand=demand, by=actors["approval"], reason="x")


def test_others_may_not_return(actors):
    with pytest.raises(NotAllowed, match="只有责任部门"):
        services.demand_return(demand=DemandFactory(), by=actors["service"], reason="x")


def test_reassignment_hands_the_demand_to_another_department_to_accept_again(actors):
    demand = in_progress(actors)
    demand = services.demand_reassign(
        demand=demand, by=actors["approval"], department=dept("economy"), reason="涉及资金"
    )
    assert demand.status == Status.PENDING and demand.department.code == "economy"
    assert demand.assignee is None
    assert demand.events.last().comment == "由行政审批局转至经济发展局：涉及资金"
    services.demand_accept(demand=demand, by=actors["economy"])


def test_reassignment_needs_a_reason_and_another_department(actors):
    demand = DemandFactory()
    with pytest.raises(ValidationError, match="转办须说明原因"):
        services.demand_reassign(
            demand=demand, by=actors["approval"], department=dept("economy"), reason=""
        )
    with pytest.raises(ValidationError, match="另一个部门"):
        services.demand_reassign(
            demand=demand, by=actors["approval"], department=dept("approval"), reason="x"
        )
    with pytest.raises(ValidationError, match="责任部门须为"):
        services.demand_reassign(
            demand=demand, by=actors["approval"], department=dept("leadership"), reason="x"
        )


def test_others_may_not_reassign_and_closed_demands_cannot_be(actors):
    with pytest.raises(NotAllowed, match="只有责任部门"):
        services.demand_reassign(
            demand=DemandFactory(), by=actors["economy"], department=dept("economy"), reason="x"
        )
    with pytest.raises(ValidationError, match="只有待受理或办理中"):
        services.demand_reassign(
            demand=closed(actors), by=actors["approval"], department=dept("economy"), reason="x"
        )


def test_the_allowed_actions_follow_the_same_rules(actors):
    demand = DemandFactory()
    assert services.demand_allowed_actions(user=actors["approval"], demand=demand) == [
        "accept",
        "return",
        "reassign",
    ]
    assert services.demand_allowed_actions(user=actors["service"], demand=demand) == []
    demand = closed(actors)
    assert services.demand_allowed_actions(user=actors["service"], demand=demand) == ["follow_up"]
    # The leadership's one action is an instruction (批示), at any stage.
    assert services.demand_allowed_actions(user=actors["leader"], demand=demand) == ["instruct"]


def test_the_database_refuses_a_followed_up_demand_without_satisfaction(actors):
    demand = closed(actors)
    with pytest.raises(IntegrityError):
        Demand.objects.filter(pk=demand.pk).update(status=Status.FOLLOWED_UP)


# --- loans ---------------------------------------------------------------------------------------


def test_a_loan_intent_goes_from_intent_to_disbursed(actors):
    intent = LoanIntentFactory(amount=1000)
    by = actors["economy"]
    services.loan_intent_advance(intent=intent, status="reviewing", by=by)
    services.loan_intent_advance(intent=intent, status="credited", by=by, credit_amount=800)
    intent = services.loan_intent_advance(
        intent=intent, status="disbursed", by=by, disbursed_amount=Decimal("600")
    )
    assert (intent.status, intent.credit_amount, intent.disbursed_amount) == (
        "disbursed",
        800,
        600,
    )


def test_a_loan_intent_refuses_skipped_steps_and_missing_amounts(actors):
    intent = LoanIntentFactory()
    by = actors["economy"]
    with pytest.raises(ValidationError, match="当前状态为“意向”，不能放款"):
        services.loan_intent_advance(intent=intent, status="disbursed", by=by)
    services.loan_intent_advance(intent=intent, status="reviewing", by=by)
    with pytest.raises(ValidationError, match="授信金额必须大于 0"):
        services.loan_intent_advance(intent=intent, status="credited", by=by)
    services.loan_intent_advance(intent=intent, status="credited", by=by, credit_amount=500)
    with pytest.raises(ValidationError, match="不能超过授信金额"):
        services.loan_intent_advance(intent=intent, status="disbursed", by=by, disbursed_amount=501)


def test_a_failed_loan_intent_needs_a_reason_and_only_economy_manages_loans(actors):
    intent = LoanIntentFactory()
    with pytest.raises(ValidationError, match="须说明原因"):
        services.loan_intent_advance(intent=intent, status="failed", by=actors["economy"])
    with pytest.raises(NotAllowed, match="经济发展局负责"):
        services.loan_intent_advance(intent=intent, status="reviewing", by=actors["service"])
    intent = services.loan_intent_advance(
        intent=intent, status="failed", by=actors["economy"], reason="抵押物不足"
    )
    assert intent.status == LoanIntent.Status.FAILED


# --- policy applications -------------------------------------------------------------------------


def submitted(actors, **kwargs):
    application = ApplicationFactory(**kwargs)
    return services.application_advance(
        application=application,
        status="submitted",
        on=datetime.date(2023, 5, 10),
        by=actors["economy"],
    )


def test_approving_a_qualification_programme_gives_the_enterprise_the_qualification(actors):
    application = submitted(actors, programme=programme("high_tech"))
    application = services.application_advance(
        application=application,
        status="approved",
        on=datetime.date(2023, 9, 1),
        by=actors["economy"],
        certificate_no="GC-2023-01",
    )
    assert application.status == PolicyApplication.Status.APPROVED
    qualification = Qualification.objects.get(enterprise=application.enterprise)
    assert qualification.type.code == "high_tech"
    assert qualification.issued_on == datetime.date(2023, 9, 1)
    # The registry's one expiry rule: valid through the day before the third anniversary.
    assert qualification.expires_on == datetime.date(2026, 8, 31)
    assert qualification.certificate_no == "GC-2023-01"


def test_a_qualification_without_a_validity_period_never_expires(actors):
    application = submitted(actors, programme=programme("city_engineering"))
    services.application_advance(
        application=application,
        status="approved",
        on=datetime.date(2023, 9, 1),
        by=actors["economy"],
    )
    assert Qualification.objects.get().expires_on is None


def test_a_fund_programme_approval_records_the_amount_and_no_qualification(actors):
    application = submitted(actors, programme=programme("manufacturing_fund"))
    services.application_advance(
        application=application,
        status="approved",
        on=datetime.date(2023, 9, 1),
        by=actors["economy"],
        amount_granted=Decimal("50"),
    )
    application.refresh_from_db()
    assert application.amount_granted == 50
    assert not Qualification.objects.exists()


def test_when_creating_the_qualification_fails_the_approval_is_undone_too(actors):
    application = submitted(actors, programme=programme("high_tech"))
    with (
        mock.patch.object(Qualification, "save", side_effect=IntegrityError("boom")),
        pytest.raises(IntegrityError),
    ):
        services.application_advance(
            application=application,
            status="approved",
            on=datetime.date(2023, 9, 1),
            by=actors["economy"],
        )
    application.refresh_from_db()
    assert application.status == PolicyApplication.Status.SUBMITTED
    assert application.decided_on is None
    assert not Qualification.objects.exists()


def test_a_rejected_application_creates_no_qualification(actors):
    application = submitted(actors)
    services.application_advance(
        application=application,
        status="rejected",
        on=datetime.date(2023, 9, 1),
        by=actors["economy"],
        reason="研发投入占比不足",
    )
    assert not Qualification.objects.exists()


def test_applications_cannot_skip_submission_or_be_decided_before_it(actors):
    application = ApplicationFactory()
    with pytest.raises(ValidationError, match="当前状态为“辅导中”，不能获批"):
        services.application_advance(
            application=application,
            status="approved",
            on=datetime.date(2023, 9, 1),
            by=actors["economy"],
        )
    application = submitted(actors, enterprise=EnterpriseFactory())
    with pytest.raises(ValidationError, match="不能早于申报日期"):
        services.application_advance(
            application=application,
            status="approved",
            on=datetime.date(2023, 5, 1),
            by=actors["economy"],
        )


def test_only_economy_manages_applications(actors):
    with pytest.raises(NotAllowed, match="经济发展局负责"):
        services.application_advance(
            application=ApplicationFactory(),
            status="submitted",
            on=datetime.date(2023, 5, 1),
            by=actors["service"],
        )


def test_the_department_may_commit_to_another_deadline_when_accepting(actors):
    demand = DemandFactory(raised_on=datetime.date(2023, 6, 1), deadline=datetime.date(2023, 6, 16))
    with pytest.raises(ValidationError, match="不能早于提出日期"):
        services.demand_accept(
            demand=demand, by=actors["approval"], deadline=datetime.date(2023, 5, 1)
        )
    demand = services.demand_accept(
        demand=demand,
        by=actors["approval"],
        comment="需会同住建部门",
        deadline=datetime.date(2023, 6, 30),
    )
    assert demand.deadline == datetime.date(2023, 6, 30)
    assert demand.events.get().comment == "需会同住建部门\n办理期限由 2023-06-16 调整为 2023-06-30"
