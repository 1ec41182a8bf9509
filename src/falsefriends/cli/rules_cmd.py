"""`falsefriends rules lint | list | explain`: inspect and validate rule packs."""

from __future__ import annotations

from pathlib import Path

import typer

# The loader (YAML, pydantic, RE2) and rich are imported inside the commands (benchmarks/startup.py).

app = typer.Typer(help="Inspect and validate the rule packs.", no_args_is_help=True)


@app.command("lint")
def lint(
    files: list[Path] = typer.Argument(None, help="rule pack files (default: the bundled packs)"),
    strict: bool = typer.Option(False, "--strict", help="treat warnings as errors"),
) -> None:
    """Validate rule packs and report every problem as file:line:col."""
    from falsefriends.rules.loader import bundled_pack_paths, lint_files

    paths = files or bundled_pack_paths()
    rules, problems = lint_files(paths)
    for problem in problems:
        typer.echo(str(problem), err=True)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    typer.echo(f"{len(paths)} files, {len(rules)} rules valid, {errors} errors, {warnings} warnings")
    if errors or (strict and warnings):
        raise typer.Exit(1)


@app.command("list")
def list_rules(
    language: str | None = typer.Option(None, "--lang", help="only this language (en, fr, de, any)"),
    indicator: str | None = typer.Option(None, "--indicator", help="only this indicator, e.g. M3"),
) -> None:
    """List the loaded rules with their indicator, language and weight."""
    from rich.console import Console
    from rich.table import Table

    from falsefriends.rules.loader import load_rules

    table = Table("id", "indicator", "lang", "kind", "weight", "reason", show_lines=False)
    for rule in load_rules().rules:
        if language and rule.language != language:
            continue
        if indicator and rule.spec.indicator != indicator.upper():
            continue
        table.add_row(rule.id, rule.spec.indicator, rule.language, rule.kind, f"{rule.spec.weight:+.2f}",
                      rule.spec.reason)
    Console().print(table)


@app.command("explain")
def explain(rule_id: str = typer.Argument(..., help="a rule id, e.g. en-move-to-encrypted-app")) -> None:
    """Show one rule: what it looks for, why, its source, patterns and examples."""
    from rich.console import Console

    from falsefriends.rules.conditions import CONDITIONS
    from falsefriends.rules.loader import load_rules

    rules = load_rules()
    try:
        rule = rules.get(rule_id)
    except KeyError:
        close = [r.id for r in rules.rules if rule_id.split("-")[-1] in r.id][:5]
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        typer.echo(f"error: no rule with id {rule_id!r}.{hint}", err=True)
        raise typer.Exit(2) from None
    spec = rule.spec
    out = Console()
    out.print(f"[bold]{spec.id}[/bold]  ({rule.pack}, {rule.path}:{rule.line})", highlight=False)
    out.print(f"indicator {spec.indicator}, weight {spec.weight:+.2f} (log-odds), language {rule.language}")
    out.print(f"why: {spec.reason}", highlight=False)
    out.print(f"source: {'; '.join(spec.source)}", highlight=False)
    if spec.fields:
        out.print(f"reads: {', '.join(f.value for f in spec.fields)}")
    for name in spec.requires:
        out.print(f"requires {name}: {CONDITIONS[name].__doc__}", highlight=False)
    for pattern in spec.patterns:
        out.print(f"pattern: {pattern}", markup=False, highlight=False)
    for pattern in spec.unless:
        out.print(f"unless (within {spec.window} chars): {pattern}", markup=False, highlight=False)
    for example in spec.examples:
        out.print(f"fires on: {example}", markup=False, highlight=False)
    for example in spec.counter_examples:
        out.print(f"silent on: {example}", markup=False, highlight=False)
