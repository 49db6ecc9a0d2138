"""`sitewatch check`: every site against a standard profile — vetoes, scores, early warnings."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import click

from sitewatch.clock import DATE
from sitewatch.options import (
    config_option,
    db_option,
    load_group,
    load_standard,
    resolve_db,
    resolve_standard,
    site_option,
    standard_option,
)

FORMATS = ("table", "json", "csv")
# --fail-on LEVEL: exit 1 when any site has an outcome at that level or worse.
GATES = {"veto": 0, "deduction": 1, "warning": 2}
MARKS = {
    "pass": "[green]✓[/]",
    "warning": "[yellow]![/]",
    "fail": "[red]✗[/]",
    "no_data": "[dim]?[/]",
}


def optional_group(config_path: Path, db_path: Path | None) -> Any | None:
    """The site-group config, or None when --db is given and the config file does not exist."""
    if db_path is not None and not config_path.exists():
        return None
    return load_group(config_path)


def default_as_of(db: Path) -> date:
    """The date of the latest crawl's clock (a crawl at --now 2012-12-31 checks that day)."""
    from analysis import queries

    clock = queries.latest_crawl_clock(queries.connect(db))
    return date.fromisoformat(clock[:10]) if clock else date.today()


def open_database(db_path: Path | None, group: Any | None) -> Path:
    """The database path, which must exist."""
    db = resolve_db(db_path, group)
    if not db.exists():
        raise click.ClickException(f"{db}: no such database (run `sitewatch crawl` first)")
    return db


def gate_failed(verdicts: list[Any], fail_on: str | None) -> bool:
    """True when any site has an outcome at the --fail-on level or worse."""
    if fail_on is None:
        return False
    limit = GATES[fail_on]
    for verdict in verdicts:
        if verdict.veto:
            return True
        for result in verdict.rules:
            if result.outcome.value == "fail" and limit >= 1:
                return True
            if result.outcome.value == "warning" and limit >= 2:
                return True
    return False


def verdicts_json(verdicts: list[Any], as_of: date, profile: Any) -> str:
    """The stable JSON document of a check."""
    document = {
        "as_of": as_of.isoformat(),
        "standard": profile.id,
        "standard_name": profile.name,
        "pass_score": profile.pass_score,
        "sites": [verdict.to_dict() for verdict in verdicts],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def verdicts_csv(verdicts: list[Any]) -> str:
    """One CSV row per site and rule."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "site_id",
            "veto",
            "score",
            "passed",
            "rule",
            "level",
            "outcome",
            "value",
            "threshold",
            "operator",
            "points",
            "evidence",
            "warning",
        ]
    )
    for verdict in verdicts:
        for result in verdict.rules:
            data = result.to_dict()
            writer.writerow(
                [
                    verdict.site_id,
                    int(verdict.veto),
                    data_score(verdict),
                    int(verdict.passed),
                    result.id,
                    result.level,
                    data["outcome"],
                    data["value"],
                    data["threshold"],
                    result.operator,
                    data["points"],
                    len(result.evidence),
                    result.warning,
                ]
            )
    return out.getvalue()


def data_score(verdict: Any) -> float | int:
    """The score as printed (whole numbers without decimals)."""
    return int(verdict.score) if float(verdict.score).is_integer() else round(verdict.score, 2)


def print_table(verdicts: list[Any], as_of: date, profile: Any) -> None:
    """Sites × rules in the terminal: vetoes and scores first, then one mark per rule."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    rules = verdicts[0].rules if verdicts else []
    table = Table(title=f"{profile.id} — {as_of}", box=box.SIMPLE, padding=(0, 1))
    for header in ("site", "veto", "score", "result"):
        table.add_column(header, no_wrap=True)
    for number, _ in enumerate(rules, start=1):
        table.add_column(str(number), justify="center", no_wrap=True, min_width=2)
    ordered = sorted(verdicts, key=lambda v: (not v.veto, v.score))
    for verdict in ordered:
        table.add_row(
            verdict.site_id,
            "[red]否决[/]" if verdict.veto else "",
            str(data_score(verdict)),
            "[green]pass[/]" if verdict.passed else "[red]fail[/]",
            *(MARKS[r.outcome.value] for r in verdict.rules),
        )
    console = Console()
    console.print(table)
    for number, rule in enumerate(rules, start=1):
        console.print(f"  {number:>2}  {rule.id} ({rule.level}) {rule.title}", highlight=False)
    for verdict in ordered:
        for result in verdict.warnings:
            why = result.warning or "triggered"
            console.print(f"[yellow]预警[/] {verdict.site_id}: {result.title} — {why}")


@click.command("check")
@config_option
@db_option
@standard_option
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    default=None,
    help="Check date (default: the date of the latest crawl).",
)
@site_option
@click.option("--format", "output", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option(
    "--fail-on",
    "fail_on",
    type=click.Choice(tuple(GATES)),
    default=None,
    help="Exit 1 when any site has an outcome at this level or worse.",
)
def check(
    config_path: Path,
    db_path: Path | None,
    standard: Path | None,
    as_of: date | None,
    site_ids: tuple[str, ...],
    output: str,
    fail_on: str | None,
) -> None:
    """Check every site against a website construction standard: vetoes, score, warnings.

    Exit code 0 even when sites fail, unless --fail-on makes the command a gate.

    \b
    Example:
        sitewatch check --config config/demo.yaml --as-of 2012-12-31
        sitewatch check --db data/demo.db --format json --fail-on veto
    """
    from analysis.queries import AnalysisError
    from analysis.standards.engine import EngineError, evaluate

    group = optional_group(config_path, db_path)
    db = open_database(db_path, group)
    profile = load_standard(resolve_standard(standard, group))
    try:
        day = as_of or default_as_of(db)
        verdicts = evaluate(db, profile, day, list(site_ids) or None)
    except (AnalysisError, EngineError) as exc:
        raise click.ClickException(str(exc)) from None
    if output == "json":
        click.echo(verdicts_json(verdicts, day, profile))
    elif output == "csv":
        click.echo(verdicts_csv(verdicts), nl=False)
    else:
        print_table(verdicts, day, profile)
    if gate_failed(verdicts, fail_on):
        raise SystemExit(1)
