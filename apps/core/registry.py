"""How the apps contribute to shared screens without the shell importing them.

Each project app may hold any of these modules, discovered in INSTALLED_APPS order:
  nav.py          NAV: list[NavSection]            the navigation bar
  home.py         panels(request) -> list[Panel]   "my work" on the home page
  permissions.py  ROLE_PERMISSIONS: {role: [perm]}  what each role's group may do
  demo.py         load(*, stdout) -> None           demo data for `manage.py load_demo`
  api/urls.py     routes / urlpatterns              collected under /api/
  notifications.py EVENTS: list[NotificationEvent]  the events that notify someone
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule


def project_app_configs() -> list[AppConfig]:
    return [config for config in apps.get_app_configs() if config.name.startswith("apps.")]


def app_modules(submodule: str) -> Iterator[tuple[AppConfig, ModuleType]]:
    """Yield (app config, module) for each project app that has `submodule`."""
    for config in project_app_configs():
        if module_has_submodule(config.module, submodule):
            yield config, import_module(f"{config.name}.{submodule}")


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # Shown when the user has this permission ("app.codename"), or to anyone signed in if None.
    perm: str | None = None
    icon: str = ""


@dataclass(frozen=True)
class NavSection:
    label: str
    items: list[NavItem] = field(default_factory=list)
    icon: str = ""
    # Sections are shown in this order (the daily work first, the system last).
    order: int = 100


@dataclass
class Panel:
    """A box on the home page; `template` is rendered with `context`."""

    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class NotificationEvent:
    """An event that notifies people. `may_see(user, obj)` is the owning app's rule for who may
    see the object: `notify` drops any recipient for whom it is false."""

    code: str
    label: str
    recipients: str
    may_see: Callable[[object, object], bool]
    # How it is raised: by a service (during a transition) or by a scheduled task.
    raised_by: str = ""


def notification_events() -> dict[str, NotificationEvent]:
    events = {}
    for _config, module in app_modules("notifications"):
        for event in getattr(module, "EVENTS", []):
            if event.code in events:
                raise LookupError(f"Notification event {event.code} is declared twice")
            events[event.code] = event
    return events
