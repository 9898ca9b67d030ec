from apps.core.validators import validate_credit_code
from apps.enterprises.models import QualificationType
from tests.enterprises.factories import (
    EnterpriseFactory,
    MonthlyStatisticFactory,
    QualificationFactory,
    StatisticsMembershipFactory,
    credit_code,
)


def test_generated_credit_codes_pass_the_validator_and_differ():
    codes = {credit_code(n) for n in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:200]:
        validate_credit_code(code)


def test_factories_build_a_consistent_enterprise(db):
    membership = StatisticsMembershipFactory()
    QualificationFactory(enterprise=membership.enterprise)
    MonthlyStatisticFactory(enterprise=membership.enterprise)
    other = EnterpriseFactory()
    assert other.name != membership.enterprise.name
    validate_credit_code(other.credit_code)


def test_reference_qualification_types_are_loaded_after_migrate(db):
    codes = set(QualificationType.objects.values_list("code", flat=True))
    assert {"high_tech", "provincial_rd", "city_engineering", "smart_workshop"} <= codes
    assert QualificationType.objects.get(code="high_tech").validity_years == 3
