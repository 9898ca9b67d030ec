"""Every unique name a user types is normalised before its uniqueness check, so a look-alike
(a zero-width space, a bidi override, full-width letters) is refused as the duplicate it is."""

import pytest
from django.core.exceptions import ValidationError

from apps.accounts.models import Department
from apps.enterprises.models import IndustryChain, Park, QualificationType
from apps.services.models import FinancialInstitution
from tests.staff.factories import PositionFactory

pytestmark = pytest.mark.django_db

LOOK_ALIKE = "\u202a{}\u200b "


def _refused(instance, field):
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    assert field in refused.value.message_dict


def test_reference_data_names_refuse_look_alikes():
    park = Park.objects.create(name="智能装备产业园")
    _refused(Park(name=LOOK_ALIKE.format(park.name)), "name")
    chain = IndustryChain.objects.first()
    _refused(IndustryChain(name=LOOK_ALIKE.format(chain.name), kind=chain.kind), "name")
    qualification = QualificationType.objects.first()
    _refused(
        QualificationType(
            code="look-alike",
            name=LOOK_ALIKE.format(qualification.name),
            level=qualification.level,
        ),
        "name",
    )
    department = Department.objects.first()
    _refused(Department(code="office", name=LOOK_ALIKE.format(department.name)), "name")
    bank = FinancialInstitution.objects.create(name="中国工商银行大善支行")
    _refused(FinancialInstitution(name="中国工商银行\ufeff大善支行"), "name")
    assert FinancialInstitution.objects.filter(pk=bank.pk).exists()


def test_a_position_title_is_normalised_before_the_per_department_check():
    position = PositionFactory(title="招商专员")
    look_alike = PositionFactory.build(
        title="招商\u200d专员",
        department=position.department,
        salary_grade=position.salary_grade,
    )
    with pytest.raises(ValidationError):
        look_alike.full_clean()
    assert look_alike.title == "招商专员"
