"""The indicator prototypes: every lure has them in English, French and German, and they stay apart.

The threshold (0.50) was chosen from the prototypes alone: prototypes of different indicators must stay
below it, or a sentence close to one would fire the other as well.
"""

from __future__ import annotations

import numpy as np
import pytest

from falsefriends.detect.semantic.encoder import shared_encoder
from falsefriends.detect.semantic.prototypes import PrototypeSet, load_prototypes
from falsefriends.detect.semantic.provider import SemanticProvider
from falsefriends.model import Message

# M13 (interviews by proxy) is left to the rules: its prototypes fired on any sentence about an interview.
LURES = {"M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8", "M10", "M11", "M12", "M14", "M15"}
# the fake-recruiter scheme's indicators, written in the languages of the smaller rule packs too
RECRUITER = {"M3", "M10", "M12", "M15"}


@pytest.fixture(scope="module")
def prototypes() -> PrototypeSet:
    return PrototypeSet(load_prototypes(), shared_encoder())


def test_every_lure_has_english_french_and_german_prototypes(prototypes: PrototypeSet) -> None:
    spec = prototypes.spec.indicators
    assert set(spec) >= LURES
    for indicator in LURES:
        assert {"en", "fr", "de"} <= set(spec[indicator].prototypes), indicator
    for indicator in RECRUITER:
        assert {"es", "it", "pt"} <= set(spec[indicator].prototypes), indicator


def test_prototypes_of_different_indicators_stay_below_the_threshold(prototypes: PrototypeSet) -> None:
    vectors = prototypes.vectors
    similarity = vectors @ vectors.T
    indicators = np.array([p.indicator for p in prototypes.items])
    other = indicators[:, None] != indicators[None, :]
    assert float(similarity[other].max()) < prototypes.threshold


def test_a_prototype_hit_never_outweighs_the_indicators_strongest_rule(prototypes: PrototypeSet) -> None:
    from falsefriends.rules.loader import default_rules

    strongest: dict[str, float] = {}
    for rule in default_rules().rules:
        if rule.spec.weight < 4.0:  # the strong M10 rules are the exception, not the scale
            strongest[rule.spec.indicator] = max(strongest.get(rule.spec.indicator, 0.0), rule.spec.weight)
    for indicator, entry in prototypes.spec.indicators.items():
        assert entry.weight <= strongest[indicator], indicator


@pytest.mark.parametrize(("text", "indicator"), [
    ("Ganhe de 200 a 900 reais por dia trabalhando em casa pelo celular, não precisa de experiência.", "M12"),
    ("Siamo una giovane startup di criptovalute e Web3 che costruisce una piattaforma DeFi.", "M15"),
    ("Antes de nuestra reunión técnica, descargue nuestro proyecto y ejecútelo en su ordenador.", "M10"),
])
def test_a_paraphrase_in_another_language_fires_its_indicator(text: str, indicator: str) -> None:
    provider = SemanticProvider(use_bundled_head=False)
    fired = {e.indicator for e in provider.message_evidence(Message(id="t", body=text))}
    assert indicator in fired
