"""The monthly briefing's content, written from the figure registry, and its .docx.

`build_snapshot(period)` gives the briefing's content as plain data (JSON-ready): for each number
the figure code and the period it came from, the value and how leadership writes it. A draft is
built afresh each time it is read; issuing stores it (apps.dashboard.services.briefing_issue),
and the .docx and the print page are rendered from the stored data only, so an issued briefing
never changes. Sections follow the usual order: 1 主要经济指标, 2 分行业/分园区 and the key
enterprises (拉动), 3 招商引资, then any other area's figures (项目建设 when that app is
installed), 企业服务, 存在问题, 下步工作. The team (队伍) is not part of the briefing.
"""

import io
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.core.figures import PUBLIC, Period, all_breakdowns, all_figures, figure_values
from apps.core.units import is_wan, to_yi
from apps.dashboard import selectors
from apps.enterprises import selectors as enterprise_selectors
from apps.enterprises.models import Enterprise

# Sections of the dashboard that are not briefed.
NOT_BRIEFED = ("staff",)
# The section whose figures count confidential records (PUBLIC scope leaves them out).
CONFIDENTIAL_SECTION = "investment"
# Key enterprises listed by their contribution to growth (拉动).
CONTRIBUTORS = 5
CHINESE_NUMBERS = "一二三四五六七八九十"


class _Everyone:
    """The briefing shows every figure to whoever may read a briefing (the briefing's
    permission); its numbers are in the public scope, so none counts a confidential record."""

    is_active = True
    is_authenticated = True
    is_superuser = True

    def has_perm(self, perm, obj=None):
        return True

    def has_role(self, *roles):
        return True


def _plain(value: Decimal | int | None, in_yi: bool) -> str:
    if value is None:
        return "—"
    text = f"{to_yi(value):f}" if in_yi else f"{value}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def written(value, unit: str) -> str:
    """A number as leadership writes it: 49.86亿元, 12.04%, 131家."""
    if value is None:
        return "—"
    if is_wan(unit):
        return f"{_plain(value, True)}亿元"
    return f"{_plain(Decimal(str(value)), False)}{unit}"


def _signed(value) -> str:
    if value is None:
        return ""
    value = Decimal(str(value))
    return f"+{value}%" if value > 0 else f"{value}%"


def _item(row: selectors.FigureRow, rank: int | None) -> dict:
    figure = row.figure
    return {
        "code": figure.code,
        "period": row.period.code,
        "label": str(figure.label),
        "unit": str(figure.unit),
        "value": None if row.value is None else str(row.value),
        "written": written(row.value, figure.unit),
        "yoy": None if row.yoy is None else str(row.yoy),
        "target": None if row.target is None else str(row.target),
        "target_written": written(row.target, figure.unit) if row.target is not None else "",
        "completion": None if row.completion is None else str(row.completion),
        "schedule_gap": None if row.schedule_gap is None else str(row.schedule_gap),
        "current": figure.current,
        # 位次: the zone's rank among the city's zones, typed by 经济发展局 (not in the data).
        "rank": rank,
    }


def _group(chart: selectors.BreakdownChart) -> dict:
    return {
        "code": chart.breakdown.code,
        "period": chart.period.code,
        "label": str(chart.breakdown.label),
        "rows": [
            {
                "label": row.label,
                "value": None if row.value is None else str(row.value),
                "written": written(row.value, chart.breakdown.unit),
                "change": None if row.change is None else str(row.change),
                "note": row.note,
            }
            for row in chart.rows
        ],
    }


def contributors(period: Period, base: Decimal | None) -> list[dict]:
    """The enterprises that pulled the 同口径 output up most: 拉动 = the enterprise's increase
    on the same months of last year ÷ the total's base (last year's 同口径 output), in points
    (1 query)."""
    if not base:
        return []
    members = Enterprise.objects.filter(
        id__in=enterprise_selectors.comparable_member_ids(year=period.year, month=period.month)
    )
    rows = (
        enterprise_selectors.enterprises_with_ytd(members, year=period.year, month=period.month)
        .filter(prev_ytd_output__isnull=False, ytd_output__isnull=False)
        .order_by()
    )
    ranked = sorted(
        ((e.name, e.ytd_output - e.prev_ytd_output, e.output_growth) for e in rows),
        key=lambda item: item[1],
        reverse=True,
    )
    return [
        {
            "name": name,
            "increase": str(increase),
            "increase_written": written(increase, "万元"),
            "growth": None if growth is None else str(growth),
            "pull": str((increase * 100 / Decimal(base)).quantize(Decimal("0.01"))),
        }
        for name, increase, growth in ranked[:CONTRIBUTORS]
        if increase > 0
    ]


def _red_projects(code: str, groups: dict) -> str:
    """After the red projects' count: the first of them, each with its reasons (the
    dashboard's projects_red_list), "" for another figure."""
    if code != "projects_red":
        return ""
    listed = groups.get("projects_red_list", {}).get("rows", [])[:5]
    if not listed:
        return ""
    named = "、".join(
        f"{row['label']}（{row['note']}）" if row.get("note") else row["label"] for row in listed
    )
    return _("，其中：%(projects)s") % {"projects": named}


def _problems(rows: dict, groups: dict) -> list[str]:
    """存在问题 from the data: decline warnings, overdue and escalated demands, red projects."""
    problems = []
    declining = rows.get("decline_warnings")
    if declining and declining["value"] not in (None, "0"):
        names = "、".join(
            f"{row['label']}（{_signed(row['value'])}）"
            for row in groups.get("decline_warning_enterprises", {}).get("rows", [])[:5]
        )
        problems.append(
            _("%(count)s家规上工业企业累计产值同口径下降超过10%%：%(names)s")
            % {"count": declining["value"], "names": names}
        )
    for code, sentence in (
        ("demands_overdue", _("超期未办结诉求%(count)s件")),
        ("demands_escalated", _("升级督办诉求%(count)s件")),
        ("investment_red_projects", _("阶段停留超期（红灯）招商项目%(count)s个")),
        ("projects_red", _("红灯在建项目%(count)s个")),
        ("projects_reports_overdue", _("月报逾期项目%(count)s个")),
    ):
        row = rows.get(code)
        if row and row["value"] not in (None, "0"):
            problems.append(sentence % {"count": row["value"]} + _red_projects(code, groups))
    for row in rows.values():
        if row["schedule_gap"] is not None and Decimal(row["schedule_gap"]) < 0:
            problems.append(
                _("%(label)s完成年度目标%(completion)s%%，欠序时%(gap)s个百分点")
                % {
                    "label": row["label"],
                    "completion": row["completion"],
                    "gap": abs(Decimal(row["schedule_gap"])),
                }
            )
    return problems


def _briefed_sections() -> list[str]:
    figures = all_figures()
    return selectors.ordered_sections(
        {f.section for f in figures.values() if f.section and f.section not in NOT_BRIEFED}
    )


def rankable() -> list[tuple[str, str]]:
    """(code, label) of the figures a briefing shows, in its order: those a 位次 may be typed
    for."""
    figures = sorted(all_figures().values(), key=lambda f: f.order)
    return [
        (figure.code, str(figure.label))
        for section in _briefed_sections()
        for figure in figures
        if figure.section == section
    ]


# The part after 主要经济指标: the output by chain and by park, and the key enterprises.
GROUPS_PART = "groups"


def _heading(section: str) -> str:
    return _("主要经济指标") if section == "economy" else str(selectors.section_label(section))


def narrative_parts() -> list[tuple[str, str]]:
    """(key, heading) of the parts whose numbers a draft's writer may follow with text of
    their own (说明): each briefed section, and the groups after the economy's figures."""
    parts = []
    for section in _briefed_sections():
        parts.append((section, _heading(section)))
        if section == "economy":
            parts.append((GROUPS_PART, str(_("分行业、分园区及重点企业"))))
    return parts


def build_snapshot(period: Period, ranks: dict | None = None) -> dict:
    """The briefing's numbers and generated text for a month, from the registry, with the
    位次 typed on the briefing (`ranks`, {figure code: rank})."""
    ranks = ranks or {}
    everyone = _Everyone()
    rows = selectors.dashboard_rows(period=period, user=everyone, scope=PUBLIC)
    charts = selectors.dashboard_breakdowns(period=period, user=everyone, scope=PUBLIC)
    by_code = {row.figure.code: row for row in rows}
    sections = []
    for code in selectors.ordered_sections({row.figure.section for row in rows}):
        if code in NOT_BRIEFED:
            continue
        sections.append(
            {
                "code": code,
                "label": selectors.section_label(code),
                "items": [
                    _item(row, ranks.get(row.figure.code))
                    for row in rows
                    if row.figure.section == code
                ],
                "groups": [
                    _group(chart)
                    for chart in charts
                    if chart.breakdown.section == code and not chart.breakdown.current
                ],
            }
        )
    items = {item["code"]: item for section in sections for item in section["items"]}
    groups = {g["code"]: g for section in sections for g in section["groups"]}
    base = figure_values(period).get("industry_output_comparable_previous")
    return {
        "period": period.code,
        # Everyone who reads a briefing reads the same numbers: confidential 招商 leads and
        # projects are left out (the 招商 part says so), so an issued briefing shows nobody a
        # total of things they may not see, and never needs to differ by reader.
        "scope": PUBLIC,
        "year": period.year,
        "month": period.month,
        "headline": selectors.economy_headline(rows, period),
        "sections": sections,
        "contributors": contributors(period, base.value if base else None),
        "problems": _problems(items, groups),
        "figures": sorted(by_code),
    }


def content_for(briefing, user) -> dict:
    """The issued content as stored (as `user` may read it), or a draft's content from the
    data as it is now: what the page, the print page, the .docx and the API show."""
    if briefing.snapshot is not None:
        return for_reader(briefing.snapshot, user)
    return build_snapshot(Period(briefing.year, briefing.month), ranks=briefing.ranks)


def for_reader(snapshot: dict, user) -> dict:
    """The snapshot as `user` may read it. Briefings are written in the PUBLIC scope; one
    issued before that (no "scope") counted confidential 招商 records, so a reader who may not
    see them gets it without the 招商 part, its problems recomputed from the rest. A reader who
    may not read the rows a list names (the red projects: projects.view_project) gets it
    without that list, the problems recomputed without the names."""
    confidential = not (
        snapshot.get("scope") == PUBLIC or user.has_perm("dashboard.view_investment_figures")
    )
    # The lists that name rows (the red projects) the snapshot holds, for a reader who may not
    # read those rows.
    breakdowns = all_breakdowns()
    held = {group["code"] for section in snapshot["sections"] for group in section["groups"]}
    unnamed = {
        code
        for code in held
        if code in breakdowns
        and breakdowns[code].names_rows
        and not breakdowns[code].visible_to(user)
    }
    if not confidential and not any(
        group["code"] in unnamed for section in snapshot["sections"] for group in section["groups"]
    ):
        return snapshot
    sections = [
        {**s, "groups": [g for g in s["groups"] if g["code"] not in unnamed]}
        for s in snapshot["sections"]
        if not (confidential and s["code"] == CONFIDENTIAL_SECTION)
    ]
    items = {item["code"]: item for section in sections for item in section["items"]}
    groups = {group["code"]: group for section in sections for group in section["groups"]}
    narratives = {
        key: text
        for key, text in snapshot.get("narratives", {}).items()
        if not (confidential and key == CONFIDENTIAL_SECTION)
    }
    return {
        **snapshot,
        "narratives": narratives,
        "sections": sections,
        "problems": _problems(items, groups),
        "figures": sorted(items),
        "redacted": True,
    }


def current_values(snapshot: dict) -> dict[str, str | None]:
    """{figure code: today's value} for the numbers of a stored snapshot (from the cache)."""
    values = figure_values(Period.parse(snapshot["period"]), snapshot.get("scope"))
    return {
        code: None if values[code].value is None else str(values[code].value)
        for code in snapshot.get("figures", [])
        if code in values
    }


def differences(snapshot: dict) -> dict[str, str]:
    """{figure code: the current value as written} where it now differs from the issued one."""
    now = current_values(snapshot)
    changed = {}
    for section in snapshot["sections"]:
        for item in section["items"]:
            current = now.get(item["code"])
            issued = item["value"]
            if current is None and issued is None:
                continue
            if current is None or issued is None or Decimal(current) != Decimal(issued):
                changed[item["code"]] = written(
                    None if current is None else Decimal(current), item["unit"]
                )
    return changed


def outline(briefing, snapshot: dict) -> list[dict]:
    """The briefing's headed parts, in order, for the page and the .docx alike."""
    # An issued briefing reads only what it was issued with (one issued before the parts' text
    # existed has none); a draft reads what is being written.
    issued = briefing.snapshot is not None
    narratives = snapshot.get("narratives", {} if issued else briefing.narratives)

    def narrative(key: str) -> list[str]:
        return [line for line in narratives.get(key, "").splitlines() if line.strip()]

    parts = []
    for section in snapshot["sections"]:
        heading = _("主要经济指标") if section["code"] == "economy" else section["label"]
        note = ""
        if section["code"] == CONFIDENTIAL_SECTION and snapshot.get("scope") == PUBLIC:
            note = _("招商数据不含保密线索和保密项目。")
        parts.append(
            {
                "kind": "figures",
                "heading": heading,
                "section": section,
                "note": note,
                "narrative": narrative(section["code"]),
            }
        )
        if section["code"] == "economy" and (
            section["groups"] or snapshot["contributors"] or narrative(GROUPS_PART)
        ):
            parts.append(
                {
                    "kind": "groups",
                    "heading": _("分行业、分园区及重点企业"),
                    "section": section,
                    "contributors": snapshot["contributors"],
                    "narrative": narrative(GROUPS_PART),
                }
            )
    problems = list(snapshot["problems"])
    note = snapshot.get("problems_note", "" if issued else briefing.problems_note)
    if note:
        problems.append(note)
    parts.append({"kind": "text", "heading": _("存在问题"), "lines": problems})
    steps = snapshot.get("next_steps", "" if issued else briefing.next_steps)
    parts.append({"kind": "text", "heading": _("下步工作"), "lines": steps.splitlines()})
    for index, part in enumerate(parts):
        part["number"] = CHINESE_NUMBERS[index]
    return parts


def _row_cells(item: dict) -> list[str]:
    completion = f"{item['completion']}%" if item["completion"] is not None else ""
    gap = ""
    if item["schedule_gap"] is not None:
        value = Decimal(item["schedule_gap"])
        gap = (
            _("超%(gap)s点") % {"gap": value}
            if value >= 0
            else _("欠%(gap)s点") % {"gap": abs(value)}
        )
    return [
        item["label"],
        item["written"],
        _signed(item["yoy"]),
        item["target_written"],
        completion,
        gap,
        rank_written(item.get("rank")),
    ]


def rank_written(rank) -> str:
    """第3位; empty when no rank was typed (an issued briefing from before ranks has none)."""
    return _("第%(rank)s位") % {"rank": rank} if rank else ""


def render_docx(briefing, snapshot: dict) -> bytes:
    """The briefing as a .docx (python-docx): title, issue number, headings, tables."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(12)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(briefing.title)
    run.bold = True
    run.font.size = Pt(20)
    issue = document.add_paragraph(
        _("%(year)s年第%(no)s期") % {"year": briefing.year, "no": briefing.issue_no}
    )
    issue.alignment = WD_ALIGN_PARAGRAPH.CENTER
    period = document.add_paragraph(
        _("（%(year)s年%(month)s月）") % {"year": snapshot["year"], "month": snapshot["month"]}
    )
    period.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if snapshot["headline"]:
        document.add_paragraph(snapshot["headline"] + "。")

    header = [_("指标"), _("数值"), _("同比"), _("年度目标"), _("完成"), _("序时"), _("位次")]
    for part in outline(briefing, snapshot):
        document.add_heading(f"{part['number']}、{part['heading']}", level=1)
        if part["kind"] == "figures":
            if part["note"]:
                document.add_paragraph(str(part["note"]))
            table = document.add_table(rows=1, cols=len(header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, header, strict=True):
                cell.text = str(text)
            for item in part["section"]["items"]:
                cells = table.add_row().cells
                for cell, text in zip(cells, _row_cells(item), strict=True):
                    cell.text = str(text)
        elif part["kind"] == "groups":
            for group in part["section"]["groups"]:
                document.add_paragraph(group["label"]).runs[0].bold = True
                table = document.add_table(rows=1, cols=3)
                table.style = "Table Grid"
                for cell, text in zip(
                    table.rows[0].cells, [_("分组"), _("数值"), _("同比")], strict=True
                ):
                    cell.text = str(text)
                for row in group["rows"]:
                    cells = table.add_row().cells
                    cells[0].text = row["label"]
                    cells[1].text = row["written"]
                    cells[2].text = _signed(row["change"])
            if part["contributors"]:
                document.add_paragraph(_("拉动增长的重点企业")).runs[0].bold = True
                for item in part["contributors"]:
                    document.add_paragraph(
                        _("%(name)s：增加%(increase)s，拉动全区增长%(pull)s个百分点")
                        % {
                            "name": item["name"],
                            "increase": item["increase_written"],
                            "pull": item["pull"],
                        },
                        style="List Bullet",
                    )
        else:
            lines = [line for line in part["lines"] if line.strip()] or [_("无")]
            for line in lines:
                document.add_paragraph(line)
        for line in part.get("narrative", []):
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
