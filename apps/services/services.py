"""Every write of enterprise service that is more than a plain save.

Demand transitions: each is a function that checks who may do it (refusing others with a
reason), changes the status under a row lock, and writes one DemandEvent. The checks are
also what the pages and the API ask to decide which action buttons to show
(`demand_allowed_actions`), so there is one rule per transition.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Department, User
from apps.enterprises.models import Enterprise, Qualification
from apps.services import permissions
from apps.services.models import (
    Demand,
    DemandCategory,
    DemandEvent,
    LoanIntent,
    PolicyApplication,
    Visit,
)

Action = DemandEvent.Action
Status = Demand.Status


def default_deadline(*, category: DemandCategory, raised_on: date) -> date:
    return raised_on + timedelta(days=category.time_limit_days)


def _check_department(department: Department) -> None:
    if department.code == Department.Code.LEADERSHIP:
        raise ValidationError(_("责任部门须为党政办、经济发展局、招商局、企业服务局或行政审批局"))


def _log(
    *,
    demand: Demand,
    action: str,
    from_status: str,
    by: User,
    at: datetime | None,
    comment: str = "",
    satisfaction: str = "",
) -> DemandEvent:
    return DemandEvent.objects.create(
        demand=demand,
        action=action,
        from_status=from_status,
        to_status=demand.status,
        by=by,
        at=at or timezone.now(),
        comment=comment,
        satisfaction=satisfaction,
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
    at: datetime | None = None,
) -> Demand:
    if not permissions.can_register_demand(by, source):
        if by.has_perm("services.add_demand"):
            raise ValidationError(_("项目联络员只能登记来源为“项目推进”的诉求"))
        raise ValidationError(_("您没有登记诉求的权限"))
    if not description.strip():
        raise ValidationError(_("请填写诉求内容"))
    if source == Demand.Source.VISIT and visit is None:
        raise ValidationError(_("来源为走访的诉求须关联走访记录"))
    if visit is not None and visit.enterprise_id != enterprise.pk:
        raise ValidationError(_("关联的走访记录不是该企业的"))
    department = department or category.default_department
    _check_department(department)
    raised_on = raised_on or timezone.localdate()
    if raised_on > timezone.localdate():
        raise ValidationError(_("提出日期不能晚于今天"))
    deadline = deadline or default_deadline(category=category, raised_on=raised_on)
    if deadline < raised_on:
        raise ValidationError(_("办理期限不能早于提出日期"))
    demand = Demand.objects.create(
        enterprise=enterprise,
        source=source,
        visit=visit,
        category=category,
        description=description.strip(),
        department=department,
        assignee=assignee,
        priority=priority,
        raised_on=raised_on,
        deadline=deadline,
        created_by=by,
    )
    _log(demand=demand, action=Action.CREATE, from_status="", by=by, at=at)
    return demand


@transaction.atomic
def visit_create(
    *,
    enterprise: Enterprise,
    visited_on: date,
    staff: Iterable[User],
    method: str,
    purpose: str,
    findings: str = "",
    demands: Iterable[DemandInput] = (),
    by: User,
    at: datetime | None = None,
) -> Visit:
    """Log a visit and the demands raised during it, all or nothing."""
    if not permissions.can_log_visit(by):
        raise ValidationError(_("您没有登记走访的权限"))
    if visited_on > timezone.localdate():
        raise ValidationError(_("走访日期不能晚于今天"))
    staff = list(staff)
    if not staff:
        raise ValidationError(_("请至少选择一名走访人员"))
    visit = Visit.objects.create(
        enterprise=enterprise,
        visited_on=visited_on,
        method=method,
        purpose=purpose,
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


def check_visit_update(user: User, visit: Visit, *, at: datetime | None = None) -> str | None:
    """Why `user` may not correct `visit` now, or None when they may."""
    if not permissions.is_visit_participant(user, visit):
        return _("只有登记人或参与走访的人员可以修改走访记录")
    age = (at or timezone.now()) - visit.created_at
    if age > timedelta(days=permissions.VISIT_CORRECTION_DAYS):
        return _("走访登记已超过 %(days)d 天，不能再修改") % {
            "days": permissions.VISIT_CORRECTION_DAYS
        }
    return None


class VisitRefused(ValidationError):
    """A correction refused because of who asks (the API answers 403), not what is sent."""


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
    visit = Visit.objects.select_for_update().prefetch_related("staff").get(pk=visit.pk)
    if not permissions.is_visit_participant(by, visit):
        raise VisitRefused(check_visit_update(by, visit, at=at))
    reason = check_visit_update(by, visit, at=at)
    if reason:
        raise ValidationError(reason)
    if visited_on is not None:
        if visited_on > timezone.localdate():
            raise ValidationError({"visited_on": _("走访日期不能晚于今天")})
        visit.visited_on = visited_on
    if method is not None:
        if method not in Visit.Method.values:
            raise ValidationError({"method": _("请选择走访方式")})
        visit.method = method
    if purpose is not None:
        if not purpose.strip():
            raise ValidationError({"purpose": _("请填写走访目的")})
        visit.purpose = purpose.strip()
    if findings is not None:
        visit.findings = findings
    if staff is not None:
        staff = list(staff)
        if not staff:
            raise ValidationError({"staff": _("请至少选择一名走访人员")})
    visit.save()
    if staff is not None and {u.pk for u in staff} != {u.pk for u in visit.staff.all()}:
        visit.staff.set(staff)
    return visit


# --- Demand transitions -----------------------------------------------------------------------
# Each check returns the reason a user may not take the action now, or None when they may.


def _not_responsible(user: User, demand: Demand) -> str | None:
    if not permissions.is_responsible(user, demand):
        return _("只有责任部门（%(department)s）的人员可以办理该诉求") % {
            "department": demand.department.name
        }
    return None


def check_accept(user: User, demand: Demand) -> str | None:
    if demand.status != Status.PENDING:
        return _("只有待受理的诉求可以受理")
    return _not_responsible(user, demand)


def check_close(user: User, demand: Demand) -> str | None:
    if demand.status != Status.IN_PROGRESS:
        return _("只有办理中的诉求可以办结")
    return _not_responsible(user, demand)


def check_follow_up(user: User, demand: Demand) -> str | None:
    if demand.status != Status.CLOSED:
        return _("只有已办结的诉求可以回访")
    if not permissions.can_follow_up(user):
        return _("回访由企业服务局人员进行")
    return None


def check_return(user: User, demand: Demand) -> str | None:
    if demand.status != Status.PENDING:
        return _("只有待受理的诉求可以退回")
    return _not_responsible(user, demand)


def check_reassign(user: User, demand: Demand) -> str | None:
    if demand.status not in Demand.OPEN_STATUSES:
        return _("只有待受理或办理中的诉求可以转办")
    return _not_responsible(user, demand)


def check_instruct(user: User, demand: Demand) -> str | None:
    if not user.has_perm("services.instruct_demand"):
        return _("只有领导可以对诉求作出批示")
    return None


CHECKS: dict[str, Callable[[User, Demand], str | None]] = {
    Action.ACCEPT: check_accept,
    Action.CLOSE: check_close,
    Action.FOLLOW_UP: check_follow_up,
    Action.RETURN: check_return,
    Action.REASSIGN: check_reassign,
    Action.INSTRUCT: check_instruct,
}


def demand_allowed_actions(*, user: User, demand: Demand) -> list[str]:
    """The transitions this user may take on this demand now (for buttons)."""
    return [action for action, check in CHECKS.items() if check(user, demand) is None]


def _locked(demand: Demand, action: str, by: User) -> tuple[Demand, str]:
    """Re-read the demand under a row lock (two people clicking at once cannot both win),
    then check the transition."""
    locked = Demand.objects.select_for_update().select_related("department").get(pk=demand.pk)
    reason = CHECKS[action](by, locked)
    if reason:
        raise ValidationError(reason)
    return locked, locked.status


@transaction.atomic
def demand_accept(
    *,
    demand: Demand,
    by: User,
    assignee: User | None = None,
    comment: str = "",
    deadline: date | None = None,
    at: datetime | None = None,
) -> Demand:
    demand, before = _locked(demand, Action.ACCEPT, by)
    assignee = assignee or by
    if assignee.department_id != demand.department_id and not assignee.is_superuser:
        raise ValidationError(_("承办人须为责任部门的人员"))
    if deadline is not None and deadline != demand.deadline:
        # The department may commit to another time limit when it takes the demand on; the
        # change is on the record.
        if deadline < demand.raised_on:
            raise ValidationError(_("办理期限不能早于提出日期"))
        note = _("办理期限由 %(old)s 调整为 %(new)s") % {
            "old": demand.deadline.isoformat(),
            "new": deadline.isoformat(),
        }
        comment = f"{comment.strip()}\n{note}".strip()
        demand.deadline = deadline
    demand.status = Status.IN_PROGRESS
    demand.assignee = assignee
    demand.save(update_fields=["status", "assignee", "deadline", "updated_at"])
    _log(demand=demand, action=Action.ACCEPT, from_status=before, by=by, at=at, comment=comment)
    return demand


@transaction.atomic
def demand_close(
    *,
    demand: Demand,
    by: User,
    resolution: str,
    closed_on: date | None = None,
    at: datetime | None = None,
) -> Demand:
    demand, before = _locked(demand, Action.CLOSE, by)
    if not resolution.strip():
        raise ValidationError(_("办结须填写办理结果"))
    closed_on = closed_on or timezone.localdate()
    if closed_on < demand.raised_on:
        raise ValidationError(_("办结日期不能早于提出日期"))
    demand.status = Status.CLOSED
    demand.resolution = resolution.strip()
    demand.closed_on = closed_on
    demand.save(update_fields=["status", "resolution", "closed_on", "updated_at"])
    _log(demand=demand, action=Action.CLOSE, from_status=before, by=by, at=at, comment=resolution)
    return demand


@transaction.atomic
def demand_follow_up(
    *,
    demand: Demand,
    by: User,
    satisfaction: str,
    comment: str = "",
    at: datetime | None = None,
) -> Demand:
    """Record the enterprise's verdict. 不满意 sends the demand back to 办理中 with the same
    department and assignee; the verdict stays on the event."""
    demand, before = _locked(demand, Action.FOLLOW_UP, by)
    if satisfaction not in Demand.Satisfaction.values:
        raise ValidationError(_("请选择满意度"))
    if satisfaction == Demand.Satisfaction.DISSATISFIED:
        if not comment.strip():
            raise ValidationError(_("企业不满意时须说明原因"))
        demand.status = Status.IN_PROGRESS
        demand.closed_on = None
        demand.satisfaction = ""
        action = Action.REOPEN
    else:
        demand.status = Status.FOLLOWED_UP
        demand.satisfaction = satisfaction
        action = Action.FOLLOW_UP
    demand.save(update_fields=["status", "closed_on", "satisfaction", "updated_at"])
    _log(
        demand=demand,
        action=action,
        from_status=before,
        by=by,
        at=at,
        comment=comment,
        satisfaction=satisfaction,
    )
    return demand


@transaction.atomic
def demand_instruct(
    *, demand: Demand, by: User, instruction: str, at: datetime | None = None
) -> Demand:
    """The leadership's instruction (批示) on a demand, at any stage: the one write leadership
    makes. It goes on the timeline; the status does not change."""
    demand, before = _locked(demand, Action.INSTRUCT, by)
    if not instruction.strip():
        raise ValidationError(_("批示内容不能为空"))
    _log(
        demand=demand,
        action=Action.INSTRUCT,
        from_status=before,
        by=by,
        at=at,
        comment=instruction.strip(),
    )
    return demand


@transaction.atomic
def demand_return(*, demand: Demand, by: User, reason: str, at: datetime | None = None) -> Demand:
    demand, before = _locked(demand, Action.RETURN, by)
    if not reason.strip():
        raise ValidationError(_("退回须说明原因"))
    demand.status = Status.RETURNED
    demand.save(update_fields=["status", "updated_at"])
    _log(demand=demand, action=Action.RETURN, from_status=before, by=by, at=at, comment=reason)
    return demand


@transaction.atomic
def demand_reassign(
    *,
    demand: Demand,
    by: User,
    department: Department,
    reason: str,
    at: datetime | None = None,
) -> Demand:
    """Hand the demand to another department: it waits there to be accepted again."""
    demand, before = _locked(demand, Action.REASSIGN, by)
    if not reason.strip():
        raise ValidationError(_("转办须说明原因"))
    _check_department(department)
    if department.pk == demand.department_id:
        raise ValidationError(_("转办须选择另一个部门"))
    old = demand.department.name
    demand.department = department
    demand.status = Status.PENDING
    demand.assignee = None
    demand.save(update_fields=["department", "status", "assignee", "updated_at"])
    comment = _("由%(old)s转至%(new)s：%(reason)s") % {
        "old": old,
        "new": department.name,
        "reason": reason.strip(),
    }
    _log(demand=demand, action=Action.REASSIGN, from_status=before, by=by, at=at, comment=comment)
    return demand


# --- Bank matchmaking ---------------------------------------------------------------------------

LOAN_NEXT = {
    LoanIntent.Status.INTENT: {LoanIntent.Status.REVIEWING, LoanIntent.Status.FAILED},
    LoanIntent.Status.REVIEWING: {LoanIntent.Status.CREDITED, LoanIntent.Status.FAILED},
    LoanIntent.Status.CREDITED: {LoanIntent.Status.DISBURSED, LoanIntent.Status.FAILED},
    LoanIntent.Status.DISBURSED: set(),
    LoanIntent.Status.FAILED: set(),
}


@transaction.atomic
def loan_intent_advance(
    *,
    intent: LoanIntent,
    status: str,
    by: User,
    credit_amount: Decimal | None = None,
    disbursed_amount: Decimal | None = None,
    reason: str = "",
) -> LoanIntent:
    """意向 → 审批中 → 已授信 → 已放款, or 未成功 (with a reason) from any open step."""
    if not permissions.can_manage_financing(by):
        raise ValidationError(_("政银企对接由经济发展局负责"))
    intent = LoanIntent.objects.select_for_update().get(pk=intent.pk)
    if status not in LOAN_NEXT[intent.status]:
        raise ValidationError(
            _("贷款意向不能从“%(old)s”变为“%(new)s”")
            % {
                "old": intent.get_status_display(),
                "new": LoanIntent.Status(status).label if status in LoanIntent.Status else status,
            }
        )
    if status == LoanIntent.Status.CREDITED:
        if not credit_amount or credit_amount <= 0:
            raise ValidationError(_("已授信须填写授信金额"))
        intent.credit_amount = credit_amount
    if status == LoanIntent.Status.DISBURSED:
        if not disbursed_amount or disbursed_amount <= 0:
            raise ValidationError(_("已放款须填写放款金额"))
        if disbursed_amount > intent.credit_amount:
            raise ValidationError(_("放款金额不能超过授信金额"))
        intent.disbursed_amount = disbursed_amount
    if status == LoanIntent.Status.FAILED:
        if not reason.strip():
            raise ValidationError(_("未成功须说明原因"))
        intent.failure_reason = reason.strip()
    intent.status = status
    intent.save()
    return intent


# --- Policy applications ------------------------------------------------------------------------

APPLICATION_NEXT = {
    PolicyApplication.Status.COACHING: {PolicyApplication.Status.SUBMITTED},
    PolicyApplication.Status.SUBMITTED: {
        PolicyApplication.Status.APPROVED,
        PolicyApplication.Status.REJECTED,
    },
    PolicyApplication.Status.APPROVED: set(),
    PolicyApplication.Status.REJECTED: set(),
}


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def application_advance(
    *,
    application: PolicyApplication,
    status: str,
    on: date,
    by: User,
    amount_granted: Decimal | None = None,
    certificate_no: str = "",
) -> PolicyApplication:
    """辅导中 → 已申报 → 已获批 / 未获批. Approval of a programme that grants a qualification
    creates it on the enterprise in the same transaction: both or neither."""
    if not permissions.can_manage_applications(by):
        raise ValidationError(_("惠企政策申报由经济发展局负责"))
    application = (
        PolicyApplication.objects.select_for_update(of=("self",))
        .select_related("programme__grants_qualification")
        .get(pk=application.pk)
    )
    if status not in APPLICATION_NEXT[application.status]:
        raise ValidationError(
            _("申报不能从“%(old)s”变为“%(new)s”")
            % {
                "old": application.get_status_display(),
                "new": PolicyApplication.Status(status).label
                if status in PolicyApplication.Status
                else status,
            }
        )
    if on > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天"))
    if status == PolicyApplication.Status.SUBMITTED:
        if on < application.started_on:
            raise ValidationError(_("申报日期不能早于开始辅导日期"))
        application.submitted_on = on
    else:
        if on < application.submitted_on:
            raise ValidationError(_("结果日期不能早于申报日期"))
        application.decided_on = on
    if amount_granted is not None:
        if status != PolicyApplication.Status.APPROVED:
            raise ValidationError(_("只有获批的申报才有获批金额"))
        if amount_granted < 0:
            raise ValidationError(_("获批金额不能为负数"))
        application.amount_granted = amount_granted
    application.status = status
    application.save()
    qualification_type = application.programme.grants_qualification
    if status == PolicyApplication.Status.APPROVED and qualification_type is not None:
        years = qualification_type.validity_years
        qualification = Qualification(
            enterprise_id=application.enterprise_id,
            type=qualification_type,
            certificate_no=certificate_no,
            issued_on=on,
            expires_on=_add_years(on, years) if years else None,
            notes=_("由政策申报获批生成（%(programme)s %(year)s）")
            % {"programme": application.programme.name, "year": application.year},
        )
        qualification.full_clean()
        qualification.save()
    return application
