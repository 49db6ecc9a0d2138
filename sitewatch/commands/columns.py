"""`sitewatch columns`: columns the crawl could not read (抽取异常, 需渲染), and acknowledging them.

A column whose page changed template (抽取异常) or whose list only scripts draw (需渲染) is
kept out of the staleness rules until its items come back or a person acknowledges the new
shape here; the next crawl then takes the page as it is now as the column's baseline.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from crawler.extraction import acknowledge
from crawler.store import open_db
from sitewatch.database import for_reading, for_writing
from sitewatch.i18n import _
from sitewatch.options import config_option, db_option, load_group, resolve_db
from sitewatch.output import console

FIELDS = ("site_id", "key", "name", "url", "extraction_state", "extraction_since")


def unreadable_columns(db: Path) -> list[dict[str, Any]]:
    """Columns whose extraction state is not ok, with their before/after shape."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            f"SELECT {', '.join(FIELDS)}, extraction_detail FROM columns"
            " WHERE extraction_state != 'ok' ORDER BY site_id, id"
        ).fetchall()
    finally:
        conn.close()
    found = []
    for row in rows:
        column = dict(zip(FIELDS, row[:-1], strict=True))
        column["detail"] = json.loads(row[-1]) if row[-1] else None
        found.append(column)
    return found


def state_name(state: str) -> str:
    """A column's extraction state in the user's language."""
    names = {"broken": _("extraction broken"), "needs_render": _("needs rendering")}
    return names.get(state, state)


def shape_change(detail: dict[str, Any] | None) -> str:
    """`20 → 0` items on the first list page (before → now)."""
    if not detail:
        return ""
    before, after = detail.get("before") or {}, detail.get("after") or {}
    return f"{before.get('items', '–')} → {after.get('items', '–')}"


def print_table(columns: list[dict[str, Any]]) -> None:
    """The unreadable columns as a table."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=_("Columns the crawl could not read"))
    for header in (_("site"), _("column"), _("state"), _("since"), _("items"), _("address")):
        table.add_column(header)
    for column in columns:
        # Crawled text is untrusted: Text() keeps rich markup in a column name as plain text.
        cells = (
            column["site_id"],
            f"{column['name']} ({column['key']})",
            state_name(column["extraction_state"]),
            (column["extraction_since"] or "").replace("T", " ")[:16],
            shape_change(column["detail"]),
            column["url"],
        )
        table.add_row(*(Text(cell) for cell in cells))
    console().print(table)


@click.command("columns")
@config_option
@db_option
@click.option(
    "--ack",
    "acks",
    multiple=True,
    metavar="SITE/COLUMN",
    help=_("Acknowledge a column's new page shape (repeatable)."),
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json"]),
    default="table",
    help=_("Output: a table, or JSON for other programs."),
)
def columns(config_path: Path, db_path: Path | None, acks: tuple[str, ...], output: str) -> None:
    """List columns the crawl could not read: template changed, or drawn only by scripts.

    Such columns are kept out of the staleness rules. After a person has looked at the page
    (and, if needed, added an `extract:` override or `render: auto`), --ack takes the page as
    it is now as the column's new baseline at the next crawl.

    \b
    Example:
        sitewatch columns --config config/demo.yaml
        sitewatch columns --db data/demo.db --ack bzc/gzdt
    """
    group = load_group(config_path) if db_path is None else None
    db = resolve_db(db_path, group)
    if acks:
        acknowledge_all(for_writing(db), acks)
        return
    found = unreadable_columns(for_reading(db))
    if output == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
    elif not found:
        click.echo(_("Every crawled column reads as before."))
    else:
        print_table(found)


def acknowledge_all(db: Path, acks: tuple[str, ...]) -> None:
    """Acknowledge each SITE/COLUMN; one clear line for the first one that is not a column."""
    conn = open_db(db).conn
    try:
        for ack in acks:
            site_id, _slash, key = ack.partition("/")
            if not acknowledge(conn, site_id, key, datetime.now()):
                raise click.ClickException(
                    _("{db}: no column {column} (write SITE/COLUMN as listed)").format(
                        db=db, column=ack
                    )
                )
            click.echo(_("{column}: acknowledged; the next crawl takes its page as it is now.")
                       .format(column=ack))  # fmt: skip
    finally:
        conn.close()
