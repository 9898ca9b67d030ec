"""Writes to the registry. Views, the API, the admin and the import all come through here."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from apps.accounts.models import User
from apps.core import figures
from apps.core.dates import years_later_inclusive
from apps.core.validators import normalize_credit_code, normalize_name, normalize_phone
from apps.enterprises.models import (
    Enterprise,
    MonthlyStatistic,
    Qualification,
    StatisticsMembership,
)


def _save(instance, *, by: User):
    # full_clean runs the field validators and the model's constraints (the exclusion
    # constraint too), so a refusal is a readable ValidationError and never an IntegrityError.
    instance.full_clean()
    instance._history_user = by
    instance.save()
    return instance


def _normalise_enterprise(enterprise: Enterprise) -> None:
    enterprise.credit_code = normalize_credit_code(enterprise.credit_code)
    enterprise.contact_phone = normalize_phone(enterprise.contact_phone)
    enterprise.name = normalize_name(enterprise.name)


@transaction.atomic
def enterprise_save(*, enterprise: Enterprise, by: User) -> Enterprise:
    """Register or correct an enterprise as it stands (every entry path: pages, API, admin,
    import): normalised code, phone and name, then every field and constraint checked."""
    _normalise_enterprise(enterprise)
    return _save(enterprise, by=by)


def enterprise_create(*, by: User, **fields) -> Enterprise:
    return enterprise_save(enterprise=Enterprise(**fields), by=by)


def enterprise_update(*, enterprise: Enterprise, by: User, **fields) -> Enterprise:
    for name, value in fields.items():
        setattr(enterprise, name, value)
    return enterprise_save(enterprise=enterprise, by=by)


@transaction.atomic
def qualification_save(*, qualification: Qualification, by: User) -> Qualification:
    """Create or update a certificate; the expiry defaults to the type's validity period."""
    qtype = qualification.type if qualification.type_id else None
    if (
        qualification.expires_on is None
        and qtype is not None
        and qtype.validity_years
        and qualification.issued_on
    ):
        # Valid through the day before the anniversary: a 3-year certificate issued on
        # 2023-11-30 expires on 2026-11-29 (one rule, whoever issues it).
        qualification.expires_on = years_later_inclusive(
            qualification.issued_on, qtype.validity_years
        )
    return _save(qualification, by=by)


@transaction.atomic
def membership_save(*, membership: StatisticsMembership, by: User) -> StatisticsMembership:
    return _save(membership, by=by)


@transaction.atomic
def qualification_delete(*, qualification: Qualification, by: User) -> None:
    qualification._history_user = by
    qualification.delete()


@transaction.atomic
def membership_delete(*, membership: StatisticsMembership, by: User) -> None:
    membership._history_user = by
    membership.delete()


# --- monthly report import --------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int
    updated: int


@transaction.atomic
def monthly_statistics_import(*, rows: list, year: int, month: int, by: User) -> ImportResult:
    """Write a checked monthly report (apps.enterprises.imports.parse_monthly_report rows):
    all rows or none. Re-importing a month updates its rows instead of adding new ones."""
    if any(row.errors for row in rows):
        raise ValidationError(_("文件中有错误的行，整个文件未导入"))
    if any((row.year, row.month) != (year, month) for row in rows):
        raise ValidationError(_("文件中的月份与所选月份不一致"))
    existing = {
        statistic.enterprise_id: statistic
        for statistic in MonthlyStatistic.objects.select_for_update().filter(
            year=year, month=month, enterprise_id__in=[row.enterprise.pk for row in rows]
        )
    }
    to_create, to_update = [], []
    now = timezone.now()
    for row in rows:
        statistic = existing.get(row.enterprise.pk) or MonthlyStatistic(
            enterprise=row.enterprise, year=year, month=month
        )
        statistic.output_value = row.output_value
        statistic.revenue = row.revenue
        statistic.tax = row.tax
        statistic.employees = row.employees
        statistic.updated_at = now  # bulk_update skips auto_now
        (to_update if statistic.pk else to_create).append(statistic)
    if to_create:
        bulk_create_with_history(to_create, MonthlyStatistic, batch_size=1000, default_user=by)
    if to_update:
        bulk_update_with_history(
            to_update,
            MonthlyStatistic,
            ["output_value", "revenue", "tax", "employees", "updated_at"],
            batch_size=1000,
            default_user=by,
        )
    # One month's rows: the figures of periods that read other years keep their values.
    figures.invalidate("enterprises", years=(year,))
    return ImportResult(created=len(to_create), updated=len(to_update))
