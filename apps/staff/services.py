import math
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import Department, User
from apps.core import figures
from apps.core.dates import years_later_inclusive
from apps.core.errors import Refused
from apps.core.validators import normalize_phone
from apps.core.workflow import Transition, Workflow
from apps.staff import selectors
from apps.staff.matching import deferred_acceptance
from apps.staff.models import (
    Appointment,
    AppointmentEvent,
    Appraisal,
    Candidate,
    Grade,
    GradeRule,
    PayLine,
    PaySheet,
    Position,
    RoundPosition,
    SelectionRound,
    StaffMember,
)
from apps.staff.validators import normalize_id_number
from apps.staff.workflow_forms import RenewForm, TerminateForm

CENT = Decimal("0.01")
TERM_YEARS = 3
MAX_CONTRACT_YEARS = 3


def term_end(start: date, years: int) -> date:
    """The last day of a term of `years` years starting on `start`."""
    return years_later_inclusive(start, years)


def status_on(*, start_date: date, end_date: date, today: date) -> str:
    if today < start_date:
        return Appointment.Status.PROPOSED
    if today > end_date:
        return Appointment.Status.EXPIRED
    return Appointment.Status.ACTIVE


def _kind_for(position: Position) -> str:
    if position.kind == Position.Kind.LEADERSHIP:
        return Appointment.Kind.TERM
    return Appointment.Kind.CONTRACT


def _check_contract_length(*, kind: str, start_date: date, end_date: date) -> None:
    if end_date <= start_date:
        raise ValidationError({"end_date": _("终止日期必须晚于起始日期")})
    if kind == Appointment.Kind.CONTRACT:
        if end_date < term_end(start_date, 1):
            raise ValidationError({"end_date": _("聘任制合同期限至少一年")})
        if end_date > term_end(start_date, MAX_CONTRACT_YEARS):
            raise ValidationError({"end_date": _("聘任制合同期限最长三年")})


def _audited_by(instance, by: User | None):
    """The audit trail names `by` also when the service runs outside a request (commands)."""
    if by is not None:
        instance._history_user = by
    return instance


def _save_appointment(appointment: Appointment) -> Appointment:
    """Save, turning a lost race on the overlap constraint into the same clear refusal."""
    appointment.validate_constraints()
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as error:
        if "staff_appointment_no_overlap" in str(error):
            raise ValidationError(_("此人在该期间已有聘任，聘期不能重叠")) from error
        raise
    # The staff figures (in post, contracts ending) are cached per area.
    figures.invalidate("staff")
    return appointment


# -- Staff records --------------------------------------------------------------------------

# What HR edits on a staff record (the ID number only by those who may see it).
STAFF_MEMBER_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "education",
    "former_status",
    "user",
    "status",
)


def _save_member(member: StaffMember, *, by: User | None, values: dict) -> StaffMember:
    unknown = set(values) - set(STAFF_MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"not staff record fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(member, name, value)
    member.name = (member.name or "").strip()
    member.id_number = normalize_id_number(member.id_number)
    member.phone = normalize_phone(member.phone)
    # Field validators, the birth date against the ID number (the model's clean()), and the
    # one-record-per-ID-number and one-record-per-account rules, all with Chinese messages.
    member.full_clean()
    if member.status == StaffMember.Status.LEFT and member.pk is not None:
        holding = Appointment.objects.filter(
            staff=member, status__in=[Appointment.Status.ACTIVE, Appointment.Status.PROPOSED]
        ).exists()
        if holding:
            raise ValidationError({"status": _("此人仍有在聘或拟聘的合同，请先解聘再设为离职")})
    _audited_by(member, by)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as error:
        # Two HR users saving the same ID number at the same moment: the loser is told why.
        if "id_number" in str(error):
            raise ValidationError({"id_number": _("该身份证号已登记")}) from error
        raise ValidationError({"user": _("该账号已关联其他工作人员")}) from error
    figures.invalidate("staff")
    return member


@transaction.atomic
def staff_member_create(*, by: User | None, **values) -> StaffMember:
    """Register a staff member (HR). Keyword fields: STAFF_MEMBER_FIELDS."""
    return _save_member(StaffMember(), by=by, values=values)


@transaction.atomic
def staff_member_update(*, member: StaffMember, by: User | None, **values) -> StaffMember:
    """Correct a staff record (HR); the history keeps the old values and who changed them.
    A field not passed is kept (the ID number is not passed by those who may not see it)."""
    member = StaffMember.objects.select_for_update().get(pk=member.pk)
    return _save_member(member, by=by, values=values)


@transaction.atomic
def appointment_create(
    *,
    staff: StaffMember,
    position: Position,
    start_date: date,
    end_date: date | None = None,
    probation_end: date | None = None,
    selection_round: SelectionRound | None = None,
    previous: Appointment | None = None,
    override_reason: str = "",
    by: User | None,
    today: date | None = None,
) -> Appointment:
    today = today or timezone.localdate()
    if staff.status != StaffMember.Status.ACTIVE:
        raise ValidationError(_("%(name)s 已离职，不能聘任") % {"name": staff.name})
    # The row lock makes a second HR user appointing to the same position wait here until the
    # first one commits, so that both never count the same last vacancy.
    position = Position.objects.select_for_update().select_related("department").get(pk=position.pk)
    kind = _kind_for(position)
    end_date = end_date or term_end(start_date, TERM_YEARS)
    _check_contract_length(kind=kind, start_date=start_date, end_date=end_date)
    if probation_end and not (start_date <= probation_end <= end_date):
        raise ValidationError({"probation_end": _("试用期应在聘期之内")})
    holders = (
        Appointment.objects.filter(
            position=position,
            status__in=selectors.HOLDING,
            start_date__lte=end_date,
            end_date__gte=start_date,
        )
        .exclude(staff=staff)
        .count()
    )
    if holders >= position.headcount:
        raise ValidationError(
            _("岗位「%(position)s」核定职数 %(headcount)s 人，该期间已满员")
            % {"position": position, "headcount": position.headcount}
        )
    appointment = Appointment(
        staff=staff,
        position=position,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        probation_end=probation_end,
        status=status_on(start_date=start_date, end_date=end_date, today=today),
        previous=previous,
        selection_round=selection_round,
        override_reason=override_reason,
        created_by=by,
    )
    return _save_appointment(_audited_by(appointment, by))


def renewal_blocker(*, staff: StaffMember) -> Appraisal | None:
    """The latest appraisal when it is 不称职: renewal then needs HR's recorded reason."""
    latest = selectors.latest_appraisal(staff=staff)
    if latest is not None and latest.grade == Grade.INCOMPETENT:
        return latest
    return None


def renewal_start(appointment: Appointment) -> date:
    """A renewal runs from the day after the old contract ends."""
    return appointment.end_date + timedelta(days=1)


def _apply_renew(
    appointment: Appointment,
    *,
    by: User | None,
    years: int | None = None,
    end_date: date | None = None,
    override_reason: str = "",
    today: date | None = None,
) -> dict:
    """A new contract for the same person and position, from the day after the old one ends
    (the old one keeps its state; the event records the new period)."""
    if Appointment.objects.filter(previous=appointment).exists():
        raise Refused(_("该合同已经续聘，请在新合同上办理"))
    years = years or TERM_YEARS
    if end_date is None and not 1 <= years <= MAX_CONTRACT_YEARS:
        raise Refused(_("续聘期限应为一至三年"), field="years")
    blocker = renewal_blocker(staff=appointment.staff)
    override_reason = (override_reason or "").strip()
    if blocker is not None and not override_reason:
        raise Refused(
            _("%(name)s %(period)s考核为不称职，续聘须填写特批理由")
            % {"name": appointment.staff.name, "period": blocker.period_label},
            field="override_reason",
        )
    start = renewal_start(appointment)
    renewal = appointment_create(
        staff=appointment.staff,
        position=appointment.position,
        start_date=start,
        end_date=end_date or term_end(start, years),
        previous=appointment,
        override_reason=override_reason if blocker is not None else "",
        by=by,
        today=today,
    )
    comment = _("续聘：%(start)s 至 %(end)s") % {"start": start, "end": renewal.end_date}
    if renewal.override_reason:
        comment = f"{comment}（{_('特批理由')}：{renewal.override_reason}）"
    return {"comment": comment}


def _apply_terminate(
    appointment: Appointment, *, by: User | None, terminated_on: date, reason: str
) -> dict:
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("请填写解聘原因"), field="reason")
    if terminated_on <= appointment.start_date:
        raise Refused(_("解聘日期必须晚于聘期起始日期"), field="terminated_on")
    if terminated_on > appointment.end_date:
        raise Refused(_("解聘日期不能晚于聘期终止日期"), field="terminated_on")
    # The appointment now ends on the termination day, which frees the position (and the
    # person) from the next day; the planned end stays in the history.
    appointment.terminated_on = terminated_on
    appointment.end_date = terminated_on
    if appointment.probation_end and appointment.probation_end > terminated_on:
        appointment.probation_end = terminated_on
    appointment.termination_reason = reason
    appointment._change_reason = reason
    return {"comment": reason}


APPOINTMENT_WORKFLOW = Workflow(
    model=Appointment,
    event_model=AppointmentEvent,
    event_fk="appointment",
    transitions=[
        Transition(
            action="renew",
            label=gettext_lazy("续聘"),
            sources=(Appointment.Status.ACTIVE, Appointment.Status.EXPIRED),
            permission="staff.change_appointment",
            form=RenewForm,
            apply=_apply_renew,
            state_message=gettext_lazy("只有在聘或期满的合同可以续聘"),
        ),
        Transition(
            action="terminate",
            label=gettext_lazy("解聘"),
            sources=(Appointment.Status.PROPOSED, Appointment.Status.ACTIVE),
            target=Appointment.Status.TERMINATED,
            permission="staff.change_appointment",
            form=TerminateForm,
            apply=_apply_terminate,
            state_message=gettext_lazy("只有拟聘或在聘的合同可以解聘"),
            button_class="btn-outline-danger",
        ),
    ],
)


def appointment_renew(
    *,
    appointment: Appointment,
    years: int | None = None,
    end_date: date | None = None,
    override_reason: str = "",
    by: User | None,
    today: date | None = None,
) -> Appointment:
    """Renew through APPOINTMENT_WORKFLOW; return the new contract."""
    APPOINTMENT_WORKFLOW.perform(
        appointment,
        "renew",
        by=by,
        years=years,
        end_date=end_date,
        override_reason=override_reason,
        today=today,
    )
    return Appointment.objects.get(previous=appointment)


def appointment_terminate(
    *, appointment: Appointment, terminated_on: date, reason: str, by: User | None
) -> Appointment:
    """Terminate through APPOINTMENT_WORKFLOW; return the contract as it now stands."""
    return APPOINTMENT_WORKFLOW.perform(
        appointment, "terminate", by=by, terminated_on=terminated_on, reason=reason
    )


@transaction.atomic
def appointments_refresh_statuses(*, today: date | None = None) -> dict[str, int]:
    """拟聘 → 在聘 on the start day, 在聘 → 期满 after the end day (run daily)."""
    today = today or timezone.localdate()
    started = Appointment.objects.filter(
        status=Appointment.Status.PROPOSED, start_date__lte=today, end_date__gte=today
    )
    ended = Appointment.objects.filter(status__in=selectors.HOLDING, end_date__lt=today)
    # Saved one by one so that each change is in the audit history.
    counts = {"started": 0, "ended": 0}
    for appointment in started:
        appointment.status = Appointment.Status.ACTIVE
        appointment.save(update_fields=["status", "updated_at"])
        counts["started"] += 1
    for appointment in ended:
        appointment.status = Appointment.Status.EXPIRED
        appointment.save(update_fields=["status", "updated_at"])
        counts["ended"] += 1
    if counts["started"] or counts["ended"]:
        figures.invalidate("staff")
    return counts


# -- Appraisals -------------------------------------------------------------------------------


def _department_of(*, staff: StaffMember, year: int, quarter: int) -> Department:
    start, end = selectors.period_bounds(year, quarter)
    appointment = (
        staff.appointments.filter(start_date__lte=end, end_date__gte=start)
        .exclude(status=Appointment.Status.PROPOSED)
        .select_related("position__department")
        .order_by("-end_date")
        .first()
    )
    if appointment is None:
        raise ValidationError(
            _("%(name)s 在该考核期内没有聘任记录，不能考核") % {"name": staff.name}
        )
    return appointment.position.department


def _check_grade_quota(*, appraisal: Appraisal) -> None:
    rule = GradeRule.objects.filter(grade=appraisal.grade).first()
    if rule is None or rule.max_share is None:
        return
    headcount = selectors.department_headcount(
        department=appraisal.department, year=appraisal.year, quarter=appraisal.quarter
    )
    allowed = math.floor(headcount * rule.max_share)
    taken = (
        Appraisal.objects.filter(
            department=appraisal.department,
            year=appraisal.year,
            quarter=appraisal.quarter,
            grade=appraisal.grade,
        )
        .exclude(pk=appraisal.pk)
        .count()
    )
    if taken + 1 > allowed:
        raise ValidationError(
            {
                "grade": _(
                    "%(department)s%(period)s「%(grade)s」最多 %(allowed)s 人"
                    "（部门 %(headcount)s 人的 %(share)s%%），已有 %(taken)s 人"
                )
                % {
                    "department": appraisal.department.name,
                    "period": appraisal.period_label,
                    "grade": appraisal.get_grade_display(),
                    "allowed": allowed,
                    "headcount": headcount,
                    "share": int(rule.max_share * 100),
                    "taken": taken,
                }
            }
        )


@transaction.atomic
def appraisal_record(
    *,
    staff: StaffMember,
    year: int,
    quarter: int,
    score: Decimal,
    grade: str,
    comments: str = "",
    by: User | None,
    appraisal: Appraisal | None = None,
) -> Appraisal:
    """Record (or correct, when `appraisal` is given) one person's appraisal for a period."""
    department = _department_of(staff=staff, year=year, quarter=quarter)
    # Serialises quota checks per department: two HR users cannot both take the last 优秀.
    Department.objects.select_for_update().get(pk=department.pk)
    if appraisal is None:
        if Appraisal.objects.filter(staff=staff, year=year, quarter=quarter).exists():
            raise ValidationError(_("此人该考核期已有考核结果"))
        appraisal = Appraisal(staff=staff)
    appraisal.department = department
    appraisal.year = year
    appraisal.quarter = quarter
    appraisal.score = score
    appraisal.grade = grade
    appraisal.comments = comments
    appraisal.appraised_by = by
    appraisal.full_clean(exclude=["staff"])
    _check_grade_quota(appraisal=appraisal)
    _audited_by(appraisal, by).save()
    figures.invalidate("staff")
    return appraisal


# -- Selection rounds -------------------------------------------------------------------------


def _open_round(round: SelectionRound) -> SelectionRound:
    """The round as it is now, locked: a caller's copy may be stale (computed or confirmed
    since it was read), and applications must not race a computation."""
    round = SelectionRound.objects.select_for_update().get(pk=round.pk)
    if round.status == SelectionRound.Status.CONFIRMED:
        raise ValidationError(_("本轮选聘已确认聘任，不能再修改"))
    return round


@transaction.atomic
def candidate_apply(
    *,
    round: SelectionRound,
    staff: StaffMember,
    first_choice: RoundPosition,
    second_choice: RoundPosition | None = None,
    by: User | None,
) -> Candidate:
    round = _open_round(round)
    for choice in (first_choice, second_choice):
        if choice is not None and choice.round_id != round.pk:
            raise ValidationError(_("志愿岗位必须是本轮选聘的岗位"))
    candidate = Candidate(
        round=round, staff=staff, first_choice=first_choice, second_choice=second_choice
    )
    candidate.full_clean()
    candidate.save()
    _reopen(round)
    return candidate


def weighted_score(*, round: SelectionRound, written, interview, democratic) -> Decimal:
    total = (
        written * round.weight_written
        + interview * round.weight_interview
        + democratic * round.weight_democratic
    )
    return total.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


@transaction.atomic
def candidate_score(
    *,
    candidate: Candidate,
    written: Decimal,
    interview: Decimal,
    democratic: Decimal,
    by: User | None,
) -> Candidate:
    round = _open_round(candidate.round)
    candidate.written_score = written
    candidate.interview_score = interview
    candidate.democratic_score = democratic
    candidate.total_score = weighted_score(
        round=round, written=written, interview=interview, democratic=democratic
    )
    candidate.full_clean()
    candidate.save()
    _reopen(round)
    return candidate


def _reopen(round: SelectionRound) -> None:
    """New applications or scores make a computed result stale: HR computes again."""
    if round.status == SelectionRound.Status.COMPUTED:
        round.status = SelectionRound.Status.OPEN
        round.computed_at = None
        round.save(update_fields=["status", "computed_at", "updated_at"])
        round.candidates.update(assigned=None, assigned_preference=None)


@transaction.atomic
def ranking_changed(*, round: SelectionRound, by: User | None) -> SelectionRound:
    """A department's ranking was set or changed: refused once confirmed, and a computed
    result becomes stale (HR computes again before confirming)."""
    round = _open_round(round)
    _reopen(round)
    return round


@transaction.atomic
def round_compute(*, round: SelectionRound, by: User | None) -> SelectionRound:
    """Run the two-way matching and store each candidate's result for HR to review."""
    round = _open_round(round)
    candidates = list(round.candidates.all())
    if not candidates:
        raise ValidationError(_("本轮还没有报名人"))
    unscored = [c for c in candidates if c.total_score is None]
    if unscored:
        raise ValidationError(_("还有 %(count)s 名报名人未录入成绩") % {"count": len(unscored)})
    matching = deferred_acceptance(
        preferences={
            c.pk: [p for p in (c.first_choice_id, c.second_choice_id) if p is not None]
            for c in candidates
        },
        rankings=selectors.offer_rankings(round=round),
        capacities=dict(round.offers.values_list("pk", "vacancies")),
    )
    for candidate in candidates:
        candidate.assigned_id = matching.assignment[candidate.pk]
        candidate.assigned_preference = (
            None
            if candidate.assigned_id is None
            else 1
            if candidate.assigned_id == candidate.first_choice_id
            else 2
        )
    Candidate.objects.bulk_update(candidates, ["assigned", "assigned_preference"])
    round.status = SelectionRound.Status.COMPUTED
    round.computed_at = timezone.now()
    round.save(update_fields=["status", "computed_at", "updated_at"])
    return round


@transaction.atomic
def round_confirm(
    *, round: SelectionRound, by: User, today: date | None = None
) -> list[Appointment]:
    """Create every matched candidate's appointment, all or none."""
    round = SelectionRound.objects.select_for_update().get(pk=round.pk)
    if round.status != SelectionRound.Status.COMPUTED:
        raise ValidationError(_("请先计算匹配结果并复核，再确认聘任"))
    appointments = []
    for candidate in round.candidates.filter(assigned__isnull=False).select_related(
        "staff", "assigned__position"
    ):
        try:
            appointments.append(
                appointment_create(
                    staff=candidate.staff,
                    position=candidate.assigned.position,
                    start_date=round.appointment_start,
                    end_date=term_end(round.appointment_start, round.contract_years)
                    if candidate.assigned.position.kind != Position.Kind.LEADERSHIP
                    else None,
                    selection_round=round,
                    by=by,
                    today=today,
                )
            )
        except ValidationError as error:
            raise ValidationError(
                _("%(name)s：%(error)s")
                % {"name": candidate.staff.name, "error": "；".join(error.messages)}
            ) from error
    round.status = SelectionRound.Status.CONFIRMED
    round.confirmed_at = timezone.now()
    round.confirmed_by = by
    round.save(update_fields=["status", "confirmed_at", "confirmed_by", "updated_at"])
    return appointments


# -- Pay ------------------------------------------------------------------------------------


@transaction.atomic
def pay_sheet_generate(
    *, department: Department, year: int, quarter: int, by: User | None
) -> PaySheet:
    """Build (or rebuild) a department's pay sheet from appointments and appraisals.

    Performance pay = monthly performance base × months in the period × the grade's coefficient.
    Existing lines are updated in place so that the history shows each figure's old value.
    """
    start, end = selectors.period_bounds(year, quarter)
    sheet, _created = PaySheet.objects.select_for_update().get_or_create(
        department=department, year=year, quarter=quarter, defaults={"generated_by": by}
    )
    months = sheet.months
    # The last appointment of each person in the department during the period sets the grade.
    latest: dict[int, Appointment] = {}
    for appointment in (
        Appointment.objects.filter(
            position__department=department, start_date__lte=end, end_date__gte=start
        )
        .exclude(status=Appointment.Status.PROPOSED)
        .select_related("staff", "position__salary_grade")
        .order_by("staff_id", "end_date")
    ):
        latest[appointment.staff_id] = appointment
    if not latest:
        raise ValidationError(_("%(department)s 该期间没有在聘人员") % {"department": department})
    grades = dict(
        Appraisal.objects.filter(staff_id__in=latest, year=year, quarter=quarter).values_list(
            "staff_id", "grade"
        )
    )
    missing = [a.staff.name for staff_id, a in latest.items() if staff_id not in grades]
    if missing:
        raise ValidationError(
            _("以下人员尚无该期考核结果，不能计算绩效工资：%(names)s")
            % {"names": "、".join(sorted(missing))}
        )
    coefficients = dict(GradeRule.objects.values_list("grade", "coefficient"))
    existing = {line.staff_id: line for line in sheet.lines.all()}
    for staff_id, appointment in latest.items():
        salary_grade = appointment.position.salary_grade
        performance_base = (salary_grade.performance_base * months).quantize(CENT)
        coefficient = coefficients[grades[staff_id]]
        values = {
            "position_title": appointment.position.title,
            "salary_grade": salary_grade,
            "grade": grades[staff_id],
            "coefficient": coefficient,
            "base_pay": (salary_grade.base_pay * months).quantize(CENT),
            "performance_base": performance_base,
            "performance_pay": (performance_base * coefficient).quantize(CENT, ROUND_HALF_UP),
        }
        line = existing.pop(staff_id, None) or PayLine(sheet=sheet, staff_id=staff_id)
        changed = line.pk is None or any(
            getattr(line, field) != value for field, value in values.items()
        )
        if changed:
            for field, value in values.items():
                setattr(line, field, value)
            _audited_by(line, by).save()
    for line in existing.values():
        line.delete()
    sheet.generated_by = by
    _audited_by(sheet, by).save()
    return sheet
