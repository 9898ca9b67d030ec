"""Two-way selection (双向选聘) as candidate-proposing deferred acceptance (Gale–Shapley).

Pure Python over plain ids, so that the properties (capacity, stability, determinism) can be
tested on random instances without a database. Each candidate lists positions in order of
preference; each position ranks the candidates it accepts (a candidate it does not rank is
not acceptable to it) and has a number of vacancies.

Candidates propose in turn to their next preference; a position holds the best candidates up
to its vacancies and rejects the rest, who then propose to their next preference. The result is
the candidate-optimal stable matching: no position is over its vacancies, and no candidate and
position would both rather have each other than what they got. It does not depend on the
order in which candidates propose, so it is deterministic.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Matching:
    # candidate -> position, or None when unplaced
    assignment: dict[Hashable, Hashable | None]

    def holders(self, position: Hashable) -> list[Hashable]:
        return [c for c, p in self.assignment.items() if p == position]


def deferred_acceptance(
    *,
    preferences: Mapping[Hashable, Sequence[Hashable]],
    rankings: Mapping[Hashable, Sequence[Hashable]],
    capacities: Mapping[Hashable, int],
) -> Matching:
    rank_of = {
        position: {candidate: index for index, candidate in enumerate(order)}
        for position, order in rankings.items()
    }
    next_choice = dict.fromkeys(preferences, 0)
    held: dict[Hashable, list[Hashable]] = {position: [] for position in capacities}
    # Proposals in a fixed order (sorted ids) for reproducible intermediate states; the final
    # matching is the same for any order.
    free = sorted(preferences, key=repr, reverse=True)
    while free:
        candidate = free.pop()
        choices = preferences[candidate]
        while next_choice[candidate] < len(choices):
            position = choices[next_choice[candidate]]
            next_choice[candidate] += 1
            ranks = rank_of.get(position, {})
            if candidate not in ranks or capacities.get(position, 0) <= 0:
                continue
            holding = held[position]
            holding.append(candidate)
            holding.sort(key=ranks.__getitem__)
            if len(holding) > capacities[position]:
                rejected = holding.pop()
                if rejected != candidate:
                    free.append(rejected)
                    break
                continue
            break
    assignment: dict[Hashable, Hashable | None] = dict.fromkeys(preferences)
    for position, holding in held.items():
        for candidate in holding:
            assignment[candidate] = position
    return Matching(assignment=assignment)


def blocking_pairs(
    *,
    matching: Matching,
    preferences: Mapping[Hashable, Sequence[Hashable]],
    rankings: Mapping[Hashable, Sequence[Hashable]],
    capacities: Mapping[Hashable, int],
) -> list[tuple[Hashable, Hashable]]:
    """Pairs (candidate, position) that would both rather have each other: none means stable."""
    pairs = []
    for candidate, choices in preferences.items():
        current = matching.assignment.get(candidate)
        better = choices[: choices.index(current)] if current in choices else list(choices)
        for position in better:
            order = list(rankings.get(position, []))
            if candidate not in order:
                continue
            holders = matching.holders(position)
            if len(holders) < capacities.get(position, 0) or any(
                order.index(candidate) < order.index(holder) for holder in holders
            ):
                pairs.append((candidate, position))
    return pairs
