"""项目台账 in the role x URL matrix. The project's liaison is the 项目联络员 role user, so that
the liaison's own pages answer 200 to that role and 403 to the others."""

from tests.access import EVERYONE, Access, roles

READERS = roles("领导", "经济发展", "项目联络员", "企业服务", "招商", "行政审批")
ECONOMY = roles("经济发展")
KEEPERS = roles("经济发展", "项目联络员")
LIAISON = roles("项目联络员")


def _project(users):
    from tests.projects.factories import ProjectFactory

    return ProjectFactory(liaison=users["项目联络员"])


def _pk(users):
    return {"pk": _project(users).pk}


def _report(users):
    from tests.projects.factories import ReportFactory

    return {"pk": ReportFactory(project=_project(users)).pk}


def _milestone(users):
    from tests.projects.factories import MilestoneFactory

    milestone = MilestoneFactory(project=_project(users))
    return {"pk": milestone.project_id, "milestone_pk": milestone.pk}


def _approval(users):
    from tests.projects.factories import ApprovalFactory

    approval = ApprovalFactory(project=_project(users))
    return {"pk": approval.project_id, "approval_pk": approval.pk}


def _photo(users):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from apps.projects.models import ProjectPhoto
    from tests.projects.factories import ReportFactory

    report = ReportFactory(project=_project(users))
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "JPEG")
    photo = ProjectPhoto(project=report.project, report=report, uploaded_by=users["项目联络员"])
    photo.image.save("a.jpg", ContentFile(buffer.getvalue()), save=False)
    photo.thumbnail.save("t.jpg", ContentFile(buffer.getvalue()), save=False)
    photo.save()
    return {"pk": photo.pk}


def _post_only(ok, kwargs):
    return Access(ok=ok, kwargs=kwargs, ok_status=405)


ACCESS = {
    "projects:ledger": Access(ok=READERS),
    "projects:project_create": Access(ok=ECONOMY),
    "projects:project_detail": Access(ok=READERS, kwargs=_pk),
    "projects:project_update": Access(ok=ECONOMY, kwargs=_pk),
    "projects:plan_edit": Access(ok=ECONOMY, kwargs=_pk),
    "projects:milestone_create": Access(ok=KEEPERS, kwargs=_pk),
    "projects:milestone_update": Access(ok=KEEPERS, kwargs=_milestone),
    "projects:approval_create": Access(ok=KEEPERS, kwargs=_pk),
    "projects:approval_update": Access(ok=KEEPERS, kwargs=_approval),
    "projects:report_create": Access(ok=LIAISON, kwargs=_pk),
    # Workflow actions are POST only (tests/test_refusal_parity.py walks who may take them).
    "projects:project_transition": Access(
        ok=EVERYONE, kwargs=lambda users: {**_pk(users), "action": "complete"}, ok_status=405
    ),
    "projects:report_list": Access(ok=READERS),
    "projects:report_detail": Access(ok=READERS, kwargs=_report),
    "projects:report_update": Access(ok=LIAISON, kwargs=_report),
    "projects:report_transition": Access(
        ok=EVERYONE, kwargs=lambda users: {**_report(users), "action": "submit"}, ok_status=405
    ),
    "projects:photo": Access(ok=READERS, kwargs=_photo),
    "projects:photo_thumbnail": Access(ok=READERS, kwargs=_photo),
    # API
    "api:projects-project-list": Access(ok=READERS),
    "api:projects-project-detail": Access(ok=READERS, kwargs=_pk),
    **{
        f"api:projects-project-{action}": _post_only(READERS, _pk)
        for action in (
            "prepare",
            "start",
            "complete",
            "produce",
            "reach-capacity",
            "halt",
            "resume",
        )
    },
    "api:projects-report-list": Access(ok=READERS),
    "api:projects-report-detail": Access(ok=READERS, kwargs=_report),
    **{
        f"api:projects-report-{action}": _post_only(READERS, _report)
        for action in ("submit", "approve", "return-report")
    },
}
