"""Role × URL matrix for the enterprise registry's pages and API."""

from tests.access import EVERYONE, Access, roles

WRITERS = roles("企业服务", "经济发展")
FIGURES = roles("企业服务", "经济发展", "领导")
IMPORTERS = roles("经济发展", "企业服务")


def _enterprise(users):
    from tests.enterprises.factories import EnterpriseFactory

    return {"pk": EnterpriseFactory().pk}


def _qualification(users):
    from tests.enterprises.factories import QualificationFactory

    qualification = QualificationFactory()
    return {"pk": qualification.enterprise_id, "qualification_pk": qualification.pk}


def _membership(users):
    from tests.enterprises.factories import StatisticsMembershipFactory

    membership = StatisticsMembershipFactory()
    return {"pk": membership.enterprise_id, "membership_pk": membership.pk}


def _pk(factory_name):
    def build(users):
        from tests.enterprises import factories

        return {"pk": getattr(factories, factory_name)().pk}

    return build


ACCESS = {
    "enterprises:enterprise_list": Access(ok=EVERYONE),
    "enterprises:names": Access(ok=EVERYONE, query="q=测试"),
    "enterprises:enterprise_detail": Access(ok=EVERYONE, kwargs=_enterprise),
    "enterprises:enterprise_create": Access(ok=WRITERS),
    "enterprises:enterprise_update": Access(ok=WRITERS, kwargs=_enterprise),
    "enterprises:qualification_create": Access(ok=WRITERS, kwargs=_enterprise),
    "enterprises:qualification_update": Access(ok=WRITERS, kwargs=_qualification),
    "enterprises:membership_create": Access(ok=WRITERS, kwargs=_enterprise),
    "enterprises:membership_update": Access(ok=WRITERS, kwargs=_membership),
    "enterprises:qualification_list": Access(ok=EVERYONE),
    "enterprises:chain_list": Access(ok=EVERYONE),
    "enterprises:statistics": Access(ok=FIGURES),
    "enterprises:statistics_export": Access(ok=FIGURES, query="year=2023&month=11"),
    "enterprises:statistics_import": Access(ok=IMPORTERS),
    "api:enterprise-list": Access(ok=EVERYONE),
    "api:enterprise-detail": Access(ok=EVERYONE, kwargs=_enterprise),
    "api:qualification-list": Access(ok=EVERYONE),
    "api:qualification-detail": Access(ok=EVERYONE, kwargs=_pk("QualificationFactory")),
    "api:membership-list": Access(ok=EVERYONE),
    "api:membership-detail": Access(ok=EVERYONE, kwargs=_pk("StatisticsMembershipFactory")),
    "api:monthly-statistic-list": Access(ok=FIGURES),
    "api:monthly-statistic-detail": Access(ok=FIGURES, kwargs=_pk("MonthlyStatisticFactory")),
    "api:enterprise-statistics": Access(ok=FIGURES, query="year=2023&month=11"),
}
