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


def _activity(users):
    from tests.investment.factories import ActivityFactory

    return {"pk": ActivityFactory(created_by=users["招商"]).pk}


def _post_only(ok, kwargs):
    return Access(ok=ok, kwargs=kwargs, ok_status=405)


ACCESS = {
    "investment:investor_list": Access(ok=PROJECT_READERS),
    "investment:investor_create": Access(ok=INVESTMENT),
    "investment:investor_detail": Access(ok=PROJECT_READERS, kwargs=_investor),
    "investment:lead_list": Access(ok=READERS),
    "investment:pool": Access(ok=INVESTMENT),
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
    # Workflow actions are POST only (tests/test_refusal_parity.py walks who may take them).
    "investment:project_transition": Access(
        ok=EVERYONE, kwargs=lambda users: {**_project(users), "action": "inspect"}, ok_status=405
    ),
    "investment:activity_list": Access(ok=READERS),
    "investment:activity_create": Access(ok=INVESTMENT),
    "investment:activity_detail": Access(ok=READERS, kwargs=_activity),
    "investment:indicators": Access(ok=PROJECT_READERS),
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
    "api:investment-activity-list": Access(ok=READERS),
    "api:investment-activity-detail": Access(ok=READERS, kwargs=_activity),
}
