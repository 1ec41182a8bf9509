"""The real labelled corpus (data/corpus/*.jsonl, described in docs/data.md): load, validate, dedupe.

Every item carries its provenance (source URL), a label, a language, a channel and a group: the
conversation, sender or template it belongs to, so that one group never sits in both the training
and the test side of a split. Near-duplicate texts are put in one group (a template posted by many
accounts must not be learnt on one side and tested on the other); exact duplicates are dropped.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from falsefriends.disjoint import DisjointSets
from falsefriends.text import fold_plain

KINDS_HOSTILE = ("intel-persona", "fake-recruiter-code", "fake-recruiter-proxy", "fake-recruiter-other",
                 "recruitment-fraud")
KINDS_GENUINE = ("recruiter", "headhunter", "expert-network", "conference", "journalist", "academic",
                 "colleague", "sales", "other")
NEAR_DUPLICATE = 0.8  # Jaccard similarity of word 3-shingles from which two texts are one template


class CorpusItem(BaseModel):
    """One labelled real message (schema: data/corpus/SCHEMA.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    label: int
    kind: str
    lang: str = Field(min_length=2, max_length=3)
    channel: str = Field(min_length=1)
    text: str = Field(min_length=1)
    source: str = Field(min_length=8)
    group: str = Field(min_length=1)
    sender: str = ""
    date: str = ""
    note: str = ""

    @field_validator("label")
    @classmethod
    def _label(cls, value: int) -> int:
        if value not in (0, 1):
            raise ValueError("label must be 0 (genuine) or 1 (hostile)")
        return value

    @field_validator("source")
    @classmethod
    def _source(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("source must be the URL where the text is published")
        return value


@dataclass
class Corpus:
    """The items kept, and a line for every item dropped or regrouped, with why."""

    items: list[CorpusItem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    regrouped: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def digest(self) -> str:
        """A short hash of the kept items (id, label, group, text): names what a model was trained on."""
        h = hashlib.sha256()
        for item in sorted(self.items, key=lambda i: i.id):
            h.update(json.dumps([item.id, item.label, item.group, item.text], ensure_ascii=False).encode())
        return h.hexdigest()[:16]

    def summary(self) -> str:
        hostile = sum(i.label for i in self.items)
        groups = len({i.group for i in self.items})
        genuine = len(self.items) - hostile
        return f"{len(self.items)} real messages ({hostile} hostile, {genuine} genuine) in {groups} groups"


def corpus_files(path: Path) -> list[Path]:
    """The JSON Lines files of a corpus folder (or the one file given)."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.glob("*.jsonl") if p.is_file())


def load_corpus(path: Path, *, near_duplicate: float = NEAR_DUPLICATE) -> Corpus:
    """Read every item, validate it, drop exact duplicates, merge near-duplicates' groups.

    Raises FileNotFoundError when `path` holds no JSON Lines file.
    """
    files = corpus_files(path)
    if not files:
        raise FileNotFoundError(f"no .jsonl file in {path}")
    corpus = Corpus(files=[str(f) for f in files])
    seen_ids: set[str] = set()
    for file in files:
        with file.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    item = CorpusItem.model_validate(json.loads(line))
                except (json.JSONDecodeError, ValidationError) as exc:
                    corpus.errors.append(f"{file.name}:{number}: {_first_line(exc)}")
                    continue
                if item.id in seen_ids:
                    corpus.errors.append(f"{file.name}:{number}: duplicate id {item.id!r}")
                    continue
                seen_ids.add(item.id)
                corpus.items.append(item)
    _dedupe(corpus, near_duplicate)
    return corpus


def _first_line(exc: Exception) -> str:
    return " ".join(str(exc).split("\n")[:3])


def _shingles(text: str) -> frozenset[str]:
    words = re.findall(r"\w+", fold_plain(text))
    if len(words) < 3:
        return frozenset([" ".join(words)])
    return frozenset(" ".join(words[i:i + 3]) for i in range(len(words) - 2))


def _dedupe(corpus: Corpus, threshold: float) -> None:
    kept: list[CorpusItem] = []
    by_text: dict[str, CorpusItem] = {}
    for item in corpus.items:
        key = " ".join(re.findall(r"\w+", fold_plain(item.text)))
        first = by_text.get(key)
        if first is not None:
            if first.label != item.label:
                corpus.errors.append(f"{item.id}: same text as {first.id} with another label")
            corpus.dropped.append(f"{item.id}: same text as {first.id}")
            continue
        by_text[key] = item
        kept.append(item)
    shingles = [_shingles(i.text) for i in kept]
    sets = DisjointSets(i.group for i in kept)
    find = sets.find

    for a in range(len(kept)):
        for b in range(a + 1, len(kept)):
            if kept[a].group == kept[b].group:
                continue
            sa, sb = shingles[a], shingles[b]
            if not sa or not sb:
                continue
            small, large = sorted((len(sa), len(sb)))
            if small / large < threshold:
                continue
            jaccard = len(sa & sb) / len(sa | sb)
            if jaccard >= threshold:
                ra, rb = find(kept[a].group), find(kept[b].group)
                if ra != rb:
                    sets.attach(rb, ra)
                    corpus.regrouped.append(f"{kept[b].id} ({kept[b].group}) near-duplicate of {kept[a].id} "
                                            f"({kept[a].group}): Jaccard {jaccard:.2f}, one group")
    corpus.items = [i.model_copy(update={"group": find(i.group)}) for i in kept]



def publisher(url: str) -> str:
    """Who published an item: the site, and on GitHub the account (`github.com/owner`), lower case.

    A stricter unit than the group: one blog, one person's LinkedIn export or one staffing firm's mail folders
    hold many senders, each its own group, all written in one setting.
    """
    host, _, path = url.split("//", 1)[-1].partition("/")
    host = host.lower().removeprefix("www.")
    if host in ("github.com", "gist.github.com", "raw.githubusercontent.com"):
        owner = path.split("/", 1)[0].lower()
        return f"github.com/{owner}" if owner else "github.com"
    return host


def group_by_publisher(items: list[CorpusItem]) -> list[CorpusItem]:
    """The items with `group` replaced by a unit that holds whole groups and whole publishers.

    Two items share a unit when they share a group or a publisher (transitively), so a split by unit keeps
    every group and every publisher on one side: a leave-publisher-out check of what a model learnt from a
    source's setting rather than from the messages' content.
    """
    sets: DisjointSets[str] = DisjointSets()
    for item in items:
        a, b = sets.find("g:" + item.group), sets.find("p:" + publisher(item.source))
        if a != b:
            sets.attach(b, a)
    return [i.model_copy(update={"group": sets.find("g:" + i.group)}) for i in items]
