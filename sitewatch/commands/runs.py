"""`sitewatch runs`: the run history (crawl, probe, check, report) with key figures."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import click

from sitewatch.database import for_reading
from sitewatch.i18n import _
from sitewatch.options import config_option, db_option, load_group, resolve_db
from sitewatch.output import console

COLUMNS = (
    "id",
    "kind",
    "clock",
    "started_at",
    "finished_at",
    "status",
    "pages",
    "new_posts",
    "errors",
    "sites_down",
    "note",
)
NOTE_CHARS = 120
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


def kind_name(kind: str) -> str:
    """A job name in the user's language."""
    names = {
        "crawl": _("crawl"),
        "probe": _("probe"),
        "check": _("check"),
        "report": _("report"),
    }
    return names.get(kind, kind)


def status_name(status: str) -> str:
    """A run status in the user's language."""
    names = {
        "ok": _("ok"),
        "failed": _("failed"),
        "interrupted": _("interrupted"),
        "running": _("running"),
        "skipped": _("skipped"),
    }
    return names.get(status, status)


def print_table(runs: list[dict[str, Any]]) -> None:
    """The history as a table: the run's clock (its --now), not the wall-clock start."""
    from rich.table import Table

    table = Table(title=_("sitewatch runs"))
    headers = (
        ("id", _("id")),
        ("job", _("job")),
        ("clock", _("clock")),
        ("took", _("took")),
        ("status", _("status")),
        ("pages", _("pages")),
        ("new", _("new posts")),
        ("errors", _("errors")),
        ("down", _("sites down")),
        ("note", _("note")),
    )
    for key, header in headers:
        numeric = key in ("pages", "new", "errors", "down", "id")
        table.add_column(header, justify="right" if numeric else "left", no_wrap=key != "note")
    for run in runs:
        style = STATUS_STYLES.get(run["status"], "")
        status = status_name(run["status"])
        table.add_row(
            str(run["id"]),
            kind_name(run["kind"]),
            (run["clock"] or run["started_at"]).replace("T", " "),
            duration(run),
            f"[{style}]{status}[/]" if style else status,
            str(run["pages"]),
            str(run["new_posts"]),
            str(run["errors"]),
            str(run["sites_down"]),
            (run["note"] or "")[:NOTE_CHARS],
        )
    console().print(table)


@click.command("runs")
@config_option
@db_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@click.option(
    "--kind",
    type=click.Choice(["crawl", "probe", "check", "report"]),
    default=None,
    help=_("Only runs of this job."),
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json"]),
    default="table",
    help=_("Output: a table, or JSON for other programs."),
)
def runs(
    config_path: Path, db_path: Path | None, limit: int, kind: str | None, output: str
) -> None:
    """List the run history: job, clock, duration, status, pages, new posts, errors, sites down.

    Every run of every job is listed — crawls, probe rounds, checks and reports, whether the
    scheduler or a person started it — at its clock (the --now it ran with).

    \b
    Example:
        sitewatch runs --db data/demo.db --limit 10
        sitewatch runs --config config/demo.yaml --format json
    """
    group = load_group(config_path) if db_path is None else None  # --db alone needs no config
    db = for_reading(resolve_db(db_path, group))
    history = fetch_runs(db, limit, kind)
    if output == "json":
        click.echo(json.dumps(history, ensure_ascii=False, indent=2))
    else:
        print_table(history)
