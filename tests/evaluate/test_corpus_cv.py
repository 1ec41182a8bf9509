"""Grouped cross-validation on a corpus: no group on both sides, thresholds for the precision targets."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from falsefriends.check import Checker
from falsefriends.cli import app
from falsefriends.corpus import CorpusItem
from falsefriends.detect.fusion import load_fusion
from falsefriends.detect.semantic.head import load_head
from falsefriends.detect.semantic.provider import SemanticProvider
from falsefriends.detect.semantic.train import group_folds
from falsefriends.evaluate.corpus_cv import (
    CONFIGS,
    choose_thresholds,
    cross_validate,
    fit_learnt,
    genuine_excerpts,
    head_evidence,
    prepare,
)

HOSTILE = [
    "Before the technical interview, please clone our repository and run npm install to test the app.",
    "Our partner abroad pays 2,000 USD for a short paper on policy. Shall we continue on WhatsApp?",
    "We are a Web3 start-up; review our GitHub project and run it locally before the call.",
    "I need someone to attend job interviews on my behalf; I pay per interview. Contact me on Telegram.",
]
GENUINE = [
    "Thanks for the pull request. Could you rebase it on main and run the tests again?",
    "We would love to have you speak at our meetup in March. We cover travel for speakers.",
    "Hi, I am a journalist writing about open source funding; could we talk for 15 minutes?",
    "Our team is hiring a backend engineer in Berlin; would you be open to a chat next week?",
]


FILLER = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa "
          "quebec romeo sierra tango uniform victor whiskey xray yankee zulu").split()


def _corpus() -> list[CorpusItem]:
    items = []
    for k in range(6):
        case = " ".join(FILLER[(k * 4 + j) % len(FILLER)] + str(k) for j in range(14))
        for n, text in enumerate(HOSTILE):
            items.append(CorpusItem(id=f"h{k}-{n}", label=1, kind="fake-recruiter-code", lang="en",
                                    channel="linkedin-message", text=f"{text} {case}",
                                    source="https://example.org/h", group=f"h{k}"))
        for n, text in enumerate(GENUINE):
            items.append(CorpusItem(id=f"g{k}-{n}", label=0, kind="colleague", lang="en", channel="github-issue",
                                    text=f"{text} {case}", source="https://example.org/g", group=f"g{k}-{n}"))
    return items


def test_folds_never_split_a_group() -> None:
    labels = [1, 1, 0, 0, 1, 0, 0, 0, 1, 0] * 3
    groups = [f"g{i // 3}" for i in range(30)]
    folds = group_folds(labels, groups, 4, seed=1)
    assert sorted(np.concatenate(folds).tolist()) == list(range(30))
    for a in range(len(folds)):
        for b in range(a + 1, len(folds)):
            assert not {groups[i] for i in folds[a]} & {groups[i] for i in folds[b]}


def test_thresholds_keep_false_alarms_within_the_targets() -> None:
    labels = np.array([1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0])
    scores = np.array([0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15, 0.1, 0.05, 0.01])
    t = choose_thresholds(labels, scores, 0.2, 0.0)  # 9 genuine: at most one above medium, none at high
    assert (t.medium, t.high) == (0.6001, 0.8001)
    genuine = scores[labels == 0]
    assert (genuine >= t.medium).sum() == 1 and (genuine >= t.high).sum() == 0


def test_genuine_excerpts_are_unit_windows() -> None:
    vectors = np.eye(5, 512, dtype=np.float32)
    excerpts = genuine_excerpts(vectors, limit=3)
    assert len(excerpts) == 3 and all(abs(float(np.linalg.norm(v)) - 1) < 1e-6 for v in excerpts)
    assert genuine_excerpts(vectors[:1]) == []


def test_cross_validation_scores_every_item_held_out_and_learns_only_bias_and_scale() -> None:
    checker = Checker(semantic=False)
    prep = prepare(_corpus(), checker, SemanticProvider(use_bundled_head=False))
    result = cross_validate(prep, checker, folds=3, seed=0)
    for config in CONFIGS:
        figures = result.figures(config)
        assert figures["n"] == 48 and figures["hostile"] == 24
    assert result.figures("fused")["roc_auc"] >= 0.9
    learnt = fit_learnt(prep, np.arange(48), load_fusion(), checker, seed=0)
    assert learnt.fusion.indicator_weights == {} and set(learnt.fusion.indicator_scales) == {"S1"}
    assert learnt.fusion.bias == load_fusion().bias and "S1" in learnt.fusion.indicator_offsets
    assert learnt.fusion.prior_thresholds == load_fusion().thresholds
    # Without the head's evidence (a profile alone) the prior bias and thresholds apply.
    assert learnt.fusion.score([])[1].value == "low"
    assert learnt.fusion.score([head_evidence(-3.0), head_evidence(4.0)])[0] == learnt.fusion.score(
        [head_evidence(4.0)])[0]


def test_cli_cross_validation_and_fit_on_a_small_corpus(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "items.jsonl").write_text("".join(i.model_dump_json() + "\n" for i in _corpus()), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["eval-messages", str(folder), "--cv", "--folds", "3", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert set(figures["configs"]) == set(CONFIGS)
    assert figures["data"]["summary"].startswith("48 real messages (24 hostile")
    assert {"language", "kind", "channel", "source"} <= set(figures["breakdowns"]["fused"])
    out = tmp_path / "model"
    result = runner.invoke(app, ["fit-semantic", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    head = load_head(out / "head.json")
    assert head is not None and head.trained_on["summary"].startswith("48 real messages")
    assert "learnt-v1" in (out / "fusion.learnt.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["eval-messages", "nowhere", "--cv"], ["fit-semantic", "nowhere", "--out", "x"]])
def test_cli_says_why_when_the_corpus_is_missing(args: list[str]) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "nowhere" in result.output


def test_too_few_groups_of_a_label_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="two groups of each label"):
        group_folds([1, 1, 0, 0], ["a", "a", "b", "c"], 3, seed=0)


def test_cli_cross_validation_by_publisher(tmp_path: Path) -> None:
    """--by-publisher keeps each site (or GitHub account) on one side; a corpus that cannot be split says why."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    items = [i.model_copy(update={"source": f"https://site{i.group[1]}.example/{i.id}"}) for i in _corpus()]
    (folder / "items.jsonl").write_text("".join(i.model_dump_json() + "\n" for i in items), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["eval-messages", str(folder), "--cv", "--by-publisher", "--folds", "3", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["split"] == "publisher"
    assert figures["data"]["summary"].startswith("48 real messages (24 hostile, 24 genuine) in 6 groups")
    # one publisher for every hostile item: no fold can hold hostile items for training and testing
    (folder / "items.jsonl").write_text("".join(i.model_dump_json() + "\n" for i in _corpus()), encoding="utf-8")
    result = runner.invoke(app, ["eval-messages", str(folder), "--cv", "--by-publisher", "--folds", "3"])
    assert result.exit_code == 2 and "cannot cross-validate" in result.output
