"""How later apps show their data on an enterprise's page without this app importing them.

A later app (services, projects, …) registers in its AppConfig.ready():

    from apps.enterprises import hooks
    hooks.register_timeline(visits_timeline)   # (enterprise, user) -> Iterable[TimelineEntry]
    hooks.register_section(financing_section)  # (enterprise, user) -> Panel | None

The enterprise detail page merges every provider's entries newest first, and renders each
section's Panel (apps.core.registry.Panel: title, template, context) below the profile.
Providers must run a bounded number of queries (one or two), whatever the enterprise's history.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from apps.core.registry import Panel


@dataclass(frozen=True)
class TimelineEntry:
    when: date | datetime
    kind: str  # short label shown as a badge, e.g. "走访", "诉求"
    title: str
    body: str = ""
    url: str = ""
    icon: str = "bi-dot"


TimelineProvider = Callable[..., Iterable[TimelineEntry]]
SectionProvider = Callable[..., Panel | None]

_timeline_providers: list[TimelineProvider] = []
_section_providers: list[SectionProvider] = []


def register_timeline(provider: TimelineProvider) -> None:
    if provider not in _timeline_providers:
        _timeline_providers.append(provider)


def register_section(provider: SectionProvider) -> None:
    if provider not in _section_providers:
        _section_providers.append(provider)


def _sort_key(entry: TimelineEntry):
    when = entry.when
    if isinstance(when, datetime):
        return (when.date(), when.time().isoformat())
    return (when, "")


def timeline_for(enterprise, user, limit: int = 50) -> list[TimelineEntry]:
    entries = [entry for provider in _timeline_providers for entry in provider(enterprise, user)]
    entries.sort(key=_sort_key, reverse=True)
    return entries[:limit]


def sections_for(enterprise, user) -> list[Panel]:
    panels = [provider(enterprise, user) for provider in _section_providers]
    return sorted((panel for panel in panels if panel is not None), key=lambda p: p.order)
