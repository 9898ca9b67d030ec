"""The home page's "my work" boxes for enterprise service: one query for the demand figures,
one for this week's visits."""

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.roles import Role
from apps.core.registry import Panel
from apps.services import selectors
from apps.services.models import Visit


def panels(request):
    user = request.user
    if not user.has_perm("services.view_demand"):
        return []
    # The leadership is not a responsible department: it watches the escalated demands.
    department = user.department
    if department is not None and department.code == department.Code.LEADERSHIP:
        department = None
    counts = selectors.demand_counts(department=department, user=user)
    context = {
        "counts": counts,
        "department": department,
        "escalate_after": selectors.escalate_after_days(),
        "is_leader": user.has_role(Role.LEADER),
        "can_visit": user.has_perm("services.add_visit"),
        "can_act": user.has_perm("services.change_demand"),
    }
    if context["can_visit"]:
        start, end = selectors.week_bounds(timezone.localdate())
        context["week_visits"] = Visit.objects.filter(
            staff=user, visited_on__range=(start, end)
        ).count()
        context["week_target"] = selectors.weekly_visit_target()
        # 我包联的企业: how many, how many not visited lately, and which of them are on the
        # decline warning list without a visit in 30 days (two more queries, only for those
        # who are the 包联干部 of any).
        mine = selectors.responsible_summary(user)
        context["mine"] = mine
        context["not_visited_days"] = selectors.not_visited_days()
        if mine["total"] and user.has_perm("enterprises.view_monthlystatistic"):
            declining, period = selectors.decline_enterprises_not_visited(responsible=user)
            context["declining"] = list(declining[:5])
            context["period"] = period
    return [
        Panel(title=_("企业诉求"), template="services/_panel_home.html", context=context, order=20)
    ]
