"""`falsefriends demo`: the check over bundled example approaches in English, French and German."""

from __future__ import annotations

import json
from importlib import resources

import typer

# The checker and the rendering are imported inside the command (benchmarks/startup.py).


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(detail: str = typer.Option("en-think-tank-offer", help="example id to show in full")) -> None:
        """Check the bundled example approaches (hostile and genuine) and show one verdict in full."""
        from rich.console import Console
        from rich.table import Table

        from falsefriends.check import Checker
        from falsefriends.model import Account, Message
        from falsefriends.render import LEVEL_STYLE, print_verdict

        checker = Checker()
        text = (resources.files("falsefriends.examples") / "approaches.jsonl").read_text(encoding="utf-8")
        out = Console()
        table = Table("example", "written as", "level", "score", "indicators", title="bundled examples")
        shown = None
        for line in text.splitlines():
            data = json.loads(line)
            message = Message(id=data["id"], body=data["text"])
            profile = Account.model_validate(data["profile"]) if data.get("profile") else None
            assessment = checker.assess([message], profile, subject=data["id"])
            table.add_row(data["id"], data["kind"], f"[{LEVEL_STYLE[assessment.level]}]{assessment.level.value}[/]",
                          f"{assessment.score:.2f}", " ".join(assessment.indicators))
            if data["id"] == detail:
                shown = (assessment, data["text"])
        out.print(table)
        if shown is not None:
            out.print(f"\n[bold]In full: {detail}[/bold]")
            print_verdict(out, *shown)
