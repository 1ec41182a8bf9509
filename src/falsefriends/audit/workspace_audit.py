"""The organisation audit on a workspace: the one routine `falsefriends audit` and the service's upload both call.

Every door keeps the exports in the workspace database, reads the whole workspace back (this run's exports and
earlier ones, with the identity links that join a name-only contact to its profile URL), scores it with the
workspace's watchlist (the bundled list plus the analysts' entries) and correlates campaigns unless told not
to. So the same files give the same findings whichever door they came through.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from falsefriends.audit.campaigns import correlate_campaigns, no_campaigns, with_workspace_photos
from falsefriends.audit.data import AuditData, ExportLike, StaffIndex
from falsefriends.audit.run import AuditEvents, AuditFailed, AuditResult, ExportReader, run_audit
from falsefriends.model import IngestReport, StaffMember

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from falsefriends.check import Checker, EvidenceProvider


class Workspace:
    """The workspace database as the audit's keeper: one transaction per export, rejected archives listed,
    everything read back for the findings."""

    def __init__(self, url: str | None = None, *, engine: Engine | None = None) -> None:
        from falsefriends.store.db import DEFAULT_URL, make_engine, upgrade

        self.url = url or DEFAULT_URL
        self._index: StaffIndex | None = None
        if engine is not None:
            self.engine = engine
            return
        try:
            self.engine = make_engine(self.url)
            upgrade(self.engine)
        except Exception as exc:  # any driver or migration failure: the workspace cannot be used
            raise AuditFailed(f"cannot open the workspace database {self.url}: {exc}") from exc

    def keep(self, export: ExportLike, staff: Sequence[StaffMember]) -> None:
        from falsefriends.store.db import write_scope
        from falsefriends.store.workspace import ingest_export

        if self._index is None or self._index.staff != tuple(staff):
            self._index = StaffIndex(staff)
        # under the workspace's writer lock: audits run at once on one workspace take turns per export
        with write_scope(self.engine) as session:
            ingest_export(session, export, self._index.match(export))

    def load(self, staff: Sequence[StaffMember], extra: Sequence[IngestReport]) -> AuditData:
        from falsefriends.audit.from_store import load_audit_data
        from falsefriends.store.db import write_scope

        # under the lock too: no export is read back half-written, on any backend's isolation level
        with write_scope(self.engine) as session:
            return load_audit_data(session, staff, extra)

    def rejected(self, path: Path, error: str) -> None:
        from falsefriends.store.db import write_scope
        from falsefriends.store.workspace import record_rejected

        with write_scope(self.engine) as session:
            record_rejected(session, path, error)


class WorkspaceMissing(ValueError):
    """No workspace database where one was named."""


def open_workspace(db: str) -> Engine:
    """The engine of an existing workspace (a database URL or an SQLite path), migrated to the latest schema;
    WorkspaceMissing when an SQLite file is not there (a typo must not create an empty workspace)."""
    from falsefriends.store.db import make_engine, normalise_url, upgrade

    url = normalise_url(db)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        path = Path(url[len("sqlite:///"):])
        if not path.is_file():
            raise WorkspaceMissing(f"no workspace at {path}: give the --db of `falsefriends audit` or `serve`")
    try:
        engine = make_engine(url)
        upgrade(engine)
    except Exception as exc:  # any driver or migration failure: the workspace cannot be used
        raise WorkspaceMissing(f"cannot open the workspace database {db}: {exc}") from exc
    return engine


def latest_templates(engine: Engine) -> EvidenceProvider | None:
    """The campaign templates of the workspace's latest finished audit (the service's runs, CLI audits included),
    as an evidence provider; None when no audit has found a campaign."""
    from sqlalchemy import JSON, Integer, String, column, inspect, select, table

    from falsefriends.correlate.known import KnownTemplates, templates_document

    if not inspect(engine).has_table("service_audit_runs"):
        return None
    runs = table("service_audit_runs", column("id", Integer), column("state", String), column("findings", JSON))
    with engine.connect() as connection:
        findings = connection.execute(select(runs.c.findings).where(runs.c.state == "done")
                                      .order_by(runs.c.id.desc()).limit(1)).scalar()
    if not isinstance(findings, dict):
        return None
    entries = templates_document(findings.get("campaigns") or ())["templates"]
    return KnownTemplates(entries) if entries else None


def workspace_checker(engine: Engine, base: Checker | None = None, templates: bool = False) -> Checker:
    """A checker with the workspace's watchlist (the bundled list plus the entries analysts added or a case
    confirmed), on `base`'s rules, fusion and semantic detector when given; with `templates`, the latest
    audit's campaign templates too (`falsefriends check --db`)."""
    from falsefriends.check import Checker
    from falsefriends.watchlist.provider import WatchlistProvider
    from falsefriends.watchlist.repository import load_watchlist

    providers: list[EvidenceProvider] = []
    if base is None:
        providers.append(WatchlistProvider(load_watchlist(engine)))
    else:
        providers.append(WatchlistProvider(load_watchlist(engine), rules=base.rules))
    known = latest_templates(engine) if templates else None
    if known is not None:
        providers.append(known)
    if base is None:
        return Checker(providers=providers)
    return Checker(rules=base.rules, fusion=base.fusion, providers=providers,
                   semantic=base.semantic if base.semantic is not None else False)


def audit_workspace(
    export_paths: Sequence[Path],
    roster_path: Path,
    out_dir: Path,
    workspace: Workspace,
    *,
    events: AuditEvents | None = None,
    checker: Checker | None = None,
    pseudonym_key: bytes | None = None,
    campaigns: bool = True,
    reader: ExportReader | None = None,
    language: str = "en",
    pdf: bool = False,
) -> AuditResult:
    """Audit the exports into `workspace` and write the reports to `out_dir` (see `run_audit`).

    `checker` defaults to the workspace's (`workspace_checker`); campaign correlation is on by default.
    """
    return run_audit(export_paths, roster_path, out_dir, events=events,
                     checker=checker if checker is not None else workspace_checker(workspace.engine),
                     pseudonym_key=pseudonym_key, reader=reader, keep=workspace,
                     campaigns=with_workspace_photos(correlate_campaigns, workspace.engine) if campaigns
                     else no_campaigns, language=language, pdf=pdf)
