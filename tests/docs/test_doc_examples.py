"""Every shell command in README.md and docs/*.md is run, so that no example drifts from the code.

The commands of each ```bash / ```sh / ```shell block are run in order, as a reader would, in one sandbox
folder that sees the repository's data/, benchmarks/, scripts/ and .venv/ (a clone's layout), after writing
the few files a reader is assumed to have (FIXTURES). A command that cannot run here is in NOT_RUN with its
reason and the test that exercises it instead; even those are checked: a `falsefriends` command must parse
(its subcommand and every option exist, `--help` appended), a benchmark or script must take every flag the
example gives it, and `curl` examples are sent to the service in-process (test_curl_examples_answer).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELL_BLOCKS = {"bash", "sh", "shell", "console"}
PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Example:
    doc: str
    line: int
    command: str

    def __str__(self) -> str:
        return f"{self.doc}:{self.line}: {self.command}"


def _complete(text: str) -> bool:
    if text.rstrip().endswith("\\"):
        return False
    try:
        shlex.split(text, comments=True)
    except ValueError:  # an open quote: the command goes on on the next line
        return False
    return True


def examples() -> list[Example]:
    """Every command of every shell block, in document order (continuation lines and open quotes joined)."""
    found: list[Example] = []
    for doc in DOCS:
        name = str(doc.relative_to(ROOT))
        fence: str | None = None
        pending: tuple[int, str] | None = None
        for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), start=1):
            stripped = line.strip()
            if stripped.startswith("```"):
                fence = None if fence is not None else (stripped[3:].strip() or "text")
                pending = None
                continue
            if fence not in SHELL_BLOCKS:
                continue
            if pending is None:
                if fence == "console":
                    if not stripped.startswith("$ "):
                        continue
                    stripped = stripped[2:]
                if not stripped or stripped.startswith("#"):
                    continue
                pending = (number, stripped)
            else:
                pending = (pending[0], pending[1] + "\n" + line)
            if _complete(pending[1]):
                found.append(Example(name, pending[0], pending[1]))
                pending = None
    return found


def segments(command: str) -> list[str]:
    """The commands of an `a && b && c` chain (each run, or not, on its own); anything else is one command."""
    if command.startswith("for ") or "$(" in command:
        return [command]
    return [part.strip() for part in command.split(" && ") if part.strip()]


@dataclass(frozen=True)
class NotRun:
    pattern: str
    why: str
    exercised_by: tuple[str, ...]


NOT_RUN = (
    NotRun(r"^python3\.11 -m venv ", "makes the virtual environment these tests already run in",
           ("scripts/test.sh",)),
    NotRun(r"pip install -e \.", "installs this package from the registries: the install these tests run on",
           ("scripts/test.sh",)),
    NotRun(r"^bash scripts/test\.sh$", "the whole test suite, of which this test is a part", ("scripts/test.sh",)),
    NotRun(r"-m pytest ", "runs test suites, of which this test is a part", ("tests/api", "tests/web")),
    NotRun(r"^falsefriends serve ", "a server that runs until stopped",
           ("tests/api/test_serve_cmd.py", "tests/api/serving.py")),
    NotRun(r"^curl ", "needs a running service: sent in-process instead", ("tests/docs/test_doc_examples.py",)),
    NotRun(r"benchmarks/\w+\.py", "benchmarks take minutes; their flags are checked here",
           ("tests/docs/test_doc_examples.py",)),
    NotRun(r"^falsefriends simulate --(?:staff 200|members)", "a 200-staff or large network world: minutes",
           ("tests/simulate/test_organisation.py", "tests/simulate/test_network.py")),
    NotRun(r"^falsefriends eval ", "evaluates a 200-staff world: minutes",
           ("tests/evaluate/test_evaluate.py", "tests/evaluate/test_campaigns_and_fit.py")),
    NotRun(r"^for s in ", "three 200-staff worlds and a fit: tens of minutes",
           ("tests/evaluate/test_campaigns_and_fit.py",)),
    NotRun(r"^falsefriends fit-fusion ", "fits on three 200-staff worlds: minutes",
           ("tests/evaluate/test_campaigns_and_fit.py",)),
    NotRun(r"^falsefriends scan ", "scans the million-member network made by the example before it (not made "
           "here: minutes), or needs a Spark master",
           ("tests/scan/test_local_scan.py", "tests/scan/test_spark_scan.py")),
    NotRun(r"scanenv|^spark-submit ", "packs an environment from the registries and submits it to a YARN cluster; "
           "not run anywhere in the suite (no cluster): the Spark engine it ships is",
           ("tests/scan/test_spark_scan.py",)),
    NotRun(r"^falsefriends eval-messages data/corpus --cv", "grouped cross-validation over the corpus: minutes",
           ("tests/evaluate/test_corpus_cv.py",)),
    NotRun(r"^falsefriends fit-semantic ", "retrains the shipped semantic head in src/: minutes, and it rewrites "
           "the package", ("tests/evaluate/test_corpus_cv.py",)),
)


def not_run(command: str) -> NotRun | None:
    for rule in NOT_RUN:
        if re.search(rule.pattern, command):
            return rule
    return None


FIXTURES = {
    "message.txt": "We pay well for short analysis notes. Could we continue on WhatsApp?\n",
    "sender.json": '{"name": "Jana Luo", "headline": "Senior headhunter", "employer": "Strategic Consulting",'
                   ' "url": "https://www.linkedin.com/in/jana-luo-8812", "education": ["LMU Munich"]}\n',
}
"""Files the examples assume the reader has (a message they received, the sender's profile)."""

LINKED = ("data", "benchmarks", "scripts", "src", "tests")
BIN = Path(sys.executable).parent
"""The environment running these tests: `falsefriends` and `python` of the examples are its own."""


def _sandbox(root: Path) -> Path:
    for name in LINKED:
        (root / name).symlink_to(ROOT / name)
    (root / ".venv").symlink_to(Path(sys.prefix))
    for name, text in FIXTURES.items():
        (root / name).write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "src/falsefriends/rules/packs/lures.de.yaml", root / "my-pack.yaml")  # "a file of your own"
    return root


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "COLUMNS": "120", "NO_COLOR": "1"}
    env.pop("FALSEFRIENDS_PSEUDONYM_KEY", None)
    runnable = command.replace(".venv/bin/", "")
    return subprocess.run(["bash", "-c", runnable], cwd=cwd, env=env, text=True, capture_output=True,
                          input=f"{PASSWORD}\n{PASSWORD}\n", timeout=600, check=False)


def test_the_examples_are_found() -> None:
    found = examples()
    assert len(found) > 60
    docs = {example.doc for example in found}
    assert {"README.md", "docs/service.md", "docs/sharing.md", "docs/rules.md", "docs/audit.md"} <= docs
    assert any("falsefriends demo" in example.command for example in found if example.doc == "README.md")


def test_every_not_run_rule_is_used_reasoned_and_exercised_elsewhere() -> None:
    commands = [part for example in examples() for part in segments(example.command)]
    for rule in NOT_RUN:
        assert any(re.search(rule.pattern, command) for command in commands), f"stale rule {rule.pattern!r}"
        assert len(rule.why) > 20
        for path in rule.exercised_by:
            assert (ROOT / path).exists(), f"{rule.pattern!r} names {path}, which does not exist"


def test_commands_that_do_not_run_here_still_parse() -> None:
    from falsefriends.cli import app

    runner = CliRunner()
    problems = []
    for example in examples():
        for command in segments(example.command):
            if not_run(command) is None:
                continue
            inner = re.findall(r"(?:^|do |; |\| )(?:\.venv/bin/)?falsefriends ([^;|&]+)", command)
            for args in inner:
                words = [w for w in shlex.split(args.split(" #")[0]) if "$" not in w]
                result = runner.invoke(app, [*words, "--help"])
                if result.exit_code != 0:
                    problems.append(f"{example}: {result.output[-400:]}")
    assert not problems, "\n".join(problems)


def test_benchmark_and_script_examples_take_their_flags() -> None:
    problems = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for example in examples():
        for command in segments(example.command):
            match = re.search(r"(?:python|\.venv/bin/python) ((?:benchmarks|scripts)/\w+\.py)(.*)", command)
            if match is None or not_run(command) is None:  # the others run whole in test_every_example_runs
                continue
            flags = tuple(sorted(set(re.findall(r"(?<!\S)(--[a-z][\w-]*)", match.group(2).split(" #")[0]))))
            if (match.group(1), flags) in seen:
                continue
            seen.add((match.group(1), flags))
            shown = subprocess.run([sys.executable, str(ROOT / match.group(1)), "--help"], cwd=ROOT, text=True,
                                   capture_output=True, timeout=300, check=False)
            missing = [flag for flag in flags if flag not in shown.stdout]
            if shown.returncode != 0 or missing:
                problems.append(f"{example}: exit {shown.returncode}, flags not taken: {missing} "
                                f"{shown.stderr[-300:]}")
    assert not problems, "\n".join(problems)


def test_curl_examples_answer(tmp_path: Path) -> None:
    """Each `curl` example, sent as written (with a real token for `$TOKEN`) to the service in-process."""
    from fastapi.testclient import TestClient

    from falsefriends.api import ServiceSettings, create_app
    from falsefriends.api.roles import Role
    from falsefriends.api.users import add_user, issue_token
    from falsefriends.store import session_scope

    app = create_app(ServiceSettings(db_url=f"sqlite:///{tmp_path / 'ws.db'}", upload_dir=tmp_path / "up"))
    with session_scope(app.state.engine) as session:
        add_user(session, "ci-bot", Role.VIEWER, None)
        token = issue_token(session, "ci-bot", "mail gateway")
    curls = [e for e in examples() if e.command.startswith("curl ")]
    assert curls
    with TestClient(app) as client:
        for example in curls:
            words = shlex.split(example.command.replace("$TOKEN", token).replace("\\\n", " "))
            url = next(w for w in words if w.startswith("http"))
            headers = dict(words[i + 1].split(": ", 1) for i, w in enumerate(words) if w == "-H")
            body = next((words[i + 1] for i, w in enumerate(words) if w in ("-d", "--data")), None)
            path = url.split("://", 1)[1].split("/", 1)[1]
            response = client.request("POST" if body is not None else "GET", "/" + path, headers=headers,
                                      content=body)
            assert response.status_code == 200, f"{example}: {response.status_code} {response.text[:300]}"
            if "/v1/check" in path:
                assert response.json()["advice"]


def test_every_example_runs(tmp_path: Path) -> None:
    """The commands run in document order in one sandbox: README first (it makes demo-org), then docs/."""
    sandbox = _sandbox(tmp_path)
    failures = []
    ran = 0
    for example in examples():
        for command in segments(example.command):
            if not_run(command) is not None:
                continue
            result = _run(command, sandbox)
            ran += 1
            if result.returncode != 0:
                failures.append(f"{example.doc}:{example.line}: {command}\n  exit {result.returncode}: "
                                f"{(result.stderr or result.stdout)[-600:]}")
    assert ran > 30
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_no_shell_example_uses_placeholders(doc: Path) -> None:
    """Examples are concrete: optional parts in [brackets] and EXPORTS... placeholders belong in ```text blocks."""
    bad = [str(e) for e in examples() if e.doc == str(doc.relative_to(ROOT))
           and re.search(r" \[--|\bEXPORTS\b|\bDIR\b(?!/)|\bFILES\.\.\.", e.command.split(" #")[0])]
    assert not bad, "\n".join(bad)
