"""figures.one_context_per_period(): the page's figures and breakdowns share a source only when
they were computed under the same generations of its areas, so a write committed between the
two is never hidden under the new generation (found by review)."""

import pytest
from django.core.cache import cache

from apps.core import figures
from apps.core.figures import Period, breakdown_values, compute_breakdowns, figure_values
from tests.investment.factories import ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

NOVEMBER = Period(2023, 11)


def _stages(values):
    return [(row.label, row.value) for row in values["investment_pipeline"]]


def test_a_write_between_the_figures_and_the_breakdowns_is_seen_by_the_next_read():
    cache.clear()
    with figures.one_context_per_period():  # as build_sections() and warm_figures() do
        figure_values(NOVEMBER)  # the 招商 source is read here
        # Meanwhile another request commits a write in the area (its service invalidates).
        ProjectFactory(status="negotiating")
        figures.invalidate("investment")
        breakdown_values(NOVEMBER)
    kept = _stages(breakdown_values(NOVEMBER))
    assert kept == _stages(compute_breakdowns(NOVEMBER, codes=["investment_pipeline"]))
