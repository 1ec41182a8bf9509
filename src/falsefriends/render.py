"""Human-readable verdicts for the terminal, with the triggering words highlighted.

Message and profile texts are the sender's words: they are shown as plain rich `Text` (never parsed
as markup) and stripped of control characters, so a hostile text cannot restyle the terminal or
fake a verdict with escape sequences.
"""

from __future__ import annotations

import re

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from falsefriends.advice import Stage, advice_for
from falsefriends.model import Assessment, Level
from falsefriends.wording import label

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
LEVEL_STYLE = {Level.LOW: "bold green", Level.MEDIUM: "bold yellow", Level.HIGH: "bold white on red"}
INDICATOR_STYLE = "bold black on yellow"


def safe_text(text: str) -> str:
    """Replace control and bidi-override characters by a visible placeholder (same length)."""
    return _CONTROL.sub("\ufffd", text)


def highlighted(text: str, assessment: Assessment) -> Text:
    """The message with every evidence span highlighted."""
    shown = Text(safe_text(text))
    for item in assessment.evidence:
        if item.span is not None:
            shown.stylize(INDICATOR_STYLE, *item.span)
    return shown


def verdict(assessment: Assessment, text: str = "", stage: Stage = Stage.CONTACTED, language: str = "en") -> Group:
    """The full verdict: level and score, highlighted text, indicators with reasons, and the advice for the
    stage the person has reached with the sender (see `advice.advice_for`), labels and advice in `language`
    (the evidence's reasons are the caller's: see `check.for_reader`)."""
    level = assessment.level
    head = Text.assemble(
        (label("risk", language), "bold"), (f" {level.value.upper()} ", LEVEL_STYLE[level]),
        (f"  {label('score', language)} {assessment.score:.2f}", "bold"),
        (f"  {label('language', language)} {assessment.language}" if assessment.language else "", "dim"),
    )
    parts: list[Panel | Table | Text] = [head]
    if text:
        parts.append(Panel(highlighted(text, assessment), title=label("message", language), title_align="left"))
    if assessment.evidence:
        table = Table(show_lines=True, expand=True)
        table.add_column(label("indicator", language), ratio=2, overflow="fold")
        table.add_column(label("words", language), ratio=3)
        table.add_column(label("why", language), ratio=5)
        table.add_column(label("source", language), ratio=2)
        for item in assessment.evidence:
            where = f"[{item.field}] " if item.field else ""
            table.add_row(
                Text(f"{item.indicator}\n{item.rule}\n{item.weight:+.2f}"),
                Text(where + safe_text(item.excerpt)),
                Text(safe_text(item.reason)),
                Text("; ".join(item.source)),
            )
        parts.append(table)
    else:
        parts.append(Text(label("nothing", language), style="dim"))
    steps = Text()
    for number, step in enumerate(advice_for(level, assessment.indicators, stage, language), start=1):
        steps.append(f"{number}. {step}\n")
    title = (label("todo", language) if stage is Stage.CONTACTED
             else label("todo_stage", language).format(stage=label(stage.value, language)))
    parts.append(Panel(steps, title=title, title_align="left"))
    return Group(*parts)


def print_verdict(console: Console, assessment: Assessment, text: str = "", stage: Stage = Stage.CONTACTED,
                  language: str = "en") -> None:
    console.print(verdict(assessment, text, stage, language))
