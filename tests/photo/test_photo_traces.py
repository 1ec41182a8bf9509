"""Campaign correlation links personas by one photo re-uploaded (mirrored, cropped, recompressed)."""

from __future__ import annotations

from falsefriends.correlate.clusters import account_traces
from falsefriends.model import Account
from falsefriends.photo.hashes import fingerprint
from falsefriends.photo.synthetic import portrait, reused


def test_near_duplicate_photos_share_one_trace_and_others_do_not() -> None:
    shared = portrait(41)
    accounts = [Account(key="persona-1", photo=fingerprint(shared).hex()),
                Account(key="persona-2", photo=fingerprint(reused(shared, 1)).hex()),
                Account(key="persona-3", photo=fingerprint(reused(shared, 2)).hex()),
                Account(key="someone", photo=fingerprint(portrait(42)).hex()),
                Account(key="legacy", photo="https://example.org/p.jpg")]
    traces = account_traces(accounts)
    photo = {key: {t for t in found if t.startswith("photo:")} for key, found in traces.items()}
    assert photo["persona-1"] == photo["persona-2"] == photo["persona-3"]
    assert photo["someone"].isdisjoint(photo["persona-1"])
    assert photo["legacy"] == {"photo:https://example.org/p.jpg"}
