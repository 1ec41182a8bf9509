"""Standardised messages: near-duplicate clusters of message texts, their templates, and M9 evidence.

Pipeline (`cluster_texts`): normalise each text (falsefriends.correlate.normalise), deduplicate the
normalised forms, hash word shingles once, compute MinHash signatures for every distinct form as
matrix operations, find candidate pairs by LSH banding, keep those whose estimated Jaccard similarity
reaches the threshold, and take connected components (union-find) as clusters. `find_templates` runs it
over messages and extracts each cluster's template: the token sequence its members share, with
`{slot}` where they differ.
"""

from __future__ import annotations

import difflib
import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import chain

import numpy as np
from numpy.typing import NDArray

from falsefriends.correlate.minhash import I64, U32, U64, Banding, MinHasher, splitmix64
from falsefriends.correlate.normalise import (
    FRAMING,
    GREET,
    NAME,
    SIGNOFF,
    Vocabulary,
    name_tokens,
    normalise,
    normalise_ids,
)
from falsefriends.correlate.targeting import as_utc
from falsefriends.correlate.translations import Encode, link_translations
from falsefriends.model import Evidence, Message, MessageTemplate

DEFAULT_THRESHOLD = 0.5
SHINGLE = 3
MAX_EXCERPT = 300
TEMPLATE_REUSE_RULE = "template-reuse"
_PAD = "<pad>"
_SLOT_NAMES = {
    NAME: "{name}", GREET: "{greeting}", SIGNOFF: "{signoff}", "<num>": "{number}", "<url>": "{url}",
    "<email>": "{email}", "<handle>": "{handle}",
}
# Variants aligned against a cluster's most common form when extracting its template.
_ALIGN_VARIANTS = 24
_EXAMPLES_PER_SLOT = 5


def _token_hash(token: str) -> int:
    # blake2b, not hash(): str hashes are salted per process and signatures must be stable across runs.
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


# The odd multiplier (2**64 / golden ratio) that steps between mixed values: a shingle's tokens, a form's positions.
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
# Shingle positions hashed at a time (`ShingleHasher.hash_ids`: 256 KB of 64-bit hashes).
_SHINGLE_BLOCK = 1 << 15


class ShingleHasher:
    """Hashes word shingles to 32-bit integers, caching token hashes across batches of a corpus.

    Every token gets a small integer id once (framing markers first), so a batch is filtered, padded
    and shingled as integer arrays, without a Python loop per document.
    """

    def __init__(self, size: int = SHINGLE) -> None:
        if size < 1:
            raise ValueError("shingle size must be at least 1")
        self.size = size
        # Framing markers first: ids below len(FRAMING) are framing.
        self.vocabulary = Vocabulary((*sorted(FRAMING), _PAD))
        self._hashes = np.zeros(0, dtype=np.uint64)
        self._mixed = np.zeros(0, dtype=np.uint64)
        self._pad = self.vocabulary[_PAD]

    def token_hashes(self) -> U64:
        """The 64-bit hash of every token of the vocabulary, by id (tokens added since the last call hashed now)."""
        tokens = self.vocabulary.tokens
        done = len(self._hashes)
        if done < len(tokens):
            hashes = np.fromiter(map(_token_hash, tokens[done:]), dtype=np.uint64, count=len(tokens) - done)
            self._hashes = np.concatenate((self._hashes, hashes))
        return self._hashes

    def mixed_hashes(self) -> U64:
        """`splitmix64` of every token hash, by id: a shingle's first mixing step, done once per token."""
        hashes = self.token_hashes()
        done = len(self._mixed)
        if done < len(hashes):
            self._mixed = np.concatenate((self._mixed, splitmix64(hashes[done:])))
        return self._mixed

    def __call__(self, token_lists: Sequence[Sequence[str]]) -> tuple[U32, I64]:
        """Shingle hashes of each token list, flat, and the number of shingles of each list.

        Framing markers (greeting, sign-off) are left out; a list shorter than the shingle size is
        padded so that it still has one shingle.
        """
        shingles, counts, _ = self.hash_lists(token_lists)
        return shingles, counts

    def hash_lists(self, token_lists: Sequence[Sequence[str]]) -> tuple[U32, I64, NDArray[np.bool_]]:
        """As calling the hasher, plus whether each list holds a token other than framing markers."""
        lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
        flat = list(chain.from_iterable(token_lists))
        ids = np.fromiter(map(self.vocabulary.__getitem__, flat), dtype=np.int64, count=len(flat))
        return self.hash_ids(ids, lengths)

    def hash_ids(self, ids: I64, lengths: I64) -> tuple[U32, I64, NDArray[np.bool_]]:
        """As `hash_lists`, for token lists given as ids of `self.vocabulary` (flat) and their lengths."""
        size = self.size
        n_lists = len(lengths)
        hashes = self.token_hashes()
        mixed = self.mixed_hashes()
        # Drop framing markers (ids below len(FRAMING)); each list's kept tokens move to its new start and
        # the positions left over in lists shorter than `size` keep the padding token.
        keep = ids >= len(FRAMING)
        dropped = np.flatnonzero(~keep)  # a few per list
        # the list of each dropped position: the number of list ends at or before it
        dropped_per_list = np.bincount(np.searchsorted(np.cumsum(lengths), dropped, side="right"), minlength=n_lists)
        kept_counts = (lengths - dropped_per_list).astype(np.int64)
        new_lengths = np.maximum(kept_counts, size)
        new_starts = np.cumsum(new_lengths) - new_lengths
        if not (kept_counts < size).any():  # no list to pad: the kept tokens as they stand
            filled = ids[keep] if len(dropped) else ids
        else:
            owner = np.repeat(np.arange(n_lists), lengths)
            kept_before = np.cumsum(kept_counts) - kept_counts
            rank = np.cumsum(keep)[keep] - 1 - kept_before[owner[keep]]
            filled = np.full(int(new_lengths.sum()), self._pad, dtype=np.int64)
            filled[new_starts[owner[keep]] + rank] = ids[keep]
        # Shingle at flat position p spans tokens p..p+size-1; valid when it stays inside its list. Its hash
        # mixes the token hashes in turn from zero: splitmix64(0 * k + h) is the token's mixed hash.
        # Positions are hashed a block at a time, so that the block stays in cache through the steps.
        n_positions = max(len(filled) - size + 1, 0)
        high = np.empty(n_positions, dtype=np.uint32)
        for start in range(0, n_positions, _SHINGLE_BLOCK):
            stop = min(start + _SHINGLE_BLOCK, n_positions)
            combined = mixed[filled[start:stop]]
            for offset in range(1, size):
                combined *= _GOLDEN
                combined += hashes[filled[start + offset: stop + offset]]
                splitmix64(combined, in_place=True)
            combined >>= np.uint64(32)
            high[start:stop] = combined
        # Every list holds at least `size` positions; its last size-1 start no shingle.
        valid = np.ones(len(filled), dtype=bool)
        ends = new_starts + new_lengths
        for back in range(1, size):
            valid[ends - back] = False
        return high[valid[:n_positions]], new_lengths - size + 1, kept_counts > 0


def shingle_hashes(token_lists: Sequence[Sequence[str]], size: int = SHINGLE) -> tuple[U32, I64]:
    """32-bit hashes of the word `size`-shingles of each token list, flat, with document offsets.

    Hashing is stable across processes and runs (blake2b of each token, mixed with splitmix64).
    """
    shingles, counts = ShingleHasher(size)(token_lists)
    return shingles, np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


@dataclass(frozen=True)
class TextClusters:
    """Result of `cluster_texts`.

    `labels[i]` is the cluster of text i (-1 when its normalised form is empty). Texts with the same
    normalised form share one signature: `form_of[i]` is the form of text i, `representative[f]` the
    first text of form f, `signatures` and `keys` the MinHash signatures and LSH band keys of the forms,
    kept so that pairs can be checked and new messages matched afterwards.
    """

    labels: NDArray[np.int64]
    form_of: NDArray[np.int64]
    representative: NDArray[np.int64]
    signatures: U32
    keys: U64
    hasher: MinHasher
    banding: Banding
    threshold: float
    # Labels before clusters in different languages were joined as translations (None when none were).
    original_labels: NDArray[np.int64] | None = None

    def members(self) -> dict[int, list[int]]:
        """Text indices of each cluster (label -> indices), for labels >= 0."""
        grouped: dict[int, list[int]] = defaultdict(list)
        for index, label in enumerate(self.labels.tolist()):
            if label >= 0:
                grouped[label].append(index)
        return dict(grouped)


# Texts normalised at a time; the token ids of the new forms among them are shingled and dropped.
_TEXT_BATCH = 20_000


def _form_keys(ids: I64, counts: I64, hashes: U64) -> U64:
    """A 64-bit key of each token sequence (same sequence, same key; two sequences of one run collide with
    probability about n^2/2^64), from the token hashes mixed with their positions."""
    starts = np.cumsum(counts) - counts
    # (position in its sequence + 1) * _GOLDEN + token hash, in place on one array
    mixed = np.arange(1, len(ids) + 1, dtype=np.uint64)
    mixed -= np.repeat(starts.astype(np.uint64), counts)
    mixed *= _GOLDEN
    mixed += hashes[ids]
    splitmix64(mixed, in_place=True)
    keys = np.zeros(len(counts), dtype=np.uint64)
    filled = counts > 0
    if filled.any():
        keys[filled] = np.add.reduceat(mixed, starts[filled])
    return splitmix64(keys ^ counts.astype(np.uint64))


class _FormIndex:
    """Form keys seen so far, sorted, with the form number of each (numbered in order of first occurrence)."""

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.uint64)
        self.forms = np.zeros(0, dtype=np.int64)

    def assign(self, keys: U64) -> tuple[I64, I64]:
        """The form number of each key, and the offsets (ascending) of the keys first seen here."""
        distinct, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        at = np.searchsorted(self.keys, distinct)
        known = at < len(self.keys)
        known[known] = self.keys[at[known]] == distinct[known]
        numbers = np.empty(len(distinct), dtype=np.int64)
        numbers[known] = self.forms[at[known]]
        unseen = np.flatnonzero(~known)  # in key order
        by_occurrence = unseen[np.argsort(first[unseen], kind="stable")]
        numbers[by_occurrence] = len(self.forms) + np.arange(len(by_occurrence))
        self.keys = np.insert(self.keys, at[unseen], distinct[unseen])
        self.forms = np.insert(self.forms, at[unseen], numbers[unseen])
        return numbers[inverse.reshape(-1)], first[by_occurrence].astype(np.int64)


def cluster_texts(
    texts: Sequence[str],
    names: Sequence[frozenset[str]] | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    hasher: MinHasher | None = None,
    banding: Banding | None = None,
    shingle: int = SHINGLE,
) -> TextClusters:
    """Cluster near-duplicate texts; `names[i]` are folded name tokens to mask in text i."""
    hasher = hasher or MinHasher()
    banding = banding or Banding()
    shingler = ShingleHasher(shingle)
    if names is not None and len(names) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(names)} name sets")
    forms = _FormIndex()
    representative: list[int] = []
    content_parts: list[NDArray[np.bool_]] = []
    shingle_parts: list[U32] = []
    count_parts: list[I64] = []
    form_of = np.empty(len(texts), dtype=np.int64)
    for start in range(0, len(texts), _TEXT_BATCH):
        stop = min(start + _TEXT_BATCH, len(texts))
        ids, counts = normalise_ids(texts[start:stop], shingler.vocabulary,
                                    names[start:stop] if names is not None else None)
        keys = _form_keys(ids, counts, shingler.token_hashes())
        form_of[start:stop], new = forms.assign(keys)
        representative.extend((new + start).tolist())
        if len(new):
            if len(new) == len(counts):  # every text a new form (`new` is then every offset, in order)
                part, part_counts, content = shingler.hash_ids(ids, counts)
            else:
                chosen = np.zeros(len(counts), dtype=bool)
                chosen[new] = True
                part, part_counts, content = shingler.hash_ids(ids[np.repeat(chosen, counts)], counts[chosen])
            shingle_parts.append(part)
            count_parts.append(part_counts)
            content_parts.append(content)
    if not count_parts:
        part, part_counts, content = shingler.hash_lists([])
        shingle_parts.append(part)
        count_parts.append(part_counts)
        content_parts.append(content)
    shingles = np.concatenate(shingle_parts)
    offsets = np.concatenate(([0], np.cumsum(np.concatenate(count_parts)))).astype(np.int64)
    del shingle_parts
    has_content = np.concatenate(content_parts)
    signatures = hasher.signatures(shingles, offsets)
    del shingles
    keys = banding.keys(signatures)
    component = banding.similar_components(keys, signatures, threshold, has_content)
    component = np.where(has_content, component, -1)
    labels = component[form_of] if len(texts) else np.zeros(0, dtype=np.int64)
    return TextClusters(
        labels=labels.astype(np.int64),
        form_of=form_of,
        representative=np.asarray(representative, dtype=np.int64),
        signatures=signatures,
        keys=keys,
        hasher=hasher,
        banding=banding,
        threshold=threshold,
    )


@dataclass(frozen=True)
class ExtractedTemplate:
    """The shared token sequence of a cluster with `{slot}` where its members differ."""

    text: str
    slots: tuple[str, ...]
    examples: dict[str, tuple[str, ...]]


def extract_template(variants: Sequence[Sequence[str]], weights: Sequence[int] | None = None) -> ExtractedTemplate:
    """Template of token-list variants: the most common variant's tokens that most others share.

    A token of the base variant is kept when at least half of the aligned variants (difflib matching
    blocks) have it at the same place; runs of other tokens, and masked markers, become slots.
    """
    if not variants:
        return ExtractedTemplate("", (), {})
    weights = list(weights) if weights is not None else [1] * len(variants)
    order = sorted(range(len(variants)), key=lambda i: (-weights[i], len(variants[i]), i))
    base = list(variants[order[0]])
    others = [list(variants[i]) for i in order[1: 1 + _ALIGN_VARIANTS]]
    matched = np.zeros(len(base), dtype=np.int64)
    alignments: list[tuple[list[str], list[tuple[str, int, int, int, int]]]] = []
    for other in others:
        matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
        for block in matcher.get_matching_blocks():
            matched[block.a: block.a + block.size] += 1
        alignments.append((other, [(str(tag), i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]))
    kept = matched * 2 >= len(others) if others else np.ones(len(base), dtype=bool)
    parts: list[str] = []
    slots: list[str] = []
    slot_of = np.full(len(base), -1, dtype=np.int64)
    numbered = 0
    position = 0
    while position < len(base):
        token = base[position]
        if token in _SLOT_NAMES:
            parts.append(_SLOT_NAMES[token])
            slots.append(_SLOT_NAMES[token][1:-1])
            position += 1
        elif kept[position]:
            parts.append(token)
            position += 1
        else:
            numbered += 1
            name = f"slot{numbered}"
            start = position
            while position < len(base) and not kept[position] and base[position] not in _SLOT_NAMES:
                position += 1
            slot_of[start:position] = len(slots)
            parts.append("{" + name + "}")
            slots.append(name)
    examples: dict[str, list[str]] = defaultdict(list)
    for slot_index, slot in enumerate(slots):
        if not slot.startswith("slot"):
            continue
        positions = np.flatnonzero(slot_of == slot_index)
        lo, hi = int(positions[0]), int(positions[-1]) + 1
        identity: list[tuple[str, int, int, int, int]] = [("equal", 0, len(base), 0, len(base))]
        for other, opcodes in [(base, identity), *alignments]:
            value = " ".join(_aligned(other, opcodes, lo, hi))
            if value and value not in examples[slot] and len(examples[slot]) < _EXAMPLES_PER_SLOT:
                examples[slot].append(value)
    return ExtractedTemplate(" ".join(parts), tuple(slots), {k: tuple(v) for k, v in examples.items()})


def _aligned(other: Sequence[str], opcodes: Iterable[tuple[str, int, int, int, int]], lo: int, hi: int) -> list[str]:
    """Tokens of `other` aligned to base positions [lo, hi)."""
    out: list[str] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            a, b = max(i1, lo), min(i2, hi)
            if a < b:
                out.extend(other[j1 + (a - i1): j1 + (b - i1)])
        elif (i1 < hi and i2 > lo) if i1 < i2 else lo < i1 < hi:
            out.extend(other[j1:j2])
    return out


@dataclass(frozen=True)
class TemplateResult:
    """Templates found among messages: the records, and for each message its template id (or None)."""

    templates: tuple[MessageTemplate, ...]
    template_of: dict[str, str]
    clusters: TextClusters
    message_ids: tuple[str, ...]

    def by_id(self) -> dict[str, MessageTemplate]:
        return {t.id: t for t in self.templates}


def find_templates(
    messages: Sequence[Message],
    names_by_key: Mapping[str, str] | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_messages: int = 2,
    hasher: MinHasher | None = None,
    banding: Banding | None = None,
    encode: Encode | None = None,
) -> TemplateResult:
    """Templates among `messages`: clusters of at least `min_messages` near-duplicate texts.

    Each message's own sender name, and the names of its sender and recipients found in `names_by_key`
    (account or staff key -> display name), are masked before comparison. With `encode` (a multilingual
    sentence encoder's `encode`), clusters in different languages that translate each other are one
    template (`correlate.translations`): its text is the most used language's, and the other languages'
    texts are kept in `slot_examples["translations"]`.
    """
    names_by_key = names_by_key or {}
    texts = [m.body if not m.subject else f"{m.subject}\n{m.body}" for m in messages]
    raw_names = [
        [m.sender_name, *(names_by_key.get(k, "") for k in (m.sender or "", *m.recipients))] for m in messages
    ]
    masks = [name_tokens(names) for names in raw_names]
    clusters = cluster_texts(texts, masks, threshold=threshold, hasher=hasher, banding=banding)
    translated_from: dict[int, list[int]] = {}
    if encode is not None and len(texts):
        # Only texts of senders who wrote to two people or more: a one-off message is no one's template.
        reach: dict[str, set[str]] = defaultdict(set)
        for m in messages:
            reach[m.sender or ""].update(m.recipients)
        eligible = [len(reach[m.sender or ""]) >= 2 for m in messages]
        clusters, translated_from = _join_translations(clusters, texts, raw_names, encode, eligible)
    templates: list[MessageTemplate] = []
    template_of: dict[str, str] = {}
    used_ids: set[str] = set()
    for label, indices in sorted(clusters.members().items(), key=lambda item: item[1][0]):
        if len(indices) < min_messages:
            continue
        parts = translated_from.get(label)
        versions = _versions(indices, parts, clusters) if parts else [indices]
        extracted = [_extract(v, clusters, texts, masks) for v in versions]
        main, others = extracted[0], extracted[1:]
        examples = dict(main.examples)
        if others:
            examples["translations"] = tuple(e.text[:MAX_EXCERPT] for e in others)
        members = [messages[i] for i in indices]
        template_id = _template_id(main.text, used_ids)
        times = [t for t in (as_utc(m.sent_at) for m in members) if t is not None]
        templates.append(
            MessageTemplate(
                id=template_id,
                text=main.text,
                slots=main.slots,
                slot_examples=examples,
                messages=tuple(m.id for m in members),
                senders=tuple(sorted({m.sender for m in members if m.sender})),
                recipients=tuple(sorted({r for m in members for r in m.recipients})),
                first=min(times) if times else None,
                last=max(times) if times else None,
            )
        )
        for m in members:
            template_of[m.id] = template_id
    return TemplateResult(tuple(templates), template_of, clusters, tuple(m.id for m in messages))


def _extract(indices: Sequence[int], clusters: TextClusters, texts: Sequence[str],
             masks: Sequence[frozenset[str]]) -> ExtractedTemplate:
    form_counts = Counter(int(clusters.form_of[i]) for i in indices)
    # Only the most common forms are aligned: normalise their first texts again.
    form_ids = [f for f, _ in form_counts.most_common(_ALIGN_VARIANTS + 1)]
    variants = [normalise(texts[r], masks[r]) for r in clusters.representative[form_ids].tolist()]
    return extract_template(variants, [form_counts[f] for f in form_ids])


def _versions(indices: Sequence[int], parts: Sequence[int], clusters: TextClusters) -> list[list[int]]:
    """The language versions of a joined template (by their label before joining), most used first."""
    original = clusters.original_labels if clusters.original_labels is not None else clusters.labels
    grouped: dict[int, list[int]] = defaultdict(list)
    for i in indices:
        grouped[int(original[i])].append(i)
    return sorted(grouped.values(), key=lambda v: (-len(v), v[0]))


def _join_translations(
    clusters: TextClusters, texts: Sequence[str], names: Sequence[Sequence[str]], encode: Encode,
    eligible: Sequence[bool],
) -> tuple[TextClusters, dict[int, list[int]]]:
    members = clusters.members()
    ordered: dict[int, list[int]] = {}
    for label, indices in members.items():
        if not any(eligible[i] for i in indices):
            continue
        counts = Counter(int(clusters.form_of[i]) for i in indices)
        ordered[label] = sorted(indices, key=lambda i: -counts[int(clusters.form_of[i])])
    links = link_translations(ordered, texts, names, encode)
    if not links.pairs:
        return clusters, {}
    mapping = np.arange(int(clusters.labels.max()) + 1 if len(clusters.labels) else 0, dtype=np.int64)
    if not len(mapping):
        return clusters, {}
    for old, new in links.label_of.items():
        mapping[old] = new
    labels = np.where(clusters.labels >= 0, mapping[np.maximum(clusters.labels, 0)], -1)
    joined: dict[int, list[int]] = defaultdict(list)
    for old, new in links.label_of.items():
        joined[new].append(old)
    parts = {new: olds for new, olds in joined.items() if len(olds) > 1}
    return replace(clusters, labels=labels.astype(np.int64), original_labels=clusters.labels), parts


def _template_id(text: str, used: set[str]) -> str:
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()
    candidate, suffix = f"tpl-{digest}", 1
    while candidate in used:
        suffix += 1
        candidate = f"tpl-{digest}-{suffix}"
    used.add(candidate)
    return candidate


def template_reuse_weight(recipients: int, min_recipients: int = 3) -> float:
    """Log-odds for a template that reached `recipients` distinct people: 0 below `min_recipients` (3 by
    default; 2 in a small organisation, see `CampaignSettings.for_organisation`), 1.5 from there to 3
    people, rising with log(recipients) to 2.0 at 100."""
    if recipients < min_recipients:
        return 0.0
    return round(1.5 + 0.5 * max(0.0, min(1.0, math.log(recipients / 3) / math.log(100 / 3))), 3)


# A text many people send once each (a thank-you, the platform's stock invitation, a greeting card)
# reaches many recipients too; a campaign's text reaches several people per sender.
MIN_REACH_PER_SENDER = 3.0


def outreach_templates(
    result: TemplateResult,
    messages: Iterable[Message],
    *,
    staff: Iterable[str] | None = None,
    min_recipients: int = 3,
    min_reach_per_sender: float = MIN_REACH_PER_SENDER,
    department_of: Mapping[str, str] | None = None,
    min_departments: int = 1,
    weak_keys: Collection[str] | None = None,
) -> dict[str, int]:
    """Templates used for outreach, with the number of distinct people they reached.

    A template qualifies when it reached at least `min_recipients` people (only staff, when `staff`
    keys are given) and its senders each reached, on average, at least `min_reach_per_sender` people (senders
    in `weak_keys`, known by name only, are not counted as senders when one with a strong key sent it);
    with `department_of` (recipient key -> department), also people in at least `min_departments`
    departments. Recipients of unknown department are not counted against it: when no recipient's
    department is known, the department condition is not applied (no evidence from absence).
    """
    staff_keys = frozenset(staff) if staff is not None else None
    reach: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for message in messages:
        template_id = result.template_of.get(message.id)
        if template_id is None:
            continue
        reach[template_id][message.sender or ""].update(
            r for r in message.recipients if staff_keys is None or r in staff_keys
        )
    found: dict[str, int] = {}
    for template_id, by_sender in reach.items():
        reached = len(set().union(*by_sender.values()))
        # Senders known only by a weak key (a name in an export without URL columns) are often a second key
        # of a sender known by URL: they do not divide the reach when a sender with a strong key sent it.
        strong = [r for sender, r in by_sender.items() if weak_keys is None or sender not in weak_keys]
        mean_reach = reached / len(strong) if strong else sum(len(r) for r in by_sender.values()) / len(by_sender)
        if reached < min_recipients or mean_reach < min_reach_per_sender:
            continue
        if department_of is not None and min_departments > 1:
            recipients = set().union(*by_sender.values())
            departments = {department_of[r] for r in recipients if department_of.get(r)}
            if departments and len(departments) < min_departments:
                continue
        found[template_id] = reached
    return found


def template_reuse_evidence(
    result: TemplateResult,
    messages: Sequence[Message],
    *,
    staff: Iterable[str] | None = None,
    min_recipients: int = 3,
    min_reach_per_sender: float = MIN_REACH_PER_SENDER,
    department_of: Mapping[str, str] | None = None,
    min_departments: int = 1,
    weak_keys: Collection[str] | None = None,
) -> dict[str, list[Evidence]]:
    """M9 evidence for every account that sent an outreach template (see `outreach_templates`).

    When `staff` (keys of the organisation's staff) is given, only staff recipients count: the
    indicator is about one text reaching several unrelated people of the organisation.
    """
    messages = list(messages)
    qualifying = outreach_templates(
        result, messages, staff=staff, min_recipients=min_recipients, min_reach_per_sender=min_reach_per_sender,
        department_of=department_of, min_departments=min_departments, weak_keys=weak_keys,
    )
    first_message: dict[tuple[str, str], str] = {}
    for message in messages:
        template_id = result.template_of.get(message.id)
        if template_id is not None and message.sender:
            first_message.setdefault((message.sender, template_id), message.id)
    found: dict[str, list[Evidence]] = defaultdict(list)
    for template in result.templates:
        reached = qualifying.get(template.id)
        if reached is None:
            continue
        weight = template_reuse_weight(reached, min_recipients)
        senders = len(template.senders)
        for sender in template.senders:
            found[sender].append(
                Evidence(
                    rule=TEMPLATE_REUSE_RULE,
                    indicator="M9",
                    weight=weight,
                    reason=(
                        f"The same message text (template {template.id}) reached {reached} different people"
                        f", sent by {senders} account{'s' if senders != 1 else ''}; standardised messages sent to"
                        " unrelated people are how fake-profile campaigns approach their targets (DGSI 2018)."
                    ),
                    source=("DGSI 2018",),
                    detector="templates",
                    excerpt=template.text[:MAX_EXCERPT],
                    message=first_message.get((sender, template.id)),
                )
            )
    return dict(found)


# What a template's `{slot}` becomes when a template text is turned back into tokens: masked values
# return to their marker, other slots (whose values vary) are left out.
_SLOT_TOKENS = {v: k for k, v in _SLOT_NAMES.items()}


class TemplateMatcher:
    """Matches a new message against known templates (for `check`): the best template above threshold.

    Built from a clustering (`TemplateMatcher(result)`: the signatures of up to `per_template` distinct
    forms of each template) or from stored records (`TemplateMatcher.from_records(templates)`: the
    signature of each template text, e.g. from a previous audit's findings). A new message's signature is
    compared with all of them at once.
    """

    def __init__(self, result: TemplateResult, per_template: int = 16) -> None:
        clusters = result.clusters
        rows: list[int] = []
        owners: list[str] = []
        for indices in clusters.members().values():
            template_id = result.template_of.get(result.message_ids[indices[0]])
            if template_id is None:
                continue
            forms = list(dict.fromkeys(int(clusters.form_of[i]) for i in indices))
            rows.extend(forms[:per_template])
            owners.extend([template_id] * min(len(forms), per_template))
        signatures = clusters.signatures[np.asarray(rows, dtype=np.int64)] if rows else None
        self._setup(clusters.hasher, clusters.threshold, result.by_id(), signatures, owners)

    def _setup(
        self, hasher: MinHasher, threshold: float, templates: dict[str, MessageTemplate], signatures: U32 | None,
        owners: list[str],
    ) -> None:
        self._hasher = hasher
        self._threshold = threshold
        self._templates = templates
        self._signatures = signatures
        self._owners = owners

    @classmethod
    def from_records(
        cls, templates: Iterable[MessageTemplate], *, threshold: float = DEFAULT_THRESHOLD,
        hasher: MinHasher | None = None,
    ) -> TemplateMatcher:
        """A matcher over stored templates, from their texts (slot values vary, so they are left out)."""
        records = list(templates)
        token_lists = [
            [_SLOT_TOKENS.get(t, t) for t in r.text.split(" ") if not (t.startswith("{slot") and t.endswith("}"))]
            for r in records
        ]
        hasher = hasher or MinHasher()
        signatures = hasher.signatures(*shingle_hashes(token_lists)) if records else None
        matcher = cls.__new__(cls)
        matcher._setup(hasher, threshold, {r.id: r for r in records}, signatures, [r.id for r in records])
        return matcher

    def match(self, message: Message, names: Iterable[str] = ()) -> tuple[MessageTemplate, float] | None:
        """The known template this message is a variant of, with the estimated similarity, or None."""
        if self._signatures is None:
            return None
        text = message.body if not message.subject else f"{message.subject}\n{message.body}"
        tokens = normalise(text, name_tokens([message.sender_name, *names]))
        if not any(t not in FRAMING for t in tokens):
            return None
        shingles, offsets = shingle_hashes([tokens])
        signature = self._hasher.signatures(shingles, offsets)[0]
        similarity = (self._signatures == signature[None, :]).mean(axis=1)
        best = int(np.argmax(similarity))
        if similarity[best] < self._threshold:
            return None
        return self._templates[self._owners[best]], float(similarity[best])


__all__ = [
    "DEFAULT_THRESHOLD",
    "TEMPLATE_REUSE_RULE",
    "ExtractedTemplate",
    "TemplateMatcher",
    "TemplateResult",
    "TextClusters",
    "cluster_texts",
    "extract_template",
    "find_templates",
    "outreach_templates",
    "shingle_hashes",
    "template_reuse_evidence",
    "template_reuse_weight",
]
