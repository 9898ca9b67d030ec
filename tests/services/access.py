from tests.access import EVERYONE, Access, roles

# Who reads demands and visits: every role with work in the closed loop.
READERS = roles("领导", "企业服务", "经济发展", "行政审批", "项目联络员")
# Who reads bank matchmaking and policy applications.
FINANCE_READERS = roles("领导", "企业服务", "经济发展")
ECONOMY = roles("经济发展")


def _demand(users):
    from tests.services.factories import DemandFactory

    return {"pk": DemandFactory(created_by=users["企业服务"]).pk}


def _visit(users):
    from tests.services.factories import VisitFactory

    return {"pk": VisitFactory(created_by=users["企业服务"]).pk}


def _loan(users):
    from tests.services.factories import LoanIntentFactory

    return {"pk": LoanIntentFactory().pk}


def _meeting(users):
    from tests.services.factories import MeetingFactory

    return {"pk": MeetingFactory().pk}


def _need(users):
    from tests.services.factories import FinancingNeedFactory

    return {"pk": FinancingNeedFactory().pk}


def _application(users):
    from tests.services.factories import ApplicationFactory

    return {"pk": ApplicationFactory().pk}


def _transition(users):
    return {**_demand(users), "action": "accept"}


def _api_post_only(ok, kwargs):
    return Access(ok=ok, kwargs=kwargs, ok_status=405)


ACCESS = {
    # pages
    "services:inbox": Access(ok=READERS),
    "services:demand_list": Access(ok=READERS),
    "services:demand_mine": Access(ok=READERS),
    "services:demand_create": Access(ok=roles("企业服务", "项目联络员")),
    "services:demand_detail": Access(ok=READERS, kwargs=_demand),
    # Workflow actions are POST only (tests/test_refusal_parity.py walks who may take them).
    "services:demand_transition": Access(ok=EVERYONE, kwargs=_transition, ok_status=405),
    "services:loan_transition": Access(
        ok=EVERYONE, kwargs=lambda users: {**_loan(users), "action": "review"}, ok_status=405
    ),
    "services:application_transition": Access(
        ok=EVERYONE,
        kwargs=lambda users: {**_application(users), "action": "submit"},
        ok_status=405,
    ),
    "services:outcomes": Access(ok=READERS),
    "services:visit_list": Access(ok=READERS),
    "services:visit_create": Access(ok=roles("企业服务")),
    "services:visit_report": Access(ok=READERS),
    "services:coverage": Access(ok=READERS),
    "services:visit_detail": Access(ok=READERS, kwargs=_visit),
    # the visit is logged by the 企业服务 user: its logger may correct it, others get 403
    "services:visit_update": Access(ok=roles("企业服务"), kwargs=_visit),
    "services:loan_list": Access(ok=FINANCE_READERS),
    "services:loan_create": Access(ok=ECONOMY),
    "services:loan_detail": Access(ok=FINANCE_READERS, kwargs=_loan),
    "services:need_list": Access(ok=FINANCE_READERS),
    "services:need_create": Access(ok=ECONOMY),
    "services:meeting_list": Access(ok=FINANCE_READERS),
    "services:meeting_create": Access(ok=ECONOMY),
    "services:meeting_detail": Access(ok=FINANCE_READERS, kwargs=_meeting),
    "services:application_list": Access(ok=FINANCE_READERS),
    "services:application_create": Access(ok=ECONOMY),
    "services:application_detail": Access(ok=FINANCE_READERS, kwargs=_application),
    # API
    "api:visit-list": Access(ok=READERS),
    "api:visit-detail": Access(ok=READERS, kwargs=_visit),
    "api:demand-list": Access(ok=READERS),
    "api:demand-detail": Access(ok=READERS, kwargs=_demand),
    "api:demand-accept": _api_post_only(READERS, _demand),
    "api:demand-close": _api_post_only(READERS, _demand),
    "api:demand-follow-up": _api_post_only(READERS, _demand),
    "api:demand-return": _api_post_only(READERS, _demand),
    "api:demand-reassign": _api_post_only(READERS, _demand),
    "api:demand-instruct": _api_post_only(READERS, _demand),
    "api:demand-category-list": Access(ok=READERS),
    "api:demand-category-detail": Access(ok=READERS, kwargs=lambda users: {"pk": 1}),
    "api:financial-institution-list": Access(ok=FINANCE_READERS),
    "api:financial-institution-detail": Access(ok=FINANCE_READERS, kwargs=lambda users: {"pk": 1}),
    "api:matchmaking-meeting-list": Access(ok=FINANCE_READERS),
    "api:matchmaking-meeting-detail": Access(ok=FINANCE_READERS, kwargs=_meeting),
    "api:financing-need-list": Access(ok=FINANCE_READERS),
    "api:financing-need-detail": Access(ok=FINANCE_READERS, kwargs=_need),
    "api:loan-intent-list": Access(ok=FINANCE_READERS),
    "api:loan-intent-detail": Access(ok=FINANCE_READERS, kwargs=_loan),
    **{
        f"api:loan-intent-{action}": _api_post_only(FINANCE_READERS, _loan)
        for action in ("review", "credit", "disburse", "fail")
    },
    "api:loan-intent-totals": Access(ok=FINANCE_READERS),
    "api:policy-programme-list": Access(ok=FINANCE_READERS),
    "api:policy-programme-detail": Access(ok=FINANCE_READERS, kwargs=lambda users: {"pk": 1}),
    "api:policy-application-list": Access(ok=FINANCE_READERS),
    "api:policy-application-detail": Access(ok=FINANCE_READERS, kwargs=_application),
    **{
        f"api:policy-application-{action}": _api_post_only(FINANCE_READERS, _application)
        for action in ("submit", "approve", "reject")
    },
}
