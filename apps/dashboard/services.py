"""Writes of the dashboard app: the year's targets (经济发展局 and the system administrator)."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.accounts.models import User
from apps.core import figures
from apps.core.errors import NotAllowed, Refused
from apps.core.figures import Period
from apps.core.validators import CONTROL_CHARACTERS_RE
from apps.core.workflow import CommentForm, ReasonForm, Transition, Workflow
from apps.dashboard.briefing import build_snapshot, render_docx
from apps.dashboard.models import Briefing, BriefingEvent, Target


def targetable_indicators() -> list[tuple[str, str]]:
    """(code, label) of the registry's figures that take a target."""
    return [
        (code, str(figure.label))
        for code, figure in figures.all_figures().items()
        if figure.target and figure.section
    ]


@transaction.atomic
def target_save(
    *,
    by: User,
    indicator: str,
    year: int,
    value: Decimal,
    month: int | None = None,
    target: Target | None = None,
) -> Target:
    """Set a year's target (or, with a month, the cumulative target by that month)."""
    permission = "dashboard.change_target" if target else "dashboard.add_target"
    if not by.has_perm(permission):
        raise NotAllowed(_("您没有设置年度目标的权限"))
    if indicator not in dict(targetable_indicators()):
        raise Refused(_("该指标不能设置目标"), field="indicator")
    if not 2000 <= year <= 2100:
        raise Refused(_("年度应在2000到2100之间"), field="year")
    if month is not None and not 1 <= month <= 12:
        raise Refused(_("月份应在1到12之间"), field="month")
    if value is None or value <= 0:
        raise Refused(_("目标值应大于0"), field="value")
    clash = Target.objects.filter(indicator=indicator, year=year, month=month)
    if target is not None:
        clash = clash.exclude(pk=target.pk)
    if clash.exists():
        raise Refused(_("该指标该年度（月份）的目标已存在"), field="indicator")
    target = target or Target()
    target.indicator, target.year, target.month, target.value = indicator, year, month, value
    target.save()
    figures.invalidate()
    return target


@transaction.atomic
def target_delete(*, by: User, target: Target) -> None:
    if not by.has_perm("dashboard.delete_target"):
        raise NotAllowed(_("您没有删除年度目标的权限"))
    target.delete()
    figures.invalidate()


# --- The monthly briefing ------------------------------------------------------------------


NARRATIVE_MAX = 5000


def _narrative(value, field: str) -> str:
    text = (value or "").strip()
    if CONTROL_CHARACTERS_RE.search(text):
        raise Refused(_("内容含有不可见的控制字符，请删除后重新提交"), field=field)
    if len(text) > NARRATIVE_MAX:
        raise Refused(_("内容不能超过%(max)s字") % {"max": NARRATIVE_MAX}, field=field)
    return text


def _briefing_title(year: int, month: int) -> str:
    return _("开发区经济运行月度简报（%(year)s年%(month)s月）") % {"year": year, "month": month}


@transaction.atomic
def briefing_create(*, by: User, year: int, month: int, next_steps: str = "") -> Briefing:
    """A draft briefing for a month, numbered after the year's last one."""
    if not by.has_perm("dashboard.add_briefing"):
        raise NotAllowed(_("您没有起草月度简报的权限"))
    if not 2000 <= year <= 2100:
        raise Refused(_("年度应在2000到2100之间"), field="year")
    if not 1 <= month <= 12:
        raise Refused(_("月份应在1到12之间"), field="month")
    if Briefing.objects.filter(year=year, month=month).exists():
        raise Refused(_("该月份的简报已存在"), field="month")
    last = (
        Briefing.objects.select_for_update()
        .filter(year=year)
        .order_by("-issue_no")
        .values_list("issue_no", flat=True)
        .first()
    )
    return Briefing.objects.create(
        year=year,
        month=month,
        issue_no=(last or 0) + 1,
        title=_briefing_title(year, month),
        next_steps=_narrative(next_steps, "next_steps"),
        created_by=by,
    )


@transaction.atomic
def briefing_update(
    *, by: User, briefing: Briefing, next_steps: str, problems_note: str = ""
) -> Briefing:
    """Edit a draft's narrative (下步工作, the problems the data does not show)."""
    if not by.has_perm("dashboard.change_briefing"):
        raise NotAllowed(_("您没有修改月度简报的权限"))
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if briefing.status != Briefing.Status.DRAFT:
        raise Refused(_("只有草稿可以修改，已审核的简报请先退回"))
    briefing.next_steps = _narrative(next_steps, "next_steps")
    briefing.problems_note = _narrative(problems_note, "problems_note")
    briefing.save(update_fields=["next_steps", "problems_note", "updated_at"])
    return briefing


def _freeze(briefing: Briefing, *, by, **inputs) -> dict:
    """Issuing: store the numbers and text as they are now, and the .docx made from them."""
    snapshot = build_snapshot(Period(briefing.year, briefing.month))
    snapshot["next_steps"] = briefing.next_steps
    snapshot["problems_note"] = briefing.problems_note
    briefing.snapshot = snapshot
    briefing.document = render_docx(briefing, snapshot)
    briefing.issued_at = timezone.now()
    return {"comment": inputs.get("comment", "")}


BRIEFING_WORKFLOW = Workflow(
    model=Briefing,
    event_model=BriefingEvent,
    event_fk="briefing",
    transitions=[
        Transition(
            action="review",
            label=_l("审核通过"),
            sources=(Briefing.Status.DRAFT,),
            target=Briefing.Status.REVIEWED,
            permission="dashboard.review_briefing",
            form=CommentForm,
        ),
        Transition(
            action="return",
            label=_l("退回修改"),
            sources=(Briefing.Status.REVIEWED,),
            target=Briefing.Status.DRAFT,
            permission="dashboard.review_briefing",
            form=ReasonForm,
            apply=lambda briefing, *, by, reason: {"comment": reason},
            button_class="btn-outline-danger",
        ),
        Transition(
            action="issue",
            label=_l("印发"),
            sources=(Briefing.Status.REVIEWED,),
            target=Briefing.Status.ISSUED,
            permission="dashboard.issue_briefing",
            form=CommentForm,
            apply=_freeze,
            state_message=_l("只有已审核的简报可以印发"),
        ),
    ],
)


def briefing_issue(*, briefing: Briefing, by: User, comment: str = "") -> Briefing:
    """Issue a reviewed briefing: from now on its numbers, text and file never change."""
    return BRIEFING_WORKFLOW.perform(briefing, "issue", by=by, comment=comment)


@transaction.atomic
def briefing_delete(*, by: User, briefing: Briefing) -> None:
    """Only a draft may be deleted: an issued briefing is a record."""
    if not by.has_perm("dashboard.delete_briefing"):
        raise NotAllowed(_("您没有删除月度简报的权限"))
    if briefing.status == Briefing.Status.ISSUED:
        raise Refused(_("已印发的简报不能删除"))
    briefing.delete()
