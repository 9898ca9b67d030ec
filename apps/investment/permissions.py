"""Who may see and do what in 招商引资, in one place for pages, API, exports and services.

- 招商 staff work on their own and their team's leads and projects; the pool (leads without an
  owner) is open to every 招商 officer to claim. A team's leader (Team.leader) assigns owners,
  judges and merges duplicates for the team.
- 领导 reads everything and writes nothing.
- 经济发展 reads projects from 签约 on (and their investors, signings and funds), never leads.
- Confidential leads and projects are visible only to their team and the leadership, in every
  channel (lists, detail pages, exports, API).
- Investor contact phones are masked for everyone outside 招商 and the leadership.
- Everyone else sees nothing of 招商.
"""

from django.db.models import Q

from apps.accounts.roles import Role, view_all


def _grant(models: list[str], actions: tuple[str, ...]) -> list[str]:
    return [f"investment.{action}_{model}" for model in models for action in actions]


_WORK = ["investor", "lead", "followup", "project", "admissionreview", "signing", "fundsarrival"]
_WORK += ["activity", "chaintarget", "residentreport"]


def ROLE_PERMISSIONS():
    return {
        Role.LEADER: view_all("investment"),
        Role.INVESTMENT: [
            *_grant(_WORK, ("view", "add", "change")),
            *_grant(
                ["team", "lossreason", "projectevent", "annualtarget", "residentreportevent"],
                ("view",),
            ),
        ],
        Role.ECONOMY: _grant(
            ["investor", "project", "projectevent", "signing", "fundsarrival"], ("view",)
        ),
    }


# The stages from which 经济发展 reads a project.
SIGNED_STAGES = ("signed", "registered", "started", "producing", "capacity", "terminated")


def _has_role(user, *roles: str) -> bool:
    """The user holds one of the roles (User.role_names: their groups, read once per request)."""
    return user.is_authenticated and user.has_role(*(str(role) for role in roles))


def reads_all(user) -> bool:
    return _has_role(user, Role.LEADER)


def is_investment_officer(user) -> bool:
    return user.is_superuser or user.has_perm("investment.change_lead")


def sees_contacts(user) -> bool:
    """Contact phones in full: 招商 and the leadership."""
    return _has_role(user, Role.LEADER, Role.INVESTMENT)


def team_ids(user) -> set[int]:
    """The teams the user is in or leads (cached on the user for the request)."""
    cached = getattr(user, "_investment_team_ids", None)
    if cached is None:
        from apps.investment.models import Team

        cached = set(
            Team.objects.filter(Q(members=user) | Q(leader=user)).values_list("pk", flat=True)
        )
        user._investment_team_ids = cached
    return cached


def led_team_ids(user) -> set[int]:
    cached = getattr(user, "_investment_led_team_ids", None)
    if cached is None:
        from apps.investment.models import Team

        cached = set(Team.objects.filter(leader=user).values_list("pk", flat=True))
        user._investment_led_team_ids = cached
    return cached


def lead_scope(user) -> Q | None:
    """The leads a user may see, as a filter; None: all of them."""
    if reads_all(user):
        return None
    if not user.has_perm("investment.view_lead"):
        return Q(pk__in=[])
    mine = Q(owner=user) | Q(team__in=team_ids(user)) | Q(reported_by=user)
    pool = Q(owner__isnull=True, confidential=False)
    return mine | pool


def project_scope(user) -> Q | None:
    if reads_all(user):
        return None
    if user.has_perm("investment.change_project"):
        return Q(owner=user) | Q(team__in=team_ids(user))
    if user.has_perm("investment.view_project"):
        return Q(status__in=SIGNED_STAGES, confidential=False)
    return Q(pk__in=[])


def investor_scope(user) -> Q | None:
    """Investors: 招商 and leadership see all; 经济发展 those of projects it may see."""
    if reads_all(user) or user.has_perm("investment.change_investor"):
        return None
    if user.has_perm("investment.view_investor"):
        return Q(projects__status__in=SIGNED_STAGES, projects__confidential=False)
    return Q(pk__in=[])


def activity_scope(user) -> Q | None:
    if reads_all(user) or user.has_perm("investment.view_activity"):
        return None
    return Q(pk__in=[])


def works_on(user, obj) -> bool:
    """The owner, a member or leader of the object's team, or a superuser (leads and
    projects)."""
    if user.is_superuser:
        return True
    if not user.has_perm("investment.change_lead"):
        return False
    return obj.owner_id == user.pk or (obj.team_id is not None and obj.team_id in team_ids(user))


def leads_team_of(user, obj) -> bool:
    if user.is_superuser:
        return True
    return obj.team_id is not None and obj.team_id in led_team_ids(user)
