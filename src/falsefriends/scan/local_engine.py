"""The local engine: one machine, pyarrow for the tables, numpy and scipy for the graph steps.

pyarrow is already a dependency (the simulator writes Parquet with it) and its record batches are what
Spark's `mapInArrow` hands to Python, so the per-record functions (`scan.records`, `scan.lsh`) run
unchanged on both engines; group-bys and joins are pyarrow's (C++, multi-threaded), graph steps are the
correlate package's numpy/scipy code. No second query engine is added (docs/scan.md says why).
"""

from __future__ import annotations

import resource
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from falsefriends.correlate.minhash import estimated_jaccard
from falsefriends.correlate.trust import adjacency, sybilrank
from falsefriends.scan import lsh, records, signals
from falsefriends.scan.campaigns import membership
from falsefriends.scan.clusters_local import find_campaigns
from falsefriends.scan.local_input import Tables, read_tables
from falsefriends.scan.parts import template_excerpt, template_name
from falsefriends.scan.photos import local_photos
from falsefriends.scan.result import Progress, ScanResult, no_progress
from falsefriends.scan.seeds import DEFAULT_RULE, default_seed_mask, newest_day

BATCH = 2_000
TRUST_DECIMALS = 9


def items_table(tables: Tables) -> pa.Table:
    """Messages and invitation notes with text as one table: item, sender, recipient, sent_at (ms), subject, body.

    item = message_id*2+1 or invitation_id*2 (`records.item_name` turns it back into m<id> / i<id>).
    """
    m = tables.messages
    msgs = pa.table({
        "item": pc.add(pc.multiply(m.column("message_id"), 2), 1), "sender": m.column("sender_id"),
        "recipient": m.column("recipient_id"), "sent_at": pc.cast(m.column("sent_at"), pa.int64()),
        "subject": pc.fill_null(m.column("subject"), ""), "body": pc.fill_null(m.column("body"), "")})
    i = tables.invitations
    invs = pa.table({
        "item": pc.multiply(i.column("invitation_id"), 2), "sender": i.column("inviter_id"),
        "recipient": i.column("invitee_id"), "sent_at": pc.cast(i.column("sent_at"), pa.int64()),
        "subject": pa.array([""] * i.num_rows, type=pa.string()),
        "body": pc.fill_null(i.column("message"), "")})
    both = pa.concat_tables([msgs, invs])
    has_text = pc.or_(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(both.column("body"))), 0),
                      pc.greater(pc.utf8_length(both.column("subject")), 0))
    return both.filter(has_text)


def trust_edges(tables: Tables) -> tuple[np.ndarray, np.ndarray]:
    """Connections plus accepted invitations (an accepted invitation is a connection), as member-id pairs."""
    c = tables.connections
    i = tables.invitations
    accepted = i.filter(pc.equal(pc.fill_null(i.column("status"), ""), "accepted"))
    left = np.concatenate([c.column("member_a").to_numpy(), accepted.column("inviter_id").to_numpy()])
    right = np.concatenate([c.column("member_b").to_numpy(), accepted.column("invitee_id").to_numpy()])
    return left, right


def low_trust(member_ids: np.ndarray, created_days: np.ndarray, left: np.ndarray, right: np.ndarray,
              seeds: np.ndarray | None) -> tuple[dict[int, float], int, str]:
    """SybilRank (correlate.trust) from the seeds; members in the lowest LOW_TRUST_FRACTION, with their trust."""
    order = np.argsort(member_ids)
    ids = member_ids[order]
    index_l, index_r = np.searchsorted(ids, left), np.searchsorted(ids, right)
    graph = adjacency(index_l, index_r, len(ids)).astype(np.float64)
    if seeds is None:
        seed_mask = default_seed_mask(ids, created_days[order], newest_day(created_days))
        rule = DEFAULT_RULE
    else:
        seed_mask = np.isin(ids, seeds)
        rule = "the member ids of the seed file"
    seed_index = np.flatnonzero(seed_mask)
    if len(seed_index) == 0:
        return {}, 0, rule + " (none found: trust not used)"
    trust = np.round(sybilrank(graph, seed_index) * len(ids), TRUST_DECIMALS)
    candidates = trust[~seed_mask]
    if len(candidates) == 0:
        return {}, len(seed_index), rule
    k = int(signals.LOW_TRUST_FRACTION * (len(candidates) - 1))
    cut = float(np.partition(candidates, k)[k])
    low = np.flatnonzero(~seed_mask & (trust <= cut))
    return {int(ids[i]): float(trust[i]) for i in low}, len(seed_index), rule


def star_pairs(reps: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every band, each text linked to the smallest text sharing its key (reps sorted ascending)."""
    lefts, rights = [], []
    for band in range(keys.shape[1]):
        order = np.lexsort((reps, keys[:, band]))
        k = keys[order, band]
        start = np.concatenate(([True], k[1:] != k[:-1]))
        head = order[np.maximum.accumulate(np.where(start, np.arange(len(k)), 0))]
        link = head != order
        lefts.append(order[link])
        rights.append(head[link])
    left = np.concatenate(lefts) if lefts else np.zeros(0, dtype=np.int64)
    right = np.concatenate(rights) if rights else np.zeros(0, dtype=np.int64)
    pairs = np.unique(np.stack([left, right], axis=1), axis=0) if len(left) else np.zeros((0, 2), dtype=np.int64)
    return pairs[:, 0], pairs[:, 1]


def template_components(texts: pa.Table, progress: Progress) -> tuple[dict[int, int], dict[int, str]]:
    """rep -> template (the smallest rep of its component), and each template's normalised text."""
    banded = pa.Table.from_batches(list(lsh.band_keys(_batches(texts, "templates: hashing", progress))),
                                   schema=lsh.BANDS_OUT)
    if banded.num_rows == 0:
        return {}, {}
    reps = banded.column("rep").to_numpy()
    order = np.argsort(reps)
    reps = reps[order]
    keys = np.asarray(banded.column("keys").combine_chunks().flatten().to_numpy()).reshape(
        banded.num_rows, -1)[order]
    blob = b"".join(banded.column("signature").to_pylist())
    signatures = np.frombuffer(blob, dtype=np.uint32).reshape(banded.num_rows, -1)[order]
    del blob
    left, right = star_pairs(reps, keys)
    # Chunked, from the signature matrix (correlate.minhash): the same share of equal values as lsh.similarity.
    keep = estimated_jaccard(signatures, left, right) >= lsh.THRESHOLD
    n = len(reps)
    graph = coo_matrix((np.ones(int(keep.sum()), dtype=np.int8), (left[keep], right[keep])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    smallest = np.full(label.max() + 1, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, label, reps)
    component = smallest[label]
    template_of = dict(zip(reps.tolist(), component.tolist(), strict=True))
    heads = set(component.tolist())
    text_of: dict[int, str] = {}
    for rep, subject, body in zip(texts.column("rep").to_pylist(), texts.column("subject").to_pylist(),
                                  texts.column("body").to_pylist(), strict=True):
        if rep in heads:
            text_of[rep] = template_excerpt(subject, body)
    return template_of, text_of


def _batches(table: pa.Table, step: str, progress: Progress) -> Any:
    done = 0
    progress(step, 0, table.num_rows)
    for batch in table.to_batches(max_chunksize=BATCH):
        yield batch
        done += batch.num_rows
        progress(step, done, table.num_rows)


def scan_local(directory: Path, *, semantic: bool = False, seeds: np.ndarray | None = None,
               progress: Progress = no_progress) -> ScanResult:
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        # Peak resident memory so far (Linux reports KiB), to see which step sets the peak.
        timings[f"peak_mib_after_{name}"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        clock = now

    progress("reading tables", 0, 0)
    tables = read_tables(directory)
    items = items_table(tables)
    lap("read")
    # Distinct texts: each scored once, quoted by its first item.
    texts = items.group_by(["subject", "body"], use_threads=False).aggregate([("item", "min")]).rename_columns(
        ["subject", "body", "rep"])
    items = items.join(texts, keys=["subject", "body"], join_type="inner", use_threads=False).select(
        ["item", "sender", "recipient", "sent_at", "rep"])
    # The texts now live once, in `texts`: the raw text columns are dropped (the largest part of the tables).
    tables.messages = tables.messages.select(["message_id"])
    tables.invitations = tables.invitations.select(["invitation_id", "inviter_id", "invitee_id", "status"])
    text_ev = pa.Table.from_batches(list(records.score_texts(_batches(texts, "checking texts", progress), semantic)),
                                    schema=records.TEXT_OUT)
    lap("texts")
    senders = pc.unique(items.column("sender"))
    members = tables.members
    sender_rows = members.filter(pc.is_in(members.column("member_id"), value_set=senders))
    profile_ev = pa.Table.from_batches(list(records.score_profiles(
        _batches(sender_rows, "checking profiles", progress))), schema=records.PROFILE_OUT)
    lap("profiles")
    template_of, template_text = template_components(texts.select(["rep", "subject", "body"]), progress)
    lap("templates")

    parts: dict[int, list[str]] = defaultdict(list)
    for member_id, text in zip(profile_ev.column("member_id").to_pylist(), profile_ev.column("evidence").to_pylist(),
                               strict=True):
        parts[member_id].append(text)
    # Each sender's distinct texts with evidence, quoting the sender's own first item with that text.
    pairs = items.group_by(["sender", "rep"], use_threads=False).aggregate([("item", "min")]).rename_columns(
        ["sender", "rep", "item"])
    scored = pairs.join(text_ev, keys="rep", join_type="inner", use_threads=False)
    for batch in records.restamp(scored.select(["sender", "item", "evidence"]).to_batches()):
        for member_id, text in zip(batch.column("member_id").to_pylist(), batch.column("part").to_pylist(),
                                   strict=True):
            parts[member_id].append(text)
    progress("templates, fan-out, trust", 0, 0)
    # Templates reused at scale (M9): the same aggregations as the Spark engine's.
    item_ids = items.column("item").to_numpy()
    reps = items.column("rep").to_numpy()
    sender = items.column("sender").to_numpy()
    recipient = items.column("recipient").to_numpy()
    template = np.fromiter((template_of.get(r, -1) for r in reps.tolist()), dtype=np.int64, count=len(reps))
    templated = pa.table({"template": template, "sender": sender, "recipient": recipient, "item": item_ids}).filter(
        pa.array(template >= 0))
    per_sender = templated.group_by(["template", "sender"], use_threads=False).aggregate(
        [("recipient", "count_distinct"), ("item", "min")]).rename_columns(["template", "sender", "reach", "item"])
    reached = templated.group_by("template", use_threads=False).aggregate([("recipient", "count_distinct")])
    sums = per_sender.group_by("template", use_threads=False).aggregate([("sender", "count"), ("reach", "sum")])
    stats = reached.join(sums, "template", use_threads=False).rename_columns(
        ["template", "reached", "senders", "reach_sum"])
    qualifying = {row["template"]: row for row in stats.to_pylist()
                  if signals.template_qualifies(row["reached"], row["senders"], row["reach_sum"])}
    outreach_templates = set(qualifying)
    outreach_senders: set[int] = set()
    for row in per_sender.filter(pc.is_in(per_sender.column("template"), value_set=pa.array(
            sorted(qualifying), type=pa.int64()))).to_pylist():
        t, s_id = row["template"], row["sender"]
        item = signals.template_evidence(template_name(t), qualifying[t]["reached"], qualifying[t]["senders"],
                                         template_text[t], records.item_name(row["item"]))
        parts[s_id].append(records.dump_evidence([item]))
        outreach_senders.add(s_id)
    # Fan-out across industries (P7).
    industry = members.select(["member_id", "industry"]).rename_columns(["recipient", "industry"])
    industry = industry.set_column(1, "industry", pc.if_else(pc.equal(pc.fill_null(industry.column("industry"), ""),
                                                                      ""), None, industry.column("industry")))
    fan = items.select(["sender", "recipient", "sent_at"]).join(industry, "recipient", join_type="left outer",
                                                                 use_threads=False)
    fan = fan.group_by("sender", use_threads=False).aggregate([
        ("recipient", "count_distinct"), ("industry", "count_distinct"), ("sent_at", "min"), ("sent_at", "max")])
    for row in fan.to_pylist():
        lo, hi = row["sent_at_min"], row["sent_at_max"]
        span = 0.0 if lo is None or hi is None else (hi - lo) / 86_400_000
        found = signals.fan_out_evidence(row["recipient_count_distinct"], row["industry_count_distinct"], span)
        if found is not None:
            parts[row["sender"]].append(records.dump_evidence([found]))
            outreach_senders.add(row["sender"])
    lap("outreach")
    # Trust (C2) for the accounts that wrote to someone.
    created = members.column("created")
    created_days = pc.cast(pc.cast(created, pa.int32()), pa.float64()).to_numpy(zero_copy_only=False)
    left, right = trust_edges(tables)
    low, seed_count, seed_rule = low_trust(members.column("member_id").to_numpy(), created_days, left, right, seeds)
    for s in pc.unique(items.column("sender")).to_pylist():
        if s in low:
            parts[s].append(records.dump_evidence([signals.low_trust_evidence(low[s], seed_count)]))
    lap("trust")
    # Profile photos (optional column): reuse as P3 evidence, fingerprints for the clusters (scan.photos).
    photos = local_photos(directory, members.column("member_id").to_pylist(), progress)
    if photos is not None:
        for member_id, part in photos.parts.items():
            parts[member_id].append(part)
        tables.quarantine.append(photos.quarantine)
        lap("photos")
    # Coordinated clusters among the outreach accounts (scan.coordination's steps; scan.clusters_local).
    progress("coordinated clusters", 0, len(outreach_senders))
    outreach_ids = pa.array(sorted(outreach_senders), type=pa.int64())
    cand_rows = members.filter(pc.is_in(members.column("member_id"), value_set=outreach_ids)).select(
        ["member_id", "employer", "created"])
    mask = np.isin(sender, outreach_ids.to_numpy())
    names = {t: template_name(t) for t in outreach_templates}
    outreach = pa.table({
        "sender": sender[mask], "recipient": recipient[mask],
        "sent_at": pc.cast(items.column("sent_at"), pa.int64()).filter(pa.array(mask)),
        "template": pa.array([names.get(t) for t in template[mask].tolist()], type=pa.string())})
    sizes: dict[str, float] = {}
    campaigns = find_campaigns(cand_rows, outreach, {m: parts[m] for m in outreach_senders},
                               photos.keys if photos else None, sizes)
    timings.update(sizes)  # volumes of the cluster step, beside its time (not compared between engines)
    member_campaign = membership(campaigns)
    for member_id, campaign in member_campaign.items():
        parts[member_id].append(records.dump_evidence([campaign.evidence]))
    lap("campaigns")
    ids = sorted(parts)
    verdicts = [member_campaign[m].corroborated if m in member_campaign else None for m in ids]
    table = pa.table({"member_id": pa.array(ids, type=pa.int64()),
                      "parts": pa.array([parts[m] for m in ids], type=pa.list_(pa.string())),
                      "corroborated": pa.array(verdicts, type=pa.bool_())})
    fused = pa.Table.from_batches(list(records.fuse_accounts(_batches(table, "scoring accounts", progress))),
                                  schema=records.FUSED_OUT)
    urls = members.select(["member_id", "profile_url"])
    fused = fused.join(urls, keys="member_id", join_type="left outer", use_threads=False)
    fused = fused.append_column("campaign", pa.array(
        [member_campaign[m].id if m in member_campaign else None for m in fused.column("member_id").to_pylist()],
        type=pa.string()))
    lap("fusion")
    counts = {"rows_read": tables.rows_read, "quarantined": tables.quarantined().num_rows,
              "items_with_text": items.num_rows, "distinct_texts": texts.num_rows,
              "texts_with_evidence": text_ev.num_rows, "senders": len(senders),
              "profiles_checked": sender_rows.num_rows,
              "outreach_templates": len(outreach_templates), "outreach_accounts": len(outreach_senders),
              "seeds": seed_count, "low_trust_members": len(low), "campaigns": len(campaigns),
              "accounts_with_evidence": fused.num_rows, **(photos.counts if photos else {})}
    return ScanResult(accounts=fused, campaigns=campaigns, quarantine=tables.quarantined(), counts=counts,
                      seeds=seed_rule, timings=timings)
