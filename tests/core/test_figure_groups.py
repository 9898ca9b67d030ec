"""The figures' cache (apps.core.figures) keeps each group of areas under its areas'
generations and its own codes: a figure moved into a group kept before the move (a release
that changes the areas a figure reads) is computed, not looked for and missed."""

from dataclasses import dataclass

import pytest

from apps.core import figures
from apps.core.figures import Period

pytestmark = pytest.mark.django_db

PERIOD = Period(2023, 11)


@dataclass
class Item:
    areas: tuple[str, ...]


def test_a_figure_moved_into_a_kept_group_is_computed_not_missed():
    computed = []

    def compute(codes, stamp):
        computed.append(sorted(codes))
        return {code: f"{code}-value" for code in codes}

    before = {"a": Item(("projects",)), "red": Item(("projects", "services"))}
    figures._cached_by_areas("t", before, PERIOD, None, compute)
    # The release moves "red" into the projects' group, whose generation has not changed.
    after = {"a": Item(("projects",)), "red": Item(("projects",))}
    values = figures._cached_by_areas("t", after, PERIOD, None, compute)
    assert values == {"a": "a-value", "red": "red-value"}
    assert computed == [["a"], ["red"], ["a", "red"]]
    # And kept from then on.
    figures._cached_by_areas("t", after, PERIOD, None, compute)
    assert len(computed) == 3
