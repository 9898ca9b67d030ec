"""项目台账 work on a date: telling liaisons of overdue monthly reports, and liaisons and
leaders in charge of overdue milestones."""

from django.utils import timezone

from apps.core.tasks import portal_task
from apps.projects import notifications, selectors
from apps.projects.models import Milestone, Project


@portal_task(name="projects.notify_reports_due")
def notify_reports_due() -> int:
    """Once per project and month: the due month's report not handed in after its due day;
    once per milestone and due date: a milestone open past its due date."""
    today = timezone.localdate()
    period = selectors.due_period(today)
    told = 0
    overdue = Project.objects.filter(selectors.report_overdue_q(today)).select_related("liaison")
    for project in overdue:
        told += len(notifications.report_due(project, period))
    late = Milestone.objects.filter(
        done_on__isnull=True,
        due_on__lt=today,
        project__in=Project.objects.filter(selectors.constructing_q(today)),
    ).select_related("project__liaison", "project__leader")
    for milestone in late:
        told += len(notifications.milestone_overdue(milestone))
    return told
