"""`falsefriends check`: is this request or message a hostile approach?"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import typer

from falsefriends.advice import Stage

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from falsefriends.check import Checker, EvidenceProvider
    from falsefriends.detect.fusion import FusionModel
    from falsefriends.model import Account

# The library (rules, watchlist, encoder, rich) is imported inside the command, so that `--help` and the
# other commands do not pay for it (benchmarks/startup.py).

EXIT_SOME_LINES_FAILED = 1
EXIT_USAGE = 2


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def _read_bounded(path: Path, limit: int) -> bytes | None:
    """At most `limit` bytes of a file; None when it holds more (never read whole)."""
    with path.open("rb") as stream:
        data = stream.read(limit + 1)
    return None if len(data) > limit else data


def _read_profile(path: Path) -> Account:
    from falsefriends.batch import BOM, MAX_LINE_BYTES, LineError, load_json
    from falsefriends.check import ProfileError, profile_from_json

    # The same decoding, JSON limits (depth, surrogates, huge integers) and size limit as a batch line.
    try:
        raw = _read_bounded(path, MAX_LINE_BYTES)
    except OSError as exc:
        raise _fail(f"cannot read profile {path}: {exc.strerror or exc}") from None
    if raw is None:
        raise _fail(f"cannot read profile {path}: more than the limit of {MAX_LINE_BYTES:,} bytes")
    try:
        data = load_json(raw.removeprefix(BOM))
    except LineError as exc:
        raise _fail(f"cannot read profile {path}: {exc}") from None
    try:
        return profile_from_json(data)
    except ProfileError as exc:
        raise _fail(f"invalid profile {path}: {exc}") from None


def _read_text(text: str | None, file: Path | None) -> str:
    from falsefriends.batch import MAX_TEXT_CHARS

    if text is not None and file is not None:
        raise _fail("give the text either as an argument or with --file, not both")
    limit = MAX_TEXT_CHARS * 4 + 3  # UTF-8 takes at most 4 bytes a character, plus a BOM
    if file is not None:
        try:
            raw = _read_bounded(file, limit)
        except OSError as exc:
            raise _fail(f"cannot read {file}: {exc.strerror or exc}") from None
    elif text == "-":
        raw = sys.stdin.buffer.read(limit + 1)
        raw = None if len(raw) > limit else raw
    else:
        # An argument with bytes that are not UTF-8 reaches Python as lone surrogates (surrogateescape).
        try:
            (text or "").encode("utf-8")
        except UnicodeEncodeError as exc:
            raise _fail(f"the text is not valid UTF-8 (character {exc.start})") from None
        raw = None if text is None else text.encode("utf-8")
        if raw is None:
            return ""
    if raw is None:
        raise _fail(f"the text is more than the limit of {MAX_TEXT_CHARS:,} characters")
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(f"the text is not valid UTF-8 (byte {exc.start})") from None
    if len(decoded) > MAX_TEXT_CHARS:
        raise _fail(f"the text is {len(decoded):,} characters, more than the limit of {MAX_TEXT_CHARS:,}")
    return decoded


def _run_jsonl(source: Path, checker: Checker) -> None:
    from falsefriends.batch import BatchResult, read_lines, run_batch_lines

    result = BatchResult()
    stream: BinaryIO
    if str(source) == "-":
        stream = sys.stdin.buffer
    else:
        try:
            stream = source.open("rb")
        except OSError as exc:
            raise _fail(f"cannot read {source}: {exc.strerror or exc}") from None
    # The contract's output is UTF-8 whatever the terminal's encoding: bytes to the binary stdout.
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None)
    try:
        with stream:
            for line in run_batch_lines(read_lines(stream), checker, result):
                if out is not None:
                    out.write(line)
                else:
                    sys.stdout.write(line.decode("utf-8"))
        (out or sys.stdout).flush()
    except BrokenPipeError:
        # the reader went away (`| head`): stop quietly, nothing more can be written
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the interpreter's own exit flush then succeeds
        raise typer.Exit(EXIT_USAGE) from None
    except OSError as exc:
        raise _fail(f"cannot read {source} after line {result.lines}: {exc.strerror or exc}") from None
    for error in result.errors:
        typer.echo(f"{source}:{error}", err=True)
    if result.failed:
        typer.echo(f"{result.failed} of {result.lines} lines failed", err=True)
        raise typer.Exit(EXIT_SOME_LINES_FAILED)


def _photo_checker(checker: Checker, account: Account | None, photo: Path | None,
                   profile: Path | None, known: Path | None = None, seen: Engine | None = None
                   ) -> tuple[Checker, Account | None]:
    """The checker with the photo check and the profile carrying the photo's fingerprint, when there is a photo:
    --photo FILE, or a profile whose `photo` is a file path (relative to the profile's own folder) or a hash. A URL
    is never fetched. `known` (--known-photos) is a CSV of other accounts' photos to compare with; `seen` a
    workspace whose photos checked before (on other accounts) are compared too (photo.seen)."""
    from falsefriends.photo.hashes import is_photo_hash

    given = (account.photo or "").strip() if account is not None else ""
    if photo is None and given and not is_photo_hash(given):
        if "://" in given:
            typer.echo(f"note: the profile's photo is a web address; it is not downloaded (save it and give "
                       f"--photo FILE): {given[:120]}", err=True)
        else:
            photo = Path(given) if profile is None or Path(given).is_absolute() else profile.parent / given
    if photo is None and not ((known is not None or seen is not None) and given and is_photo_hash(given)):
        if known is not None:
            typer.echo("note: --known-photos needs the sender's photo (--photo FILE, or a photo in the profile)",
                       err=True)
        return checker, account
    from falsefriends.check import Checker as CheckerClass
    from falsefriends.model import Account as AccountClass
    from falsefriends.photo.decode import PhotoError, read_photo_file
    from falsefriends.photo.evidence import (
        KnownPhotosError,
        PhotoProvider,
        analyse_photo,
        load_known_photos,
        with_photo,
    )

    index = None
    if known is not None:
        try:
            index, unreadable = load_known_photos(known)
        except KnownPhotosError as exc:
            raise _fail(str(exc)) from None
        if unreadable:
            first = "; ".join(f"{who}: {why}" for who, why in list(unreadable.items())[:3])
            typer.echo(f"note: {len(unreadable)} photos of {known} could not be read and were left out ({first})",
                       err=True)
    labels: dict[str, str] = {}
    if seen is not None:
        from falsefriends.photo.hashes import parse_fingerprint
        from falsefriends.photo.index import PhotoIndex
        from falsefriends.photo.seen import account_name, load_sightings, sightings_index

        this = account_name(account)  # its own earlier checks are not "another account"
        earlier = [s for s in load_sightings(seen) if not this or s.account != this]
        labels = sightings_index(earlier)[1]
        index = index if index is not None else PhotoIndex()
        for sighting in earlier:
            index.add(sighting.owner, parse_fingerprint(sighting.fingerprint))
    provider = PhotoProvider(index=index, labels=labels)
    if photo is not None:
        try:
            report = analyse_photo(read_photo_file(photo))
        except PhotoError as exc:
            raise _fail(f"cannot use photo {photo}: {exc}") from None
        # a picture too plain to hash is still reported (keyed by its file name)
        provider.reports[report.key or str(photo)] = report
        account = with_photo(account, report) if report.key else (account or AccountClass()).model_copy(
            update={"photo": str(photo)})
    return CheckerClass(rules=checker.rules, fusion=checker.fusion, providers=(*checker.providers, provider),
                        semantic=checker.semantic if checker.semantic is not None else False), account


def load_fusion_option(path: Path | None) -> FusionModel | None:
    """The fusion model named on the command line, or None for the bundled one; exit 2 if unreadable."""
    if path is None:
        return None
    import yaml
    from pydantic import ValidationError

    from falsefriends.detect.fusion import load_fusion

    try:
        return load_fusion(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValidationError) as exc:
        raise _fail(f"cannot load fusion model {path}: {exc}") from None


def _templates(path: Path) -> EvidenceProvider:
    from falsefriends.correlate.known import KnownTemplates, TemplatesFileError

    try:
        return KnownTemplates.load(path)
    except TemplatesFileError as exc:
        raise _fail(str(exc)) from None


def _workspace_checker(db: str, base: Checker) -> Checker:
    """`base` with the workspace's watchlist (bundled, analysts' entries, accounts confirmed by a case) and the
    templates of its latest audit's campaigns; exit 2 when there is no workspace there."""
    from falsefriends.audit.workspace_audit import WorkspaceMissing, open_workspace, workspace_checker

    try:
        engine = open_workspace(db)
        return workspace_checker(engine, base, templates=True)
    except WorkspaceMissing as exc:
        raise _fail(str(exc)) from None


def _photo_workspace(db: str) -> Engine:
    from falsefriends.audit.workspace_audit import WorkspaceMissing, open_workspace

    try:
        return open_workspace(db)
    except WorkspaceMissing as exc:
        raise _fail(str(exc)) from None


class Lang(StrEnum):
    en = "en"
    fr = "fr"
    de = "de"


def register(app: typer.Typer) -> None:
    """Add the check command to the main application."""

    @app.command("check")
    def check(
        text: str | None = typer.Argument(None, help="the message text; '-' reads it from standard input"),
        file: Path | None = typer.Option(None, "--file", "-f", help="read the message text from a file"),
        profile: Path | None = typer.Option(None, "--profile", "-p", help="the sender's profile as JSON"),
        photo: Path | None = typer.Option(
            None, "--photo", metavar="FILE",
            help="the sender's profile photo (JPEG, PNG, WebP...): is it reused, or a GAN-aligned face?"),
        known_photos: Path | None = typer.Option(
            None, "--known-photos", metavar="FILE",
            help="a CSV (account,photo: a photo hash or a file path) of other accounts' photos: say when the "
                 "sender's photo is also theirs"),
        jsonl: Path | None = typer.Option(
            None, "--jsonl", help="batch mode: check every line of a JSON Lines file ('-' for stdin)"
        ),
        as_json: bool = typer.Option(False, "--json", help="print the verdict as one JSON object"),
        fusion: Path | None = typer.Option(
            None, "--fusion", help="a fusion model file (default: the learnt one with the semantic detector, "
                                   "else the expert priors)"),
        semantic: bool = typer.Option(True, "--semantic/--no-semantic",
                                      help="the semantic detector (sentence encoder, prototypes, learnt head); "
                                           "--no-semantic: rules and watchlist alone, the fast path"),
        templates: Path | None = typer.Option(
            None, "--templates", metavar="FILE",
            help="templates.json from an audit: say when the message is a known campaign's standard text"),
        db: str | None = typer.Option(
            None, "--db", metavar="URL",
            help="a workspace (database URL or SQLite path): its watchlist, with the accounts analysts confirmed, "
                 "and its latest audit's campaign templates"),
        stage: Stage = typer.Option(
            Stage.CONTACTED, "--stage", case_sensitive=False,
            help="how far you went with the sender, for the advice: contacted (nothing yet), accepted "
                 "(the connection), replied, moved-off-platform (to another app), shared-material"),
        lang: Lang | None = typer.Option(
            None, "--lang", case_sensitive=False,
            help="the language of the reasons and advice (default: the message's, when it is en, fr or de)"),
        input_id: str | None = typer.Option(
            None, "--id", metavar="ID",
            help="the input's id in --json (default: the --file name, else the profile's URL, else 'text' or "
                 "'profile')"),
    ) -> None:
        """Check a message and/or a profile: risk level, the words that fired, why, and what to do.

        Exit codes: 0 checked; 1 some batch lines failed (the others were still checked); 2 bad usage or input.
        """
        if semantic:
            from falsefriends.detect.semantic.encoder import shared_encoder

            shared_encoder().preload()  # the model loads while the rules and the watchlist are built
        from falsefriends.check import Checker, default_providers
        from falsefriends.model import Message

        extra = (_templates(templates),) if templates is not None else ()
        if db is not None:
            base = Checker(fusion=load_fusion_option(fusion), providers=(), semantic=semantic)
            found = _workspace_checker(db, base)
            checker = Checker(rules=found.rules, fusion=found.fusion, providers=(*found.providers, *extra),
                              semantic=found.semantic if found.semantic is not None else False)
        else:
            providers = (*default_providers(), *extra) if extra else None
            checker = Checker(fusion=load_fusion_option(fusion), providers=providers, semantic=semantic)
        if jsonl is not None:
            if text is not None or file is not None or profile is not None or photo is not None or \
                    known_photos is not None:
                raise _fail("--jsonl reads everything from the file: give no text, --file, --profile, --photo or "
                            "--known-photos")
            if stage is not Stage.CONTACTED or lang is not None or input_id is not None:
                raise _fail("--stage, --lang and --id are for one message; each --jsonl line has its own id and "
                            "the contract has no advice")
            _run_jsonl(jsonl, checker)
            return
        body = _read_text(text, file)
        account = _read_profile(profile) if profile is not None else None
        seen = _photo_workspace(db) if db is not None and (photo is not None or (account and account.photo)) else None
        checker, account = _photo_checker(checker, account, photo, profile, known_photos, seen)
        if not body.strip() and account is None:
            raise _fail("nothing to check: give a message text, '-' for stdin, --file, --profile or --photo")
        subject = input_id or (file.name if file is not None else None) or (
            (account.url or account.key) if account is not None else None) or ("text" if body.strip() else "profile")
        messages = [Message(id=subject, body=body)] if body.strip() else []
        from falsefriends.check import for_reader
        from falsefriends.wording import reader_language

        assessment = checker.assess(messages, account, subject=subject)
        if profile is None and photo is not None:
            # Only a photo was given: the profile's employer, history and network are unknown, not empty, so the
            # rules whose conditions read them ("no named employer") do not fire (as in the audit).
            from falsefriends.audit.unknown_fields import CONDITION_FIELDS, drop_unknown

            unknown = frozenset(f for fields in CONDITION_FIELDS.values() for f in fields)
            assessment = checker.assess_evidence(subject, drop_unknown(assessment.evidence, checker.rules, unknown),
                                                 assessment.language)
        if seen is not None and account is not None and account.photo:
            from falsefriends.photo.seen import record_photo_of

            record_photo_of(seen, account)  # the next check with this --db says where this photo was seen
        language = reader_language(lang.value if lang is not None else None, assessment.language)
        shown = for_reader(assessment, checker.rules, language)
        if as_json:
            from falsefriends.advice import advice_for
            from falsefriends.batch import assessment_json

            out = assessment_json(subject, shown)
            out["stage"] = stage.value
            out["reader_language"] = language
            out["advice"] = advice_for(assessment.level, assessment.indicators, stage, language)
            typer.echo(json.dumps(out, ensure_ascii=False))
            return
        from rich.console import Console

        from falsefriends.render import print_verdict

        print_verdict(Console(), shown, body, stage, language)
