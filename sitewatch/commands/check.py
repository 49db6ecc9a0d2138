"""`sitewatch check`: every site against a standard profile — vetoes, scores, early warnings."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import click

from sitewatch.clock import DATE
from sitewatch.database import for_reading, latest_completed_crawl
from sitewatch.i18n import _, current_language
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
from sitewatch.output import console
from sitewatch.runlog import recorded_run

FORMATS = ("table", "json", "csv")
# --fail-on LEVEL: exit 1 when any site has an outcome at that level or worse.
GATES = {"veto": 0, "deduction": 1, "warning": 2}
MARKS = {
    "pass": "[green]✓[/]",
    "warning": "[yellow]![/]",
    "fail": "[red]✗[/]",
    "no_data": "[dim]?[/]",
}
# The engine's two early-warning sentences, re-worded in the user's language.
WILL_FAIL = re.compile(r"will fail within (\d+) days")
PAST_LINE = re.compile(r"past the early-warning line \((.*)\)")


def optional_group(config_path: Path, db_path: Path | None) -> Any | None:
    """The site-group config, or None when --db is given and the config file does not exist."""
    if db_path is not None and not config_path.exists():
        return None
    return load_group(config_path)


def default_clock(db: Path) -> datetime | None:
    """The clock of the latest completed crawl (a crawl at --now 2012-12-31 checks that day).

    Probe, check and report runs do not count: an hourly probe must not move the check date."""
    clock = latest_completed_crawl(db)
    return datetime.fromisoformat(clock) if clock else None


def open_database(db_path: Path | None, group: Any | None) -> Path:
    """The database to read (a private copy when the original cannot be opened in place)."""
    return for_reading(resolve_db(db_path, group))


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


def level_name(level: str) -> str:
    """A rule level in the user's language."""
    names = {
        "veto": _("veto"),
        "deduction": _("deduction"),
        "warning": _("warning"),
        "bonus": _("bonus"),
    }
    return names.get(level, level)


def warning_text(result: Any) -> str:
    """Why a rule warns, in the user's language (the engine words it in English)."""
    text = str(result.warning or "")
    ahead = WILL_FAIL.match(text)
    if ahead:
        return _("will fail within {days} days if nothing changes").format(days=ahead[1])
    line = PAST_LINE.match(text)
    if line:
        return _("past the early-warning line ({limit})").format(limit=line[1])
    return text or _("triggered")


def site_names(db: Path) -> dict[str, str]:
    """Site id → name from the database (names are what Chinese readers recognise)."""
    from analysis import queries

    conn = queries.connect(db)
    try:
        return dict(conn.execute("SELECT id, name FROM sites").fetchall())
    finally:
        conn.close()


def print_table(verdicts: list[Any], as_of: date, profile: Any, names: dict[str, str]) -> None:
    """Sites × rules: vetoes and scores first, then one mark per rule; never cut off a terminal.

    English output names sites by id; Chinese output by their (Chinese) names."""
    from rich import box
    from rich.table import Table

    chinese = current_language() == "zh"

    def label(site_id: str) -> str:
        return names.get(site_id, site_id) if chinese else site_id

    rules = verdicts[0].rules if verdicts else []
    title = f"{profile.name if chinese else profile.id} — {as_of}"
    table = Table(title=title, box=box.SIMPLE, padding=(0, 1))
    for header in (_("site"), _("veto"), _("score"), _("result")):
        table.add_column(header, no_wrap=True)
    for number, _rule in enumerate(rules, start=1):
        table.add_column(str(number), justify="center", no_wrap=True, min_width=2)
    ordered = sorted(verdicts, key=lambda v: (not v.veto, v.score))
    for verdict in ordered:
        table.add_row(
            label(verdict.site_id),
            _("[red]vetoed[/]") if verdict.veto else "",
            str(data_score(verdict)),
            _("[green]pass[/]") if verdict.passed else _("[red]fail[/]"),
            *(MARKS[r.outcome.value] for r in verdict.rules),
        )
    out = console()
    out.print(table)
    for number, rule in enumerate(rules, start=1):
        rule_id = "" if chinese else f"{rule.id} "
        out.print(
            f"  {number:>2}  {rule_id}"
            + _("({level})").format(level=level_name(rule.level))
            + f" {rule.title}",
            highlight=False,
        )
    for verdict in ordered:
        for result in verdict.warnings:
            out.print(
                _("[yellow]early warning[/] {site}: {rule} — {why}").format(
                    site=label(verdict.site_id), rule=result.title, why=warning_text(result)
                ),
                highlight=False,
            )


@click.command("check")
@config_option
@db_option
@standard_option
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    default=None,
    help=_("Check date (default: the day of the latest completed crawl)."),
)
@site_option
@click.option(
    "--format",
    "output",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help=_("Output: a table, or JSON / CSV for other programs."),
)
@click.option(
    "--fail-on",
    "fail_on",
    type=click.Choice(tuple(GATES)),
    default=None,
    help=_("Exit 1 when any site has an outcome at this level or worse."),
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
    from analysis.findings.review import reviewed_verdicts
    from analysis.queries import AnalysisError
    from analysis.standards.engine import EngineError

    group = optional_group(config_path, db_path)
    shown = resolve_db(db_path, group)
    db = open_database(db_path, group)
    profile = load_standard(resolve_standard(standard, group))
    try:
        clock = datetime.combine(as_of, time()) if as_of else default_clock(db)
        if clock is None:
            raise click.ClickException(
                _(
                    "{db}: no completed crawl yet; run `sitewatch crawl`, or pass --as-of DATE"
                ).format(db=shown)
            )
        sites = list(site_ids) or None
        with recorded_run(db, "check", clock, site_ids, enabled=db == shown) as run:
            # Findings are recorded (and reviewed ones discounted) only in the real database.
            record = clock if db == shown else None
            verdicts = reviewed_verdicts(db, profile, clock.date(), sites, record_at=record)
            run.figures["note"] = check_note(verdicts)
    except (AnalysisError, EngineError) as exc:
        raise click.ClickException(str(exc)) from None
    day = clock.date()
    if output == "json":
        click.echo(verdicts_json(verdicts, day, profile))
    elif output == "csv":
        click.echo(verdicts_csv(verdicts), nl=False)
    else:
        print_table(verdicts, day, profile, site_names(db))
    if gate_failed(verdicts, fail_on):
        raise SystemExit(1)


def check_note(verdicts: list[Any]) -> str:
    """The run's note: how many sites were vetoed and warned."""
    vetoed = sum(1 for v in verdicts if v.veto)
    warned = sum(1 for v in verdicts if v.warnings)
    return _("{sites} sites: {vetoed} vetoed, {warned} with warnings").format(
        sites=len(verdicts), vetoed=vetoed, warned=warned
    )
