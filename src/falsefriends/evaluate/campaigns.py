"""Campaign evaluation on an organisation world: the audit with and without campaign correlation.

The world's exports and roster go through the real audit twice (in memory, no workspace): once with
the per-account detectors only, once with `correlate_campaigns`. Against truth.json this gives the
account-level figures with and without campaign evidence, and for the planted campaigns how many are
represented by a found campaign, the share of their personas inside found campaigns, and the purity
of the found campaigns (the share of their accounts that belong to the campaign they are matched to).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from falsefriends.audit.campaigns import correlate_campaigns, no_campaigns
from falsefriends.audit.data import normalise_key
from falsefriends.audit.records import AccountFinding, Findings
from falsefriends.audit.run import run_audit
from falsefriends.evaluate.world import load_truth
from falsefriends.metrics import brier, counts_at, roc_auc
from falsefriends.text import fold_plain


def _campaign_of_truth(truth: dict[str, Any]) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Hostile accounts' campaign by URL key, and for exports without URLs by (folded name, folded employer)
    and by (staff id, folded display name) of each hostile message in truth: a name-only key in an export
    without employer columns is the persona when it wrote to a staff member that persona wrote to."""
    by_url: dict[str, str] = {}
    by_name: dict[tuple[str, str], str] = {}
    for account in truth["hostile_accounts"]:
        key = normalise_key(account.get("url"))
        if key:
            by_url[key] = account["campaign"]
        by_name[(fold_plain(account.get("name", "")), fold_plain(account.get("employer", "")))] = account["campaign"]
    for message in truth.get("messages", ()):
        if message.get("campaign") and message.get("staff_id") and message.get("sender_name"):
            by_name[(message["staff_id"], fold_plain(message["sender_name"]))] = message["campaign"]
    return by_url, by_name


def _label(account: AccountFinding, by_url: dict[str, str], by_name: dict[tuple[str, str], str]) -> str | None:
    key = normalise_key(account.url or account.account)
    if key in by_url:
        return by_url[key]
    name = fold_plain(account.name)
    found = by_name.get((name, fold_plain(account.employer)))
    if found is None and not account.url:
        found = next((c for s in account.staff_approached if (c := by_name.get((s, name))) is not None), None)
    return found


def _figures(findings: Findings, thresholds: tuple[float, float], by_url: dict[str, str],
             by_name: dict[tuple[str, str], str]) -> dict[str, Any]:
    labels = [int(_label(a, by_url, by_name) is not None) for a in findings.accounts]
    scores = [a.score for a in findings.accounts]
    out: dict[str, Any] = {"n": len(labels), "positives": sum(labels), "roc_auc": roc_auc(labels, scores),
                           "brier": brier(labels, scores)}
    for name, threshold in zip(("medium", "high"), thresholds, strict=True):
        c = counts_at(labels, scores, threshold)
        out[name] = {"threshold": threshold, "precision": c.precision, "recall": c.recall, "f1": c.f1,
                     "tp": c.tp, "fp": c.fp, "fn": c.fn}
    return out


def _membership(truth: dict[str, Any], linked: Findings, accounts: dict[str, AccountFinding],
                by_url: dict[str, str], by_name: dict[tuple[str, str], str]) -> dict[str, Any]:
    """Per planted campaign: is there one found campaign holding all its personas (by URL) and nobody else's?
    And over accounts: the share of accounts in found campaigns that are personas (precision), the share of
    personas (by URL) in a found campaign (recall), and the genuine accounts in campaigns."""
    personas: dict[str, set[str]] = {}
    for account in truth["hostile_accounts"]:
        key = normalise_key(account.get("url"))
        if key:
            personas.setdefault(account["campaign"], set()).add(key)
    members = [set(c["accounts"]) for c in linked.campaigns]
    complete = own = 0
    single = single_found = 0
    for campaign, keys in personas.items():
        holding = [m for m in members if keys <= m]
        complete += bool(holding)
        own += any(all(_label(accounts[k], by_url, by_name) in (campaign, None) for k in m if k in accounts)
                   for m in holding)
        if len(keys) == 1:
            single += 1
            single_found += bool(holding)
    in_campaigns = [accounts[k] for m in members for k in m if k in accounts]
    hostile_in = [a for a in in_campaigns if _label(a, by_url, by_name) is not None]
    all_personas = set().union(*personas.values()) if personas else set()
    recalled = {k for k in all_personas if any(k in m for m in members)}
    persona_members = [accounts[k] for k in recalled if k in accounts]
    return {
        # Personas (by URL) in found campaigns that are medium or high: membership raises a bland persona.
        "personas_in_campaigns_at_medium_or_high": sum(a.level.value != "low" for a in persona_members),
        "personas_in_campaigns": len(persona_members),
        "campaigns_complete": complete,
        "campaigns_complete_own": own,
        "single_persona_campaigns": {"planted": single, "found": single_found},
        "campaign_accounts": {
            "accounts": len(in_campaigns), "personas": len(hostile_in),
            "precision": len(hostile_in) / len(in_campaigns) if in_campaigns else None,
            "recall": len(recalled) / len(all_personas) if all_personas else None,
            "genuine_in_campaigns": sorted(a.account for a in in_campaigns if a not in hostile_in),
        },
    }


def evaluate_sizes(root: Path, sizes: Sequence[int], seeds: Sequence[int], *, multilingual: bool = True,
                   progress: Callable[[str], None] | None = None) -> list[dict[str, Any]]:
    """Simulate an organisation of each size and seed under `root` (multilingual campaigns by default),
    evaluate each (`evaluate_campaigns`) and return one row of figures per world."""
    from falsefriends.simulate.organisation import build_organisation
    from falsefriends.simulate.organisation_writer import write_organisation

    rows: list[dict[str, Any]] = []
    for size in sizes:
        for seed in seeds:
            directory = root / f"org-{size}-seed-{seed}{'-ml' if multilingual else ''}"
            if progress is not None:
                progress(f"{size} staff, seed {seed}: simulating and auditing")
            if not (directory / "truth.json").exists():
                write_organisation(build_organisation(size, seed, multilingual=multilingual), directory)
            figures = evaluate_campaigns(directory)
            rows.append({"staff": size, "seed": seed, "multilingual": multilingual, "directory": str(directory),
                         **figures})
    return rows


def evaluate_campaigns(directory: Path) -> dict[str, Any]:
    """Figures of campaign correlation on the organisation world in `directory` (see the module docstring)."""
    truth = load_truth(directory)
    if truth.get("world", {}).get("kind", "organisation") != "organisation" and "hostile_accounts" not in truth:
        raise ValueError("campaign evaluation needs an organisation world (simulate --staff N)")
    exports = sorted((directory / "exports").glob("*.zip"))
    roster = directory / "roster.csv"
    by_url, by_name = _campaign_of_truth(truth)
    with tempfile.TemporaryDirectory() as tmp:
        plain = run_audit(exports, roster, Path(tmp) / "plain", campaigns=no_campaigns).findings
        linked = run_audit(exports, roster, Path(tmp) / "linked", campaigns=correlate_campaigns).findings
    from falsefriends.detect.fusion import default_fusion

    fusion = default_fusion()
    thresholds = (fusion.thresholds.medium, fusion.thresholds.high)
    accounts = {a.account: a for a in linked.accounts}
    planted = Counter(a["campaign"] for a in truth["hostile_accounts"])
    represented: set[str] = set()
    personas_in_campaigns: Counter[str] = Counter()
    found: list[dict[str, Any]] = []
    for campaign in linked.campaigns:
        members = [accounts[k] for k in campaign["accounts"] if k in accounts]
        labels = Counter(_label(m, by_url, by_name) or "-" for m in members)
        hostile = {k: v for k, v in labels.items() if k != "-"}
        if hostile:
            top, top_count = max(hostile.items(), key=lambda kv: kv[1])
            represented.add(top)
            personas_in_campaigns.update(hostile)
            purity = top_count / len(members)
        else:
            top, purity = None, None
        found.append({"id": campaign["id"], "accounts": len(members), "matches": top, "purity": purity,
                      "level": campaign.get("level"), "planted_members": dict(hostile)})
    with_personas = [f for f in found if f["matches"] is not None]
    return {
        **_membership(truth, linked, accounts, by_url, by_name),
        "world": truth.get("world", {}),
        "planted": {"campaigns": len(planted), "personas": sum(planted.values())},
        "found": {"campaigns": len(found), "with_personas": len(with_personas),
                  "without_personas": len(found) - len(with_personas),
                  "without_personas_at_high": sum(1 for f in found if f["matches"] is None and f["level"] == "high")},
        "campaigns_represented": len(represented),
        "personas_in_found_campaigns": sum(min(personas_in_campaigns[c], n) for c, n in planted.items()),
        "mean_purity": (sum(f["purity"] for f in with_personas) / len(with_personas)) if with_personas else None,
        "accounts_without_campaigns": _figures(plain, thresholds, by_url, by_name),
        "accounts_with_campaigns": _figures(linked, thresholds, by_url, by_name),
        "campaigns": found,
    }
