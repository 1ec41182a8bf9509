"""Coordinated clusters among a scan's outreach accounts, as row operations that either engine runs.

The audit's method (`correlate.clusters`, after Pacheco et al.), written as tables so that Spark can run it
without collecting accounts to the driver:

1. traces: one row (member_id, trace) per trace of an outreach account: its claimed employer, its creation
   burst (two offset grids), each outreach template it sent, each member it wrote to in a week (two grids),
   its photo (`correlate.clusters.account_traces` builds the strings, batch by batch);
2. weights: a trace held by 2 to `MAX_ACCOUNTS_PER_TRACE` accounts weighs kind_weight x log(N / holders),
   N the number of outreach accounts (`weigh_traces`);
3. pairs: a self-join on the trace; per pair the sum of the shared weights and of their squares, and each
   account's squared norm; a pair is linked when the sum is at least `SETTINGS.min_edge_weight` and the
   cosine of the two weighted trace vectors at least `SETTINGS.min_similarity` (`link_pairs`; sums are
   rounded to 9 decimals first, so that both engines' float sums, added in different orders, agree);
4. connected components of the links (scipy locally; min-label propagation joins on Spark) are the
   clusters; each is named after its smallest member id;
5. per cluster the traces two or more of its members share explain it (`describe_clusters`), and the
   members' own evidence decides whether the campaign is corroborated (`campaign_corroborated`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyarrow as pa

from falsefriends.correlate.campaigns import CampaignSettings
from falsefriends.correlate.clusters import account_traces, describe_shared, trace_kind
from falsefriends.model import Account, Message
from falsefriends.scan import records
from falsefriends.scan.campaigns import ScanCampaign
from falsefriends.scan.signals import coordination_evidence

SETTINGS = CampaignSettings()
# A trace held by more accounts than this links nobody. The audit allows 2,000 (an organisation's contacts);
# among a platform's outreach accounts a recruiting firm's 2,000 recruiters sharing an employer would add
# four million pairs (10 GB measured at 1M members) for a trace that says "colleagues", not "campaign".
MAX_ACCOUNTS_PER_TRACE = 200
DECIMALS = 9

TRACE_OUT = pa.schema([("member_id", pa.int64()), ("trace", pa.string())])
WEIGHT_OUT = pa.schema([("trace", pa.string()), ("weight", pa.float64())])
LINK_OUT = pa.schema([("a", pa.int64()), ("b", pa.int64())])
CLUSTER_OUT = pa.schema([("campaign", pa.int64()), ("shared", pa.string()), ("templates", pa.string()),
                         ("part", pa.string())])
OWN_OUT = pa.schema([("member_id", pa.int64()), ("corroborated", pa.bool_())])


def campaign_id(label: int) -> str:
    return f"campaign-{label}"


def _traces_batch(found: Mapping[str, Iterable[str]]) -> pa.RecordBatch:
    ids: list[int] = []
    traces: list[str] = []
    for key in sorted(found):
        for trace in sorted(found[key]):
            ids.append(int(key))
            traces.append(trace)
    return pa.RecordBatch.from_pydict({"member_id": ids, "trace": traces}, schema=TRACE_OUT)


def account_trace_rows(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Columns in: member_id, employer, created (date): employer and creation-burst traces."""
    for batch in batches:
        accounts = [Account(key=str(m), employer=e or "", created=c) for m, e, c in zip(
            batch.column("member_id").to_pylist(), batch.column("employer").to_pylist(),
            batch.column("created").to_pylist(), strict=True)]
        yield _traces_batch(account_traces(accounts, burst_days=SETTINGS.burst_days))


def item_trace_rows(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Columns in: sender, recipient, sent_at (ms, may be null), template (name, null when not outreach):
    template and co-targeting traces of the senders."""
    for batch in batches:
        template_of: dict[str, str] = {}

        def messages(batch: pa.RecordBatch = batch, template_of: dict[str, str] = template_of) -> Iterator[Message]:
            columns = (batch.column(c).to_pylist() for c in ("sender", "recipient", "sent_at", "template"))
            for index, (sender, recipient, sent_at, template) in enumerate(zip(*columns, strict=True)):
                if template is not None:
                    template_of[f"x{index}"] = template
                when = None if sent_at is None else datetime.fromtimestamp(sent_at / 1000, tz=UTC)
                yield Message(id=f"x{index}", body="", sender=str(sender), recipients=(str(recipient),),
                              sent_at=when)

        found = account_traces((), list(messages()), template_of, cotarget_days=SETTINGS.cotarget_days)
        yield _traces_batch(found)


def photo_trace_rows(photo_keys: Mapping[int, str], members: Iterable[int]) -> pa.Table:
    """`photo:` traces of the given members with a photo fingerprint (near-duplicates share one label:
    `correlate.clusters`); one call over all of them, on whichever machine holds the fingerprints."""
    accounts = [Account(key=str(m), photo=photo_keys[m]) for m in sorted(set(members)) if m in photo_keys]
    found = account_traces(accounts)
    photo = {key: [t for t in traces if trace_kind(t) == "photo"] for key, traces in found.items()}
    return pa.Table.from_batches([_traces_batch(photo)], schema=TRACE_OUT)


def weigh_traces(accounts: int) -> Any:
    """Batch function (columns trace, holders) -> WEIGHT_OUT for the traces that carry weight."""
    def run(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            traces = batch.column("trace").to_pylist()
            holders = batch.column("holders").to_numpy().astype(np.float64)
            kinds = np.array([SETTINGS.kind_weights.get(trace_kind(t), 0.0) for t in traces], dtype=np.float64)
            usable = (holders >= 2) & (holders <= MAX_ACCOUNTS_PER_TRACE)
            weight = np.where(usable, kinds * np.log(max(accounts, 1) / np.maximum(holders, 1.0)), 0.0)
            keep = np.flatnonzero(weight > 0)
            yield pa.RecordBatch.from_pydict({"trace": [traces[i] for i in keep], "weight": weight[keep]},
                                             schema=WEIGHT_OUT)
    return run


def link_pairs(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Columns in: a, b, w (sum of shared weights), s2 (sum of their squares), na, nb (squared norms):
    the linked pairs (the audit's `strongest_edges` with no quantile: min edge weight and min cosine)."""
    for batch in batches:
        w = np.round(batch.column("w").to_numpy(), DECIMALS)
        s2 = np.round(batch.column("s2").to_numpy(), DECIMALS)
        scale = np.sqrt(np.round(batch.column("na").to_numpy(), DECIMALS)) * np.sqrt(
            np.round(batch.column("nb").to_numpy(), DECIMALS))
        cosine = np.round(np.divide(s2, scale, out=np.zeros_like(s2), where=scale > 0), DECIMALS)
        keep = (w >= SETTINGS.min_edge_weight) & (cosine >= SETTINGS.min_similarity)
        yield pa.RecordBatch.from_arrays([batch.column("a").filter(pa.array(keep)),
                                          batch.column("b").filter(pa.array(keep))], schema=LINK_OUT)


def describe_clusters(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Columns in: campaign (label), size, held (list of structs trace, count, weight: the traces that 2+
    members hold): CLUSTER_OUT, the shared lines and templates as JSON lists and the coordination evidence (C1).
    Traces are ranked as the audit ranks them (count x weight, then the trace)."""
    for batch in batches:
        rows: dict[str, list[object]] = {name: [] for name in CLUSTER_OUT.names}
        for row in batch.to_pylist():
            held = sorted(((h["trace"], h["count"], h["weight"]) for h in row["held"] or ()),
                          key=lambda t: (-t[1] * t[2], t[0]))
            shared = [(trace, count) for trace, count, _ in held]
            lines = describe_shared(shared)
            kinds = {trace_kind(t) for t, _ in shared}
            templates = sorted({t.split(":", 1)[1] for t, _ in shared if trace_kind(t) == "template"})
            evidence = coordination_evidence(row["size"], len(kinds), "; ".join(lines))
            for name, value in zip(CLUSTER_OUT.names, (row["campaign"], json.dumps(lines, ensure_ascii=False),
                                                       json.dumps(templates), records.dump_evidence([evidence])),
                                   strict=True):
                rows[name].append(value)
        yield pa.RecordBatch.from_pydict(rows, schema=CLUSTER_OUT)


def own_corroboration(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Columns in: member_id, parts (list of evidence JSON): whether the account's own messages or profile
    corroborate its outreach (`correlate.campaigns.corroborating` over that account's evidence alone)."""
    for batch in batches:
        verdicts = []
        for texts in batch.column("parts").to_pylist():
            own = [e for text in sorted(texts or ()) for e in records.load_evidence(text)
                   if e.indicator not in records.CAMPAIGN_INDICATORS]
            verdicts.append(records.corroborates(own))
        yield pa.RecordBatch.from_arrays([batch.column("member_id"), pa.array(verdicts, type=pa.bool_())],
                                         schema=OWN_OUT)


def campaign_corroborated(size: int, corroborated_members: int) -> bool:
    """A campaign is corroborated when one of its accounts is, by that account's own messages or profile.

    Not by pooling the members' evidence: an offer from one recruiter and a request for information from
    another, both sharing a firm's template, are not "an offer tied to a request". Pooled that way, every
    larger cluster of honest bulk senders (recruiters, expert networks) found the pair somewhere among its
    accounts and lifted all of them to medium (docs/scan.md, "Corroboration")."""
    return size > 0 and corroborated_members >= 1


def assemble(table: pa.Table) -> list[ScanCampaign]:
    """Campaigns from one row per cluster: campaign (label), members (list), corroborated_members (null: 0),
    shared, templates (JSON lists), part (the C1 evidence): the verdict is `campaign_corroborated`'s."""
    found = []
    for row in table.to_pylist():
        members = tuple(sorted(row["members"]))
        evidence = records.load_evidence(row["part"])[0]
        found.append(ScanCampaign(
            id=campaign_id(row["campaign"]), members=members, shared=tuple(json.loads(row["shared"])),
            templates=tuple(json.loads(row["templates"])),
            corroborated=campaign_corroborated(len(members), row["corroborated_members"] or 0), evidence=evidence))
    found.sort(key=lambda c: c.id)
    return found
