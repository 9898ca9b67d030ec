"""招商引资 in the role x URL matrix. Objects belong to the 招商 user's own team; the project is
signed, so that 经济发展 (which reads projects from 签约 on) reads it too."""

from tests.access import EVERYONE, Access, roles

INVESTMENT = roles("招商")
READERS = roles("领导", "招商")
PROJECT_READERS = roles("领导", "招商", "经济发展")


def _team(users):
    from tests.investment.factories import TeamFactory

    return TeamFactory(leader=users["招商"])


def _lead(users):
    from tests.investment.factories import LeadFactory

    return {"pk": LeadFactory(team=_team(users)).pk}


def _project(users):
    from apps.investment.models import Project
    from tests.investment.factories import ProjectFactory

    project = ProjectFactory(team=_team(users), status=Project.Status.SIGNED)
    return {"pk": project.pk}


def _investor(users):
    from apps.investment.models import Project
    from tests.investment.factories import ProjectFactory

    project = ProjectFactory(team=_team(users), status=Project.Status.SIGNED)
    return {"pk": project.investor_id}


def _funds(users):
    """Funds of a signed project of the 招商 user's team (经济发展 reads signed projects)."""
    import datetime

    from apps.investment.models import FundsArrival, Project
    from tests.investment.factories import ProjectFactory

    project = ProjectFactory(team=_team(users), status=Project.Status.SIGNED)
    funds = FundsArrival.objects.create(
        project=project,
        month=datetime.date(2023, 11, 1),
        fixed_assets=100,
        origin=FundsArrival.Origin.OUT_OF_PROVINCE,
        by=users["招商"],
    )
    return {"pk": funds.pk}


def _activity(users):
    from tests.investment.factories import ActivityFactory

    return {"pk": ActivityFactory(created_by=users["招商"]).pk}


def _target(users):
    from apps.investment.services import annual_target_save
    from tests.accounts.factories import UserFactory

    admin = UserFactory(is_superuser=True)
    target = annual_target_save(
        by=admin,
        team=_team(users),
        year=2026,
        signings=5,
        contract_investment=100000,
        funds=50000,
    )
    return {"pk": target.pk}


def _chain_target(users):
    from apps.enterprises.models import ChainNode
    from apps.investment.services import chain_target_save
    from tests.enterprises.factories import ChainNodeFactory

    target = chain_target_save(
        by=users["招商"],
        chain_node=ChainNode.objects.order_by("pk").first() or ChainNodeFactory(),
        name="矩阵目标企业",
        role="fill",
    )
    return {"pk": target.pk}


def _report(users):
    import datetime

    from apps.investment.models import Team
    from apps.investment.services import resident_report_create
    from tests.investment.factories import TeamFactory

    team = TeamFactory(kind=Team.Kind.RESIDENT, city="上海", leader=users["招商"])
    report = resident_report_create(
        by=users["招商"],
        team=team,
        month=datetime.date(2026, 1, 1),
        people=2,
        days_on_site=20,
        visits=12,
    )
    return {"pk": report.pk}


def _post_only(ok, kwargs):
    return Access(ok=ok, kwargs=kwargs, ok_status=405)


ACCESS = {
    "investment:investor_list": Access(ok=PROJECT_READERS),
    "investment:investor_create": Access(ok=INVESTMENT),
    "investment:investor_detail": Access(ok=PROJECT_READERS, kwargs=_investor),
    "investment:lead_list": Access(ok=READERS),
    "investment:pool": Access(ok=INVESTMENT),
    "investment:lead_ledger": Access(ok=READERS),
    "investment:lead_create": Access(ok=INVESTMENT),
    "investment:lead_detail": Access(ok=READERS, kwargs=_lead),
    # POST only: GET is 405 for those who pass the permission.
    "investment:lead_claim": _post_only(INVESTMENT, _lead),
    "investment:lead_judge": _post_only(INVESTMENT, _lead),
    "investment:lead_assign": _post_only(INVESTMENT, _lead),
    "investment:lead_merge": _post_only(INVESTMENT, _lead),
    "investment:lead_follow_up": _post_only(INVESTMENT, _lead),
    "investment:lead_to_project": _post_only(INVESTMENT, _lead),
    "investment:project_list": Access(ok=PROJECT_READERS),
    "investment:project_detail": Access(ok=PROJECT_READERS, kwargs=_project),
    "investment:project_review": _post_only(INVESTMENT, _project),
    "investment:project_funds": _post_only(INVESTMENT, _project),
    "investment:project_expect": _post_only(INVESTMENT, _project),
    "investment:board": Access(ok=PROJECT_READERS),
    "investment:forecast": Access(ok=READERS),
    # Workflow actions are POST only (tests/test_refusal_parity.py walks who may take them).
    "investment:project_transition": Access(
        ok=EVERYONE, kwargs=lambda users: {**_project(users), "action": "inspect"}, ok_status=405
    ),
    # The board's drop: the form of the move (招商 of the team), the reason why not (403) for
    # those who read the project but may not move it, and for everyone else.
    "investment:project_move_to": Access(
        ok=INVESTMENT, kwargs=lambda users: {**_project(users), "stage": "registered"}
    ),
    "investment:project_move": Access(
        ok=EVERYONE, kwargs=lambda users: {**_project(users), "action": "register"}, ok_status=405
    ),
    # The funds arrived: whoever reads 招商 projects (each sees the funds of the projects they may).
    "investment:funds_arrival_list": Access(ok=PROJECT_READERS),
    "investment:activity_list": Access(ok=READERS),
    "investment:activity_create": Access(ok=INVESTMENT),
    "investment:activity_detail": Access(ok=READERS, kwargs=_activity),
    "investment:indicators": Access(ok=PROJECT_READERS),
    "investment:resident_report_list": Access(ok=READERS),
    "investment:resident_report_create": Access(ok=INVESTMENT),
    "investment:resident_report_detail": Access(ok=READERS, kwargs=_report),
    # Workflow actions are POST only; the workflow decides who may take them.
    "investment:resident_report_transition": Access(
        ok=EVERYONE, kwargs=lambda users: {**_report(users), "action": "accept"}, ok_status=405
    ),
    "investment:target_list": Access(ok=READERS),
    "investment:ranking": Access(ok=READERS),
    "investment:chain_map": Access(ok=READERS),
    "investment:ledger": Access(ok=PROJECT_READERS),
    "investment:bulletin": Access(ok=READERS),
    "investment:chain_target_list": Access(ok=READERS),
    "investment:chain_target_create": Access(ok=INVESTMENT),
    # API
    "api:investment-investor-list": Access(ok=PROJECT_READERS),
    "api:investment-investor-detail": Access(ok=PROJECT_READERS, kwargs=_investor),
    "api:investment-lead-list": Access(ok=READERS),
    "api:investment-lead-detail": Access(ok=READERS, kwargs=_lead),
    "api:investment-project-list": Access(ok=PROJECT_READERS),
    "api:investment-project-detail": Access(ok=PROJECT_READERS, kwargs=_project),
    **{
        f"api:investment-project-{action}": _post_only(PROJECT_READERS, _project)
        for action in (
            "inspect",
            "submit-review",
            "sign",
            "register",
            "start",
            "produce",
            "reach-capacity",
            "shelve",
            "lose",
            "resume",
            "terminate",
        )
    },
    "api:investment-fundsarrival-list": Access(ok=PROJECT_READERS),
    "api:investment-fundsarrival-detail": Access(ok=PROJECT_READERS, kwargs=_funds),
    "api:investment-activity-list": Access(ok=READERS),
    "api:investment-activity-detail": Access(ok=READERS, kwargs=_activity),
    "api:investment-target-list": Access(ok=READERS),
    "api:investment-target-detail": Access(ok=READERS, kwargs=_target),
    "api:investment-ranking-list": Access(ok=READERS),
    "api:investment-forecast-list": Access(ok=READERS),
    "api:investment-residentreport-list": Access(ok=READERS),
    "api:investment-residentreport-detail": Access(ok=READERS, kwargs=_report),
    **{
        f"api:investment-residentreport-{action}": _post_only(READERS, _report)
        for action in ("accept", "return", "resubmit")
    },
    "api:investment-chaintarget-list": Access(ok=READERS),
    "api:investment-chaintarget-detail": Access(ok=READERS, kwargs=_chain_target),
}
