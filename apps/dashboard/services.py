"""Writes of the dashboard app: the year's targets (经济发展局 and the system administrator)
and the monthly briefing."""

from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.accounts.models import Department, User
from apps.core import figures
from apps.core.errors import NotAllowed, Refused
from apps.core.figures import Period
from apps.core.validators import CONTROL_CHARACTERS_RE
from apps.core.workflow import CommentForm, ReasonForm, Transition, Workflow
from apps.dashboard import splits
from apps.dashboard.briefing import build_snapshot, render_docx
from apps.dashboard.models import Briefing, BriefingEvent, Target


def targetable_indicators() -> list[tuple[str, str]]:
    """(code, label) of the registry's figures that take a target."""
    return [
        (code, str(figure.label))
        for code, figure in figures.all_figures().items()
        if figure.target and figure.section
    ]


def check_target_rules(
    *,
    indicator: str,
    annual: Decimal | None,
    months: dict[int, Decimal],
    groups: dict[int, Decimal],
    names: dict[int, str] | None = None,
) -> None:
    """The rules a year's targets of one indicator hold together (Refused names the part:
    "annual", "m<month>" or "g<group id>").

    - A month's value is the cumulative target by the end of that month (累计目标): it needs the
      year's target, never goes down from one month to the next, never exceeds the year's
      target, and December's, when given, equals it. A rate (a "level" target) is not split by
      month.
    - A split among departments is allowed only where the figure is measured per department
      (apps/dashboard/splits.py): a rate, each department's target its own rate. A 招商
      team's targets are not written here (investment.AnnualTarget).
    """
    figure = figures.all_figures()[indicator]
    if annual is None and (months or groups):
        raise Refused(_("请先填写全年目标，再按月份或部门分解"), field="annual")
    if months and figure.target != "cumulative":
        first = min(months)
        raise Refused(_("该指标是比率，不按月份分解"), field=f"m{first}")
    previous = None
    for month in sorted(months):
        value = months[month]
        if value > annual:
            raise Refused(
                _("1至%(month)s月累计目标不能超过全年目标") % {"month": month}, field=f"m{month}"
            )
        if previous is not None and value < months[previous]:
            raise Refused(
                _("1至%(month)s月累计目标不能小于1至%(previous)s月的累计目标")
                % {"month": month, "previous": previous},
                field=f"m{month}",
            )
        previous = month
    if 12 in months and months[12] != annual:
        raise Refused(_("1至12月累计目标应等于全年目标"), field="m12")
    if not groups:
        return
    split = splits.SPLITS.get(indicator)
    if split is None or not split.set_here:
        raise Refused(_("该指标无法按部门统计完成情况，不能分解"), field=f"g{min(groups)}")


def _check_saved_year(indicator: str, year: int, field: str) -> None:
    """The rules, on the rows as they are after a single-row write (admin site, API)."""
    annual, months, groups = None, {}, {}
    for row in Target.objects.filter(indicator=indicator, year=year):
        if row.department_id:
            groups[row.department_id] = row.value
        elif row.month is None:
            annual = row.value
        else:
            months[row.month] = row.value
    try:
        check_target_rules(indicator=indicator, annual=annual, months=months, groups=groups)
    except Refused as error:
        raise Refused(error.messages[0], field=field) from error


def _lock_year(indicator: str, year: int) -> None:
    """Serialise the writes of one indicator's year (its rules span rows, some not there yet),
    so two people saving at once get a refusal or the other's result, never a clash."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"dashboard.target:{indicator}:{year}"]
        )


def _check_target_input(*, indicator: str, year: int) -> None:
    if indicator not in dict(targetable_indicators()):
        raise Refused(_("该指标不能设置目标"), field="indicator")
    if not 2000 <= year <= 2100:
        raise Refused(_("年度应在2000到2100之间"), field="year")


def _check_group(indicator: str, *, department, month) -> None:
    if department is None:
        return
    if month is not None:
        raise Refused(_("按部门分解的是全年目标，不填月份"), field="month")
    split = splits.SPLITS.get(indicator)
    if split is None or split.kind != splits.DEPARTMENT:
        raise Refused(_("该指标不能按部门分解"), field="department")


@transaction.atomic
def target_save(
    *,
    by: User,
    indicator: str,
    year: int,
    value: Decimal,
    month: int | None = None,
    department: Department | None = None,
    target: Target | None = None,
) -> Target:
    """Set one target row: the year's (no month, no department), the cumulative target by a
    month, or a department's own target; the indicator's rows of the year must still hold
    check_target_rules afterwards."""
    permission = "dashboard.change_target" if target else "dashboard.add_target"
    if not by.has_perm(permission):
        raise NotAllowed(_("您没有设置年度目标的权限"))
    _check_target_input(indicator=indicator, year=year)
    if month is not None and not 1 <= month <= 12:
        raise Refused(_("月份应在1到12之间"), field="month")
    if value is None or value <= 0:
        raise Refused(_("目标值应大于0"), field="value")
    _check_group(indicator, department=department, month=month)
    _lock_year(indicator, year)
    clash = Target.objects.filter(
        indicator=indicator, year=year, month=month, department=department
    )
    if target is not None:
        clash = clash.exclude(pk=target.pk)
    if clash.exists():
        raise Refused(_("该指标该年度（月份、部门）的目标已存在"), field="indicator")
    before = None
    if target is not None and target.pk:
        before = Target.objects.filter(pk=target.pk).values_list("indicator", "year").first()
    target = target or Target()
    target.indicator, target.year, target.month, target.value = indicator, year, month, value
    target.department = department
    target.save()
    _check_saved_year(indicator, year, "value")
    if before is not None and before != (indicator, year):
        _check_saved_year(*before, "indicator")
    figures.invalidate("dashboard")
    return target


@transaction.atomic
def target_delete(*, by: User, target: Target) -> None:
    """Delete one target row; the year's target goes only after its monthly and group splits."""
    if not by.has_perm("dashboard.delete_target"):
        raise NotAllowed(_("您没有删除年度目标的权限"))
    indicator, year = target.indicator, target.year
    target.delete()
    _check_saved_year(indicator, year, "value")
    figures.invalidate("dashboard")


@transaction.atomic
def target_year_save(
    *,
    by: User,
    indicator: str,
    year: int,
    annual: Decimal | None,
    months: dict[int, Decimal | None],
    groups: dict[int, Decimal | None],
) -> list[Target]:
    """Set an indicator's targets of a year at once (the targets page): the year's value, the
    cumulative monthly targets and the departments' targets, `groups` by department id
    (empty parts are removed). All of it holds check_target_rules, or nothing is written."""
    if not (by.has_perm("dashboard.add_target") and by.has_perm("dashboard.change_target")):
        raise NotAllowed(_("您没有设置年度目标的权限"))
    _check_target_input(indicator=indicator, year=year)
    given = {"annual": annual} | {f"m{m}": v for m, v in months.items()}
    given |= {f"g{g}": v for g, v in groups.items()}
    for name, value in given.items():
        if value is not None and value <= 0:
            raise Refused(_("目标值应大于0"), field=name)
    months = {month: value for month, value in months.items() if value is not None}
    groups = {group: value for group, value in groups.items() if value is not None}
    if any(not 1 <= month <= 12 for month in months):
        raise Refused(_("月份应在1到12之间"))
    check_target_rules(indicator=indicator, annual=annual, months=months, groups=groups)
    if groups and Department.objects.filter(pk__in=groups).count() != len(groups):
        raise Refused(_("所选部门不存在"))
    _lock_year(indicator, year)
    Target.objects.filter(indicator=indicator, year=year).delete()
    rows = []
    if annual is not None:
        rows.append(Target(indicator=indicator, year=year, value=annual))
    rows += [Target(indicator=indicator, year=year, month=m, value=v) for m, v in months.items()]
    rows += [
        Target(indicator=indicator, year=year, value=value, department_id=group)
        for group, value in groups.items()
    ]
    saved = Target.objects.bulk_create(rows)
    figures.invalidate("dashboard")
    return saved


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


RANK_MAX = 999


def _ranks(ranks: dict) -> dict[str, int]:
    """{figure code: rank} of the figures a briefing shows; empty ranks dropped."""
    from apps.dashboard.briefing import rankable

    known = dict(rankable())
    cleaned = {}
    for code, rank in ranks.items():
        if rank in (None, ""):
            continue
        if code not in known:
            raise Refused(_("简报中没有该指标，不能填写位次"), field=f"rank_{code}")
        if isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= RANK_MAX:
            raise Refused(
                _("位次应为1到%(max)s之间的整数") % {"max": RANK_MAX}, field=f"rank_{code}"
            )
        cleaned[code] = rank
    return cleaned


def _narratives(narratives: dict) -> dict[str, str]:
    """{part key: text} of the parts a briefing has; empty texts dropped."""
    from apps.dashboard.briefing import narrative_parts

    known = dict(narrative_parts())
    cleaned = {}
    for key, text in narratives.items():
        field = f"narrative_{key}"
        if not isinstance(text, str | None):
            raise Refused(_("说明应为文字"), field=field)
        text = _narrative(text, field)
        if not text:
            continue
        if key not in known:
            raise Refused(_("简报中没有该部分，不能填写说明"), field=field)
        cleaned[key] = text
    return cleaned


@transaction.atomic
def briefing_update(
    *,
    by: User,
    briefing: Briefing,
    next_steps: str,
    problems_note: str = "",
    ranks: dict | None = None,
    narratives: dict | None = None,
) -> Briefing:
    """Edit a draft's narrative (下步工作, the problems the data does not show) and, when given,
    its 位次 (the zone's rank among the city's zones per indicator, which the portal's data do
    not hold: {figure code: rank}, replacing the draft's) and its parts' text ({part key: the
    text that follows the part's numbers}, replacing the draft's; briefing.narrative_parts)."""
    if not by.has_perm("dashboard.change_briefing"):
        raise NotAllowed(_("您没有修改月度简报的权限"))
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if briefing.status != Briefing.Status.DRAFT:
        raise Refused(_("只有草稿可以修改，已审核的简报请先退回"))
    briefing.next_steps = _narrative(next_steps, "next_steps")
    briefing.problems_note = _narrative(problems_note, "problems_note")
    fields = ["next_steps", "problems_note", "updated_at"]
    if ranks is not None:
        briefing.ranks = _ranks(ranks)
        fields.append("ranks")
    if narratives is not None:
        briefing.narratives = _narratives(narratives)
        fields.append("narratives")
    briefing.save(update_fields=fields)
    return briefing


def _freeze(briefing: Briefing, *, by, **inputs) -> dict:
    """Issuing: store the numbers and text as they are now, and the .docx made from them."""
    snapshot = build_snapshot(Period(briefing.year, briefing.month), ranks=briefing.ranks)
    snapshot["next_steps"] = briefing.next_steps
    snapshot["problems_note"] = briefing.problems_note
    snapshot["narratives"] = briefing.narratives
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
