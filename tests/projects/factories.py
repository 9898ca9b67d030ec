"""Factories for 项目台账. A project is made under construction (started 2023-03-15) by default,
with its liaison a 项目联络员; reports are made in a given state directly (the workflow itself
is tested through the services), an approved one with its monthly summary rows."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from apps.accounts.models import Department
from apps.accounts.roles import Role
from apps.projects.models import AnnualPlan, Approval, Milestone, MonthlyReport, Project
from tests.accounts.factories import UserFactory
from tests.enterprises.factories import EnterpriseFactory


class LiaisonFactory(UserFactory):
    username = factory.Sequence(lambda n: f"liaison-{n}")

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create:
            obj.groups.set(Group.objects.filter(name__in=extracted or [Role.LIAISON]))


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"建设项目{n:04d}")
    enterprise = factory.SubFactory(EnterpriseFactory)
    park = factory.LazyAttribute(lambda o: o.enterprise.park)
    level = Project.Level.COUNTY
    status = Project.Status.CONSTRUCTING
    content = "新建厂房2万平方米，购置生产线2条"
    total_investment = Decimal("12000")
    fund_own = Decimal("8000")
    fund_loan = Decimal("4000")
    start_year = 2023
    end_year = 2024
    planned_start = datetime.date(2023, 3, 1)
    planned_completion = datetime.date(2024, 12, 31)
    actual_start = datetime.date(2023, 3, 15)
    registered_on = datetime.date(2023, 4, 10)
    department = factory.LazyFunction(lambda: Department.objects.get(code="economy"))
    liaison = factory.SubFactory(LiaisonFactory)
    owner_contact = "王经理"
    owner_phone = "13912345678"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualPlan

    project = factory.SubFactory(ProjectFactory)
    year = 2023
    planned = Decimal("1200")


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyReport
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    year = 2023
    month = 4
    invested = Decimal("100")
    progress = "主体施工"
    written_by = factory.LazyAttribute(lambda o: o.project.liaison)
    status = MonthlyReport.Status.DRAFT

    @factory.lazy_attribute
    def approved_by(self):
        return self.written_by if self.status == MonthlyReport.Status.APPROVED else None

    @factory.lazy_attribute
    def approved_at(self):
        return timezone.now() if self.status == MonthlyReport.Status.APPROVED else None

    @factory.lazy_attribute
    def submitted_at(self):
        handed_in = (MonthlyReport.Status.SUBMITTED, MonthlyReport.Status.APPROVED)
        return timezone.now() if self.status in handed_in else None

    @factory.post_generation
    def month_figures(obj, create, extracted, **kwargs):
        # An approved report made directly still comes with its summary rows, as the
        # approval's transaction would write them (the ledger reads only the summary).
        if create and obj.status == MonthlyReport.Status.APPROVED:
            from apps.projects import services

            services.month_figures_rebuild(project_ids=[obj.project_id])


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    name = "主体封顶"
    due_on = datetime.date(2023, 9, 30)


class ApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Approval

    project = factory.SubFactory(ProjectFactory)
    kind = "construction_permit"
