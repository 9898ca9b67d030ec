"""Every write of enterprise service that is more than a plain save.

Views, the API, the admin, the demo and commands all call these functions; refusals follow
apps.core.errors (NotAllowed: 403, Refused / ValidationError: 400). The three state machines
(demands, loan intents, policy applications) are declarations at the end of this module
(apps.core.workflow): each transition's rule, inputs and change are written once.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import Department, User
from apps.core.dates import check_done_on, check_planned_on, check_year
from apps.core.errors import NotAllowed, Refused
from apps.core.workflow import Transition, Workflow
from apps.enterprises import services as enterprise_services
from apps.enterprises.models import Enterprise, Qualification
from apps.services import forms, notifications, permissions
from apps.services.models import (
    Demand,
    DemandCategory,
    DemandEvent,
    FinancingNeed,
    LoanIntent,
    LoanIntentEvent,
    MatchmakingMeeting,
    PolicyApplication,
    PolicyApplicationEvent,
    Visit,
)

Action = DemandEvent.Action
Status = Demand.Status


def default_deadline(*, category: DemandCategory, raised_on: date) -> date:
    return raised_on + timedelta(days=category.time_limit_days)


def _check_department(department: Department, field: str = "department") -> None:
    if department.code == Department.Code.LEADERSHIP:
        raise Refused(
            _("责任部门须为党政办、经济发展局、招商局、企业服务局或行政审批局"), field=field
        )


# --- Creating demands and visits --------------------------------------------------------------


@dataclass
class DemandInput:
    """One demand raised during a visit, as entered in the visit form."""

    category: DemandCategory
    description: str
    priority: str = Demand.Priority.NORMAL
    department: Department | None = None
    deadline: date | None = None


@transaction.atomic
def demand_create(
    *,
    enterprise: Enterprise,
    source: str,
    category: DemandCategory,
    description: str,
    by: User,
    visit: Visit | None = None,
    department: Department | None = None,
    priority: str = Demand.Priority.NORMAL,
    raised_on: date | None = None,
    deadline: date | None = None,
    assignee: User | None = None,
    project=None,
    at: datetime | None = None,
) -> Demand:
    if not by.has_perm("services.add_demand"):
        raise NotAllowed(_("您没有登记诉求的权限"))
    if not permissions.can_register_demand(by, source):
        raise Refused(_("项目联络员只能登记来源为“项目推进”的诉求"), field="source")
    if not description.strip():
        raise Refused(_("请填写诉求内容"), field="description")
    if source == Demand.Source.VISIT and visit is None:
        raise Refused(_("来源为走访的诉求须关联走访记录"), field="source")
    if visit is not None and visit.enterprise_id != enterprise.pk:
        raise Refused(_("关联的走访记录不是该企业的"))
    if project is not None:
        if source != Demand.Source.PROJECT:
            raise Refused(_("关联项目的诉求来源须为“项目推进”"), field="source")
        if project.enterprise_id != enterprise.pk:
            raise Refused(_("所属项目不是该企业的"), field="project")
    department = department or category.default_department
    _check_department(department)
    raised_on = raised_on or timezone.localdate()
    check_done_on(raised_on, field="raised_on", label=_("提出日期"))
    deadline = deadline or default_deadline(category=category, raised_on=raised_on)
    check_planned_on(
        deadline,
        field="deadline",
        label=_("办理期限"),
        not_before=raised_on,
        not_before_label=_("提出日期"),
    )
    demand = Demand.objects.create(
        enterprise=enterprise,
        source=source,
        visit=visit,
        project=project,
        category=category,
        description=description.strip(),
        department=department,
        assignee=assignee,
        priority=priority,
        raised_on=raised_on,
        deadline=deadline,
        created_by=by,
    )
    DemandEvent.objects.create(
        demand=demand,
        action=Action.CREATE,
        from_status="",
        to_status=demand.status,
        by=by,
        at=at or timezone.now(),
    )
    if getattr(settings, "WORKFLOW_NOTIFY", True):
        transaction.on_commit(lambda: notifications.demand_routed(demand, by))
    return demand


def demand_also_changes(demand: Demand) -> tuple[str, ...]:
    """The figure areas a write of this demand changes besides the services': a demand about a
    project is one of the project's problems, which its ledger colour reads
    (apps.projects.rag.COLOUR_AREAS). The others leave the projects' cached figures alone.
    Every save and delete of a demand invalidates through it (apps/services/apps.py: the
    services' rows invalidate their area by signal, figures.invalidate_on_write)."""
    return ("projects",) if demand.project_id is not None else ()


def _check_visit_fields(
    *, visited_on=None, method=None, purpose=None, staff=None, already=frozenset()
) -> None:
    check_done_on(visited_on, field="visited_on", label=_("走访日期"))
    if method is not None and method not in Visit.Method.values:
        raise Refused(_("请选择走访方式"), field="method")
    if purpose is not None and not purpose.strip():
        raise Refused(_("请填写走访目的"), field="purpose")
    if staff is not None:
        if not staff:
            raise Refused(_("请至少选择一名走访人员"), field="staff")
        # One rule for page and API: the officers are 企业服务局 staff (an officer who went on
        # a visit and has since moved stays on it when the visit is corrected).
        if not all(u.pk in already or permissions.can_go_on_visits(u) for u in staff):
            raise Refused(_("走访人员须为企业服务局的在职人员"), field="staff")


@transaction.atomic
def visit_create(
    *,
    enterprise: Enterprise,
    visited_on: date,
    staff: Iterable[User],
    purpose: str,
    method: str = Visit.Method.ON_SITE,
    findings: str = "",
    demands: Iterable[DemandInput] = (),
    by: User,
    at: datetime | None = None,
) -> Visit:
    """Log a visit and the demands raised during it, all or nothing."""
    if not permissions.can_log_visit(by):
        raise NotAllowed(_("您没有登记走访的权限"))
    staff = list(staff)
    _check_visit_fields(visited_on=visited_on, method=method, purpose=purpose, staff=staff)
    visit = Visit.objects.create(
        enterprise=enterprise,
        visited_on=visited_on,
        method=method,
        purpose=purpose.strip(),
        findings=findings,
        created_by=by,
    )
    visit.staff.set(staff)
    for item in demands:
        demand_create(
            enterprise=enterprise,
            source=Demand.Source.VISIT,
            visit=visit,
            category=item.category,
            description=item.description,
            priority=item.priority,
            department=item.department,
            deadline=item.deadline,
            raised_on=visited_on,
            by=by,
            at=at,
        )
    return visit


def visit_update_refusal(user: User, visit: Visit, *, at: datetime | None = None):
    """Why `user` may not correct `visit` now (an exception to raise), or None when they may."""
    if not permissions.is_visit_participant(user, visit):
        return NotAllowed(_("只有登记人或参与走访的人员可以修改走访记录"))
    age = (at or timezone.now()) - visit.created_at
    if age > timedelta(days=permissions.VISIT_CORRECTION_DAYS):
        return Refused(
            _("走访登记已超过 %(days)d 天，不能再修改")
            % {"days": permissions.VISIT_CORRECTION_DAYS}
        )
    return None


@transaction.atomic
def visit_update(
    *,
    visit: Visit,
    by: User,
    visited_on: date | None = None,
    method: str | None = None,
    staff: Iterable[User] | None = None,
    purpose: str | None = None,
    findings: str | None = None,
    at: datetime | None = None,
) -> Visit:
    """Correct a visit's date, method, officers, purpose or findings (None keeps a value).
    Its enterprise and its demands are not touched: demands have their own lifecycle. The
    history keeps the previous values and who changed them."""
    visit = Visit.objects.select_for_update(of=("self",)).prefetch_related("staff").get(pk=visit.pk)
    refusal = visit_update_refusal(by, visit, at=at)
    if refusal is not None:
        raise refusal
    staff = list(staff) if staff is not None else None
    _check_visit_fields(
        visited_on=visited_on,
        method=method,
        purpose=purpose,
        staff=staff,
        already={u.pk for u in visit.staff.all()},
    )
    if visited_on is not None:
        visit.visited_on = visited_on
    if method is not None:
        visit.method = method
    if purpose is not None:
        visit.purpose = purpose.strip()
    if findings is not None:
        visit.findings = findings
    visit._history_user = by
    visit.save()
    if staff is not None and {u.pk for u in staff} != {u.pk for u in visit.staff.all()}:
        visit.staff.set(staff)
    return visit


# --- Demand transitions -------------------------------------------------------------------------


def _responsible(user: User, demand: Demand) -> str | None:
    if not permissions.is_responsible(user, demand):
        return _("只有责任部门（%(department)s）的人员可以办理该诉求") % {
            "department": demand.department.name
        }
    return None


def _follow_up_officer(user: User, demand: Demand) -> str | None:
    if not permissions.can_follow_up(user):
        return _("回访由企业服务局人员进行")
    return None


def _accept(demand, *, by, assignee=None, comment="", deadline=None):
    assignee = assignee or by
    if assignee.department_id != demand.department_id and not assignee.is_superuser:
        raise Refused(_("承办人须为责任部门的人员"), field="assignee")
    if deadline is not None and deadline != demand.deadline:
        # The department may commit to another time limit when it takes the demand on; the
        # change is on the record.
        check_planned_on(
            deadline,
            field="deadline",
            label=_("办理期限"),
            not_before=demand.raised_on,
            not_before_label=_("提出日期"),
        )
        note = _("办理期限由 %(old)s 调整为 %(new)s") % {
            "old": demand.deadline.isoformat(),
            "new": deadline.isoformat(),
        }
        comment = f"{comment.strip()}\n{note}".strip()
        demand.deadline = deadline
    demand.assignee = assignee
    return {"comment": comment}


def _close(demand, *, by, resolution, closed_on=None):
    if not resolution.strip():
        raise Refused(_("办结须填写办理结果"), field="resolution")
    closed_on = closed_on or timezone.localdate()
    check_done_on(
        closed_on,
        field="closed_on",
        label=_("办结日期"),
        not_before=demand.raised_on,
        not_before_label=_("提出日期"),
    )
    demand.resolution = resolution.strip()
    demand.closed_on = closed_on
    return {"comment": resolution}


def _follow_up(demand, *, by, satisfaction, comment=""):
    """不满意 sends the demand back to 办理中 with the same department and assignee; the
    verdict stays on the event."""
    if satisfaction not in Demand.Satisfaction.values:
        raise Refused(_("请选择满意度"), field="satisfaction")
    if satisfaction == Demand.Satisfaction.DISSATISFIED:
        if not comment.strip():
            raise Refused(_("企业不满意时须说明原因"), field="comment")
        demand.closed_on = None
        demand.satisfaction = ""
        return {"action": Action.REOPEN, "comment": comment, "satisfaction": satisfaction}
    demand.satisfaction = satisfaction
    return {"comment": comment, "satisfaction": satisfaction}


def _follow_up_target(demand, inputs):
    if inputs.get("satisfaction") == Demand.Satisfaction.DISSATISFIED:
        return Status.IN_PROGRESS
    return Status.FOLLOWED_UP


def _return(demand, *, by, reason):
    if not reason.strip():
        raise Refused(_("退回须说明原因"), field="reason")
    return {"comment": reason.strip()}


def _reassign(demand, *, by, department, reason):
    if not reason.strip():
        raise Refused(_("转办须说明原因"), field="reason")
    _check_department(department)
    if department.pk == demand.department_id:
        raise Refused(_("转办须选择另一个部门"), field="department")
    old = demand.department.name
    demand.department = department
    demand.assignee = None
    return {
        "comment": _("由%(old)s转至%(new)s：%(reason)s")
        % {"old": old, "new": department.name, "reason": reason.strip()}
    }


def _instruct(demand, *, by, instruction):
    if not instruction.strip():
        raise Refused(_("批示内容不能为空"), field="instruction")
    return {"comment": instruction.strip()}


def _notify(event):
    """A transition's notification (apps.services.notifications), told the demand and the actor."""
    return lambda demand, by, _event: event(demand, by)


DEMAND_WORKFLOW = Workflow(
    model=Demand,
    event_model=DemandEvent,
    event_fk="demand",
    transitions=[
        Transition(
            Action.ACCEPT,
            gettext_lazy("受理"),
            sources=(Status.PENDING,),
            target=Status.IN_PROGRESS,
            actor_rule=_responsible,
            form=forms.AcceptForm,
            apply=_accept,
            state_message=gettext_lazy("只有待受理的诉求可以受理"),
            button_class="btn-primary",
            notify=_notify(notifications.demand_assigned),
        ),
        Transition(
            Action.CLOSE,
            gettext_lazy("办结"),
            sources=(Status.IN_PROGRESS,),
            target=Status.CLOSED,
            actor_rule=_responsible,
            form=forms.CloseForm,
            apply=_close,
            state_message=gettext_lazy("只有办理中的诉求可以办结"),
            button_class="btn-primary",
            notify=_notify(notifications.demand_closed),
        ),
        Transition(
            Action.FOLLOW_UP,
            gettext_lazy("回访"),
            sources=(Status.CLOSED,),
            target=_follow_up_target,
            actor_rule=_follow_up_officer,
            form=forms.FollowUpForm,
            apply=_follow_up,
            state_message=gettext_lazy("只有已办结的诉求可以回访"),
            button_class="btn-primary",
        ),
        Transition(
            Action.RETURN,
            gettext_lazy("退回"),
            sources=(Status.PENDING,),
            target=Status.RETURNED,
            actor_rule=_responsible,
            form=forms.ReturnForm,
            apply=_return,
            state_message=gettext_lazy("只有待受理的诉求可以退回"),
            notify=_notify(notifications.demand_returned),
        ),
        Transition(
            Action.REASSIGN,
            gettext_lazy("转办"),
            sources=Demand.OPEN_STATUSES,
            target=Status.PENDING,
            actor_rule=_responsible,
            form=forms.ReassignForm,
            apply=_reassign,
            state_message=gettext_lazy("只有待受理或办理中的诉求可以转办"),
            notify=_notify(notifications.demand_routed),
        ),
        Transition(
            Action.INSTRUCT,
            gettext_lazy("批示"),
            permission="services.instruct_demand",
            denied_message=gettext_lazy("只有领导可以对诉求作出批示"),
            form=forms.InstructForm,
            apply=_instruct,
            notify=_notify(notifications.demand_instructed),
        ),
    ],
)


def demand_allowed_actions(*, user: User, demand: Demand) -> list[str]:
    """The transitions this user may take on this demand now (for buttons)."""
    return DEMAND_WORKFLOW.allowed_actions(user, demand)


def demand_accept(*, demand, by, assignee=None, comment="", deadline=None, at=None) -> Demand:
    return DEMAND_WORKFLOW.perform(
        demand, Action.ACCEPT, by=by, at=at, assignee=assignee, comment=comment, deadline=deadline
    )


def demand_close(*, demand, by, resolution, closed_on=None, at=None) -> Demand:
    return DEMAND_WORKFLOW.perform(
        demand, Action.CLOSE, by=by, at=at, resolution=resolution, closed_on=closed_on
    )


def demand_follow_up(*, demand, by, satisfaction, comment="", at=None) -> Demand:
    return DEMAND_WORKFLOW.perform(
        demand, Action.FOLLOW_UP, by=by, at=at, satisfaction=satisfaction, comment=comment
    )


def demand_return(*, demand, by, reason, at=None) -> Demand:
    return DEMAND_WORKFLOW.perform(demand, Action.RETURN, by=by, at=at, reason=reason)


def demand_reassign(*, demand, by, department, reason, at=None) -> Demand:
    return DEMAND_WORKFLOW.perform(
        demand, Action.REASSIGN, by=by, at=at, department=department, reason=reason
    )


def demand_instruct(*, demand, by, instruction, at=None) -> Demand:
    """The leadership's instruction (批示) on a demand, at any stage: the one write leadership
    makes. It goes on the timeline; the status does not change."""
    return DEMAND_WORKFLOW.perform(demand, Action.INSTRUCT, by=by, at=at, instruction=instruction)


# --- Bank matchmaking ---------------------------------------------------------------------------


def _check_manager(by: User) -> None:
    if not permissions.can_manage_financing(by):
        raise NotAllowed(_("政银企对接由经济发展局负责"))


def _positive(amount: Decimal | None, *, field: str, label: str) -> Decimal:
    if amount is None or amount <= 0:
        raise Refused(_("%(label)s必须大于 0") % {"label": label}, field=field)
    return amount


@transaction.atomic
def meeting_save(
    *,
    by: User,
    meeting: MatchmakingMeeting | None = None,
    enterprises=None,
    institutions=None,
    **fields,
) -> MatchmakingMeeting:
    """Record or correct a matchmaking meeting with the institutions and enterprises present."""
    _check_manager(by)
    meeting = meeting or MatchmakingMeeting()
    for name, value in fields.items():
        setattr(meeting, name, value)
    check_done_on(meeting.held_on, field="held_on", label=_("日期"))
    meeting.full_clean()
    meeting._history_user = by
    meeting.save()
    if institutions is not None:
        meeting.institutions.set(institutions)
    if enterprises is not None:
        meeting.enterprises.set(enterprises)
    return meeting


@transaction.atomic
def meeting_delete(*, by: User, meeting: MatchmakingMeeting) -> None:
    _check_manager(by)
    meeting.delete()


@transaction.atomic
def financing_need_save(*, by: User, need: FinancingNeed | None = None, **fields) -> FinancingNeed:
    _check_manager(by)
    need = need or FinancingNeed()
    for name, value in fields.items():
        setattr(need, name, value)
    _positive(need.amount, field="amount", label=_("融资需求金额"))
    check_done_on(need.raised_on, field="raised_on", label=_("提出日期"))
    need.full_clean()
    need._history_user = by
    need.save()
    return need


@transaction.atomic
def financing_need_delete(*, by: User, need: FinancingNeed) -> None:
    _check_manager(by)
    need.delete()


@transaction.atomic
def loan_intent_create(
    *,
    by: User,
    enterprise: Enterprise,
    institution,
    amount: Decimal,
    signed_on: date,
    meeting: MatchmakingMeeting | None = None,
) -> LoanIntent:
    _check_manager(by)
    _positive(amount, field="amount", label=_("意向金额"))
    check_done_on(signed_on, field="signed_on", label=_("签订日期"))
    intent = LoanIntent(
        enterprise=enterprise,
        institution=institution,
        meeting=meeting,
        amount=amount,
        signed_on=signed_on,
    )
    intent.full_clean()
    intent._history_user = by
    intent.save()
    LoanIntentEvent.objects.create(
        intent=intent, action="create", to_status=intent.status, by=by, at=timezone.now()
    )
    return intent


def _financing_officer(user: User, intent) -> str | None:
    return None if permissions.can_manage_financing(user) else _("政银企对接由经济发展局负责")


def _loan_credit(intent, *, by, credit_amount, comment=""):
    intent.credit_amount = _positive(credit_amount, field="credit_amount", label=_("授信金额"))
    return {"comment": comment}


def _loan_disburse(intent, *, by, disbursed_amount, comment=""):
    _positive(disbursed_amount, field="disbursed_amount", label=_("放款金额"))
    if disbursed_amount > intent.credit_amount:
        raise Refused(_("放款金额不能超过授信金额"), field="disbursed_amount")
    intent.disbursed_amount = disbursed_amount
    return {"comment": comment}


def _loan_fail(intent, *, by, reason):
    reason = reason.strip()
    if not reason:
        raise Refused(_("未成功须说明原因"), field="reason")
    intent.failure_reason = reason[:200]
    return {"comment": reason}


def _comment_only(obj, *, by, comment=""):
    return {"comment": comment}


_LOAN = LoanIntent.Status
LOAN_WORKFLOW = Workflow(
    model=LoanIntent,
    event_model=LoanIntentEvent,
    event_fk="intent",
    transitions=[
        Transition(
            "review",
            gettext_lazy("进入审批"),
            sources=(_LOAN.INTENT,),
            target=_LOAN.REVIEWING,
            actor_rule=_financing_officer,
            form=forms.LoanCommentForm,
            apply=_comment_only,
            button_class="btn-primary",
        ),
        Transition(
            "credit",
            gettext_lazy("授信"),
            sources=(_LOAN.REVIEWING,),
            target=_LOAN.CREDITED,
            actor_rule=_financing_officer,
            form=forms.LoanCreditForm,
            apply=_loan_credit,
            button_class="btn-primary",
        ),
        Transition(
            "disburse",
            gettext_lazy("放款"),
            sources=(_LOAN.CREDITED,),
            target=_LOAN.DISBURSED,
            actor_rule=_financing_officer,
            form=forms.LoanDisburseForm,
            apply=_loan_disburse,
            button_class="btn-primary",
        ),
        Transition(
            "fail",
            gettext_lazy("未成功"),
            sources=(_LOAN.INTENT, _LOAN.REVIEWING, _LOAN.CREDITED),
            target=_LOAN.FAILED,
            actor_rule=_financing_officer,
            form=forms.ReasonForm,
            apply=_loan_fail,
            button_class="btn-outline-danger",
        ),
    ],
)

# The transition that reaches each status (for callers that name the status wanted).
_LOAN_ACTION_FOR = {t.target: t.action for t in LOAN_WORKFLOW.transitions}


def loan_intent_advance(
    *,
    intent: LoanIntent,
    status: str,
    by: User,
    credit_amount: Decimal | None = None,
    disbursed_amount: Decimal | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> LoanIntent:
    """意向 → 审批中 → 已授信 → 已放款, or 未成功 (with a reason) from any open step."""
    action = _LOAN_ACTION_FOR.get(status)
    if action is None:
        raise Refused(_("未知的状态：%(status)s") % {"status": status}, field="status")
    inputs = {
        "credit": {"credit_amount": credit_amount},
        "disburse": {"disbursed_amount": disbursed_amount},
        "fail": {"reason": reason},
    }.get(action, {})
    return LOAN_WORKFLOW.perform(intent, action, by=by, at=at, **inputs)


# --- Policy applications ------------------------------------------------------------------------


def _application_officer(user: User, application) -> str | None:
    if permissions.can_manage_applications(user):
        return None
    return _("惠企政策申报由经济发展局负责")


@transaction.atomic
def application_create(
    *,
    by: User,
    enterprise: Enterprise,
    programme,
    year: int,
    started_on: date,
    helpers=(),
    notes: str = "",
) -> PolicyApplication:
    if not permissions.can_manage_applications(by):
        raise NotAllowed(_("惠企政策申报由经济发展局负责"))
    check_year(year, label=_("申报年度"))
    check_done_on(started_on, field="started_on", label=_("开始辅导日期"))
    application = PolicyApplication(
        enterprise=enterprise, programme=programme, year=year, started_on=started_on, notes=notes
    )
    application.full_clean()
    application._history_user = by
    application.save()
    application.helpers.set(helpers)
    PolicyApplicationEvent.objects.create(
        application=application,
        action="create",
        to_status=application.status,
        by=by,
        at=timezone.now(),
    )
    return application


def _submit(application, *, by, on, comment=""):
    check_done_on(
        on,
        field="on",
        label=_("申报日期"),
        not_before=application.started_on,
        not_before_label=_("开始辅导日期"),
    )
    application.submitted_on = on
    return {"comment": comment}


def _decide(application, *, by, on, comment=""):
    check_done_on(
        on,
        field="on",
        label=_("结果日期"),
        not_before=application.submitted_on,
        not_before_label=_("申报日期"),
    )
    application.decided_on = on
    return {"comment": comment}


def _approve(application, *, by, on, amount_granted=None, certificate_no=""):
    """Approval of a programme that grants a qualification issues it on the enterprise, in
    the same transaction (both or neither), through the registry's own service (one expiry
    rule)."""
    _decide(application, by=by, on=on)
    if amount_granted is not None:
        if amount_granted < 0:
            raise Refused(_("获批金额不能为负数"), field="amount_granted")
        application.amount_granted = amount_granted
    programme = application.programme
    if programme.grants_qualification_id is not None:
        enterprise_services.qualification_save(
            qualification=Qualification(
                enterprise_id=application.enterprise_id,
                type=programme.grants_qualification,
                certificate_no=certificate_no,
                issued_on=on,
                notes=_("由政策申报获批生成（%(programme)s %(year)s）")
                % {"programme": programme.name, "year": application.year},
            ),
            by=by,
        )
    return {}


def _reject(application, *, by, on, reason):
    if not reason.strip():
        raise Refused(_("未获批须说明原因"), field="reason")
    _decide(application, by=by, on=on)
    return {"comment": reason.strip()}


_APP = PolicyApplication.Status
APPLICATION_WORKFLOW = Workflow(
    model=PolicyApplication,
    event_model=PolicyApplicationEvent,
    event_fk="application",
    transitions=[
        Transition(
            "submit",
            gettext_lazy("申报"),
            sources=(_APP.COACHING,),
            target=_APP.SUBMITTED,
            actor_rule=_application_officer,
            form=forms.ApplicationSubmitForm,
            apply=_submit,
            button_class="btn-primary",
        ),
        Transition(
            "approve",
            gettext_lazy("获批"),
            sources=(_APP.SUBMITTED,),
            target=_APP.APPROVED,
            actor_rule=_application_officer,
            form=forms.ApplicationApproveForm,
            apply=_approve,
            button_class="btn-primary",
        ),
        Transition(
            "reject",
            gettext_lazy("未获批"),
            sources=(_APP.SUBMITTED,),
            target=_APP.REJECTED,
            actor_rule=_application_officer,
            form=forms.ApplicationRejectForm,
            apply=_reject,
            button_class="btn-outline-danger",
        ),
    ],
)

_APPLICATION_ACTION_FOR = {t.target: t.action for t in APPLICATION_WORKFLOW.transitions}


def application_advance(
    *,
    application: PolicyApplication,
    status: str,
    on: date,
    by: User,
    amount_granted: Decimal | None = None,
    certificate_no: str = "",
    reason: str = "",
    at: datetime | None = None,
) -> PolicyApplication:
    """辅导中 → 已申报 → 已获批 / 未获批, for callers that name the status wanted."""
    action = _APPLICATION_ACTION_FOR.get(status)
    if action is None:
        raise Refused(_("未知的状态：%(status)s") % {"status": status}, field="status")
    inputs = {
        "submit": {},
        "approve": {"amount_granted": amount_granted, "certificate_no": certificate_no},
        "reject": {"reason": reason},
    }[action]
    return APPLICATION_WORKFLOW.perform(application, action, by=by, at=at, on=on, **inputs)
