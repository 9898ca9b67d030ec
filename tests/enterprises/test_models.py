from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.enterprises.models import Enterprise, StatisticsMembership
from tests.enterprises.factories import (
    ChainNodeFactory,
    EnterpriseFactory,
    MonthlyStatisticFactory,
    QualificationFactory,
    StatisticsMembershipFactory,
    credit_code,
)

pytestmark = pytest.mark.django_db


def test_a_credit_code_with_a_wrong_check_character_is_refused_in_chinese():
    good = credit_code(42)
    enterprise = EnterpriseFactory.build(credit_code=good[:17] + ("1" if good[17] != "1" else "2"))
    with pytest.raises(ValidationError) as refused:
        enterprise.full_clean()
    assert refused.value.message_dict["credit_code"] == [
        "统一社会信用代码校验位错误，请核对后重新输入"
    ]


def test_a_credit_code_starting_with_a_letter_is_legal():
    first17 = "Y1410700MA0000001"
    from apps.core.validators import credit_code_check_character

    enterprise = EnterpriseFactory.build(credit_code=first17 + credit_code_check_character(first17))
    enterprise.full_clean(exclude=["park", "chain"])


def test_a_chain_node_must_belong_to_the_enterprise_chain():
    enterprise = EnterpriseFactory()
    enterprise.chain_node = ChainNodeFactory()  # a node of another chain
    with pytest.raises(ValidationError) as refused:
        enterprise.full_clean()
    assert refused.value.message_dict["chain_node"] == ["所选环节不属于该产业链"]


def test_a_listing_without_a_date_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseFactory(listing_exchange=Enterprise.Exchange.BSE, listed_on=None)


def test_overlapping_memberships_of_one_category_are_refused_by_the_database():
    membership = StatisticsMembershipFactory(entered_on=date(2020, 1, 1), exited_on=None)
    StatisticsMembershipFactory(
        enterprise=membership.enterprise,
        category=StatisticsMembership.Category.SERVICES,
        entered_on=date(2021, 1, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        StatisticsMembershipFactory(enterprise=membership.enterprise, entered_on=date(2022, 1, 1))
    # Re-entering after an exit is fine.
    membership.exited_on = date(2022, 1, 1)
    membership.save()
    StatisticsMembershipFactory(enterprise=membership.enterprise, entered_on=date(2023, 1, 1))


def test_one_report_per_enterprise_and_month_and_no_negative_amounts():
    report = MonthlyStatisticFactory(year=2023, month=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyStatisticFactory(enterprise=report.enterprise, year=2023, month=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyStatisticFactory(revenue=-1)


def test_a_qualification_status_is_derived_from_its_dates():
    assert QualificationFactory.build(issued_on=date(2015, 1, 1)).get_status_display() == "已过期"
    assert QualificationFactory.build(issued_on=date.today()).status == "valid"


def test_reference_names_are_normalised_before_the_uniqueness_check(db):
    from django.core.exceptions import ValidationError

    from apps.enterprises.models import Park

    Park.objects.create(name="智能装备产业园")
    look_alike = Park(name="智能装备\u200b产业园 ")
    with pytest.raises(ValidationError) as refused:
        look_alike.full_clean()
    assert "name" in refused.value.message_dict
