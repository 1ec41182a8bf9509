"""`falsefriends check`: is this request or message a hostile approach?"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import typer

from falsefriends.advice import Stage

if TYPE_CHECKING:
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
    from pydantic import ValidationError

    from falsefriends.batch import BOM, MAX_LINE_BYTES, LineError, load_json
    from falsefriends.model import Account

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
        return Account.model_validate(data)
    except ValidationError as exc:
        details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        raise _fail(f"invalid profile {path}: {details}") from None


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


def _providers(templates: Path | None) -> tuple[EvidenceProvider, ...] | None:
    """The built-in evidence providers, plus the audit's known templates when given; exit 2 if unreadable."""
    if templates is None:
        return None
    from falsefriends.check import default_providers
    from falsefriends.correlate.known import KnownTemplates, TemplatesFileError

    try:
        known = KnownTemplates.load(templates)
    except TemplatesFileError as exc:
        raise _fail(str(exc)) from None
    return (*default_providers(), known)


def register(app: typer.Typer) -> None:
    """Add the check command to the main application."""

    @app.command("check")
    def check(
        text: str | None = typer.Argument(None, help="the message text; '-' reads it from standard input"),
        file: Path | None = typer.Option(None, "--file", "-f", help="read the message text from a file"),
        profile: Path | None = typer.Option(None, "--profile", "-p", help="the sender's profile as JSON"),
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
            None, "--templates", help="templates.json from an audit: say when the message is a known campaign's "
                                      "standard text"),
        stage: Stage = typer.Option(
            Stage.CONTACTED, "--stage", case_sensitive=False,
            help="how far you went with the sender, for the advice: contacted (nothing yet), accepted "
                 "(the connection), replied, moved-off-platform (to another app), shared-material"),
    ) -> None:
        """Check a message and/or a profile: risk level, the words that fired, why, and what to do.

        Exit codes: 0 checked; 1 some batch lines failed (the others were still checked); 2 bad usage or input.
        """
        if semantic:
            from falsefriends.detect.semantic.encoder import shared_encoder

            shared_encoder().preload()  # the model loads while the rules and the watchlist are built
        from falsefriends.check import Checker
        from falsefriends.model import Message

        checker = Checker(fusion=load_fusion_option(fusion), providers=_providers(templates), semantic=semantic)
        if jsonl is not None:
            if text is not None or file is not None or profile is not None:
                raise _fail("--jsonl reads everything from the file: give no text, --file or --profile")
            if stage is not Stage.CONTACTED:
                raise _fail("--stage is for one message you received; the --jsonl contract has no advice")
            _run_jsonl(jsonl, checker)
            return
        body = _read_text(text, file)
        account = _read_profile(profile) if profile is not None else None
        if not body.strip() and account is None:
            raise _fail("nothing to check: give a message text, '-' for stdin, --file, or --profile")
        messages = [Message(id="message", body=body)] if body.strip() else []
        assessment = checker.assess(messages, account, subject="message" if messages else None)
        if as_json:
            from falsefriends.advice import advice_for
            from falsefriends.batch import assessment_json

            out = assessment_json("message", assessment)
            out["stage"] = stage.value
            out["advice"] = advice_for(assessment.level, assessment.indicators, stage)
            typer.echo(json.dumps(out, ensure_ascii=False))
            return
        from rich.console import Console

        from falsefriends.render import print_verdict

        print_verdict(Console(), assessment, body, stage)
