"""The semantic evidence provider: prototypes and the learnt head over masked sentences.

Per message: split into sentences, mask names/links/addresses (masking.py), encode each distinct
sentence once (the encoder caches), then
- for each indicator, the sentence closest to one of its prototypes fires it when the similarity
  reaches the threshold (evidence: the sentence, the prototype, the similarity);
- the head scores the message vector, its most hostile-reading sentence and (heads from v3) how close it
  lies to its nearest hostile rather than genuine training messages (evidence: its log-odds and the
  sentences that weighed most, with their exact shares).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from falsefriends.detect.semantic.encoder import DIMENSIONS, Encoder, shared_encoder
from falsefriends.detect.semantic.head import SemanticHead, load_head
from falsefriends.detect.semantic.masking import mask_spans, masked
from falsefriends.detect.semantic.prototypes import PrototypeSet, load_prototypes
from falsefriends.detect.semantic.sentences import sentence_spans
from falsefriends.model import Account, Evidence, Message

HEAD_INDICATOR = "S1"
HEAD_RULE = "semantic-head"
HEAD_SOURCE = ("docs/data.md: real labelled corpus",)
MAX_EXCERPT = 160


@dataclass(frozen=True)
class Reading:
    """A text as the encoder sees it: sentence spans, masked sentences and their unit vectors."""

    spans: tuple[tuple[int, int], ...]
    masked: tuple[str, ...]
    vectors: np.ndarray

    @property
    def mean(self) -> np.ndarray:
        """The message vector: the mean of its sentence vectors, scaled to unit length.

        Unit length keeps a one-line note and a long letter on one scale (a mean of many unit
        vectors is shorter than one), so the head's log-odds do not grow just because a text is short.
        """
        if not self.spans:
            return np.zeros(DIMENSIONS, dtype=np.float32)
        total = self.vectors.sum(axis=0)
        norm = float(np.linalg.norm(total))
        return np.asarray(total / norm if norm > 0 else total, dtype=np.float32)


_PLACEHOLDERS = frozenset({"NAME", "LINK", "EMAIL", "PHONE"})
MIN_WORDS = 3


def split_and_mask(text: str, names: Iterable[str] = ()) -> tuple[list[tuple[int, int]], list[str]]:
    """Sentence spans of `text` and each sentence with names, links and addresses masked.

    Sentences of fewer than three words once masked ("Hi NAME,", "Best, NAME") are left out when
    the text has longer ones: a greeting says nothing about an approach, and whether a published
    text kept its greeting says how it was published, not who wrote it.
    """
    spans = sentence_spans(text)
    if not spans:
        return [], []
    found = mask_spans(text, names)
    sentences = [masked(text, found, s, e) for s, e in spans]
    keep = [k for k, sentence in enumerate(sentences) if _words(sentence) >= MIN_WORDS]
    if not keep:
        return spans, sentences
    return [spans[k] for k in keep], [sentences[k] for k in keep]


def _words(sentence: str) -> int:
    return sum(1 for word in sentence.split() if word.strip(",.!?;:") not in _PLACEHOLDERS)


class SemanticProvider:
    """Evidence from sentence meaning; plugs into `Checker` like any other provider.

    `names` are person names to mask besides those found in greetings, signatures and
    self-introductions (the audit passes its roster); a message's `sender_name` is always masked.
    """

    detector = "semantic"

    def __init__(self, encoder: Encoder | None = None, prototypes: PrototypeSet | None = None,
                 head: SemanticHead | None = None, *, use_bundled_head: bool = True,
                 names: Iterable[str] = ()) -> None:
        self.encoder = encoder if encoder is not None else shared_encoder()
        self.prototypes = prototypes if prototypes is not None else PrototypeSet(load_prototypes(), self.encoder)
        self.head = head if head is not None or not use_bundled_head else load_head()
        if self.head is not None and self.head.encoder != self.encoder.id:
            raise ValueError(f"the head was trained on encoder {self.head.encoder!r}, not {self.encoder.id!r}")
        self.names = tuple(names)
        # the last `warm` batch's splits, so reading those texts again does not split and mask twice
        self._split_memo: dict[tuple[str, tuple[str, ...]], tuple[list[tuple[int, int]], list[str]]] = {}

    def with_names(self, names: Iterable[str]) -> SemanticProvider:
        """The same detector (shared encoder, cache, prototypes, head) masking these names too."""
        return SemanticProvider(self.encoder, self.prototypes, self.head, use_bundled_head=False,
                                names=(*self.names, *names))

    # -- reading -------------------------------------------------------------------------------
    def read(self, text: str, names: Iterable[str] = ()) -> Reading:
        every_name = (*self.names, *names)
        split = self._split_memo.get((text, every_name))
        spans, sentences = split if split is not None else split_and_mask(text, every_name)
        vectors = (self.encoder.encode(sentences) if sentences
                   else np.zeros((0, DIMENSIONS), dtype=np.float32))
        return Reading(tuple(spans), tuple(sentences), vectors)

    def warm(self, texts: Sequence[str]) -> None:
        """Encode the sentences of many texts in one batch (later reads hit the cache).

        The texts' splits are kept until the next `warm`, so the reads that follow (with no other
        names than the provider's) do not split and mask again.
        """
        memo = {(text, self.names): split_and_mask(text, self.names) for text in texts}
        self._split_memo = memo
        sentences = [sentence for _, found in memo.values() for sentence in found]
        if sentences:
            self.encoder.encode(sentences)

    # -- EvidenceProvider ------------------------------------------------------------------------
    def profile_evidence(self, account: Account) -> list[Evidence]:
        return []

    def message_evidence(self, message: Message, names: Sequence[str] = ()) -> list[Evidence]:
        names = [*names, message.sender_name] if message.sender_name else list(names)
        found: list[Evidence] = []
        for field_name, text in (("subject", message.subject), ("body", message.body)):
            if not text:
                continue
            reading = self.read(text, names)
            if not reading.spans:
                continue
            found.extend(self._prototype_evidence(text, reading, message.id, field_name))
            if field_name == "body" and self.head is not None:
                found.append(self._head_evidence(text, reading, message.id))
        return found

    def _prototype_evidence(self, text: str, reading: Reading, message_id: str, field_name: str
                            ) -> list[Evidence]:
        similarity = reading.vectors @ self.prototypes.vectors.T  # sentences x prototypes
        best: dict[str, tuple[float, int, int]] = {}
        rows, cols = np.nonzero(similarity >= self.prototypes.threshold)
        for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
            value = float(similarity[row, col])
            indicator = self.prototypes.items[col].indicator
            if indicator not in best or value > best[indicator][0]:
                best[indicator] = (value, row, col)
        out = []
        for indicator, (value, row, col) in sorted(best.items()):
            prototype = self.prototypes.items[col]
            start, end = reading.spans[row]
            out.append(Evidence(
                rule=f"semantic-prototype-{indicator.lower()}", indicator=indicator, weight=prototype.weight,
                reason=(f"This sentence means much the same as the {indicator} example "
                        f"\"{prototype.text}\" (similarity {value:.2f}; the sentence encoder matches "
                        "paraphrases and translations)."),
                source=prototype.source, detector=self.detector, excerpt=text[start:end][:MAX_EXCERPT],
                span=(start, end) if field_name == "body" else None,
                field=None if field_name == "body" else field_name, message=message_id))
        return out

    def _neighbours_clause(self) -> str:
        if self.head is None or not self.head.neighbour_weight:
            return ""
        return " and by how close it lies to the hostile rather than the genuine messages it was trained on"

    def _head_evidence(self, text: str, reading: Reading, message_id: str) -> Evidence:
        assert self.head is not None
        shares = self.head.shares(reading.vectors)
        logit = float(self.head.bias + shares.sum())
        order = np.argsort(-shares if logit >= 0 else shares)[:3]
        start, end = reading.spans[int(order[0])]
        leaning = "hostile approaches" if logit >= 0 else "genuine messages"
        quoted = "; ".join(f"\"{_clip(text[s:e])}\" ({shares[i]:+.2f})"
                           for i in order.tolist() for s, e in [reading.spans[i]])
        trained = self.head.trained_on.get("summary", "real labelled messages")
        return Evidence(
            rule=HEAD_RULE, indicator=HEAD_INDICATOR, weight=round(logit, 4),
            reason=(f"Read as a whole, by its most hostile-reading sentence{self._neighbours_clause()}, "
                    f"the message is worded like "
                    f"the {leaning} the model learnt from ({trained}); log-odds {logit:+.2f}. "
                    f"Sentences that weighed most: {quoted}."),
            source=HEAD_SOURCE, detector=self.detector, excerpt=_clip(text[start:end], MAX_EXCERPT),
            message=message_id)


_CONTROL = dict.fromkeys(c for c in range(0x20) if c not in (0x09, 0x0A)) | {0x7F: None}
_INVISIBLE: dict[int, str | None] = {
    **dict.fromkeys([*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]),
    0x85: " ",  # NEL separates words (str.split() reads it as a space); the other C1 codes and bidi marks go
}


def _clip(sentence: str, limit: int = 90) -> str:
    """A sentence quoted in a reason: one line, no control characters (escape sequences stay inert)."""
    sentence = " ".join(sentence.translate(_CONTROL).translate(_INVISIBLE).split())
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"
