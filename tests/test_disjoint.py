"""Disjoint sets: groups are the connected components, and the caller's choice of root holds."""

from __future__ import annotations

import random

from falsefriends.disjoint import DisjointSets


def test_components_of_random_links_match_a_plain_search() -> None:
    rng = random.Random(3)
    links = [(rng.randrange(60), rng.randrange(60)) for _ in range(45)]
    sets: DisjointSets[int] = DisjointSets(range(60))
    for a, b in links:
        ra, rb = sets.find(a), sets.find(b)
        if ra != rb:
            sets.attach(max(ra, rb), min(ra, rb))
    neighbours: dict[int, set[int]] = {k: set() for k in range(60)}
    for a, b in links:
        neighbours[a].add(b)
        neighbours[b].add(a)
    for start in range(60):
        seen, todo = {start}, [start]
        while todo:
            for nxt in neighbours[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        assert {k for k in range(60) if sets.find(k) == sets.find(start)} == seen
        assert sets.find(start) == min(seen)  # the lower root was always kept


def test_unseen_keys_are_their_own_set_and_are_remembered_in_order() -> None:
    sets: DisjointSets[str] = DisjointSets()
    assert sets.find("b") == "b"
    sets.attach(sets.find("a"), sets.find("b"))
    assert sets.find("a") == "b" and sets.seen() == ["b", "a"]
