"""`sitewatch runs`: the run history (crawl, probe, check, report) with key figures."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import click

from sitewatch.options import config_option, db_option, load_group, resolve_db

COLUMNS = (
    "id",
    "kind",
    "started_at",
    "finished_at",
    "status",
    "pages",
    "new_posts",
    "errors",
    "sites_down",
    "note",
)
STATUS_STYLES = {"ok": "green", "failed": "red", "interrupted": "yellow", "running": "cyan"}


def fetch_runs(db: Path, limit: int, kind: str | None) -> list[dict[str, Any]]:
    """The latest runs, newest first (read-only: never migrates or creates the file)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        where = "WHERE kind = ?" if kind else ""
        params: tuple[Any, ...] = (kind, limit) if kind else (limit,)
        cur = conn.execute(
            f"SELECT {', '.join(COLUMNS)} FROM crawl_runs {where} ORDER BY id DESC LIMIT ?",
            params,
        )
        return [dict(zip(COLUMNS, row, strict=True)) for row in cur.fetchall()]
    finally:
        conn.close()


def duration(run: dict[str, Any]) -> str:
    """`1m05s` between start and finish, '' while running."""
    from datetime import datetime

    if not run["finished_at"]:
        return ""
    seconds = int(
        (
            datetime.fromisoformat(run["finished_at"]) - datetime.fromisoformat(run["started_at"])
        ).total_seconds()
    )
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def print_table(runs: list[dict[str, Any]]) -> None:
    """The history as a terminal table."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="sitewatch runs")
    headers = ("id", "job", "started", "took", "status", "pages", "new", "errors", "down", "note")
    for header in headers:
        table.add_column(
            header,
            justify="right" if header in ("pages", "new", "errors", "down", "id") else "left",
        )
    for run in runs:
        style = STATUS_STYLES.get(run["status"], "")
        table.add_row(
            str(run["id"]),
            run["kind"],
            run["started_at"].replace("T", " "),
            duration(run),
            f"[{style}]{run['status']}[/]" if style else run["status"],
            str(run["pages"]),
            str(run["new_posts"]),
            str(run["errors"]),
            str(run["sites_down"]),
            (run["note"] or "")[:60],
        )
    Console().print(table)


@click.command("runs")
@config_option
@db_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@click.option("--kind", type=click.Choice(["crawl", "probe", "check", "report"]), default=None)
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table")
def runs(
    config_path: Path, db_path: Path | None, limit: int, kind: str | None, output: str
) -> None:
    """List the run history: job, start, end, status, pages, new posts, errors, sites down.

    \b
    Example:
        sitewatch runs --db data/demo.db --limit 10
        sitewatch runs --config config/demo.yaml --format json
    """
    group = load_group(config_path) if db_path is None else None  # --db alone needs no config
    db = resolve_db(db_path, group)
    if not db.exists():
        raise click.ClickException(f"{db}: no such database (run `sitewatch crawl` first)")
    history = fetch_runs(db, limit, kind)
    if output == "json":
        click.echo(json.dumps(history, ensure_ascii=False, indent=2))
    else:
        print_table(history)


if __name__ == "__main__":  # until the lead registers the command
    runs()
