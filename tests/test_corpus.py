"""The real labelled corpus: every item valid and sourced, groups that keep templates together."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from falsefriends.corpus import KINDS_GENUINE, KINDS_HOSTILE, CorpusItem, group_by_publisher, load_corpus, publisher
from falsefriends.detect.semantic.head import load_head

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def _item(**over: object) -> dict[str, object]:
    base = {"id": "x-1", "label": 1, "kind": "intel-persona", "lang": "en", "channel": "linkedin-message",
            "text": "Our partner pays 2,000 USD for six pages.", "source": "https://example.org/a", "group": "g1"}
    return base | over


def _write(path: Path, items: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


def test_the_shipped_corpus_is_valid_and_sourced() -> None:
    corpus = load_corpus(CORPUS)
    assert corpus.errors == []
    assert len(corpus.items) >= 400
    hostile = [i for i in corpus.items if i.label == 1]
    assert len(hostile) >= 100 and len(corpus.items) - len(hostile) >= 300
    assert {i.lang for i in corpus.items} >= {"en", "fr", "de"}
    for item in corpus.items:
        assert item.source.startswith("http"), item.id
        assert item.kind in (KINDS_HOSTILE if item.label else KINDS_GENUINE), item.id


def test_the_shipped_head_was_trained_on_the_corpus_as_committed() -> None:
    head = load_head()
    assert head is not None
    assert head.trained_on["corpus_digest"] == load_corpus(CORPUS).digest, (
        "data/corpus changed since the head was trained: run "
        "`falsefriends fit-semantic data/corpus --out src/falsefriends/detect/semantic`")


def test_bad_items_are_named_with_file_and_line(tmp_path: Path) -> None:
    _write(tmp_path / "a.jsonl", [_item(), _item(id="x-2", label=3), _item(id="x-3", source="example.org")])
    (tmp_path / "b.jsonl").write_text('{"id": \n', encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [i.id for i in corpus.items] == ["x-1"]
    assert any(e.startswith("a.jsonl:2:") and "label" in e for e in corpus.errors)
    assert any(e.startswith("a.jsonl:3:") and "source" in e for e in corpus.errors)
    assert any(e.startswith("b.jsonl:1:") for e in corpus.errors)


def test_exact_copies_are_dropped_and_near_duplicates_share_a_group(tmp_path: Path) -> None:
    text = ("We need a freelancer to write papers for our partner in China; they pay 1500-3000 USD for "
            "6-10 pages, and a face-to-face interview in China with travel paid.")
    _write(tmp_path / "c.jsonl", [
        _item(id="a", text=text, group="ga"),
        _item(id="b", text=text.upper(), group="gb"),
        _item(id="c", text=text.replace("China", "Beijing", 1), group="gc"),
        _item(id="d", label=0, kind="recruiter", text="Would you be open to a call about a data role?", group="gd"),
    ])
    corpus = load_corpus(tmp_path)
    assert [i.id for i in corpus.items] == ["a", "c", "d"]
    assert corpus.dropped and "same text as a" in corpus.dropped[0]
    groups = {i.id: i.group for i in corpus.items}
    assert groups["a"] == groups["c"] != groups["d"]


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_corpus(tmp_path)


def test_a_publisher_is_a_site_or_a_github_account() -> None:
    assert publisher("https://www.Example.org/2024/post") == "example.org"
    assert publisher("https://github.com/Owner/repo/blob/abc/messages.csv") == "github.com/owner"
    assert publisher("https://github.com/other/repo/issues/3") == "github.com/other"
    assert publisher("https://gist.github.com/owner/123") == "github.com/owner"


def test_grouping_by_publisher_keeps_groups_and_publishers_whole() -> None:
    items = [CorpusItem.model_validate(_item(id=f"x-{n}", group=group, source=source)) for n, (group, source) in
             enumerate([("a", "https://github.com/alice/export/blob/1/messages.csv"),
                        ("b", "https://github.com/alice/export/blob/1/messages.csv"),  # same export, other sender
                        ("c", "https://blog.example.org/p"),
                        ("c", "https://news.example.net/q"),  # one sender quoted by two sites
                        ("d", "https://news.example.net/r"),
                        ("e", "https://github.com/bob/repo/issues/1")])]
    units = [i.group for i in group_by_publisher(items)]
    assert units[0] == units[1]
    assert units[2] == units[3] == units[4]
    assert len({units[0], units[2], units[5]}) == 3
    assert [i.id for i in group_by_publisher(items)] == [i.id for i in items]
