"""Hostile inputs for tests/test_robustness.py: bad values by field type, and a fingerprint of
every project table so a test can tell that a refused request wrote nothing."""

from datetime import date
from decimal import Decimal

from django import forms
from django.apps import apps
from django.db import connection
from rest_framework import relations, serializers

NUL = "测试\x00名称"
LONG = "长" * 5000
SQL_LIKE = "'%_\\\"; --"

# Values any filter field gets in turn; filters must answer a form error or ignore them.
FILTER_VALUES = ["99999999999", "2023-02-30", NUL, SQL_LIKE + LONG]

# Query strings every list must survive (pagination, ordering, export, the keys pages read).
LIST_QUERIES = [
    "page=999999",
    "page=" + "9" * 20,
    "page_size=0&page=abc",
    "page_size=" + "9" * 20,
    "ordering=nonexistent,-,-id__x",
    "on=2023-02-30&year=99999999999&month=13&quarter=9",
    "export=xlsx&year=abc&month=13&q=%00&park=abc&status=nonexistent",
    "enterprise=" + "9" * 30,
    "enterprise=%00&mine=%00&start=2023-02-30&end=abc&days=" + "9" * 30,
]

# Must-refuse values: a form or serializer that accepts one of these has a bug.
HUGE_INTEGER = "9" * 30
HUGE_DECIMAL = "9" * 40 + ".999"


def bad_values_for_form_field(field: forms.Field) -> list[str]:
    """Values the field must refuse (validation error, not a server error)."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ["abc", HUGE_INTEGER]
    if isinstance(field, forms.ModelChoiceField):
        return ["999999999", HUGE_INTEGER]
    if isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
        return ["nonexistent-choice"]
    if isinstance(field, forms.DecimalField):
        return [HUGE_DECIMAL, "1e400"]
    if isinstance(field, forms.IntegerField | forms.FloatField):
        return [HUGE_INTEGER]
    if isinstance(field, forms.DateTimeField):
        return ["2023-02-30 10:00"]
    if isinstance(field, forms.DateField):
        return ["2023-02-30"]
    if isinstance(field, forms.FileField):
        return []
    if isinstance(field, forms.CharField):
        # Both faults at once where there is a length limit: either must refuse it.
        return [NUL + "长" * (field.max_length or 0)]
    return []


# The seeded enterprise (see seed_rows) that name-typed enterprise fields refer to.
SEED_ENTERPRISE = "健壮性测试企业"
# Date fields named like the end of a span get a later day than those that start one.
_LATE_DATE_WORDS = ("end", "expire", "exit", "left", "decided", "closed", "terminated", "deadline")


def _hinted(name: str):
    """A value by field name, where the type alone would be refused (codes, phones, names)."""
    if "phone" in name:
        return "13800138000"
    if name == "credit_code":
        from tests.enterprises.factories import credit_code

        return credit_code(987654)
    if name == "id_number":
        from tests.staff.factories import REAL_ID_NUMBER

        return REAL_ID_NUMBER
    if name in ("enterprise", "enterprise_names"):
        return SEED_ENTERPRISE
    return None


def _day(name: str) -> str:
    return "2024-06-01" if any(word in name for word in _LATE_DATE_WORDS) else "2023-06-01"


def seed_rows() -> None:
    """One row of the things most forms point at, so a plausible body can be complete."""
    from apps.accounts.models import Department
    from apps.accounts.roles import Role
    from tests.accounts.factories import UserFactory
    from tests.enterprises.factories import EnterpriseFactory
    from tests.investment.factories import InvestorFactory
    from tests.staff.factories import appoint

    EnterpriseFactory(name=SEED_ENTERPRISE)
    appoint(start=date(2023, 1, 1))
    InvestorFactory()
    # A visit's staff are 企业服务局 people.
    UserFactory(
        username="robustness-visitor",
        department=Department.objects.get(code=Department.Code.SERVICE),
        roles=[Role.SERVICE],
    )


def _seeded_appointment():
    from apps.staff.models import Appointment

    return Appointment.objects.select_related("staff").order_by("pk").first()


def _appraised_appointment():
    """The seeded appointment, appraised for 2023 Q2 (a pay sheet needs everyone's result)."""
    from apps.staff import services

    appointment = _seeded_appointment()
    services.appraisal_record(
        staff=appointment.staff, year=2023, quarter=2, score=90, grade="competent", by=None
    )
    return appointment


def _service_person():
    from apps.accounts.models import User

    return User.objects.get(username="robustness-visitor")


# Where the field-by-field plausible value is refused for a reason of the whole body (an
# overlap, a cross-field check, a row it must point at), the body a careful user would send:
# {url name: function () -> {field: value}}, the fields unprefixed. Used by pages and the API.
BASELINE_OVERRIDES = {
    "staff:appointment_create": lambda: {
        # After the seeded appointment of the same person.
        "staff": _seeded_appointment().staff_id,
        "start_date": "2031-01-01",
        "end_date": "2033-12-31",
        "probation_end": "2031-06-30",
    },
    "staff:appraisal_create": lambda: {
        "staff": _seeded_appointment().staff_id,
        "year": "2023",
        "quarter": "2",
        "grade": "competent",
    },
    "staff:member_create": lambda: {"birth_date": "1949-12-31"},
    "staff:member_update": lambda: {"birth_date": "1949-12-31"},
    "staff:pay_sheet_generate": lambda: {
        "department": _appraised_appointment().position.department_id,
        "year": "2023",
        "quarter": "2",
    },
    "services:visit_create": lambda: {"staff": [str(_service_person().pk)]},
    "api:visit-list": lambda: {"staff": [_service_person().pk]},
    "projects:project_create": lambda: _construction_project_body(),
    "projects:project_update": lambda: _construction_project_body(),
    "projects:plan_edit": lambda: {"year": "2026", "planned": "1200", "monthly_text": ""},
    "projects:report_create": lambda: {"year": "2026", "month": "11", "invested": "100"},
    "projects:report_update": lambda: {"year": "2026", "month": "11", "invested": "100"},
    # The year's target itself: a month or a group share needs the year's target first.
    "api:dashboard-target-list": lambda: {"month": None, "department": None},
    "api:projects-report-list": lambda: _liaison_report_body(),
}


def _liaison_report_body():
    """A month of a project that the 项目联络员 role user follows (only its liaison writes)."""
    from apps.accounts.models import User
    from apps.accounts.roles import Role
    from tests.conftest import make_role_user
    from tests.projects.factories import ProjectFactory

    liaison = User.objects.filter(username="role-liaison").first() or make_role_user(Role.LIAISON)
    project = ProjectFactory(liaison=liaison)
    return {"project": project.pk, "year": 2023, "month": 6, "invested": "100"}


def _construction_project_body():
    """Funding within the total, years in order, and a liaison (项目联络员) to follow it."""
    from apps.accounts.models import User
    from apps.accounts.roles import Role
    from tests.conftest import make_role_user

    liaison = User.objects.filter(groups__name=Role.LIAISON).first() or make_role_user(Role.LIAISON)
    return {
        "total_investment": "50000",
        "fund_own": "10000",
        "fund_loan": "0",
        "fund_government": "0",
        "fund_other": "0",
        "prior_investment": "0",
        "start_year": "2026",
        "end_year": "2027",
        "planned_start": "2026-03-01",
        "planned_completion": "2027-06-30",
        "registered_on": "",
        "liaison": str(liaison.pk),
    }


# Forms whose baseline is not a write of this page, so no positive control: {url name: why}.
NO_POSITIVE_CONTROL = {
    "accounts:password_change": "needs the user's own password; tests/accounts cover it",
    "enterprises:statistics": "a period picker: the page answers the chosen period (200)",
    "enterprises:statistics_import": "needs a workbook; tests/enterprises/test_imports.py",
    "api:notification-read": "the matrix's notification belongs to another user",
    "investment:lead_detail": "its forms post to the judge and follow-up actions",
    "api:notification-read-all": "writes nothing when nothing is unread; tests/accounts",
    "investment:resident_report_create": (
        "needs a resident team the user is in; "
        "tests/investment/test_resident_reports_and_conversion.py"
    ),
}


def plausible_form_value(name: str, field: forms.Field):
    """A value the field alone likely accepts, so other fields' checks run on a full body."""
    if isinstance(field, forms.CharField) and (hinted := _hinted(name)) is not None:
        return hinted
    if isinstance(field, forms.ModelMultipleChoiceField):
        first = field.queryset.first()
        return [str(first.pk)] if first else []
    if isinstance(field, forms.ModelChoiceField):
        first = field.queryset.first()
        return str(first.pk) if first else ""
    if isinstance(field, forms.MultipleChoiceField):
        choices = [value for value, _label in field.choices if value != ""]
        return choices[:1]
    if isinstance(field, forms.ChoiceField):
        choices = [value for value, _label in field.choices if value not in ("", None)]
        return str(choices[0]) if choices else ""
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, forms.DecimalField | forms.IntegerField | forms.FloatField):
        low = field.min_value if getattr(field, "min_value", None) is not None else 1
        return str(max(Decimal(low), Decimal(1)))
    if isinstance(field, forms.DateTimeField):
        return _day(name) + " 10:00"
    if isinstance(field, forms.DateField):
        return _day(name)
    if isinstance(field, forms.EmailField):
        return "someone@example.com"
    if isinstance(field, forms.FileField):
        return ""
    if isinstance(field, forms.CharField):
        return "测试"
    return ""


def bad_values_for_serializer_field(field: serializers.Field) -> list:
    if isinstance(field, serializers.ManyRelatedField):
        return [[999999999], "abc"]
    if isinstance(field, relations.RelatedField):
        return ["abc", HUGE_INTEGER, {"x": 1}]
    if isinstance(field, serializers.ChoiceField):
        return ["nonexistent-choice", [1]]
    if isinstance(field, serializers.DecimalField):
        return ["abc", HUGE_DECIMAL, "NaN"]
    if isinstance(field, serializers.IntegerField | serializers.FloatField):
        return ["abc", HUGE_INTEGER]
    if isinstance(field, serializers.DateTimeField):
        return ["2023-02-30T10:00", 12]
    if isinstance(field, serializers.DateField):
        return ["2023-02-30", "99999-01-01"]
    if isinstance(field, serializers.BooleanField):
        return ["maybe"]
    if isinstance(field, serializers.ListField | serializers.ListSerializer):
        return ["abc"]
    if isinstance(field, serializers.CharField):
        values = [NUL, {"x": 1}]
        if field.max_length:
            values.append("长" * (field.max_length + 1))
        return values
    return []


def plausible_serializer_value(name: str, field: serializers.Field):
    if isinstance(field, serializers.CharField) and (hinted := _hinted(name)) is not None:
        return hinted
    if isinstance(field, serializers.ManyRelatedField):
        first = field.child_relation.get_queryset().first()
        return [first.pk] if first else []
    if isinstance(field, relations.RelatedField):
        first = field.get_queryset().first()
        return first.pk if first else None
    if isinstance(field, serializers.MultipleChoiceField):
        return list(field.choices)[:1]
    if isinstance(field, serializers.ChoiceField):
        return next(iter(field.choices), "")
    if isinstance(field, serializers.BooleanField):
        return True
    if isinstance(field, serializers.DecimalField | serializers.IntegerField):
        return 1 if field.min_value is None else max(1, field.min_value)
    if isinstance(field, serializers.DateTimeField):
        return _day(name) + "T10:00:00"
    if isinstance(field, serializers.DateField):
        return _day(name)
    if isinstance(field, serializers.EmailField):
        return "someone@example.com"
    if isinstance(field, serializers.ListField | serializers.ListSerializer):
        return []
    if isinstance(field, serializers.CharField):
        return "测试"
    return None


# Tables a request may legitimately touch whatever it answers.
_VOLATILE = {"django_session"}


def _tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
        - _VOLATILE
    )


def fingerprint() -> dict[str, str]:
    """Every project table's row count and content hash, in one query."""
    tables = _tables()
    # An order-free sum of row hashes: any insert, delete or update changes it (collisions
    # aside), and it costs one scan per table, no sort.
    parts = ", ".join(
        f"(SELECT count(*)::text || ':' || coalesce(sum(hashtext(t::text)::bigint), 0)::text"
        f" FROM {connection.ops.quote_name(table)} t)"
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [table for table in before if before[table] != after[table]]
