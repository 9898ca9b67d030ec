"""How services shows a project's problems (demands) without this app importing it.

services registers, in its AppConfig.ready():

    from apps.projects import hooks
    hooks.register_problems(counts)     # (project_ids, day) -> {project_id: ProblemCounts}
    hooks.register_overdue_problems(q)  # (day) -> Exists(...) over OuterRef("pk"), in SQL
    hooks.register_section(section)     # (project, user) -> Panel | None
    hooks.register_problem_link(link)   # (project, user, topic) -> URL to raise one, or ""

The warning colours read the counts (open problems overdue) for the rows they explain and the
SQL form (the same rule as an expression) for the colour filter and counts over every row; the
project page renders the sections. Providers run a bounded number of queries (one), whatever
the number of projects.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import BooleanField, Q, Value

from apps.core.registry import Panel


@dataclass(frozen=True)
class ProblemCounts:
    open: int = 0
    overdue: int = 0


ProblemProvider = Callable[[Iterable[int], date], dict[int, ProblemCounts]]
SectionProvider = Callable[..., Panel | None]

_problem_providers: list[ProblemProvider] = []
_section_providers: list[SectionProvider] = []
_problem_links: list[Callable[..., str]] = []
_overdue_problem_exprs: list[Callable[[date], Any]] = []


def register_problems(provider: ProblemProvider) -> None:
    if provider not in _problem_providers:
        _problem_providers.append(provider)


def register_section(provider: SectionProvider) -> None:
    if provider not in _section_providers:
        _section_providers.append(provider)


def problems_for(project_ids: Iterable[int], day: date) -> dict[int, ProblemCounts]:
    ids = list(project_ids)
    merged: dict[int, ProblemCounts] = {}
    if not ids:
        return merged
    for provider in _problem_providers:
        for pk, counts in provider(ids, day).items():
            before = merged.get(pk, ProblemCounts())
            merged[pk] = ProblemCounts(
                open=before.open + counts.open, overdue=before.overdue + counts.overdue
            )
    return merged


def register_overdue_problems(provider: Callable[[date], Any]) -> None:
    if provider not in _overdue_problem_exprs:
        _overdue_problem_exprs.append(provider)


def overdue_problems_q(day: date) -> Q:
    """A project (the outer query's row) has an open problem past its deadline on `day`: the
    SQL form of ProblemCounts.overdue > 0 (no provider: never)."""
    condition = Q(Value(False, output_field=BooleanField()))
    for provider in _overdue_problem_exprs:
        condition |= Q(provider(day))
    return condition


def sections_for(project, user) -> list[Panel]:
    panels = [provider(project, user) for provider in _section_providers]
    return sorted((panel for panel in panels if panel is not None), key=lambda p: p.order)


def register_problem_link(provider: Callable[..., str]) -> None:
    if provider not in _problem_links:
        _problem_links.append(provider)


def problem_link(project, user, topic: str = "") -> str:
    """Where this user raises a problem of the project about `topic` ("approval:<kind>" for a
    前期手续), or "" when they may not."""
    for provider in _problem_links:
        url = provider(project, user, topic)
        if url:
            return url
    return ""
