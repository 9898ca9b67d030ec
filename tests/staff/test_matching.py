"""The two-way selection algorithm's properties, on random instances."""

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.staff.matching import blocking_pairs, deferred_acceptance


@st.composite
def instances(draw):
    positions = list(range(draw(st.integers(1, 6))))
    candidates = [f"c{i}" for i in range(draw(st.integers(0, 14)))]
    capacities = {p: draw(st.integers(0, 3)) for p in positions}
    preferences = {
        c: draw(st.lists(st.sampled_from(positions), unique=True, max_size=2)) for c in candidates
    }
    rankings = {}
    for position in positions:
        applicants = [c for c in candidates if position in preferences[c]]
        order = draw(st.permutations(applicants))
        # A department may leave an applicant unranked: not acceptable to it.
        keep = draw(st.integers(0, len(order)))
        rankings[position] = list(order)[:keep] if draw(st.booleans()) else list(order)
    return preferences, rankings, capacities


@settings(max_examples=60, deadline=None)
@given(instances())
def test_no_position_is_filled_beyond_its_vacancies(instance):
    preferences, rankings, capacities = instance
    matching = deferred_acceptance(
        preferences=preferences, rankings=rankings, capacities=capacities
    )
    for position, capacity in capacities.items():
        assert len(matching.holders(position)) <= capacity


@settings(max_examples=60, deadline=None)
@given(instances())
def test_everyone_placed_is_placed_at_a_preference_that_ranked_them(instance):
    preferences, rankings, capacities = instance
    matching = deferred_acceptance(
        preferences=preferences, rankings=rankings, capacities=capacities
    )
    for candidate, position in matching.assignment.items():
        if position is not None:
            assert position in preferences[candidate]
            assert candidate in rankings[position]


@settings(max_examples=60, deadline=None)
@given(instances())
def test_no_candidate_and_position_would_both_prefer_each_other(instance):
    preferences, rankings, capacities = instance
    matching = deferred_acceptance(
        preferences=preferences, rankings=rankings, capacities=capacities
    )
    assert (
        blocking_pairs(
            matching=matching, preferences=preferences, rankings=rankings, capacities=capacities
        )
        == []
    )


@settings(max_examples=60, deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_input_order(instance, rng):
    preferences, rankings, capacities = instance
    first = deferred_acceptance(preferences=preferences, rankings=rankings, capacities=capacities)
    keys = list(preferences)
    rng.shuffle(keys)
    reordered = {key: preferences[key] for key in keys}
    again = deferred_acceptance(preferences=reordered, rankings=rankings, capacities=capacities)
    assert again.assignment == first.assignment


def test_a_blocking_pair_is_detected_in_an_unstable_matching():
    # Both prefer each other, yet the candidate got nothing: the checker must see it.
    from apps.staff.matching import Matching

    pairs = blocking_pairs(
        matching=Matching(assignment={"a": None}),
        preferences={"a": [1]},
        rankings={1: ["a"]},
        capacities={1: 1},
    )
    assert pairs == [("a", 1)]


def test_the_better_ranked_candidate_wins_the_contested_position():
    matching = deferred_acceptance(
        preferences={"strong": [1, 2], "weak": [1, 2]},
        rankings={1: ["strong", "weak"], 2: ["weak", "strong"]},
        capacities={1: 1, 2: 1},
    )
    assert matching.assignment == {"strong": 1, "weak": 2}
