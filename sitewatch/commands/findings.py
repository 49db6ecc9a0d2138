"""`sitewatch findings`: the findings of `check` and their rectification workflow.

Subcommands here: list, show, set-state (analysis/findings/ does the work). Other producers of
findings may add their own subcommands to the `findings` group below.
"""

from __future__ import annotations

import getpass
import json
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from sitewatch.clock import DATE, DATETIME
from sitewatch.options import config_option, db_option
from sitewatch.output import console as output_console

FORMATS = ("table", "json")


def findings_db(config_path: Path, db_path: Path | None) -> sqlite3.Connection:
    """An open (migrated) connection to the database named by --db or the config."""
    from crawler.store import open_db
    from sitewatch.commands.check import optional_group
    from sitewatch.options import resolve_db

    db = resolve_db(db_path, optional_group(config_path, db_path))
    if not db.exists():
        raise click.ClickException(f"{db}: no such database (run `sitewatch crawl` first)")
    return open_db(db).conn


def findings_age_now(now: datetime | None) -> datetime:
    """The clock for ages and audit records: --now, else the machine clock."""
    return now or datetime.now()


@click.group("findings")
def findings() -> None:
    """Findings of `check` (one per site, rule and column/letter/link) and their workflow.

    \b
    Example:
        sitewatch findings list --db data/demo.db --state new
        sitewatch findings set-state 12 false_positive --note "栏目已停用" --db data/demo.db
    """


@findings.command("list")
@config_option
@db_option
@click.option("--state", "states", multiple=True, help="Only this state (repeatable).")
@click.option("--rule", "rule_id", default=None, help="Only this rule id.")
@click.option("--site", "site_id", default=None, help="Only this site id.")
@click.option("--format", "output", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--now", type=DATETIME, default=None, help="Clock for the ages (default: now).")
def findings_list(
    config_path: Path,
    db_path: Path | None,
    states: tuple[str, ...],
    rule_id: str | None,
    site_id: str | None,
    output: str,
    now: datetime | None,
) -> None:
    """List findings with their state and age.

    \b
    Example:
        sitewatch findings list --db data/demo.db --state new --state rectifying
        sitewatch findings list --db data/demo.db --site xa-city --format json
    """
    from analysis.findings.states import TransitionError, label, parse_state
    from analysis.findings.store import age_days, list_findings

    conn = findings_db(config_path, db_path)
    try:
        keys = [parse_state(s).value for s in states]
    except TransitionError as exc:
        raise click.ClickException(str(exc)) from None
    found = list_findings(conn, states=keys, rule_id=rule_id, site_id=site_id, limit=100_000)
    clock = findings_age_now(now)
    for row in found:
        row["age_days"] = age_days(row["first_seen_at"], clock)
        row["state_label"] = label(row["state"])
    if output == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    print_findings(found)


def print_findings(found: list[dict[str, Any]]) -> None:
    """Findings as a terminal table."""
    from rich.table import Table

    table = Table(box=None, padding=(0, 1))
    for header in ("编号", "站点", "规则", "对象", "状态", "天数"):
        table.add_column(header, overflow="fold")
    for row in found:
        table.add_row(
            str(row["id"]),
            row["site_name"],
            row["title"],
            row["subject_label"] or "（整站）",
            row["state_label"],
            str(row["age_days"]),
        )
    output_console().print(table)  # full width off a terminal, never cut
    click.echo(f"共 {len(found)} 条")


@findings.command("show")
@config_option
@db_option
@click.argument("finding_id", type=int)
def findings_show(config_path: Path, db_path: Path | None, finding_id: int) -> None:
    """Show one finding with its evidence and its audit trail.

    \b
    Example:
        sitewatch findings show 12 --db data/demo.db
    """
    from analysis.findings.states import label
    from analysis.findings.store import events, get_finding

    conn = findings_db(config_path, db_path)
    row = get_finding(conn, finding_id)
    if row is None:
        raise click.ClickException(f"没有编号为 {finding_id} 的问题")
    click.echo(f"{row['id']}  {row['site_name']} — {row['title']}")
    click.echo(f"对象：{row['subject_label'] or '（整站）'} {row['subject_url'] or ''}".rstrip())
    click.echo(f"状态：{label(row['state'])}" + (f"（{row['note']}）" if row["note"] else ""))
    click.echo(f"首次发现：{row['first_seen_at']}  最近发现：{row['last_seen_at']}")
    click.echo(f"证据：{row['detail']}")
    click.echo("处理记录：")
    for event in events(conn, finding_id):
        before = label(event["from_state"]) if event["from_state"] else "—"
        click.echo(
            f"  {event['at']}  {event['actor']}  {before} → {label(event['to_state'])}"
            + (f"  {event['note']}" if event["note"] else "")
        )


@findings.command("set-state")
@config_option
@db_option
@click.argument("finding_id", type=int)
@click.argument("state")
@click.option("--note", default="", help="Why (required for false_positive / 误报).")
@click.option("--until", "until", type=DATE, default=None, help="Last day of an exemption.")
@click.option("--by", "actor", default=None, help="Who makes the change (default: $USER).")
@click.option("--now", type=DATETIME, default=None, help="Clock of the audit record.")
def findings_set_state(
    config_path: Path,
    db_path: Path | None,
    finding_id: int,
    state: str,
    note: str,
    until: date | None,
    actor: str | None,
    now: datetime | None,
) -> None:
    """Move a finding to another state (an audit record is written).

    STATE is one of new, notified, rectifying, fixed, false_positive, exempt (or its Chinese
    name). `closed` is set by the next check that finds the problem gone.

    \b
    Example:
        sitewatch findings set-state 12 fixed --note "单位已更新栏目" --db data/demo.db
        sitewatch findings set-state 12 exempt --until 2013-03-31 --note "改版" --db data/demo.db
    """
    from analysis.findings.states import TransitionError, label
    from analysis.findings.store import set_state

    conn = findings_db(config_path, db_path)
    try:
        row = set_state(
            conn, finding_id, state, actor or getpass.getuser(), findings_age_now(now), note, until
        )
    except TransitionError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{row['id']}  {row['site_name']} — {row['title']}：{label(row['state'])}")
