from __future__ import annotations

import pytest

from falsefriends.watchlist.features import LOGIC_V1, get_algorithm
from falsefriends.watchlist.normalise import prepare


def compare(query: str, listed: str, organisation: bool) -> tuple[float, set[str]]:
    result = LOGIC_V1.compare(prepare(query), prepare(listed), organisation)
    return result.score, {f.name for f in result.features if f.contribution > 0}


@pytest.mark.parametrize(("query", "listed", "organisation", "feature"), [
    ("CCIPE", "China Center of International Politics and Economy", True, "acronym_of_name"),
    ("China Centre for International Politics & Economy Ltd", "China Center of International Politics and Economy",
     True, "same_after_normalisation"),
    ("Global Views Strategic Consultancy GmbH", "Global View Strategic Consulting", True, "same_after_normalisation"),
    ("Tao Chen Ping", "Chenping Tao", False, "same_pinyin"),
    ("陶晨平", "Chenping Tao", False, "same_pinyin"),
    ("Li Alex", "Alex Li", False, "same_after_normalisation"),
    ("A. Li", "Alex Li", False, "initials_compatible"),
    ("Center for Sino-Europe Developmnet Studies", "Center for Sino-Europe Development Studies", True,
     "fuzzy_similarity"),
])
def test_variants_match_and_say_why(query: str, listed: str, organisation: bool, feature: str) -> None:
    score, fired = compare(query, listed, organisation)
    assert score >= LOGIC_V1.threshold
    assert feature in fired


@pytest.mark.parametrize(("query", "listed", "organisation"), [
    ("Center for Sino-Africa Development Studies", "Center for Sino-Europe Development Studies", True),
    ("Global Vision Strategic Consulting", "Global View Strategic Consulting", True),
    ("Resolute Capital", "Resolute Consulting", True),
    ("Alex Lin", "Alex Li", False),
    ("Katie Johnson", "Katie Jones", False),
])
def test_look_alikes_do_not_match(query: str, listed: str, organisation: bool) -> None:
    score, _ = compare(query, listed, organisation)
    assert score < LOGIC_V1.threshold


def test_conflict_penalty_is_reported() -> None:
    result = LOGIC_V1.compare(prepare("Global Vision Strategic Consulting"),
                              prepare("Global View Strategic Consulting"), True)
    penalty = [f for f in result.features if f.name == "distinctive_word_conflict"]
    assert penalty and penalty[0].contribution < 0


def test_every_feature_is_documented_and_algorithm_is_named() -> None:
    assert get_algorithm("logic-v1") is LOGIC_V1
    assert all(item["doc"] for item in LOGIC_V1.describe())
    with pytest.raises(ValueError, match="unknown matching algorithm"):
        get_algorithm("logic-v0")
