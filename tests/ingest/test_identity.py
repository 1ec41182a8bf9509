"""Identity resolution: URL variants are one account; without URLs, names make keys of recorded confidence."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from falsefriends.ingest.identity import (
    MAX_KEY,
    describe_key,
    identify,
    link_exports,
    name_identity,
    name_match,
    normalise_profile_url,
)
from falsefriends.ingest.linkedin_export import read_export
from ingest.export_factory import RECRUITER, approach_spec

CANONICAL = "https://www.linkedin.com/in/sophie-martel"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.linkedin.com/in/sophie-martel",
        "https://www.linkedin.com/in/sophie-martel/",
        "http://linkedin.com/in/Sophie-Martel",
        "https://fr.linkedin.com/in/sophie-martel?trk=people-guest",
        "www.linkedin.com/in/sophie-martel#about",
        "https://www.linkedin.com/in/sophie-martel/details/experience/",
        "  https://WWW.LINKEDIN.COM/in/sophie%2Dmartel  ",
    ],
)
def test_profile_url_variants_normalise_to_one_key(url: str) -> None:
    assert normalise_profile_url(url) == CANONICAL


@pytest.mark.parametrize("url", ["", "not a url", "javascript:alert(1)", "ftp://x.com/a", "https://", "mailto:a@b.c"])
def test_non_urls_are_refused(url: str) -> None:
    assert normalise_profile_url(url) is None


def test_huge_urls_become_bounded_keys() -> None:
    key = normalise_profile_url("https://www.linkedin.com/in/" + "a" * 5000)
    assert key is not None and len(key) <= MAX_KEY and key.startswith("url:")
    assert describe_key(key).confidence == 1.0


def test_names_make_keys_whose_confidence_grows_with_what_is_known() -> None:
    bare = name_identity("Sophie Martel")
    employer = name_identity("Sophie Martel", "Talent Bridge")
    full = name_identity("Sophie Martel", "Talent Bridge", "Senior headhunter")
    assert bare and employer and full
    assert bare.confidence < employer.confidence < full.confidence < 1.0
    # Case, accents and spacing do not split one person into two.
    assert name_identity("  SOPHIE  Martél", "talent bridge", "senior HEADHUNTER") == full
    assert name_identity("Sophie Martel", "Other Corp", "Senior headhunter") != full
    assert describe_key(full.key) == full
    assert name_identity("") is None


def test_url_beats_name() -> None:
    found = identify("Sophie Martel", "https://linkedin.com/in/sophie-martel", "Talent Bridge")
    assert found is not None and (found.key, found.method, found.confidence) == (CANONICAL, "url", 1.0)


@given(st.text(max_size=300))
def test_any_text_is_a_url_or_none_never_a_crash(text: str) -> None:
    key = normalise_profile_url(text)
    assert key is None or (len(key) <= MAX_KEY + 70 and key.startswith(("https://", "url:")))


def test_name_match_needs_one_fitting_candidate() -> None:
    one = [("https://www.linkedin.com/in/a", "Talent Bridge")]
    assert name_match("Sophie Martel", "talent bridge", one) == "https://www.linkedin.com/in/a"
    assert name_match("Sophie Martel", "", one) == "https://www.linkedin.com/in/a"
    assert name_match("Sophie Martel", "Other Corp", one) is None
    two = [*one, ("https://www.linkedin.com/in/b", "")]
    assert name_match("Sophie Martel", "", two) is None  # a shared name joins neither


def test_link_exports_joins_old_name_keys_to_urls(tmp_path: Path) -> None:
    new = read_export(approach_spec().build_zip(tmp_path / "new.zip"))
    old = read_export(approach_spec(with_urls=False).build_zip(tmp_path / "old.zip"))
    links = link_exports([new, old])
    sophie_old = next(a for a in old.contacts if a.name == "Sophie Martel")
    assert sophie_old.key is not None
    link = links[sophie_old.key]
    assert link.key == RECRUITER
    assert link.method == "name+employer+position>url" and link.confidence == 0.8
    # Same messages whatever the export version: ids do not depend on URL columns.
    assert [m.id for m in old.messages] == [m.id for m in new.messages]
    assert [m.id for m in old.invitations] == [m.id for m in new.invitations]
