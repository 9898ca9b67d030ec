"""Every write of 招商引资: pages, API, admin, demo and tasks call these.

The pipeline is PROJECT_WORKFLOW (apps.core.workflow): 洽谈 → 考察 → 准入评审 → 签约 → 注册落地 →
开工 → 投产 → 达产, side exits 搁置 and 流失 (both resumable) before signing, 终止 after it.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.core import figures
from apps.core.dates import check_done_on, check_planned_on
from apps.core.errors import NotAllowed, Refused
from apps.core.validators import normalize_credit_code, normalize_name, normalize_phone
from apps.core.workflow import Transition, Workflow
from apps.enterprises import services as enterprise_services
from apps.investment import forms, permissions
from apps.investment.models import (
    Activity,
    AdmissionReview,
    AnnualTarget,
    ChainTarget,
    FollowUp,
    FundsArrival,
    Investor,
    Lead,
    Project,
    ProjectEvent,
    ResidentReport,
    ResidentReportEvent,
    Signing,
    Team,
)

# A lead whose owner logged no follow-up for this many days returns to the pool.
POOL_RETURN_DAYS = 30
POOL_WARN_DAYS = 7
# How many leads one officer may hold from the pool.
CLAIM_LIMIT = 20
# Names at least this similar (pg_trgm) are flagged as a possible duplicate.
DUPLICATE_SIMILARITY = 0.6


def _setting(name: str, default):
    return getattr(settings, name, default)


def _check_officer(by: User) -> None:
    if not permissions.is_investment_officer(by):
        raise NotAllowed(_("招商工作由招商局负责"))


def _save(instance, *, by: User):
    instance.full_clean()
    instance._history_user = by
    instance.save()
    # Any 招商 write may change a dashboard figure.
    figures.invalidate("investment")
    return instance


# --- Investors --------------------------------------------------------------------------------


@transaction.atomic
def investor_save(*, by: User, investor: Investor | None = None, **fields) -> Investor:
    _check_officer(by)
    investor = investor or Investor(created_by=by)
    for name, value in fields.items():
        setattr(investor, name, value)
    investor.name = normalize_name(investor.name)
    investor.credit_code = normalize_credit_code(investor.credit_code or "")
    investor.contact_phone = normalize_phone(investor.contact_phone or "")
    return _save(investor, by=by)


# --- Leads ------------------------------------------------------------------------------------


def find_duplicate(lead: Lead) -> Lead | None:
    """The first-reported open lead of the same investor and project: the same credit code, or
    a normalised investor name that pg_trgm finds similar, with a similar project name."""
    investor = lead.investor
    others = Lead.objects.exclude(pk=lead.pk).filter(merged=False, duplicate_of__isnull=True)
    same_code = Q(investor__credit_code=investor.credit_code) if investor.credit_code else Q()
    candidates = (
        others.annotate(
            name_similarity=TrigramSimilarity("investor__name", investor.name),
            title_similarity=TrigramSimilarity("title", lead.title),
        )
        .filter(
            (same_code if investor.credit_code else Q(pk__in=[]))
            | Q(investor=investor)
            | Q(name_similarity__gte=DUPLICATE_SIMILARITY)
        )
        .filter(Q(title_similarity__gte=0.3) | Q(investor=investor) | same_code)
        .order_by("reported_at", "id")
    )
    return candidates.first()


@transaction.atomic
def lead_create(
    *,
    by: User,
    investor: Investor,
    title: str,
    channel: str,
    to_pool: bool = False,
    **fields,
) -> Lead:
    """Register a lead; its first report (who, when) is set here and never edited. A second
    report of the same investor and project is flagged for the team leader to merge. The
    reporter holds it, unless it is left for the team leader to assign (`to_pool`): then the
    1-working-day owner clock runs (selectors.owner_overdue_q)."""
    _check_officer(by)
    team = fields.pop("team", None)
    if team is None:
        team = Team.objects.filter(Q(members=by) | Q(leader=by)).order_by("pk").first()
    now = timezone.now()
    lead = Lead(
        investor=investor,
        title=normalize_name(title),
        channel=channel,
        reported_by=by,
        reported_at=now,
        owner=None if to_pool else by,
        team=team,
        claimed_at=None if to_pool else now,
        last_follow_up_on=timezone.localdate(),
        **fields,
    )
    if lead.chain_node_id and not lead.chain_id:
        lead.chain_id = lead.chain_node.chain_id
    _save(lead, by=by)
    duplicate = find_duplicate(lead)
    if duplicate is not None:
        lead.duplicate_of = duplicate
        lead.save(update_fields=["duplicate_of"])
    return lead


# The fields a lead's update may change (never the first report, owner or judgement).
LEAD_EDITABLE = {
    "title",
    "summary",
    "chain_node",
    "chain_role",
    "referrer",
    "planned_investment",
    "fixed_asset_investment",
    "land_mu",
    "expected_output",
    "expected_tax",
    "site_needs",
    "coordination",
    "confidential",
}


@transaction.atomic
def lead_update(*, by: User, lead: Lead, **fields) -> Lead:
    if not permissions.works_on(by, lead):
        raise NotAllowed(_("只有线索负责人或本组人员可以修改线索"))
    frozen = set(fields) - LEAD_EDITABLE
    if frozen:
        raise Refused(_("首报信息、负责人和研判不能在此修改"), field=sorted(frozen)[0])
    for name, value in fields.items():
        setattr(lead, name, value)
    return _save(lead, by=by)


@transaction.atomic
def lead_assign(*, by: User, lead: Lead, owner: User) -> Lead:
    if not permissions.leads_team_of(by, lead):
        raise NotAllowed(_("只有本组组长可以分派线索"))
    if not owner.is_active or not owner.has_perm("investment.change_lead"):
        raise Refused(_("只能分派给招商人员"), field="owner")
    if lead.merged:
        raise Refused(_("已合并的线索不能分派"))
    if lead.confidential and not permissions.works_on(owner, lead):
        raise Refused(_("保密线索只能分派给本组人员"), field="owner")
    lead.owner = owner
    lead.claimed_at = timezone.now()
    lead.last_follow_up_on = timezone.localdate()
    _save(lead, by=by)
    from apps.investment import notifications

    transaction.on_commit(lambda: notifications.lead_assigned(lead, by))
    return lead


@transaction.atomic
def lead_judge(*, by: User, lead: Lead, judgement: str, reason: str = "") -> Lead:
    if not (permissions.leads_team_of(by, lead) or permissions.works_on(by, lead)):
        raise NotAllowed(_("只有线索负责人或本组组长可以研判"))
    if judgement not in (Lead.Judgement.FOLLOW, Lead.Judgement.DROP):
        raise Refused(_("研判结论应为跟进或不跟进"), field="judgement")
    reason = (reason or "").strip()
    if judgement == Lead.Judgement.DROP and not reason:
        raise Refused(_("不跟进须说明原因"), field="reason")
    lead.judgement = judgement
    lead.judgement_reason = reason[:200]
    lead.judged_at = timezone.now()
    return _save(lead, by=by)


@transaction.atomic
def lead_follow_up(
    *,
    by: User,
    lead: Lead,
    on: date,
    kind: str,
    note: str,
    next_step: str = "",
    next_on: date | None = None,
) -> FollowUp:
    if not permissions.works_on(by, lead):
        raise NotAllowed(_("只有线索负责人或本组人员可以记录跟进"))
    check_done_on(on, field="on", label=_("跟进日期"))
    if next_on is not None:
        check_planned_on(next_on, field="next_on", label=_("下一步日期"), not_before=on)
    if kind == FollowUp.Kind.FEEDBACK and lead.channel != Lead.Channel.REFERRER:
        raise Refused(_("只有信息来源为引荐人的线索需要向引荐人反馈"), field="kind")
    follow_up = FollowUp(
        lead=lead, on=on, kind=kind, note=note, next_step=next_step, next_on=next_on, by=by
    )
    follow_up.full_clean()
    follow_up.save()
    figures.invalidate("investment")
    if lead.last_follow_up_on is None or on > lead.last_follow_up_on:
        Lead.objects.filter(pk=lead.pk).update(last_follow_up_on=on)
        lead.last_follow_up_on = on
    if kind == FollowUp.Kind.FEEDBACK and (
        lead.referrer_feedback_on is None or on < lead.referrer_feedback_on
    ):
        Lead.objects.filter(pk=lead.pk).update(referrer_feedback_on=on)
        lead.referrer_feedback_on = on
    return follow_up


@transaction.atomic
def lead_claim(*, by: User, lead: Lead) -> Lead:
    """Take a lead from the pool, up to CLAIM_LIMIT leads held from the pool at once."""
    _check_officer(by)
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.owner_id is not None:
        raise Refused(_("该线索已有负责人，不在公海池中"))
    if lead.confidential and not permissions.works_on(by, lead):
        raise NotAllowed(_("保密线索只能由本组认领"))
    limit = _setting("INVESTMENT_CLAIM_LIMIT", CLAIM_LIMIT)
    # Serialise claims of one officer, so two at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=by.pk).first()
    held = Lead.objects.filter(owner=by, claimed_at__isnull=False, merged=False).exclude(
        judgement=Lead.Judgement.DROP
    )
    if held.count() >= limit:
        raise Refused(_("每人最多认领 %(limit)s 条线索") % {"limit": limit})
    lead.owner = by
    lead.claimed_at = timezone.now()
    lead.last_follow_up_on = timezone.localdate()
    if lead.team_id is None:
        lead.team = Team.objects.filter(Q(members=by) | Q(leader=by)).order_by("pk").first()
    return _save(lead, by=by)


@transaction.atomic
def lead_merge(*, by: User, lead: Lead) -> Lead:
    """Merge a flagged duplicate into the first report: credit stays with the first."""
    if lead.duplicate_of_id is None:
        raise Refused(_("该线索未被标记为重复"))
    if not permissions.leads_team_of(by, lead.duplicate_of) and not permissions.leads_team_of(
        by, lead
    ):
        raise NotAllowed(_("只有本组组长可以合并重复线索"))
    lead.merged = True
    lead.owner = None
    return _save(lead, by=by)


def pool_return_before(*, today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today - timedelta(days=_setting("INVESTMENT_POOL_DAYS", POOL_RETURN_DAYS))


@transaction.atomic
def pool_return_stale(*, today: date | None = None) -> int:
    """Leads whose owner logged no follow-up for POOL_RETURN_DAYS return to the pool (not
    those already a project or judged 不跟进). Idempotent: returns how many went back."""
    cutoff = pool_return_before(today=today)
    stale = Lead.objects.filter(
        owner__isnull=False,
        merged=False,
        project__isnull=True,
        last_follow_up_on__lt=cutoff,
    ).exclude(judgement=Lead.Judgement.DROP)
    returned = stale.update(owner=None, claimed_at=None)
    if returned:
        figures.invalidate("investment")
    return returned


# --- Projects ---------------------------------------------------------------------------------


@transaction.atomic
def project_create(*, by: User, lead: Lead, name: str = "", at: datetime | None = None) -> Project:
    """Open a pipeline project (洽谈) from a lead the officer works on."""
    if not permissions.works_on(by, lead):
        raise NotAllowed(_("只有线索负责人或本组人员可以立项"))
    if hasattr(lead, "project"):
        raise Refused(_("该线索已立项"))
    if lead.judgement == Lead.Judgement.DROP:
        raise Refused(_("研判为不跟进的线索不能立项"))
    if lead.team_id is None:
        raise Refused(_("请先为线索指定招商小组"), field="team")
    at = at or timezone.now()
    project = Project(
        name=normalize_name(name or lead.title),
        lead=lead,
        investor=lead.investor,
        chain_node=lead.chain_node,
        team=lead.team,
        owner=lead.owner or by,
        confidential=lead.confidential,
        stage_entered_at=at,
        planned_investment=lead.planned_investment,
        fixed_asset_investment=lead.fixed_asset_investment,
        land_mu=lead.land_mu,
    )
    _save(project, by=by)
    ProjectEvent.objects.create(
        project=project, action="create", to_status=project.status, by=by, at=at
    )
    figures.invalidate("investment")
    return project


def _officer(user, project) -> str | None:
    if permissions.works_on(user, project):
        return None
    return _("只有项目负责人或本组人员可以推进项目")


def _stamp(project, at=None):
    project.stage_entered_at = at or timezone.now()


def _advance(project, *, by, comment="", at=None):
    _stamp(project, at)
    return {"comment": comment}


def _sign(
    project,
    *,
    by,
    kind,
    amount,
    signed_on,
    committed_start_on=None,
    committed_production_on=None,
    at=None,
):
    review = project.reviews.order_by("-reviewed_on", "-id").first()
    if review is None or not review.approved:
        raise Refused(_("签约须先通过准入评审"))
    check_done_on(signed_on, field="signed_on", label=_("签约日期"))
    for value, field, label in (
        (committed_start_on, "committed_start_on", _("承诺开工日期")),
        (committed_production_on, "committed_production_on", _("承诺投产日期")),
    ):
        check_planned_on(value, field=field, label=label, not_before=signed_on)
    if amount is None or amount <= 0:
        raise Refused(_("合同投资必须大于 0"), field="amount")
    Signing.objects.create(project=project, kind=kind, amount=amount, signed_on=signed_on, by=by)
    if project.signed_on is None:
        project.signed_on = signed_on
        project.contract_investment = amount
    project.committed_start_on = committed_start_on or project.committed_start_on
    project.committed_production_on = committed_production_on or project.committed_production_on
    _stamp(project, at)
    return {
        "comment": _("%(kind)s，合同投资 %(amount)s 万元")
        % {"kind": Signing.Kind(kind).label, "amount": amount}
    }


def _register(project, *, by, enterprise=None, enterprise_name="", credit_code="", at=None):
    if enterprise is None:
        code = normalize_credit_code(credit_code)
        from apps.enterprises.models import Enterprise

        enterprise = Enterprise.objects.filter(credit_code=code).first()
        if enterprise is None:
            enterprise = enterprise_services.enterprise_create(
                by=by,
                name=enterprise_name,
                credit_code=code,
                chain_node=project.chain_node,
                chain=project.chain_node.chain if project.chain_node else None,
                settled_on=timezone.localdate(),
            )
    project.enterprise = enterprise
    investor = project.investor
    if investor.enterprise_id is None:
        Investor.objects.filter(pk=investor.pk).update(enterprise=enterprise)
    _stamp(project, at)
    return {"comment": enterprise.name}


def _start(project, *, by, started_on, construction_permit_no="", evidence="", at=None):
    """开工 needs evidence: a construction permit number, or a dated document (its title)."""
    check_done_on(started_on, field="started_on", label=_("开工日期"))
    permit, evidence = construction_permit_no.strip(), evidence.strip()
    if not permit and not evidence:
        raise Refused(_("开工须提供施工许可证号或开工证明文件"), field="construction_permit_no")
    project.construction_permit_no = permit
    project.start_evidence = evidence[:200]
    project.started_on = started_on
    _stamp(project, at)
    return {"comment": permit or evidence}


def _shelve(project, *, by, comment="", at=None):
    project.resume_to = project.status
    _stamp(project, at)
    return {"comment": comment}


def _lose(project, *, by, loss_reason, reason="", at=None):
    if project.status != Project.Status.SHELVED:
        project.resume_to = project.status
    project.loss_reason = loss_reason
    project.closing_note = (reason or "").strip()[:200]
    _stamp(project, at)
    return {"comment": f"{loss_reason.name} {project.closing_note}".strip()}


def _resume(project, *, by, comment="", at=None):
    project.loss_reason = None
    project.closing_note = ""
    _stamp(project, at)
    return {"comment": comment}


def _resume_target(project, inputs):
    return project.resume_to or Project.Status.NEGOTIATING


def _terminate(project, *, by, reason, at=None):
    reason = reason.strip()
    if not reason:
        raise Refused(_("终止须说明原因"), field="reason")
    project.closing_note = reason[:200]
    _stamp(project, at)
    return {"comment": reason}


_S = Project.Status
PRE_SIGNING = (_S.NEGOTIATING, _S.INSPECTING, _S.REVIEWING)
PIPELINE = [_S.NEGOTIATING, _S.INSPECTING, _S.REVIEWING, _S.SIGNED, _S.REGISTERED]
PIPELINE += [_S.STARTED, _S.PRODUCING, _S.CAPACITY]


def _step(action, label, source, target, form=None, apply=_advance, **kwargs):
    return Transition(
        action,
        label,
        sources=(source,) if isinstance(source, str) else source,
        target=target,
        actor_rule=_officer,
        form=form or forms.CommentForm,
        apply=apply,
        button_class=kwargs.pop("button_class", "btn-primary"),
        **kwargs,
    )


PROJECT_WORKFLOW = Workflow(
    model=Project,
    event_model=ProjectEvent,
    event_fk="project",
    transitions=[
        _step("inspect", gettext_lazy("考察"), _S.NEGOTIATING, _S.INSPECTING),
        _step("submit_review", gettext_lazy("提交准入评审"), _S.INSPECTING, _S.REVIEWING),
        _step("sign", gettext_lazy("签约"), _S.REVIEWING, _S.SIGNED, forms.SignForm, _sign),
        _step(
            "register",
            gettext_lazy("注册落地"),
            _S.SIGNED,
            _S.REGISTERED,
            forms.RegisterForm,
            _register,
        ),
        _step("start", gettext_lazy("开工"), _S.REGISTERED, _S.STARTED, forms.StartForm, _start),
        _step("produce", gettext_lazy("投产"), _S.STARTED, _S.PRODUCING),
        _step("reach_capacity", gettext_lazy("达产"), _S.PRODUCING, _S.CAPACITY),
        _step(
            "shelve",
            gettext_lazy("搁置"),
            PRE_SIGNING,
            _S.SHELVED,
            apply=_shelve,
            button_class="btn-outline-secondary",
        ),
        _step(
            "lose",
            gettext_lazy("流失"),
            (*PRE_SIGNING, _S.SHELVED),
            _S.LOST,
            forms.LoseForm,
            _lose,
            button_class="btn-outline-danger",
        ),
        _step(
            "resume",
            gettext_lazy("恢复推进"),
            (_S.SHELVED, _S.LOST),
            _resume_target,
            apply=_resume,
            button_class="btn-outline-primary",
        ),
        _step(
            "terminate",
            gettext_lazy("终止"),
            (_S.SIGNED, _S.REGISTERED, _S.STARTED),
            _S.TERMINATED,
            forms.TerminateForm,
            _terminate,
            button_class="btn-outline-danger",
        ),
    ],
)


def project_advance(*, project: Project, action: str, by: User, at=None, **inputs) -> Project:
    """Take one transition of PROJECT_WORKFLOW (the demo and commands name the action)."""
    project = PROJECT_WORKFLOW.perform(project, action, by=by, at=at, **inputs)
    if at is not None:
        # Back-dated (the demo, an import): the stage began when the event says it did.
        Project.objects.filter(pk=project.pk).update(stage_entered_at=at)
        project.stage_entered_at = at
    return project


def _check_project_officer(by: User, project: Project) -> None:
    reason = _officer(by, project)
    if reason:
        raise NotAllowed(reason)


@transaction.atomic
def admission_review_create(*, by: User, project: Project, **fields) -> AdmissionReview:
    """Record an admission review; 投资强度 is computed from the project's fixed assets and land.
    A failed 一票否决 item makes any conclusion but 否决 a refusal."""
    _check_project_officer(by, project)
    if project.status != Project.Status.REVIEWING:
        raise Refused(_("只有处于准入评审阶段的项目可以登记评审"))
    check_done_on(fields.get("reviewed_on"), field="reviewed_on", label=_("评审日期"))
    review = AdmissionReview(project=project, by=by, **fields)
    if review.conclusion != AdmissionReview.Conclusion.REJECTED:
        failed = [
            str(AdmissionReview._meta.get_field(item).verbose_name)
            for item in AdmissionReview.VETO_ITEMS
            if not getattr(review, item)
        ]
        if failed:
            raise Refused(
                _("一票否决项不符合（%(items)s），结论只能为否决") % {"items": "、".join(failed)},
                field="conclusion",
            )
    if project.fixed_asset_investment and project.land_mu:
        review.intensity = (
            Decimal(project.fixed_asset_investment) / Decimal(project.land_mu)
        ).quantize(Decimal("0.01"))
    return _save(review, by=by)


@transaction.atomic
def funds_arrival_create(*, by: User, project: Project, month: date, **fields) -> FundsArrival:
    _check_project_officer(by, project)
    if project.signed_on is None:
        raise Refused(_("签约后才能登记到位资金"))
    month = month.replace(day=1)
    check_done_on(month, field="month", label=_("月份"))
    funds = FundsArrival(project=project, month=month, by=by, **fields)
    if funds.fixed_assets + funds.working_capital <= 0:
        raise Refused(_("到位资金必须大于 0"), field="fixed_assets")
    return _save(funds, by=by)


# --- Activities -------------------------------------------------------------------------------


@transaction.atomic
def activity_create(
    *, by: User, staff: list[User] | None = None, investors=None, **fields
) -> Activity:
    _check_officer(by)
    activity = Activity(created_by=by, **fields)
    check_done_on(activity.starts_on, field="starts_on", label=_("开始日期"))
    check_planned_on(
        activity.ends_on, field="ends_on", label=_("结束日期"), not_before=activity.starts_on
    )
    if activity.kind == Activity.Kind.OUTBOUND and not activity.province:
        raise Refused(_("外出招商须填写目的地省份"), field="province")
    _save(activity, by=by)
    activity.staff.set(staff or [by])
    if investors:
        activity.investors.set(investors)
    return activity


@transaction.atomic
def activity_report(*, by: User, activity: Activity, report: str, reported_on: date) -> Activity:
    if not (by.is_superuser or activity.staff.filter(pk=by.pk).exists()):
        raise NotAllowed(_("只有参加人员可以提交活动报告"))
    check_done_on(
        reported_on, field="reported_on", label=_("报告日期"), not_before=activity.starts_on
    )
    if not report.strip():
        raise Refused(_("请填写活动报告"), field="report")
    activity.report = report.strip()
    activity.reported_on = reported_on
    return _save(activity, by=by)


# --- Annual targets and chain targets ---------------------------------------------------------


@transaction.atomic
def annual_target_save(*, by: User, target: AnnualTarget | None = None, **fields) -> AnnualTarget:
    """Set a team's targets for a year (the 赛马榜 measures completion against them)."""
    if not (by.is_superuser or by.has_perm("investment.change_annualtarget")):
        raise NotAllowed(_("年度目标由管理员设定"))
    target = target or AnnualTarget(set_by=by)
    for name, value in fields.items():
        setattr(target, name, value)
    target.set_by = by
    for name in ("contract_investment", "funds"):
        value = getattr(target, name)
        if value is not None and value < 0:
            raise Refused(_("目标不能为负数"), field=name)
    return _save(target, by=by)


@transaction.atomic
def chain_target_save(*, by: User, target: ChainTarget | None = None, **fields) -> ChainTarget:
    """Add or edit a target enterprise of a chain node; its lead, when given, must be one the
    officer may see (a confidential lead cannot be linked from outside its team)."""
    _check_officer(by)
    lead = fields.get("lead")
    if lead is not None and not by.is_superuser:
        scope = permissions.lead_scope(by)
        if scope is not None and not Lead.objects.filter(scope, pk=lead.pk).exists():
            raise Refused(_("只能关联本人可见的线索"), field="lead")
    target = target or ChainTarget(created_by=by)
    for name, value in fields.items():
        setattr(target, name, value)
    target.name = normalize_name(target.name or "")
    return _save(target, by=by)


@transaction.atomic
def project_expect_signing(*, by: User, project: Project, month: date | None) -> Project:
    """Set (or clear) the month a project before signing is expected to sign (the forecast)."""
    _check_project_officer(by, project)
    if project.status not in PRE_SIGNING:
        raise Refused(_("只有签约前的项目可以填写预计签约月份"), field="month")
    if month is not None:
        month = month.replace(day=1)
        if not (date(2000, 1, 1) <= month <= date(2100, 12, 1)):
            raise Refused(_("预计签约月份不合理"), field="month")
    project.expected_signing_month = month
    return _save(project, by=by)


# --- Resident teams' monthly reports ----------------------------------------------------------


def _check_report_numbers(*, month: date, people, days_on_site, visits) -> None:
    import calendar

    days = calendar.monthrange(month.year, month.month)[1]
    if days_on_site is not None and days_on_site > days:
        raise Refused(
            _("驻地天数不能超过当月天数（%(days)s 天）") % {"days": days}, field="days_on_site"
        )
    if people is not None and people < 1:
        raise Refused(_("在岗人数至少为 1"), field="people")


@transaction.atomic
def resident_report_create(*, by: User, team: Team, month: date, **fields) -> ResidentReport:
    """A resident team's monthly report, by one of its members, for a month begun."""
    if not (by.is_superuser or team.pk in permissions.team_ids(by)):
        raise NotAllowed(_("只有本小分队成员可以报送月报"))
    if team.kind != Team.Kind.RESIDENT:
        raise Refused(_("只有驻地招商小分队报送月报"), field="team")
    month = month.replace(day=1)
    check_done_on(month, field="month", label=_("月份"))
    _check_report_numbers(
        month=month,
        people=fields.get("people"),
        days_on_site=fields.get("days_on_site"),
        visits=fields.get("visits"),
    )
    report = ResidentReport(team=team, month=month, submitted_by=by, **fields)
    _save(report, by=by)
    ResidentReportEvent.objects.create(
        report=report, action="submit", to_status=report.status, by=by, at=timezone.now()
    )
    return report


def _report_reviewer(user, report) -> str | None:
    """Reviewed by the leader of a 招商组 (not the resident team's own)."""
    if user.is_superuser:
        return None
    if Team.objects.filter(leader=user, kind=Team.Kind.LOCAL).exclude(pk=report.team_id).exists():
        return None
    return _("驻地招商月报由招商组组长审阅")


def _report_member(user, report) -> str | None:
    if user.is_superuser or report.team_id in permissions.team_ids(user):
        return None
    return _("只有本小分队成员可以重新报送")


def _report_return(report, *, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("请说明原因"), field="reason")
    return {"comment": reason}


def _report_resubmit(report, *, by, people, days_on_site, visits, destinations="", work=""):
    _check_report_numbers(
        month=report.month, people=people, days_on_site=days_on_site, visits=visits
    )
    report.people, report.days_on_site, report.visits = people, days_on_site, visits
    report.destinations, report.work = destinations, work
    report.full_clean()
    return {"comment": ""}


def _report_comment(report, *, by, comment=""):
    return {"comment": comment}


RESIDENT_REPORT_WORKFLOW = Workflow(
    model=ResidentReport,
    event_model=ResidentReportEvent,
    event_fk="report",
    transitions=[
        Transition(
            "accept",
            gettext_lazy("审阅通过"),
            sources=(ResidentReport.Status.SUBMITTED,),
            target=ResidentReport.Status.ACCEPTED,
            actor_rule=_report_reviewer,
            form=forms.CommentForm,
            apply=_report_comment,
            button_class="btn-primary",
        ),
        Transition(
            "return",
            gettext_lazy("退回"),
            sources=(ResidentReport.Status.SUBMITTED,),
            target=ResidentReport.Status.RETURNED,
            actor_rule=_report_reviewer,
            form=forms.ReasonForm,
            apply=_report_return,
            button_class="btn-outline-danger",
        ),
        Transition(
            "resubmit",
            gettext_lazy("修改后重新报送"),
            sources=(ResidentReport.Status.RETURNED,),
            target=ResidentReport.Status.SUBMITTED,
            actor_rule=_report_member,
            form=forms.ResidentReportResubmitForm,
            apply=_report_resubmit,
        ),
    ],
)
