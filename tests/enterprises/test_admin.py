import pytest
from django.urls import reverse

from apps.accounts.roles import Role
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
from tests.enterprises.factories import (
    MonthlyStatisticFactory,
    QualificationFactory,
    StatisticsMembershipFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Park,
    IndustryChain,
    ChainNode,
    QualificationType,
    Enterprise,
    Qualification,
    StatisticsMembership,
    MonthlyStatistic,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_model_has_a_searchable_admin(client, user_of, model):
    membership = StatisticsMembershipFactory()
    QualificationFactory(enterprise=membership.enterprise)
    MonthlyStatisticFactory(enterprise=membership.enterprise)
    client.force_login(user_of(Role.ADMIN))
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(changelist, {"q": "测试"}).status_code == 200
    obj = model.objects.first()
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert client.get(change).status_code == 200


def test_an_enterprise_cannot_be_deleted_in_the_admin(client, user_of):
    enterprise = StatisticsMembershipFactory().enterprise
    client.force_login(user_of(Role.ADMIN))
    url = reverse("admin:enterprises_enterprise_delete", args=[enterprise.pk])
    assert client.get(url).status_code == 403
