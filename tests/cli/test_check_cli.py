"""`falsefriends check` from the outside: arguments, stdin, files, profiles, batch and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from falsefriends.cli import app

runner = CliRunner()
LURE = "We would be glad to continue this on WhatsApp, my WhatsApp number is below."


def test_text_argument_prints_verdict_with_words_and_advice() -> None:
    result = runner.invoke(app, ["check", LURE])
    assert result.exit_code == 0, result.output
    assert "Risk:" in result.output
    assert "WhatsApp" in result.output
    assert "M3" in result.output
    assert "what to do" in result.output


def test_stdin_and_file_and_json(tmp_path: Path) -> None:
    via_stdin = runner.invoke(app, ["check", "-", "--json"], input=LURE)
    assert via_stdin.exit_code == 0
    data = json.loads(via_stdin.output)
    assert data["evidence"] and data["level"] in {"low", "medium", "high"}
    path = tmp_path / "m.txt"
    path.write_text(LURE, encoding="utf-8")
    via_file = runner.invoke(app, ["check", "--file", str(path), "--json"])
    assert json.loads(via_file.output)["score"] == data["score"]


def test_profile_file(tmp_path: Path) -> None:
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"name": "A B", "headline": "Headhunter", "employer": "Strategic Consulting"}))
    result = runner.invoke(app, ["check", "--profile", str(profile), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["id"] == "profile"  # the input's id: no URL, no file name, no --id


def test_bad_inputs_give_clear_errors(tmp_path: Path) -> None:
    assert runner.invoke(app, ["check"]).exit_code == 2
    bad_profile = tmp_path / "p.json"
    bad_profile.write_text('{"name": "x", "favourite_colour": "red"}')
    result = runner.invoke(app, ["check", "hello", "--profile", str(bad_profile)])
    assert result.exit_code == 2
    assert "favourite_colour" in result.output
    binary = tmp_path / "junk.txt"
    binary.write_bytes(b"\xff\xfe\xfa junk")
    result = runner.invoke(app, ["check", "--file", str(binary)])
    assert result.exit_code == 2 and "UTF-8" in result.output


def test_batch_exit_code_says_some_lines_failed(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": 1, "text": "hello"}\nnot json\n{"id": 3, "text": "' + LURE.encode() + b'"}\n')
    result = runner.invoke(app, ["check", "--jsonl", str(path)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("id") for line in lines] == [1, None, 3]
    assert lines[1]["line"] == 2 and "error" in lines[1]


def test_hostile_markup_and_escapes_are_shown_inert() -> None:
    result = runner.invoke(app, ["check", "[bold red]SAFE[/] \x1b[2J\x1b]0;pwned\x07 continue on WhatsApp"])
    assert result.exit_code == 0
    assert "[bold red]SAFE[/]" in result.output  # printed literally, not interpreted
    assert "\x1b[2J" not in result.output and "\x07" not in result.output


def test_batch_answers_every_line_whatever_it_holds(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "bom", "text": "hello"}\n'
                     b'{"id": "s", "text": "\\ud800"}\n'
                     b'{"id": "\\ud800"}\n'
                     b'\n'
                     b'{"id": "deep", "profile": ' + b"[" * 1000 + b"]" * 1000 + b"}\n"
                     b'{"id": ' + b"9" * 5000 + b"}\n"
                     b'{"id": "last", "text": "hello"}\n')
    result = runner.invoke(app, ["check", "--no-semantic", "--jsonl", str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["bom", "s", None, None, "deep", None, "last"]
    assert [line.get("line") for line in lines] == [None, 2, 3, 4, 5, 6, None]
    assert lines[3]["error"] == "blank line"
    assert "5 of 7 lines failed" in result.stderr


def test_single_check_refuses_bad_text_and_profile_without_traceback(tmp_path: Path) -> None:
    # an argument with a byte that is not UTF-8 reaches Python as a lone surrogate
    result = runner.invoke(app, ["check", "--no-semantic", "continue on WhatsApp \udcff"])
    assert result.exit_code == 2 and "not valid UTF-8" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for name, content in {"deep": b'{"name": "x", "about": ' + b"[" * 1000 + b"]" * 1000 + b"}",
                          "surrogate": b'{"name": "\\ud800"}',
                          "digits": b'{"connections": ' + b"1" * 5000 + b"}",
                          "nan": b'{"connections": NaN}'}.items():
        profile = tmp_path / f"{name}.json"
        profile.write_bytes(content)
        result = runner.invoke(app, ["check", "--no-semantic", "--profile", str(profile), "--json"])
        assert result.exit_code == 2, (name, result.output)
        assert isinstance(result.exception, SystemExit), (name, result.exception)
        assert "cannot read profile" in result.output, name
    bom = tmp_path / "bom.json"
    bom.write_bytes(b'\xef\xbb\xbf{"headline": "Headhunter"}')
    assert runner.invoke(app, ["check", "--no-semantic", "--profile", str(bom), "--json"]).exit_code == 0
