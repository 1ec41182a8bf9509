from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from falsefriends.watchlist.bundled import bundled_watchlist
from falsefriends.watchlist.entries import EntryKind, IdentifierKind, Status
from falsefriends.watchlist.formats import (
    ImportDefaults,
    WatchlistFormatError,
    dump_csv,
    load_csv,
    load_ftm,
    load_stix,
    load_yaml,
    parse_watchlist,
    write_watchlist,
)
from watchlist.factories import identifier, organisation, persona, watchlist


@pytest.mark.parametrize("fmt", ["yaml", "csv", "ftm"])
def test_round_trip_keeps_everything(fmt: str) -> None:
    original = bundled_watchlist().merged(watchlist(persona(
        "Jana Luo", transliterations=("罗佳娜",), identifiers=(identifier(IdentifierKind.WECHAT, "jana_luo88"),
                                                               identifier(IdentifierKind.EMAIL, "j@x.cn")))))
    again = parse_watchlist(write_watchlist(original, fmt), fmt)
    assert {e.id: e for e in again.entries} == {e.id: e for e in original.entries}


def test_agency_csv_with_few_columns_gets_the_import_provenance() -> None:
    text = "kind,name,acronyms\norganisation,Centre for Example Studies,CES\npersona,Jane Doe,\n"
    defaults = ImportDefaults(source="bfv-2017", status=Status.NAMED_BY_AUTHORITY, url="https://example.org/list")
    result = load_csv(text, "list.csv", defaults)
    assert [e.kind for e in result.entries] == [EntryKind.ORGANISATION, EntryKind.PERSONA]
    assert result.entries[0].provenance[0].source == "bfv-2017"
    assert result.entries[0].provenance[0].urls == ("https://example.org/list",)
    assert result.entries[0].confidence == 0.95


def test_csv_errors_name_every_bad_line() -> None:
    text = "kind,name,identifiers\npersona,Ok Name,\nspy,Bad Kind,\norganisation,X,wechat\npersona,,\n"
    with pytest.raises(WatchlistFormatError) as caught:
        load_csv(text, "bad.csv")
    lines = [p.line for p in caught.value.problems]
    assert lines == [3, 4, 5]
    assert "bad.csv:3:" in str(caught.value)


def test_csv_unknown_column_is_refused() -> None:
    with pytest.raises(WatchlistFormatError, match="unknown column"):
        load_csv("kind,name,colour\npersona,A B,red\n")


def test_csv_export_neutralises_formulas() -> None:
    hostile = organisation("=HYPERLINK(\"http://evil\")", entry_id="org-evil", note="+cmd|' /C calc'!A0")
    text = dump_csv(watchlist(hostile))
    assert "'=HYPERLINK" in text and "'+cmd" in text
    assert load_csv(text).entries[0].name == hostile.name


def test_yaml_errors_carry_lines() -> None:
    text = ("version: x\nentries:\n  - id: ok-1\n    kind: persona\n    name: A\n"
            "    provenance: [{source: s, status: analyst}]\n  - id: Bad Id\n    kind: persona\n")
    with pytest.raises(WatchlistFormatError) as caught:
        load_yaml(text, "list.yaml")
    assert caught.value.problems[0].line == 7


def test_yaml_is_safe_loaded() -> None:
    with pytest.raises(WatchlistFormatError):
        load_yaml("!!python/object/apply:os.system ['echo hi']\n")


def test_plain_ftm_from_another_tool() -> None:
    lines = [
        {"id": "NK-abc", "schema": "Company", "properties": {"name": ["Resolute Consulting"], "alias": ["Resolute"],
                                                             "sourceUrl": ["https://court.example/doc"]},
         "datasets": ["us_court"], "first_seen": "2020-07-24T00:00:00"},
        {"id": "p1", "schema": "Person", "properties": {"name": ["Jun Wei Yeo"]}},
        {"id": "acc1", "schema": "UserAccount", "properties": {"username": ["jwyeo"], "service": ["telegram"],
                                                               "owner": ["p1"]}},
        {"id": "emp", "schema": "Employment", "properties": {"employee": ["p1"], "employer": ["NK-abc"]}},
        {"id": "addr", "schema": "Address", "properties": {"full": ["somewhere"]}},
    ]
    result = load_ftm("\n".join(json.dumps(x) for x in lines), "x.jsonl", ImportDefaults(status=Status.COURT_RECORD))
    company, person = result.get("nk-abc"), result.get("p1")
    assert company and company.provenance[0].source == "us_court" and company.first_seen is not None
    assert company.provenance[0].urls == ("https://court.example/doc",)
    assert person and person.employer == "Resolute Consulting" and person.employer_is_front is True
    assert person.identifiers[0].kind is IdentifierKind.TELEGRAM


def test_ftm_errors_carry_lines() -> None:
    text = '{"schema": "Person", "id": "a", "properties": {"name": ["A B"]}}\n{not json\n{"schema": "Person"}\n'
    with pytest.raises(WatchlistFormatError) as caught:
        load_ftm(text, "x.jsonl")
    assert [p.line for p in caught.value.problems] == [2, 3]


STIX = {
    "type": "bundle", "id": "bundle--1",
    "objects": [
        {"type": "identity", "spec_version": "2.1", "id": "identity--author", "name": "Example CERT",
         "identity_class": "organization", "created": "2024-01-01T00:00:00Z"},
        {"type": "threat-actor", "spec_version": "2.1", "id": "threat-actor--1", "name": "Laeticia Chen",
         "aliases": ["L. Chen"], "threat_actor_types": ["spy"], "created_by_ref": "identity--author",
         "confidence": 70, "first_seen": "2017-01-01T00:00:00Z", "created": "2017-12-10T00:00:00Z",
         "external_references": [{"source_name": "bfv-2017", "url": "https://example.org/bfv"}]},
        {"type": "identity", "spec_version": "2.1", "id": "identity--front", "name": "Example Exchange Centre",
         "identity_class": "organization", "created_by_ref": "identity--author", "created": "2024-01-01T00:00:00Z"},
        {"type": "user-account", "spec_version": "2.1", "id": "user-account--1", "account_type": "wechat",
         "user_id": "laeticia_c"},
        {"type": "relationship", "spec_version": "2.1", "id": "relationship--1", "relationship_type": "related-to",
         "source_ref": "threat-actor--1", "target_ref": "user-account--1"},
        {"type": "user-account", "spec_version": "2.1", "id": "user-account--2", "account_type": "linkedin",
         "user_id": "https://www.linkedin.com/in/some-persona"},
        {"type": "indicator", "spec_version": "2.1", "id": "indicator--1", "pattern": "[x]"},
    ],
}


def test_stix_bundle_import() -> None:
    result = load_stix(json.dumps(STIX, indent=1), "b.json")
    by_name = {e.name or e.identifiers[0].value: e for e in result.entries}
    chen = by_name["Laeticia Chen"]
    assert chen.kind is EntryKind.PERSONA and chen.aliases == ("L. Chen",) and chen.confidence == 0.7
    assert chen.provenance[0].source == "bfv-2017" and chen.identifiers[0].kind is IdentifierKind.WECHAT
    front = by_name["Example Exchange Centre"]
    assert front.kind is EntryKind.ORGANISATION and front.provenance[0].source == "Example CERT"
    account = by_name["https://www.linkedin.com/in/some-persona"]
    assert account.kind is EntryKind.ACCOUNT
    assert "Example CERT" not in by_name  # the author is a source, not an entry


def test_stix_errors_name_object_and_line() -> None:
    bad = json.loads(json.dumps(STIX))
    del bad["objects"][1]["name"]
    with pytest.raises(WatchlistFormatError) as caught:
        load_stix(json.dumps(bad, indent=1), "b.json")
    problem = caught.value.problems[0]
    assert "threat-actor--1" in problem.message and problem.line > 1
    with pytest.raises(WatchlistFormatError, match="not valid JSON"):
        load_stix("{", "b.json")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_parsers_never_crash_on_junk(text: str) -> None:
    for fmt in ("yaml", "csv", "ftm", "stix"):
        with contextlib.suppress(WatchlistFormatError):
            parse_watchlist(text, fmt)
