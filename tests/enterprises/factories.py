import datetime
from decimal import Decimal

import factory

from apps.enterprises.demo import make_credit_code
from apps.enterprises.models import (
    ChainNode,
    Enterprise,
    IndustryChain,
    MonthlyStatistic,
    Park,
    Qualification,
    QualificationType,
    StatisticsMembership,
)


def credit_code(n: int) -> str:
    """A valid, unique 统一社会信用代码 (its own prefix, so never one of the demo's)."""
    return make_credit_code(n, prefix="91419900")


class ParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Park
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"测试园区{n}")
    sort_order = factory.Sequence(lambda n: 100 + n)


class IndustryChainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustryChain
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"测试产业链{n}")
    kind = IndustryChain.Kind.LEADING
    sort_order = factory.Sequence(lambda n: 100 + n)


class ChainNodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChainNode

    chain = factory.SubFactory(IndustryChainFactory)
    name = factory.Sequence(lambda n: f"环节{n}")
    position = factory.Sequence(lambda n: n % 100 + 1)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.Sequence(credit_code)
    legal_representative = "张三"
    registered_capital = Decimal("1000")
    established_on = datetime.date(2015, 3, 1)
    settled_on = datetime.date(2016, 5, 1)
    park = factory.SubFactory(ParkFactory)
    chain = factory.SubFactory(IndustryChainFactory)
    chain_node = None
    address = "大善县开发区纬五路1号"
    contact_person = "李四"
    contact_phone = "13800138000"
    employees = 100
    status = Enterprise.Status.OPERATING


class StatisticsMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatisticsMembership

    enterprise = factory.SubFactory(EnterpriseFactory)
    category = StatisticsMembership.Category.INDUSTRY
    entered_on = datetime.date(2020, 1, 1)
    exited_on = None


class QualificationTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualificationType
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"test_type_{n}")
    name = factory.Sequence(lambda n: f"测试资质{n}")
    level = QualificationType.Level.CITY
    validity_years = 3


def qualification_type(code: str) -> QualificationType:
    """A reference qualification type from fixtures/enterprises.json (e.g. "high_tech")."""
    return QualificationType.objects.get(code=code)


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    enterprise = factory.SubFactory(EnterpriseFactory)
    type = factory.SubFactory(QualificationTypeFactory)
    certificate_no = factory.Sequence(lambda n: f"GR2023{n:06d}")
    issued_on = datetime.date(2023, 1, 1)
    expires_on = factory.LazyAttribute(
        lambda q: q.issued_on.replace(year=q.issued_on.year + 3) - datetime.timedelta(days=1)
    )


class MonthlyStatisticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyStatistic

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2023
    month = factory.Sequence(lambda n: n % 12 + 1)
    output_value = Decimal("1000.0000")
    revenue = Decimal("1000.0000")
    tax = Decimal("50.0000")
    employees = 100
