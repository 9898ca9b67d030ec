import random
from datetime import date
from decimal import Decimal

import factory

from apps.accounts.models import Department
from apps.staff import services
from apps.staff.models import Position, SalaryGrade, SelectionRound, StaffMember
from apps.staff.validators import id_number_check_character

REAL_ID_NUMBER = "11010519491231002X"  # the GB 11643 standard's own example


def make_id_number(birth: date, serial: int) -> str:
    first17 = f"410724{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + id_number_check_character(first17)


class SalaryGradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalaryGrade
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.Sequence(lambda n: f"测试薪级{n}")
    base_pay = Decimal("5000.00")
    performance_base = Decimal("2000.00")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    department = factory.LazyFunction(lambda: Department.objects.get(code=Department.Code.SERVICE))
    title = factory.Sequence(lambda n: f"测试岗位{n}")
    kind = Position.Kind.GENERAL
    headcount = 3
    salary_grade = factory.SubFactory(SalaryGradeFactory)


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    name = factory.Sequence(lambda n: f"职工{n}")
    gender = StaffMember.Gender.MALE
    birth_date = factory.Sequence(lambda n: date(1980 + n % 20, 1 + n % 12, 1 + n % 28))
    id_number = factory.LazyAttributeSequence(lambda o, n: make_id_number(o.birth_date, n))
    phone = "13800138000"
    education = StaffMember.Education.BACHELOR
    former_status = StaffMember.FormerStatus.INSTITUTION


def appoint(staff=None, position=None, start=date(2024, 1, 1), end=None, today=None, **kwargs):
    """An appointment through the service, as HR would make it."""
    return services.appointment_create(
        staff=staff or StaffMemberFactory(),
        position=position or PositionFactory(),
        start_date=start,
        end_date=end,
        by=None,
        today=today,
        **kwargs,
    )


def shuffled(items, seed=1):
    items = list(items)
    random.Random(seed).shuffle(items)
    return items


class SelectionRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectionRound

    name = factory.Sequence(lambda n: f"测试选聘{n}")
    start_date = date(2024, 1, 1)
    end_date = date(2024, 2, 1)
    appointment_start = date(2024, 3, 1)
    weight_written = Decimal("0.40")
    weight_interview = Decimal("0.40")
    weight_democratic = Decimal("0.20")
