"""Per-record steps of a scan as functions of Arrow record batches: the same code on either engine.

The local engine calls them on the batches it reads; the Spark engine hands them to `mapInArrow`, so
every executor runs exactly this code. They call the library's checker (`Checker.evidence_for_message`,
`Checker.evidence_for_profile`, `Checker.fusion`), the entry point `falsefriends check` uses.

Evidence travels between steps as JSON text (a list of `Evidence` objects per row), which both engines
carry as a plain string column.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pyarrow as pa

from falsefriends.check import Checker
from falsefriends.correlate.campaigns import CAMPAIGN_INDICATORS, CampaignSettings, corroborating
from falsefriends.model import Account, Evidence, Message

TEXT_OUT = pa.schema([("rep", pa.int64()), ("evidence", pa.string())])
PROFILE_OUT = pa.schema([("member_id", pa.int64()), ("evidence", pa.string())])
FUSED_OUT = pa.schema([("member_id", pa.int64()), ("score", pa.float64()), ("level", pa.string()),
                       ("indicators", pa.string()), ("evidence", pa.string())])

_CHECKERS: dict[bool, Checker] = {}


def checker(semantic: bool = False) -> Checker:
    """One checker per process and setting: the bundled rules, watchlist and fusion (and encoder when asked)."""
    found = _CHECKERS.get(semantic)
    if found is None:
        found = _CHECKERS[semantic] = Checker(semantic=semantic)
    return found


def item_name(item: int) -> str:
    """The message id shown in evidence: `m<message_id>` or `i<invitation_id>` (item = id*2+1 or id*2)."""
    return f"m{item >> 1}" if item & 1 else f"i{item >> 1}"


def dump_evidence(items: Iterable[Evidence]) -> str:
    return json.dumps([e.model_dump(mode="json") for e in items], ensure_ascii=False, sort_keys=True)


def load_evidence(text: str | None) -> list[Evidence]:
    if not text:
        return []
    return [Evidence.model_validate(item) for item in json.loads(text)]


def score_texts(batches: Iterable[pa.RecordBatch], semantic: bool = False) -> Iterator[pa.RecordBatch]:
    """Evidence for each distinct text (columns rep, subject, body); only texts with evidence are returned.

    `rep` is the first item (message or invitation) that carried the text: the evidence quotes it. The
    checker sees the text alone (no sender), so the same text always gets the same evidence.
    """
    check = checker(semantic)
    for batch in batches:
        reps = batch.column("rep").to_pylist()
        subjects = batch.column("subject").to_pylist()
        bodies = batch.column("body").to_pylist()
        out_rep: list[int] = []
        out_ev: list[str] = []
        for rep, subject, body in zip(reps, subjects, bodies, strict=True):
            message = Message(id=item_name(rep), subject=subject or "", body=body or "")
            found = check.evidence_for_message(message)
            if found:
                out_rep.append(rep)
                out_ev.append(dump_evidence(found))
        yield pa.RecordBatch.from_pydict({"rep": out_rep, "evidence": out_ev}, schema=TEXT_OUT)


def _profile(row: dict[str, Any]) -> Account:
    name = " ".join(p for p in (row.get("first_name"), row.get("last_name")) if p)
    connections = row.get("connections")
    return Account(key=row.get("profile_url") or f"member:{row['member_id']}", url=row.get("profile_url"),
                   name=name, headline=row.get("headline") or "", employer=row.get("employer") or "",
                   position=row.get("position") or "", about=row.get("about") or "", created=row.get("created"),
                   connections=connections if connections is not None and connections >= 0 else None)


def score_profiles(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """`Checker.evidence_for_profile` for each member row; only members with evidence are returned."""
    check = checker(False)
    for batch in batches:
        ids: list[int] = []
        out: list[str] = []
        for row in batch.to_pylist():
            found = check.evidence_for_profile(_profile(row))
            if found:
                ids.append(row["member_id"])
                out.append(dump_evidence(found))
        yield pa.RecordBatch.from_pydict({"member_id": ids, "evidence": out}, schema=PROFILE_OUT)


PART_OUT = pa.schema([("member_id", pa.int64()), ("part", pa.string())])


def restamp(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """A distinct text's evidence as one sender's part, quoting that sender's own first item with the text.

    Columns in: sender, item, evidence.
    """
    for batch in batches:
        parts: list[str] = []
        for item, text in zip(batch.column("item").to_pylist(), batch.column("evidence").to_pylist(), strict=True):
            name = item_name(item)
            found = json.loads(text)
            for entry in found:
                entry["message"] = name
            parts.append(json.dumps(found, ensure_ascii=False, sort_keys=True))
        yield pa.RecordBatch.from_arrays([batch.column("sender"), pa.array(parts, type=pa.string())],
                                         schema=PART_OUT)


_SETTINGS = CampaignSettings()
_NOT_CORROBORATED = (
    " Not counted: standardised outreach to many members, without a move off the platform, a paid policy paper, a"
    " technical assessment, a front-organisation trait or an offer tied to a request for analysis in the"
    " account's (or its campaign's) messages or profile, is what honest recruiters, conference organisers and"
    " expert networks do (tradecraft.md)."
)


def corroborates(own: Sequence[Evidence]) -> bool:
    """Whether an account's own messages or profile corroborate its outreach (`correlate.campaigns.corroborating`)."""
    return bool(corroborating(own, _SETTINGS))


def gate(own: Sequence[Evidence], campaign_evidence: Sequence[Evidence], corroborated: bool | None
         ) -> list[Evidence]:
    """Campaign evidence (M9, P7, C1, C2) counts only when corroborated (`correlate.campaigns.corroborating`).

    `corroborated` is the verdict of the account's campaign (None outside campaigns); the account's own
    evidence corroborates its own campaign signals either way (scan.coordination).
    """
    if corroborated or corroborates(own):
        return list(campaign_evidence)
    return [e.model_copy(update={"weight": 0.0, "reason": e.reason + _NOT_CORROBORATED})
            for e in campaign_evidence]


def _order(e: Evidence) -> tuple[Any, ...]:
    return (-e.weight, e.indicator, e.rule, e.message or "", e.field or "", e.excerpt)


def fuse_accounts(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The fusion's score of each account from all its evidence parts (profile, texts, campaign signals).

    Columns in: member_id, parts (list of evidence JSON), corroborated (bool, null outside campaigns).
    """
    fusion = checker(False).fusion
    for batch in batches:
        ids = batch.column("member_id").to_pylist()
        parts = batch.column("parts").to_pylist()
        verdicts = batch.column("corroborated").to_pylist()
        rows: dict[str, list[Any]] = {name: [] for name in FUSED_OUT.names}
        for member_id, texts, verdict in zip(ids, parts, verdicts, strict=True):
            evidence: list[Evidence] = []
            for text in sorted(texts or ()):
                evidence.extend(load_evidence(text))
            own = [e for e in evidence if e.indicator not in CAMPAIGN_INDICATORS]
            campaign = [e for e in evidence if e.indicator in CAMPAIGN_INDICATORS]
            evidence = sorted(own + gate(own, campaign, verdict), key=_order)
            score, level, indicators = fusion.score(evidence)
            for name, value in zip(FUSED_OUT.names, (member_id, round(score, 9), level.value, ",".join(indicators),
                                                      dump_evidence(evidence)), strict=True):
                rows[name].append(value)
        yield pa.RecordBatch.from_pydict(rows, schema=FUSED_OUT)
