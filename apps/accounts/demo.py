"""Demo accounts: one per role, all with the password in README.md."""

from functools import lru_cache

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from apps.accounts.models import Department, User
from apps.accounts.roles import Role

DEMO_PASSWORD = "Zone-Portal-2023"

# username, full name, role, department code, admin site access
DEMO_ACCOUNTS = [
    ("leader", "王建国", Role.LEADER, Department.Code.LEADERSHIP, False),
    ("service", "李敏", Role.SERVICE, Department.Code.SERVICE, False),
    ("economy", "张伟", Role.ECONOMY, Department.Code.ECONOMY, False),
    ("approval", "刘洋", Role.APPROVAL, Department.Code.APPROVAL, False),
    ("investment", "陈静", Role.INVESTMENT, Department.Code.INVESTMENT, False),
    ("liaison", "赵磊", Role.LIAISON, Department.Code.SERVICE, False),
    ("hr", "孙丽", Role.HR, Department.Code.OFFICE, True),
    ("admin", "周强", Role.ADMIN, Department.Code.OFFICE, True),
]


@lru_cache
def _demo_password_hash(hashers: tuple[str, ...]) -> str:
    """The shared demo password hashed once per hasher configuration: PBKDF2's deliberate
    slowness (seconds per hash here) times fifteen demo users was half of load_demo's time.
    The accounts share one salt, which reveals only that they share the published password."""
    return make_password(DEMO_PASSWORD)


def ensure_user(
    *, username: str, full_name: str, roles: list[str], department_code: str, is_staff=False
) -> User:
    """Create or update a demo user; the password is set only when the user is new."""
    department = Department.objects.get(code=department_code)
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "department": department, "is_staff": is_staff},
    )
    if created:
        user.password = _demo_password_hash(tuple(settings.PASSWORD_HASHERS))
        user.is_superuser = Role.ADMIN in roles
        user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    return user


def load(*, stdout) -> None:
    for username, full_name, role, department_code, is_staff in DEMO_ACCOUNTS:
        ensure_user(
            username=username,
            full_name=full_name,
            roles=[role],
            department_code=department_code,
            is_staff=is_staff,
        )
    stdout.write(f"  {len(DEMO_ACCOUNTS)} demo accounts (password {DEMO_PASSWORD})")
