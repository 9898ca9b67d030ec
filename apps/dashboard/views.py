from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core.figures import Period, all_figures, one_context_per_period
from apps.core.lists import Col, FilterForm
from apps.core.views import ListPage, WorkflowActionView, form_page, workflow_panel
from apps.dashboard import briefing as briefing_module
from apps.dashboard import filters, forms, permissions, selectors, services, splits
from apps.dashboard.models import Briefing

# The wall screen reloads itself this often (seconds).
WALL_REFRESH_SECONDS = 300


def chosen_period(request) -> tuple[Period, Period, str]:
    """(the chosen period, the latest with data, an error) from ?period=YYYY-MM."""
    latest = selectors.latest_period()
    text = request.GET.get("period", "")
    if not text:
        return latest, latest, ""
    try:
        return Period.parse(text), latest, ""
    except ValueError:
        return latest, latest, _("月份格式应为 2023-11，已显示最近有数据的月份")


def build_sections(*, period: Period, user) -> list[dict]:
    """The dashboard's sections the user may see: figures, breakdowns and the trend of each."""
    with one_context_per_period():
        rows = selectors.dashboard_rows(period=period, user=user)
        charts = selectors.dashboard_breakdowns(period=period, user=user)
    codes = {row.figure.section for row in rows} | {c.breakdown.section for c in charts}
    sections = []
    for code in selectors.ordered_sections(codes):
        figures = [row for row in rows if row.figure.section == code]
        trend = None
        if code in selectors.TRENDS and figures:
            trend = selectors.section_trend(code, period)
        sections.append(
            {
                "code": code,
                "label": selectors.section_label(code),
                "rows": figures,
                "charts": [c for c in charts if c.breakdown.section == code],
                "trend": trend,
                "trend_id": f"trend-{code}",
                "headline": selectors.economy_headline(figures, period)
                if code == "economy"
                else "",
            }
        )
    return sections


@login_required
def dashboard(request):
    if not permissions.may_open(request.user):
        raise PermissionDenied
    period, latest, error = chosen_period(request)
    selectors.note_read(period, latest)
    wall = request.GET.get("wall") == "1"
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "period": period,
            "latest": latest,
            "latest_tuple": (latest.year, latest.month),
            "error": error,
            "sections": build_sections(period=period, user=request.user),
            "wall": wall,
            "refresh_seconds": WALL_REFRESH_SECONDS,
        },
    )


# --- The monthly briefing ------------------------------------------------------------------


def _briefing_url(briefing) -> str:
    return reverse("dashboard:briefing_detail", args=[briefing.pk])


BRIEFING_COLUMNS = [
    Col(_l("期号"), lambda b: f"{b.year}-{b.issue_no}", card="meta", width=8),
    Col(_l("标题"), "title", link=_briefing_url, card="title", width=40),
    Col(_l("月份"), "period_code", card="meta", width=10),
    Col(_l("状态"), "get_status_display", card="badge", width=10),
    Col(_l("印发时间"), "issued_at", card="meta", width=16),
    Col(_l("起草人"), "created_by.full_name", card=None, width=10),
]


class BriefingListView(ListPage):
    permission_required = "dashboard.view_briefing"
    filterset_class = filters.BriefingFilter
    filter_form = FilterForm(primary=("q", "year", "status"))
    title = _l("月度简报")
    export_filename = _l("月度简报")
    columns = BRIEFING_COLUMNS
    create_url = reverse_lazy("dashboard:briefing_create")
    create_perm = "dashboard.add_briefing"
    create_label = _l("起草月度简报")

    def get_base_queryset(self):
        return selectors.briefing_list()


def _visible_briefing(request, pk: int) -> Briefing:
    if not request.user.has_perm("dashboard.view_briefing"):
        raise PermissionDenied
    return get_object_or_404(selectors.briefing_detail_queryset(), pk=pk)


def _briefing_context(request, briefing: Briefing) -> dict:
    snapshot = briefing_module.content_for(briefing, request.user)
    return {
        "briefing": briefing,
        "snapshot": snapshot,
        "parts": briefing_module.outline(briefing, snapshot),
        "changed": briefing_module.differences(snapshot) if briefing.snapshot else {},
        "events": services.BRIEFING_WORKFLOW.events(briefing),
        "can_edit": briefing.status == Briefing.Status.DRAFT
        and request.user.has_perm("dashboard.change_briefing"),
        **workflow_panel(services.BRIEFING_WORKFLOW, request.user, briefing),
    }


@login_required
def briefing_detail(request, pk: int):
    briefing = _visible_briefing(request, pk)
    return render(request, "dashboard/briefing_detail.html", _briefing_context(request, briefing))


@login_required
def briefing_print(request, pk: int):
    briefing = _visible_briefing(request, pk)
    snapshot = briefing_module.content_for(briefing, request.user)
    return render(
        request,
        "dashboard/briefing_print.html",
        {
            "briefing": briefing,
            "snapshot": snapshot,
            "parts": briefing_module.outline(briefing, snapshot),
        },
    )


@login_required
def briefing_download(request, pk: int):
    """The .docx: the stored file of an issued briefing, a fresh one of a draft."""
    briefing = _visible_briefing(request, pk)
    snapshot = briefing_module.content_for(briefing, request.user)
    stored = None
    if not snapshot.get("redacted"):
        stored = Briefing.objects.filter(pk=briefing.pk).values_list("document", flat=True).first()
    if stored is not None:
        content = bytes(stored)
    else:
        content = briefing_module.render_docx(briefing, snapshot)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    filename = f"briefing-{briefing.year}-{briefing.issue_no:02d}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@permission_required("dashboard.add_briefing", raise_exception=True)
def briefing_create(request):
    latest = selectors.latest_period()
    form = forms.BriefingCreateForm(
        request.POST or None, initial={"year": latest.year, "month": latest.month}
    )
    return form_page(
        request,
        form=form,
        save=lambda data: services.briefing_create(by=request.user, **data),
        success=lambda b: (_("简报草稿已生成"), _briefing_url(b)),
        template="dashboard/briefing_form.html",
        context={"title": _("起草月度简报")},
    )


@login_required
@permission_required("dashboard.change_briefing", raise_exception=True)
def briefing_edit(request, pk: int):
    briefing = _visible_briefing(request, pk)
    form = forms.BriefingNarrativeForm(
        request.POST or None,
        initial={
            "next_steps": briefing.next_steps,
            "problems_note": briefing.problems_note,
            **{f"rank_{code}": rank for code, rank in briefing.ranks.items()},
            **{f"narrative_{key}": text for key, text in briefing.narratives.items()},
        },
        rankable=briefing_module.rankable(),
        parts=briefing_module.narrative_parts(),
    )
    return form_page(
        request,
        form=form,
        save=lambda _data: services.briefing_update(
            by=request.user, briefing=briefing, **form.parts()
        ),
        success=lambda b: (_("已保存"), _briefing_url(b)),
        template="dashboard/briefing_form.html",
        context={"title": _("编辑简报：%(title)s") % {"title": briefing.title}},
    )


class BriefingTransitionView(WorkflowActionView):
    workflow = services.BRIEFING_WORKFLOW
    template_name = "dashboard/briefing_detail.html"
    view_permission = "dashboard.view_briefing"

    def get_object(self):
        return _visible_briefing(self.request, self.kwargs["pk"])

    def get_context(self, obj):
        return _briefing_context(self.request, obj)


# --- The year's targets ----------------------------------------------------------------------


def _target_year(request) -> tuple[int, str]:
    """(the year asked for, an error): ?year=, else the latest month's year."""
    default = selectors.latest_period().year
    text = request.GET.get("year", "")
    if not text:
        return default, ""
    try:
        year = int(text)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        return default, _("年度应为2000到2100之间的整数，已显示%(year)s年") % {"year": default}
    return year, ""


@login_required
@permission_required("dashboard.view_target", raise_exception=True)
def target_list(request):
    year, error = _target_year(request)
    return render(
        request,
        "dashboard/target_list.html",
        {
            "year": year,
            "error": error,
            "lines": selectors.target_lines(year, user=request.user),
            "can_edit": request.user.has_perm("dashboard.change_target"),
            "sees_team_targets": permissions.sees_team_targets(request.user),
        },
    )


@login_required
@permission_required("dashboard.change_target", raise_exception=True)
def target_edit(request, year: int, indicator: str):
    figure = all_figures().get(indicator)
    if figure is None or not (figure.target and figure.section) or not 2000 <= year <= 2100:
        raise Http404
    groups = list(selectors.target_groups(indicator))
    split = splits.SPLITS.get(indicator)
    form = forms.TargetYearForm(
        request.POST or None,
        initial=selectors.target_initial(indicator, year),
        unit=str(figure.unit),
        cumulative=figure.target == "cumulative",
        groups=groups,
        group_label=_("按责任部门分解") if groups else "",
    )
    back = f"{reverse('dashboard:target_list')}?year={year}"
    return form_page(
        request,
        form=form,
        save=lambda _data: services.target_year_save(
            by=request.user, indicator=indicator, year=year, **form.parts()
        ),
        success=lambda _rows: (_("年度目标已保存"), back),
        template="dashboard/target_form.html",
        context={
            "title": _("%(year)s年目标：%(label)s") % {"year": year, "label": figure.label},
            "figure": figure,
            "team_split": bool(split and not split.set_here),
            "sees_team_targets": permissions.sees_team_targets(request.user),
            "year": year,
            "back": back,
        },
    )
