"""Factories for 招商引资. Projects are made in a given stage directly (the workflow itself is
tested through the services); the team is the 招商 user's own."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from apps.investment.models import Activity, Investor, Lead, Project, Team
from tests.accounts.factories import UserFactory


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"招商{n}组")
    leader = factory.SubFactory(UserFactory)

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create:
            self.members.set(extracted or [self.leader])


class InvestorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Investor

    name = factory.Sequence(lambda n: f"客商{n:04d}实业有限公司")
    province = "江苏"
    city = "苏州"
    contact_name = "张三"
    contact_phone = "13812345678"
    created_by = factory.SubFactory(UserFactory)


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    investor = factory.SubFactory(InvestorFactory)
    title = factory.Sequence(lambda n: f"项目{n:04d}")
    channel = Lead.Channel.OWN
    team = factory.SubFactory(TeamFactory)
    owner = factory.LazyAttribute(lambda o: o.team.leader if o.team else None)
    reported_by = factory.LazyAttribute(lambda o: o.owner or o.investor.created_by)
    reported_at = factory.LazyFunction(timezone.now)
    last_follow_up_on = factory.LazyFunction(timezone.localdate)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"招商项目{n:04d}")
    investor = factory.SubFactory(InvestorFactory)
    team = factory.SubFactory(TeamFactory)
    owner = factory.LazyAttribute(lambda o: o.team.leader)
    stage_entered_at = factory.LazyFunction(timezone.now)
    status = Project.Status.NEGOTIATING
    fixed_asset_investment = Decimal(20000)
    land_mu = Decimal(50)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    kind = Activity.Kind.OUTBOUND
    title = factory.Sequence(lambda n: f"外出招商{n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=2))
    province = "上海"
    city = "上海"
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        if create:
            self.staff.set(extracted or [self.created_by])


def approve_admission(project, by, reviewed_on=None):
    """An approved admission review (every checklist item holds), recorded through the
    service as an officer would: what 签约 needs."""
    from django.utils import timezone

    from apps.investment import services
    from apps.investment.models import AdmissionReview

    return services.admission_review_create(
        by=by,
        project=project,
        reviewed_on=reviewed_on or timezone.localdate(),
        **dict.fromkeys(AdmissionReview.CHECK_ITEMS, True),
        conclusion=AdmissionReview.Conclusion.PASSED,
    )


def api_as(user):
    """An API client authenticated as `user`."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def export_text(response) -> str:
    """Every non-empty cell of an exported workbook's sheet, joined by spaces."""
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return " ".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value)
