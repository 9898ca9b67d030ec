"""Who may do what with staff appointments, and who may see ID numbers and salary figures.

HR administrators manage everything; the leadership reads everything (ID numbers masked);
every other role sees the organisation (positions, the org chart with holders' names and
vacancies) and their own selection results, never an ID number or a salary figure.

The two visibility rules below are used by the pages, the API serializers, the admin and the
exports: there is one place that decides.
"""

from apps.accounts.roles import Role, view_all
from apps.staff.validators import mask_id_number

HR_MODELS = [
    "salarygrade",
    "graderule",
    "position",
    "staffmember",
    "selectionround",
    "roundposition",
    "candidate",
    "departmentranking",
    "appointment",
    "appraisal",
    "paysheet",
    "payline",
]
# Rows HR may delete: the parts of a round being prepared. Contracts, appraisals and pay are
# ended or corrected through services, never deleted.
HR_DELETABLE = ["roundposition", "candidate", "departmentranking"]


def ROLE_PERMISSIONS():
    hr = [f"staff.{action}_{model}" for model in HR_MODELS for action in ("view", "add", "change")]
    hr += [f"staff.delete_{model}" for model in HR_DELETABLE]
    everyone_else = ["staff.view_position"]
    grants = dict.fromkeys(Role, everyone_else)
    grants[Role.HR] = hr
    grants[Role.LEADER] = view_all("staff")
    return grants


def is_hr(user) -> bool:
    return user.is_authenticated and user.has_role(Role.HR)


def can_see_id_number(user) -> bool:
    """Full ID numbers are for HR administrators (and the superuser) only."""
    return is_hr(user)


def can_see_salary(user) -> bool:
    """Salary figures (pay grades' amounts, pay sheets) for HR and the leadership only."""
    return user.is_authenticated and user.has_role(Role.HR, Role.LEADER)


def shown_id_number(user, id_number: str) -> str:
    return id_number if can_see_id_number(user) else mask_id_number(id_number)


def can_see_birth_date(user) -> bool:
    """The birth date is the middle of the ID number: whoever sees a masked number sees the
    year of birth at most, and no age derived from the date."""
    return can_see_id_number(user)


def shown_birth_date(user, birth_date):
    """The date for HR, the year (an int) for everyone else."""
    if birth_date is None or can_see_birth_date(user):
        return birth_date
    return birth_date.year
