"""Who may do what in enterprise service, in one place for pages, API and services.

- 企业服务 (企业服务局) logs visits and demands, and does the follow-up (回访) of closed demands:
  the bureau that heard the enterprise is the one that asks it whether the answer served.
- The responsible department acts on its demands: a user whose department is the demand's
  department and who holds `services.change_demand` accepts, closes, returns or reassigns it
  (经济发展局, 行政审批局 and 企业服务局 staff hold it). Superusers may do everything.
- 项目联络员 may register demands that come from project work (source 项目推进) and read demands.
- 经济发展 owns bank matchmaking and policy applications.
- 领导 reads everything and writes nothing.
- 招商 and 人事管理员 have nothing to do here.
- A visit may be corrected (date, method, officers, purpose, findings) by the officer who
  logged it or any officer who went, or a superuser, within VISIT_CORRECTION_DAYS of logging
  it; after that the record stands as the week's report counted it.
"""

from apps.accounts.roles import Role, view_all


def _grant(models: list[str], actions: tuple[str, ...]) -> list[str]:
    return [f"services.{action}_{model}" for model in models for action in actions]


_DEMAND_READ = _grant(["demand", "demandevent", "demandcategory", "visit"], ("view",))
_FINANCE = ["financialinstitution", "matchmakingmeeting", "financingneed", "loanintent"]
_POLICY = ["policyprogramme", "policyapplication"]


def ROLE_PERMISSIONS():
    return {
        # Leadership reads everything; its one write is an instruction (批示) on a demand.
        Role.LEADER: [*view_all("services"), "services.instruct_demand"],
        Role.SERVICE: [
            *_DEMAND_READ,
            *_grant(["visit", "demand"], ("add", "change")),
            *_grant(_FINANCE + _POLICY, ("view",)),
        ],
        Role.ECONOMY: [
            *_DEMAND_READ,
            "services.change_demand",
            *_grant(_FINANCE + _POLICY, ("view", "add", "change")),
            *_grant(["financingneed", "loanintent", "policyapplication"], ("delete",)),
        ],
        Role.APPROVAL: [*_DEMAND_READ, "services.change_demand"],
        Role.LIAISON: [*_DEMAND_READ, "services.add_demand"],
    }


def is_responsible(user, demand) -> bool:
    """The user works in the demand's responsible department and may change demands."""
    if user.is_superuser:
        return True
    return (
        user.department_id is not None
        and user.department_id == demand.department_id
        and user.has_perm("services.change_demand")
    )


def can_follow_up(user) -> bool:
    return user.has_role(Role.SERVICE) and user.has_perm("services.change_demand")


def can_register_demand(user, source: str) -> bool:
    from apps.services.models import Demand

    if not user.has_perm("services.add_demand"):
        return False
    if user.has_role(Role.SERVICE):
        return True
    return source == Demand.Source.PROJECT and user.has_role(Role.LIAISON)


def can_go_on_visits(user) -> bool:
    """Who may be named as an officer of a visit: active 企业服务局 staff (the 企业服务 role)."""
    return user.is_active and Role.SERVICE in user.role_names


def can_log_visit(user) -> bool:
    return user.has_perm("services.add_visit")


# Days after logging during which a visit may still be corrected.
VISIT_CORRECTION_DAYS = 7


def is_visit_participant(user, visit) -> bool:
    """The user logged the visit or went on it, and may change visits (or is a superuser).
    Reads `visit.staff.all()` so that a prefetched visit costs no query."""
    if user.is_superuser:
        return True
    if not user.has_perm("services.change_visit"):
        return False
    return visit.created_by_id == user.pk or any(
        officer.pk == user.pk for officer in visit.staff.all()
    )


def can_manage_financing(user) -> bool:
    return user.has_perm("services.change_loanintent")


def can_manage_applications(user) -> bool:
    return user.has_perm("services.change_policyapplication")
