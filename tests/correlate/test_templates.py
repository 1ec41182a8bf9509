"""Standardised messages: variants of one text cluster together, different texts stay apart."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from falsefriends.correlate.minhash import Banding, MinHasher
from falsefriends.correlate.normalise import fast_fold, name_tokens, normalise
from falsefriends.correlate.templates import (
    TemplateMatcher,
    cluster_texts,
    extract_template,
    find_templates,
    shingle_hashes,
    template_reuse_evidence,
    template_reuse_weight,
)
from falsefriends.model import Message
from falsefriends.text import fold_plain
from tests.correlate.factories import CONFERENCE, OFFER, RECRUITER, message

PEOPLE = ["John Smith", "Marie-Hélène Dupont", "Klaus Meyer", "Wang Fang", "Amélie Laurent", "Olu Adeyemi"]


def offer_variants() -> list[str]:
    greetings = ["Dear", "Hi", "Hello", "Bonjour"]
    topics = ["energy policy", "defence procurement", "nuclear safety", "trade with Asia", "5G networks", "space"]
    texts = []
    for i, person in enumerate(PEOPLE):
        text = OFFER.format(
            greeting=greetings[i % 4], name=person, city="Geneva", fee=1500 + 500 * i, topic=topics[i], sender="Jason"
        )
        if i == 2:
            text = text.replace("a short report", "a brief report")  # small edit
        if i == 3:
            text = text.replace(" ", "\n", 3).upper()  # line breaks and case
        texts.append(text)
    return texts


def test_normalise_masks_greeting_names_numbers_and_links() -> None:
    tokens = normalise(
        "Dear Dr. Smith,\nPlease see https://evil.example/x and pay 1,500 USD.\nKind regards, Jason Wang",
        names=name_tokens(["Jason Wang"]),
    )
    assert tokens[0] == "<greet>"
    assert "smith" not in tokens and "<url>" in tokens and "<num>" in tokens
    assert tokens[-1] == "<signoff>" and "jason" not in tokens


def test_variants_cluster_and_different_messages_stay_apart() -> None:
    variants = offer_variants()
    others = [CONFERENCE.format(name=p, city="Lyon") for p in PEOPLE[:3]] + [RECRUITER.format(name="Ann")]
    names = [name_tokens([p, "Jason"]) for p in PEOPLE] + [name_tokens([p]) for p in PEOPLE[:3]] + [frozenset()]
    clusters = cluster_texts(variants + others, names)
    labels = clusters.labels.tolist()
    assert len(set(labels[:6])) == 1, labels
    assert labels[6] == labels[7] == labels[8]  # the conference invitations are one template too
    assert labels[6] != labels[0] and labels[9] not in (labels[0], labels[6])


def test_extract_template_keeps_the_shared_text_and_marks_slots() -> None:
    forms = [
        "<greet> i would pay <num> usd for a report on energy policy please reply".split(),
        "<greet> i would pay <num> usd for a report on nuclear safety please reply".split(),
        "<greet> i would pay <num> usd for a report on trade please reply".split(),
    ]
    template = extract_template(forms, [3, 1, 1])
    assert template.text == "{greeting} i would pay {number} usd for a report on {slot1} please reply"
    assert template.slots == ("greeting", "number", "slot1")
    assert set(template.examples["slot1"]) == {"energy policy", "nuclear safety", "trade"}


def test_find_templates_and_m9_evidence_for_every_sender() -> None:
    variants = offer_variants()
    messages = [
        message(f"m{i}", text, sender=f"persona{i % 2}", recipient=f"s{i}", sender_name="Jason")
        for i, text in enumerate(variants)
    ]
    messages.append(message("c1", CONFERENCE.format(name="Ann", city="Lyon"), "organiser", "s9"))
    result = find_templates(messages, {f"s{i}": p for i, p in enumerate(PEOPLE)})
    assert len(result.templates) == 1
    template = result.templates[0]
    assert set(template.messages) == {f"m{i}" for i in range(6)}
    assert template.senders == ("persona0", "persona1")
    assert template.text.startswith("{greeting} i came across") and "whatsapp" in template.text
    assert not any(part in template.text for part in ("smith", "dupont", "jason"))
    assert "c1" not in result.template_of
    evidence = template_reuse_evidence(result, messages)
    assert set(evidence) == {"persona0", "persona1"}
    item = evidence["persona0"][0]
    assert item.rule == "template-reuse" and item.indicator == "M9" and item.weight == template_reuse_weight(6)
    assert "6 different people" in item.reason and "DGSI 2018" in item.reason
    assert item.excerpt == template.text and item.message == "m0"
    # Only staff recipients count when staff keys are given.
    assert template_reuse_evidence(result, messages, staff={"s0", "s1"}) == {}


def test_matcher_recognises_a_new_variant_of_a_known_template() -> None:
    variants = offer_variants()
    messages = [message(f"m{i}", t, f"p{i}", f"s{i}") for i, t in enumerate(variants)]
    matcher = TemplateMatcher(find_templates(messages))
    new = Message(id="new", body=OFFER.format(greeting="Hi", name="Zoe", city="Geneva", fee=900, topic="AI",
                                               sender="Jason"))
    found = matcher.match(new, names=["Zoe"])
    assert found is not None and found[1] >= 0.5
    assert matcher.match(Message(id="x", body=RECRUITER.format(name="Zoe"))) is None
    # The same from stored records (a previous audit's templates), without the clustering.
    stored = TemplateMatcher.from_records(find_templates(messages).templates)
    found = stored.match(new, names=["Zoe"])
    assert found is not None and found[0].id == find_templates(messages).templates[0].id
    assert stored.match(Message(id="x", body=RECRUITER.format(name="Zoe"))) is None


def test_template_reuse_weight_scales_with_recipients() -> None:
    assert template_reuse_weight(2) == 0.0
    assert template_reuse_weight(3) == 1.5
    assert 1.5 < template_reuse_weight(20) < 2.0
    assert template_reuse_weight(1000) == 2.0


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_fast_fold_equals_fold(text: str) -> None:
    assert fast_fold(text) == fold_plain(text)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=200))
def test_normalise_never_fails_on_hostile_text(text: str) -> None:
    tokens = normalise(text, name_tokens([text[:20]]))
    assert all(t and " " not in t for t in tokens)


@settings(max_examples=30, deadline=None)
@given(
    st.sets(st.integers(0, 400), min_size=1, max_size=80),
    st.sets(st.integers(0, 400), min_size=1, max_size=80),
)
def test_minhash_estimate_is_close_to_exact_jaccard(a: set[int], b: set[int]) -> None:
    hasher = MinHasher(num_perm=256)
    shingles = np.array(sorted(a) + sorted(b), dtype=np.uint32) * np.uint32(2654435761)
    offsets = np.array([0, len(a), len(a) + len(b)], dtype=np.int64)
    signatures = hasher.signatures(shingles, offsets)
    estimate = float((signatures[0] == signatures[1]).mean())
    exact = len(a & b) / len(a | b)
    # 256 functions: standard error <= 0.032; 4.5 sigma keeps the test from flaking.
    assert abs(estimate - exact) <= 0.15


def test_banding_finds_identical_documents_and_skips_disjoint_ones() -> None:
    shingles, offsets = shingle_hashes([["a", "b", "c", "d"], ["a", "b", "c", "d"], ["w", "x", "y", "z"]])
    signatures = MinHasher().signatures(shingles, offsets)
    banding = Banding()
    left, right = banding.candidate_pairs(banding.keys(signatures))
    assert list(zip(left.tolist(), right.tolist(), strict=True)) == [(0, 1)]
    assert 0.4 < banding.threshold() < 0.45


def test_shingle_hashes_are_stable_across_processes() -> None:
    import os
    import subprocess
    import sys

    code = (
        "from falsefriends.correlate.templates import shingle_hashes;"
        "print(shingle_hashes([['we', 'pay', 'well', 'for', 'notes']])[0].tolist())"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    here = str(shingle_hashes([["we", "pay", "well", "for", "notes"]])[0].tolist())
    assert outputs == {here + "\n"}
