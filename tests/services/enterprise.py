"""Temporary stand-in until tests/enterprises/factories.py lands: an enterprise with a valid
credit code."""

import factory

from apps.core.validators import credit_code_check_character
from apps.enterprises.models import Enterprise


def _credit_code(n: int) -> str:
    first17 = f"9141{n:013d}"
    return first17 + credit_code_check_character(first17)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.Sequence(_credit_code)
