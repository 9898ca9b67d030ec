"""The HR audit view: each recorded change of the audited models as old → new values."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from apps.staff.models import (
    Appointment,
    Appraisal,
    GradeRule,
    PayLine,
    SalaryGrade,
    StaffMember,
)
from apps.staff.permissions import shown_birth_date, shown_id_number


@dataclass(frozen=True)
class Audited:
    label: str
    model: type


AUDITED = {
    "appointment": Audited(_("聘任合同"), Appointment),
    "appraisal": Audited(_("考核"), Appraisal),
    "graderule": Audited(_("等次系数"), GradeRule),
    "salarygrade": Audited(_("薪级"), SalaryGrade),
    "payline": Audited(_("工资明细"), PayLine),
    "staffmember": Audited(_("工作人员"), StaffMember),
}
_SKIPPED = {"created_at", "updated_at"}
_KINDS = {"+": _("新增"), "~": _("修改"), "-": _("删除")}


@dataclass
class AuditRow:
    record: object
    kind: str
    # (label, old, new); for a created record old is "" and only the values it was given.
    changes: list[tuple[str, str, str]]
    created: bool = False


def _shown(user, field, value, labels: dict) -> str:
    if value is None or value == "":
        return "—"
    if field.name in labels:
        return labels[field.name].get(value, f"#{value}")
    if field.name == "id_number":
        return shown_id_number(user, value)
    if field.name == "birth_date":
        return str(shown_birth_date(user, value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def previous_by_id_values(previous_by_id: dict) -> list:
    return [versions[0] for versions in previous_by_id.values()]


def _related_labels(fields, versions) -> dict[str, dict]:
    """Names instead of ids for the foreign keys on the page: one query per related model
    (following its required foreign keys, which its name is built from)."""
    labels = {}
    for field in fields:
        if not field.is_relation:
            continue
        ids = {getattr(v, field.attname) for v in versions} - {None}
        related = field.related_model.objects.select_related().filter(pk__in=ids) if ids else []
        labels[field.name] = {obj.pk: str(obj) for obj in related}
    return labels


def audit_rows(*, records: list, user) -> list[AuditRow]:
    """Diffs for a page of history records; the previous versions come from one query."""
    if not records:
        return []
    model = type(records[0])
    ids = {record.id for record in records}
    oldest = min(record.history_date for record in records)
    previous_by_id = {
        version.id: [version]
        for version in model.objects.filter(id__in=ids, history_date__lt=oldest)
        .order_by("id", "-history_date", "-history_id")
        .distinct("id")
    }
    # Versions on this page precede each other too: walk each object's versions oldest first.
    by_object: dict[int, list] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        by_object.setdefault(record.id, []).append(record)
    previous_of = {}
    for object_id, versions in by_object.items():
        before = (previous_by_id.get(object_id) or [None])[0]
        for version in versions:
            previous_of[version.history_id] = before
            before = version
    fields = [
        field
        for field in model.instance_type._meta.concrete_fields
        if field.attname not in _SKIPPED and field.name != "id"
    ]
    labels = _related_labels(fields, [*records, *previous_by_id_values(previous_by_id)])
    rows = []
    for record in records:
        before = previous_of.get(record.history_id)
        changes = []
        for field in fields:
            new = getattr(record, field.attname)
            old = getattr(before, field.attname) if before is not None else None
            if before is None and record.history_type != "+":
                continue
            if before is not None and old == new:
                continue
            if before is None:
                # A created record: its values once, not a "— → —" line per empty field.
                if new is not None and new != "":
                    changes.append((str(field.verbose_name), "", _shown(user, field, new, labels)))
                continue
            changes.append(
                (
                    str(field.verbose_name),
                    _shown(user, field, old, labels),
                    _shown(user, field, new, labels),
                )
            )
        rows.append(
            AuditRow(
                record=record,
                kind=str(_KINDS.get(record.history_type)),
                changes=changes,
                created=before is None,
            )
        )
    return rows
