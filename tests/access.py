"""The role x URL matrix: what every role gets on every page and endpoint.

Each app's tests hold `tests/<app>/access.py` with `ACCESS = {url name: Access(...) | Skip(...)}`.
`tests/test_access_matrix.py` walks the URL configuration and fails for any named URL that no
matrix mentions, so a new page cannot go untested.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from apps.accounts.roles import Role

ANONYMOUS = "anonymous"
ROLES = [role.value for role in Role]
EVERYONE = frozenset(ROLES)


def roles(*names: str) -> frozenset[str]:
    """The named roles plus the system administrator (a superuser passes every check)."""
    return frozenset(names) | {Role.ADMIN.value}


@dataclass(frozen=True)
class Access:
    # Roles answered with ok_status; every other role gets denied_status.
    ok: frozenset[str]
    # Builds the URL's kwargs (may create objects); receives the role users by role name.
    kwargs: Callable[[dict], dict] | None = None
    query: str = ""
    ok_status: int = 200
    denied_status: int = 403
    # None: 302 to the login page for pages, 401 for the API.
    anonymous_status: int | None = None
    overrides: dict = field(default_factory=dict)

    def expected(self, role: str, is_api: bool) -> int:
        if role in self.overrides:
            return self.overrides[role]
        if role == ANONYMOUS:
            if self.anonymous_status is not None:
                return self.anonymous_status
            return 401 if is_api else 302
        return self.ok_status if role in self.ok else self.denied_status


@dataclass(frozen=True)
class Skip:
    reason: str
