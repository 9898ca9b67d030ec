"""Factories for enterprise-service models. Enterprises come from the enterprises app's
factories; categories, institutions and programmes are reference data (fixtures)."""

import datetime

import factory
from django.utils import timezone

from apps.services.models import (
    Demand,
    DemandCategory,
    FinancialInstitution,
    FinancingNeed,
    LoanIntent,
    MatchmakingMeeting,
    PolicyApplication,
    PolicyProgramme,
    Visit,
)
from tests.accounts.factories import UserFactory
from tests.enterprises.factories import EnterpriseFactory


def category(code: str) -> DemandCategory:
    return DemandCategory.objects.get(code=code)


def programme(code: str) -> PolicyProgramme:
    return PolicyProgramme.objects.get(code=code)


def institution(index: int = 0) -> FinancialInstitution:
    return FinancialInstitution.objects.all()[index]


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    visited_on = factory.LazyFunction(timezone.localdate)
    method = Visit.Method.ON_SITE
    purpose = "了解生产经营情况"
    findings = "生产正常"
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def staff(obj, create, extracted, **kwargs):
        if create:
            obj.staff.set(extracted or [obj.created_by])


class DemandFactory(factory.django.DjangoModelFactory):
    """A pending demand written directly (tests of transitions start from any state by
    passing status and the fields that state needs)."""

    class Meta:
        model = Demand

    enterprise = factory.SubFactory(EnterpriseFactory)
    source = Demand.Source.PHONE
    category = factory.LazyFunction(lambda: category("procedure"))
    description = factory.Sequence(lambda n: f"企业反映的问题 {n}")
    department = factory.LazyAttribute(lambda o: o.category.default_department)
    raised_on = factory.LazyFunction(timezone.localdate)
    deadline = factory.LazyAttribute(
        lambda o: o.raised_on + datetime.timedelta(days=o.category.time_limit_days)
    )
    created_by = factory.SubFactory(UserFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchmakingMeeting

    title = factory.Sequence(lambda n: f"政银企对接会第{n}期")
    held_on = datetime.date(2023, 5, 18)


class FinancingNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancingNeed

    enterprise = factory.SubFactory(EnterpriseFactory)
    amount = 500
    purpose = "流动资金"
    raised_on = datetime.date(2023, 5, 18)


class LoanIntentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoanIntent

    enterprise = factory.SubFactory(EnterpriseFactory)
    institution = factory.LazyFunction(institution)
    amount = 1000
    signed_on = datetime.date(2023, 5, 18)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyApplication
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    programme = factory.LazyFunction(lambda: programme("high_tech"))
    year = 2023
    started_on = datetime.date(2023, 3, 1)
