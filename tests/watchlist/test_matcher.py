from __future__ import annotations

from datetime import date

from falsefriends.watchlist.bundled import bundled_watchlist
from falsefriends.watchlist.entries import EntryKind, IdentifierKind
from falsefriends.watchlist.matcher import WatchlistMatcher
from watchlist.factories import identifier, organisation, persona, watchlist


def test_bundled_list_finds_variants_of_fronts() -> None:
    matcher = WatchlistMatcher(bundled_watchlist())
    for query, expected in [
        ("CCIPE", "org-china-center-of-international-politics-and-economy"),
        ("Sino-Europe Development Studies Centre GmbH", "org-center-for-sino-europe-development-studies"),
        ("RiseHR Co., Ltd.", "org-risehr"),
        ("Global Views Strategic Consultancy", "org-global-view-strategic-consulting"),
    ]:
        hits = matcher.match_name(query, [EntryKind.ORGANISATION])
        assert hits and hits[0].entry.id == expected, query
        assert hits[0].features


def test_hanzi_given_by_the_entry_is_matched() -> None:
    matcher = WatchlistMatcher(watchlist(persona("Wei Zhang", transliterations=("张伟",))))
    hits = matcher.match_name("张伟", [EntryKind.PERSONA])
    assert hits and hits[0].form in ("张伟", "Wei Zhang")


def test_kinds_are_respected() -> None:
    matcher = WatchlistMatcher(watchlist(persona("Move Hr"), organisation("Move HR")))
    assert {h.entry.kind for h in matcher.match_name("Move HR", [EntryKind.ORGANISATION])} == {EntryKind.ORGANISATION}


def test_expired_entries_are_not_matched() -> None:
    matcher = WatchlistMatcher(watchlist(organisation("Old Front", expires=date(2020, 1, 1))))
    assert matcher.match_name("Old Front") == []


def test_identifiers_match_by_canonical_key_and_photo_distance() -> None:
    entry = persona("Katie Jones", identifiers=(
        identifier(IdentifierKind.PROFILE_URL, "https://www.linkedin.com/in/katie-jones-3a/"),
        identifier(IdentifierKind.WHATSAPP, "+86 138 0013 8000"),
        identifier(IdentifierKind.PHOTO_HASH, "c3d4e5f60718293a"),
    ))
    matcher = WatchlistMatcher(watchlist(entry))
    assert matcher.match_identifier(IdentifierKind.PROFILE_URL, "de.linkedin.com/in/Katie-Jones-3a?trk=x")
    assert matcher.match_identifier(IdentifierKind.PHONE, "0086-138-0013-8000")
    near = matcher.match_identifier(IdentifierKind.PHOTO_HASH, "c3d4e5f60718293b")
    assert near and near[0].distance == 1
    assert matcher.match_identifier(IdentifierKind.PHOTO_HASH, "0000000000000000") == []


def test_empty_and_hostile_queries() -> None:
    matcher = WatchlistMatcher(bundled_watchlist())
    assert matcher.match_name("") == []
    assert matcher.match_name("=cmd|' /C calc'!A0" * 50) == []
