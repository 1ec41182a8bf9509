"""Evaluate the message check on a labelled JSON Lines file (`falsefriends eval-messages`).

Each line needs `text` and `label` (1 hostile, 0 genuine); `id`, `profile`, `lang` are used when
present and other keys are ignored, so published data sets can be read as they are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from falsefriends.check import Checker
from falsefriends.metrics import BinaryCounts, brier, calibration_bins, counts_at, roc_auc
from falsefriends.model import Account, Message


@dataclass(frozen=True)
class Scored:
    id: str
    label: int
    score: float
    level: str
    language: str
    indicators: tuple[str, ...]
    text: str


@dataclass
class MessageEvaluation:
    """Figures of one evaluation run."""

    source: str
    items: list[Scored] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    thresholds: dict[str, float] = field(default_factory=dict)

    @property
    def labels(self) -> list[int]:
        return [i.label for i in self.items]

    @property
    def scores(self) -> list[float]:
        return [i.score for i in self.items]

    def counts(self, level: str) -> BinaryCounts:
        return counts_at(self.labels, self.scores, self.thresholds[level])

    def worst_misses(self, n: int = 3) -> tuple[list[Scored], list[Scored]]:
        """Highest-scoring genuine messages and lowest-scoring hostile ones."""
        false_alarms = sorted((i for i in self.items if i.label == 0), key=lambda i: -i.score)[:n]
        missed = sorted((i for i in self.items if i.label == 1), key=lambda i: i.score)[:n]
        return false_alarms, missed

    def as_json(self) -> dict[str, Any]:
        per_language: dict[str, Any] = {}
        for lang in sorted({i.language for i in self.items}):
            subset = [i for i in self.items if i.language == lang]
            labels = [i.label for i in subset]
            scores = [i.score for i in subset]
            per_language[lang] = {"n": len(subset), "positives": sum(labels), "roc_auc": roc_auc(labels, scores)}
        levels = {}
        for level in ("medium", "high"):
            c = self.counts(level)
            levels[level] = {"threshold": self.thresholds[level], "precision": c.precision, "recall": c.recall,
                             "f1": c.f1, "tp": c.tp, "fp": c.fp, "tn": c.tn, "fn": c.fn}
        false_alarms, missed = self.worst_misses()
        return {
            "source": self.source,
            "n": len(self.items),
            "positives": sum(self.labels),
            "skipped": self.skipped,
            "roc_auc": roc_auc(self.labels, self.scores),
            "brier": brier(self.labels, self.scores),
            "levels": levels,
            "per_language": per_language,
            "calibration": [vars(b) for b in calibration_bins(self.labels, self.scores)],
            "worst_false_alarms": [_brief(i) for i in false_alarms],
            "worst_misses": [_brief(i) for i in missed],
            "items": [_brief(i) for i in self.items],
        }


def _brief(item: Scored) -> dict[str, Any]:
    return {"id": item.id, "label": item.label, "score": item.score, "level": item.level,
            "indicators": list(item.indicators)}


def read_labelled(lines: Iterable[str], source: str) -> tuple[list[tuple[str, int, Message, Account | None, str]],
                                                              list[str]]:
    """Parse labelled lines; return usable rows and a list of `source:line: why` for skipped ones."""
    rows: list[tuple[str, int, Message, Account | None, str]] = []
    skipped: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            label = data["label"]
            if label not in (0, 1) or isinstance(label, bool):
                raise ValueError(f"label must be 0 or 1, got {label!r}")
            text = data.get("text") or ""
            if not isinstance(text, str):
                raise ValueError("text must be a string")
            profile = Account.model_validate(data["profile"]) if data.get("profile") else None
        except (json.JSONDecodeError, KeyError, ValueError, ValidationError) as exc:
            skipped.append(f"{source}:{number}: {exc}")
            continue
        item_id = str(data.get("id", number))
        rows.append((item_id, int(label), Message(id=item_id, body=text), profile, str(data.get("lang") or "")))
    return rows, skipped


def evaluate_file(path: Path, checker: Checker | None = None) -> MessageEvaluation:
    """Score every labelled line of `path` and collect the figures."""
    checker = checker or Checker()
    with path.open(encoding="utf-8") as handle:
        rows, skipped = read_labelled(handle, str(path))
    result = MessageEvaluation(str(path), skipped=skipped,
                               thresholds={"medium": checker.fusion.thresholds.medium,
                                           "high": checker.fusion.thresholds.high})
    for item_id, label, message, profile, lang in rows:
        assessment = checker.assess([message], profile, subject=item_id)
        result.items.append(Scored(item_id, label, assessment.score, assessment.level.value,
                                   lang or assessment.language or "?", assessment.indicators, message.body))
    return result
