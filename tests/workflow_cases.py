"""The workflow cases the cross-cutting tests walk (tests/test_refusal_parity.py,
tests/test_robustness_transitions.py), discovered from every app.

Each app whose services declare a ``Workflow`` adds ``tests/<app>/workflow_cases.py`` with
``CASES: list[WorkflowCase]``: the workflow, its page and API addresses, a maker (state -> an
object in that state) and a plausible body per transition. Nothing here names an app: a new
app's workflow is covered by adding its own file, and ``test_every_workflow_has_a_case`` fails
until it does.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from apps.core.registry import app_modules
from apps.core.workflow import Workflow

TESTS = Path(__file__).resolve().parent


@dataclass(frozen=True)
class WorkflowCase:
    workflow: Workflow
    # The page's URL name (kwargs pk and action) and the API's prefix ("/api/demands/").
    page: str
    api: str
    # make(state) -> a saved object in that state.
    make: Callable[[str], Any]
    # A plausible body per action: inputs[action](obj) -> dict (the page prefixes the keys).
    inputs: dict[str, Callable[[Any], dict]] = field(default_factory=dict)
    # The states walked; default: every choice of the state field.
    states: tuple[str, ...] = ()

    def __post_init__(self):
        if not self.states:
            choices = self.workflow.model._meta.get_field(self.workflow.state_field).choices
            object.__setattr__(self, "states", tuple(value for value, _label in choices))

    @property
    def name(self) -> str:
        return self.api.strip("/").replace("/", "-")

    def body(self, action: str, obj) -> dict:
        return self.inputs[action](obj)

    def api_url(self, obj, action: str) -> str:
        return f"{self.api}{obj.pk}/{self.workflow.transition(action).url_path}/"


def discover() -> list[WorkflowCase]:
    """Every tests/<app>/workflow_cases.py's CASES, in directory order."""
    cases = []
    for path in sorted(TESTS.glob("*/workflow_cases.py")):
        module = import_module(f"tests.{path.parent.name}.workflow_cases")
        cases.extend(module.CASES)
    return cases


def declared_workflows() -> list[tuple[str, Workflow]]:
    """Every Workflow an app's services module declares, as (dotted name, workflow)."""
    found = []
    for config, module in app_modules("services"):
        for attribute, value in vars(module).items():
            if isinstance(value, Workflow):
                found.append((f"{config.name}.services.{attribute}", value))
    return found


CASES = discover()
