"""The start-up cache: the same results as building in memory, verified, rebuilt when corrupt, optional."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from falsefriends import cache
from falsefriends.rules.loader import RuleSet, bundled_pack_paths, lint_files, load_rules
from falsefriends.yamlio import parse_yaml


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("FALSEFRIENDS_CACHE_DIR", str(folder))
    monkeypatch.delenv("FALSEFRIENDS_CACHE", raising=False)
    return folder


def _summary(rules: RuleSet) -> list[tuple[object, ...]]:
    return [(r.spec, r.pack, r.language, r.kind, r.path, r.line, r.pattern is None, r.unless is None)
            for r in rules.rules]


def _linted() -> list[tuple[object, ...]]:
    rules, problems = lint_files(bundled_pack_paths())
    assert not [p for p in problems if p.severity == "error"]
    return _summary(RuleSet(tuple(rules), {r.id: r for r in rules}))


def test_the_bundled_rules_from_the_cache_are_the_linted_rules(cache_dir: Path) -> None:
    first = load_rules()
    assert len(list(cache_dir.glob("rules-*.json"))) == 1
    second = load_rules()  # from the cache
    assert _summary(first) == _summary(second) == _linted()
    text = "could we continue on whatsapp? our client pays 2,000 usd per analysis note."
    assert [r.id for r in first.message_candidates(text)] == [r.id for r in second.message_candidates(text)]
    assert [r.find(text) for r in first.rules] == [r.find(text) for r in second.rules]


def test_a_corrupt_or_foreign_entry_is_a_miss_and_is_rebuilt(cache_dir: Path) -> None:
    load_rules()
    (entry,) = cache_dir.glob("rules-*.json")
    good = entry.read_bytes()
    for bad in (b"", b"garbage", good[:-10], good.replace(b'"weight":', b'"weight": ', 1),
                good.replace(b'"key":"', b'"key":"0', 1)):
        entry.write_bytes(bad)
        assert _summary(load_rules()) == _linted()
        assert entry.read_bytes() == good  # rebuilt and written again


def test_an_unwritable_cache_only_means_building_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("FALSEFRIENDS_CACHE_DIR", str(blocker / "cache"))
    assert _summary(load_rules()) == _linted()
    assert not cache.write_json("x", "k", [1])


def test_the_cache_can_be_turned_off(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FALSEFRIENDS_CACHE", "off")
    assert cache.cache_dir() is None
    load_rules()
    assert not cache_dir.exists()


def test_the_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FALSEFRIENDS_CACHE", raising=False)
    monkeypatch.delenv("FALSEFRIENDS_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "falsefriends"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "falsefriends"


def test_json_entries_keep_a_few_versions_per_name(cache_dir: Path) -> None:
    for key in ("k1", "k2", "k3", "k4", "k5"):
        assert cache.write_json("thing", key, {"key": key})
    assert len(list(cache_dir.glob("thing-*.json"))) == cache.KEEP
    assert cache.read_json("thing", "k5") == {"key": "k5"}
    assert cache.read_json("thing", "k1") is None


def test_arrays_round_trip_memory_mapped_and_a_damaged_file_is_a_miss(cache_dir: Path) -> None:
    arrays = {"table": np.arange(2 << 20, dtype=np.uint8).reshape(2048, 1024),
              "w": np.linspace(0, 1, 7, dtype=np.float32), "eps": np.array(1e-6)}
    assert cache.write_arrays("weights", "key", arrays)
    found = cache.read_arrays("weights", "key")
    assert found is not None and set(found) == set(arrays)
    for name, array in arrays.items():
        assert found[name].dtype == array.dtype and np.array_equal(found[name], array)
    assert isinstance(found["table"], np.memmap) and not found["table"].flags.writeable
    assert cache.read_arrays("weights", "other key") is None
    assert cache.read_arrays("weights", "key", full_check=True) is not None
    (folder,) = cache_dir.glob("weights-*")
    for file in ("000.npy", "001.npy"):  # the mapped table (its sample), a small array read whole
        data = folder / file
        good = data.read_bytes()
        raw = bytearray(good)
        raw[-1] ^= 0xFF
        data.write_bytes(bytes(raw))
        assert cache.read_arrays("weights", "key") is None
        assert cache.read_arrays("weights", "key", full_check=True) is None
        data.write_bytes(good)
    assert cache.read_arrays("weights", "key") is not None
    (folder / "000.npy").write_bytes(good[:100])
    assert cache.read_arrays("weights", "key") is None


def test_the_pinyin_syllables_from_the_cache_are_pypinyins(cache_dir: Path) -> None:
    from falsefriends.watchlist import normalise

    normalise.pinyin_syllables.cache_clear()
    try:
        built = normalise.pinyin_syllables()
        assert list(cache_dir.glob("pinyin-syllables-*.json"))
        normalise.pinyin_syllables.cache_clear()
        assert normalise.pinyin_syllables() == built == normalise._pinyin_syllables_from_pypinyin()
        assert {"zhang", "wei", "chuang", "xiong"} <= built
    finally:
        normalise.pinyin_syllables.cache_clear()


@pytest.mark.parametrize("text", [
    "a: 1\nb: [x, y]\nc: {d: 2026-01-02, e: null, f: 'yes', g: yes}\n",
    "- one\n- two: 3\n",
    "",
    "# only a comment\n",
])
def test_one_parse_gives_what_compose_and_safe_load_give(text: str) -> None:
    root, data = parse_yaml(text)
    assert data == yaml.safe_load(text)
    expected = yaml.compose(text, Loader=yaml.SafeLoader)
    assert (root is None) == (expected is None)
    if root is not None and expected is not None:
        assert (root.start_mark.line, root.end_mark.line) == (expected.start_mark.line, expected.end_mark.line)


@pytest.mark.parametrize("text", ["a: b: c", "entries: [1, 2", "- x\n- y: {", "a:\n  - b\n c: d"])
def test_invalid_yaml_raises_the_pure_python_parsers_error(text: str) -> None:
    with pytest.raises(yaml.YAMLError) as expected:
        yaml.compose(text, Loader=yaml.SafeLoader)
    with pytest.raises(yaml.YAMLError) as found:
        parse_yaml(text)
    assert str(found.value) == str(expected.value)
