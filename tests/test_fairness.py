"""Fairness: a score never changes when only a person's name changes (script or apparent origin)."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from falsefriends.check import Checker
from falsefriends.model import Account, Message
from falsefriends.rules.schema import ProfileField

# Names of personas on the bundled watchlist ("Jason Wang", "Alex Li") are left out on purpose: a listed
# persona's name corroborated by approach behaviour is watchlist evidence by design, and the watchlist's own
# tests show that such names alone never count (tests/watchlist/test_provider.py).
NAMES = [
    "John Smith", "Zhang Wei", "张伟", "王芳", "Mohammed Al-Rashid", "محمد الرشيد", "Ольга Смирнова",
    "Olga Smirnova", "Nguyễn Thị Hương", "Priya Raghunathan", "Kwame Mensah", "Wang Lei", "Li Na",
    "Łukasz Wójcik", "Yıldız Aydın", "Sun-hee Park", "박선희", "Dimitrios Papadopoulos", "Ψάρης",
]


def _examples() -> list[dict[str, object]]:
    text = (resources.files("falsefriends.examples") / "approaches.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def _score(checker: Checker, text: str, profile: dict[str, object]) -> tuple[float, tuple[str, ...], list[str]]:
    assessment = checker.assess([Message(id="m", body=text)], Account.model_validate(profile), subject="s")
    return assessment.score, assessment.indicators, sorted(e.rule for e in assessment.evidence)


def test_no_rule_can_read_a_name() -> None:
    assert "name" not in {f.value for f in ProfileField}


@pytest.mark.parametrize("example", _examples(), ids=lambda e: str(e["id"]))
@pytest.mark.parametrize("name", NAMES)
def test_sender_name_in_profile_and_signature_does_not_change_score(
    checker: Checker, example: dict[str, object], name: str
) -> None:
    profile = dict(example["profile"])  # type: ignore[call-overload]
    baseline = _score(checker, str(example["text"]), profile)
    renamed_profile = {**profile, "name": name}
    renamed_text = f"{example['text']}\n{name}"
    signed_baseline = _score(checker, f"{example['text']}\n{profile['name']}", profile)
    assert _score(checker, str(example["text"]), renamed_profile) == baseline
    assert _score(checker, renamed_text, renamed_profile) == signed_baseline


@pytest.mark.parametrize("name", NAMES)
def test_recipient_name_in_greeting_does_not_change_score(checker: Checker, name: str) -> None:
    body = ("we would like to offer you a generously paid collaboration writing short analysis notes "
            "for an important client; could we continue on WhatsApp?")
    reference = _score(checker, f"Dear Ms Taylor, {body}", {"name": "X"})
    assert _score(checker, f"Dear {name}, {body}", {"name": "X"}) == reference


@settings(max_examples=60, deadline=None)
# Non-Latin scripts only: a Latin "name" could spell a real keyword ("Signal"), which is not a name effect.
@given(st.text(alphabet=st.characters(categories=("Lu", "Ll", "Lo"), min_codepoint=0x370), min_size=1, max_size=30))
def test_any_name_in_any_script_is_neutral(name: str) -> None:
    checker = Checker()
    body = "I am a headhunter for an important client. Please send me your updated CV and continue on Signal."
    reference = _score(checker, f"Hello Anna,\n{body}\nBest, Maria", {"name": "Maria", "headline": "Headhunter"})
    assert _score(checker, f"Hello {name},\n{body}\nBest, {name}", {"name": name, "headline": "Headhunter"}) \
        == reference


@pytest.mark.parametrize("name", NAMES)
def test_the_photo_check_never_reads_the_name(name: str) -> None:
    """The photo check (P3) reads hash reuse and eye geometry only: the same photo gives the same evidence and
    score whatever the profile's name (its colour and brightness do not move the eyes either:
    tests/photo/test_alignment.py::test_colour_and_brightness_do_not_move_the_eyes)."""
    from falsefriends.photo.evidence import PhotoProvider, analyse_photo, index_of, with_photo
    from falsefriends.photo.hashes import fingerprint
    from falsefriends.photo.synthetic import photo_bytes, portrait, reused

    picture = portrait(7)
    report = analyse_photo(photo_bytes(reused(picture, 1)))
    checker = Checker(providers=(PhotoProvider({report.key or "": report},
                                               index=index_of([("other", fingerprint(picture))])),), semantic=False)
    baseline = checker.profile(with_photo(Account(key="k", name="A B", headline="Engineer"), report))
    named = checker.profile(with_photo(Account(key="k", name=name, headline="Engineer"), report))
    assert "P3" in baseline.indicators
    assert (named.score, named.indicators, [e.reason for e in named.evidence]) == \
        (baseline.score, baseline.indicators, [e.reason for e in baseline.evidence])
