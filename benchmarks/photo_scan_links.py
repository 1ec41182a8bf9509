"""Measure: does a campaign's shared photo link its personas in `falsefriends scan`, and does it link anyone else?

    .venv/bin/python benchmarks/photo_scan_links.py [--members 100000] [--photos 0.05] [--seeds 1,2,3] [--out DIR]

For each seed, two simulated networks identical but for the photo column (`simulate --members N --photos SHARE`
and the same seed without photos: the photos come from their own random stream) are scanned with the local
engine. The truth lists which personas re-uploaded one campaign picture (`truth.json` photos.shared_by_campaign).

Counted over persona pairs that share a photo (two personas of one campaign):
- found by the photo step: both in one photo group (each then carries `photo-reused` evidence naming the other);
- in one scan campaign with photos, and without (what the templates, employer and timing links gave already);
- personas that are not outreach candidates (the clusters only see accounts with outreach evidence);
- an ablation: pairs in one cluster when the outreach accounts keep only their employer and creation traces (no
  templates, no co-targeting), with and without the photo trace: what the photo links on its own.
False links: photo groups holding a member who is not a persona of that campaign; members who are not personas
that the photo run puts in a campaign they were not in without photos; campaigns whose shared traces name a photo
and hold anyone but the personas of one campaign.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from itertools import combinations
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from falsefriends.scan import run_scan
from falsefriends.simulate.network import write_network


def _campaigns(out: Path) -> list[dict[str, Any]]:
    return pq.read_table(out / "campaigns.parquet").to_pylist()


def _same_campaign(campaigns: list[dict[str, Any]]) -> dict[int, str]:
    return {m: c["campaign"] for c in campaigns for m in c["members"]}


def measure(members: int, photos: float, seed: int, work: Path) -> dict[str, Any]:
    with_dir, plain_dir = work / f"photos-{seed}", work / f"plain-{seed}"
    started = time.perf_counter()
    truth = write_network(members, seed, with_dir, photos=photos)
    write_network(members, seed, plain_dir)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    summary = run_scan(with_dir, work / f"scan-photos-{seed}")
    with_s = time.perf_counter() - started
    started = time.perf_counter()
    run_scan(plain_dir, work / f"scan-plain-{seed}")
    plain_s = time.perf_counter() - started
    shared = {c: sorted(v) for c, v in truth["photos"]["shared_by_campaign"].items()}
    campaign_of = {m: c for c, v in shared.items() for m in v}
    pairs = [(a, b) for v in shared.values() for a, b in combinations(v, 2)]
    with_c = _campaigns(work / f"scan-photos-{seed}")
    plain_c = _campaigns(work / f"scan-plain-{seed}")
    in_with, in_plain = _same_campaign(with_c), _same_campaign(plain_c)
    evidence = {r["member_id"]: r["evidence"] for r in pq.read_table(
        work / f"scan-photos-{seed}" / "accounts.parquet", columns=["member_id", "evidence"]).to_pylist()}
    named = _named(evidence)
    groups = _groups(named)
    group_of = {m: i for i, g in enumerate(groups) for m in g}
    found = sum(1 for a, b in pairs if a in group_of and group_of.get(a) == group_of.get(b))
    linked_with = sum(1 for a, b in pairs if a in in_with and in_with[a] == in_with.get(b))
    linked_plain = sum(1 for a, b in pairs if a in in_plain and in_plain[a] == in_plain.get(b))
    candidates = _candidates(work / f"scan-photos-{seed}")
    alone = {f"pairs_linked_by_employer_and_creation_{'with' if photo else 'without'}_photos":
             _linked_without_texts(with_dir, candidates, pairs, photo) for photo in (False, True)}
    false_groups = [g for g in groups if len({campaign_of.get(m) for m in g}) > 1 or None in
                    {campaign_of.get(m) for m in g}]
    added = sorted(m for m in in_with if m not in campaign_of and m not in in_plain)
    photo_campaigns = [c for c in with_c if any("use photo" in line for line in c["shared"])]
    impure = [c["campaign"] for c in photo_campaigns
              if len({campaign_of.get(m) for m in c["members"]}) > 1 or None in {campaign_of.get(m)
                                                                                 for m in c["members"]}]
    return {"seed": seed, "members": members, "photos_share": photos, "photos_read": summary["counts"]["photos"],
            "unreadable": summary["counts"]["photos_unreadable"], "too_plain": summary["counts"]["photos_too_plain"],
            "persona_pairs_sharing_a_photo": len(pairs), "pairs_found_by_photo_step": found,
            "pairs_in_one_campaign_with_photos": linked_with, "pairs_in_one_campaign_without_photos": linked_plain,
            "sharing_personas_not_outreach_candidates": sum(1 for m in campaign_of if m not in candidates),
            **alone,
            "photo_groups": len(groups), "photo_groups_with_others": len(false_groups),
            "photo_pairs_named": len(named),
            "false_photo_pairs": sum(1 for a, b in named if campaign_of.get(a) is None or
                                     campaign_of.get(a) != campaign_of.get(b)),
            "members_not_sharing_with_reuse_evidence": len({m for p in named for m in p if m not in campaign_of}),
            "false_pairs_touching_a_persona": sum(1 for a, b in named if (a in campaign_of or b in campaign_of)
                                                  and campaign_of.get(a) != campaign_of.get(b)),
            "members_added_to_campaigns_by_photos_not_personas": len(added),
            "campaigns_naming_a_photo": len(photo_campaigns), "campaigns_naming_a_photo_impure": len(impure),
            "seconds": {"generate": round(generated, 1), "scan_with_photos": round(with_s, 1),
                        "scan_without": round(plain_s, 1)}}


def _named(evidence: dict[int, str]) -> set[tuple[int, int]]:
    """Unordered pairs (a, b) where a's photo-reused evidence names b ('member <id>')."""
    from falsefriends.scan.records import load_evidence

    pairs = set()
    for member, text in evidence.items():
        for item in load_evidence(text):
            if item.rule == "photo-reused":
                for word in item.reason.split("'member ")[1:]:
                    other = int(word.split("'", 1)[0])
                    pairs.add((min(member, other), max(member, other)))
    return pairs


def _groups(named: set[tuple[int, int]]) -> list[set[int]]:
    """Photo groups: the pairs' connected groups."""
    parent: dict[int, int] = {}

    def root(m: int) -> int:
        parent.setdefault(m, m)
        while parent[m] != m:
            m = parent[m]
        return m

    for a, b in named:
        parent[root(a)] = root(b)
    groups: dict[int, set[int]] = {}
    for m in list(parent):
        groups.setdefault(root(m), set()).add(m)
    return [g for g in groups.values() if len(g) > 1]


def _linked_without_texts(network: Path, candidates: set[int], pairs: list[tuple[int, int]], photo: bool) -> int:
    """Persona pairs in one cluster when the outreach accounts' only traces are employer and creation time (no
    templates, no co-targeting), with or without the photo trace: what a shared photo links on its own. The
    clusters are built as the scan builds them (correlate.clusters, default CampaignSettings, traces held by at most
    200 accounts)."""
    from falsefriends.correlate.campaigns import CampaignSettings
    from falsefriends.correlate.clusters import account_traces, campaign_candidates, coordination_graph
    from falsefriends.model import Account
    from falsefriends.scan.photos import local_photos

    rows = [r for r in pq.read_table(network / "members.parquet", columns=["member_id", "employer", "created"])
            .to_pylist() if r["member_id"] in candidates]
    keys = {}
    if photo:
        found = local_photos(network, [r["member_id"] for r in rows])
        keys = found.keys if found is not None else {}
    accounts = [Account(key=str(r["member_id"]), employer=r["employer"] or "", created=r["created"],
                        photo=keys.get(r["member_id"])) for r in rows]
    settings = CampaignSettings()
    graph = coordination_graph(account_traces(accounts), settings.kind_weights, max_accounts_per_trace=200)
    clusters = campaign_candidates(graph, settings.edge_quantile, settings.min_edge_weight,
                                   min_size=settings.min_accounts, min_similarity=settings.min_similarity)
    cluster_of = {int(a): i for i, c in enumerate(clusters) for a in c.accounts}
    return sum(1 for a, b in pairs if a in cluster_of and cluster_of[a] == cluster_of.get(b))


def _candidates(out: Path) -> set[int]:
    """Accounts with outreach evidence (template at scale M9 or fan-out P7): the clusters' candidates."""
    from falsefriends.scan.records import load_evidence

    found = set()
    for row in pq.read_table(out / "accounts.parquet", columns=["member_id", "evidence"]).to_pylist():
        if any(e.indicator in ("M9", "P7") for e in load_evidence(row["evidence"])):
            found.add(row["member_id"])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--photos", type=float, default=0.05)
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--out", type=Path, default=None, help="keep the networks and scans here")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as temporary:
        work = args.out or Path(temporary)
        for seed in (int(s) for s in args.seeds.split(",")):
            result = measure(args.members, args.photos, seed, work)
            print(json.dumps(result), flush=True)
            results.append(result)
    total = {k: sum(r[k] for r in results) for k in results[0] if isinstance(results[0][k], int) and k not in
             ("seed", "members")}
    print(json.dumps({"total": total}))


if __name__ == "__main__":
    main()
