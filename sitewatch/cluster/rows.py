"""A site's rows as JSON: the snapshot a crawl job carries, the changes it brings back, the merge.

Agents never open the group's database. The writer exports what one site's crawl needs to know
(its sites/columns/posts/letters rows, recent link checks, HTTP validators and robots.txt of its
hosts, the last crawl run) into the job; the agent loads it into a scratch database of the same
schema, runs the ordinary crawl there, and sends back every row that is new or changed. The
writer merges those rows into the real database: rows that came from the snapshot keep their
ids, new rows get fresh ids, and every reference to a new row is rewritten (declared foreign
keys, plus the `<thing>_id` naming convention for undeclared ones).

Tables are found by introspection, so a table added by a later migration travels with the job
when it holds a `site_id` column or refers to a site's columns, posts or letters.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

#: Tables that are never part of a crawl job: logs the crawl does not read, other jobs' data,
#: and the writer's own bookkeeping.
NOT_CARRIED = frozenset(
    {
        "crawl_runs",
        "probes",
        "alerts",
        "alert_conditions",
        "cluster_jobs",
        "_sqlite_migrations",
        "sqlite_sequence",
    }
)
#: Append-only logs, carried for a recent span only: link checks for the re-check rules (a
#: month and some); the fetch log not at all (the crawl never reads it; the run adds rows).
RECENT_ONLY = {"links": ("checked_at", 40), "fetches": ("fetched_at", 0)}
#: Tables keyed by URL or host rather than by site: carried for the site's hosts.
BY_HOST = {"http_cache": "url", "robots_cache": "netloc"}
#: Undeclared references by name: `column_id` points at `columns`, and so on.
CONVENTIONAL_REFS = {
    "column_id": "columns",
    "post_id": "posts",
    "consultation_id": "consultations",
    "letter_id": "consultations",
    "link_id": "links",
    "fetch_id": "fetches",
}
RUN_COLUMNS = frozenset({"run_id", "first_run_id", "last_run_id"})

Rows = dict[str, dict[str, Any]]  # table -> {"columns": [...], "rows": [[...], ...]}


def table_names(conn: sqlite3.Connection) -> list[str]:
    """User tables, in creation order."""
    return [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY rowid"
        )
    ]


def column_names(conn: sqlite3.Connection, table: str) -> list[str]:
    """A table's columns in order."""
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]


def integer_key(conn: sqlite3.Connection, table: str) -> str | None:
    """The INTEGER PRIMARY KEY column (a rowid alias), if the table has one."""
    keys = [row for row in conn.execute(f'PRAGMA table_info("{table}")') if row[5]]
    if len(keys) == 1 and str(keys[0][2]).upper() == "INTEGER":
        return str(keys[0][1])
    return None


def references(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    """Column -> referenced table, declared or by naming convention."""
    refs = {row[3]: row[2] for row in conn.execute(f'PRAGMA foreign_key_list("{table}")')}
    for column in column_names(conn, table):
        if column in CONVENTIONAL_REFS and column not in refs:
            refs[column] = CONVENTIONAL_REFS[column]
    return {column: target for column, target in refs.items() if target != "crawl_runs"}


def site_hosts(home_url: str, allowed_domains: list[str]) -> set[str]:
    """The hosts whose HTTP validators and robots.txt belong to this site's crawl."""
    hosts = {urlsplit(home_url).netloc.lower()}
    hosts.update(domain.lower() for domain in allowed_domains)
    return {host for host in hosts if host}


def url_host(url: str) -> str:
    """The netloc of a URL, lower case."""
    return urlsplit(url).netloc.lower()


def carried_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables a crawl job carries, parents before children."""
    names = [name for name in table_names(conn) if name not in NOT_CARRIED]
    keep = []
    site_row_tables = {"sites", "columns", "posts", "consultations"}
    for name in names:
        columns = set(column_names(conn, name))
        if (
            name in BY_HOST
            or name == "sites"
            or "site_id" in columns
            or set(references(conn, name).values()) & site_row_tables
        ):
            keep.append(name)
    return order_by_references(conn, keep)


def order_by_references(conn: sqlite3.Connection, tables: list[str]) -> list[str]:
    """Tables sorted so that every referenced table comes before the ones referring to it."""
    ordered: list[str] = []
    pending = list(tables)
    while pending:
        for name in pending:
            parents = set(references(conn, name).values()) & set(pending)
            if parents <= {name}:
                ordered.append(name)
                pending.remove(name)
                break
        else:  # a cycle: keep creation order for the rest
            ordered.extend(pending)
            break
    return ordered


def select_site_rows(
    conn: sqlite3.Connection,
    table: str,
    site_id: str,
    hosts: set[str],
    parents: dict[str, set[int]],
    now: datetime,
) -> tuple[list[str], list[list[Any]]]:
    """One table's rows belonging to one site."""
    columns = column_names(conn, table)
    quoted = ", ".join(f'"{c}"' for c in columns)
    if table == "sites":
        cursor = conn.execute(f"SELECT {quoted} FROM sites WHERE id = ?", (site_id,))
        return columns, [list(row) for row in cursor]
    if table in BY_HOST:
        key = BY_HOST[table]
        cursor = conn.execute(f'SELECT {quoted} FROM "{table}"')
        index = columns.index(key)
        wanted = [
            list(row)
            for row in cursor
            if (url_host(row[index]) if key == "url" else str(row[index]).lower()) in hosts
        ]
        return columns, wanted
    where, params = row_filter(conn, table, columns, site_id, parents)
    if table in RECENT_ONLY:
        column, days = RECENT_ONLY[table]
        where += f' AND "{column}" >= ?'
        params.append((now - timedelta(days=days)).replace(microsecond=0).isoformat())
    cursor = conn.execute(f'SELECT {quoted} FROM "{table}" WHERE {where}', params)
    return columns, [list(row) for row in cursor]


def row_filter(
    conn: sqlite3.Connection,
    table: str,
    columns: list[str],
    site_id: str,
    parents: dict[str, set[int]],
) -> tuple[str, list[Any]]:
    """The WHERE clause selecting a site's rows of a table."""
    if "site_id" in columns:
        return "site_id = ?", [site_id]
    clauses, params = [], []
    for column, target in references(conn, table).items():
        ids = sorted(parents.get(target, ()))
        if ids:
            clauses.append(f'"{column}" IN ({",".join("?" for _ in ids)})')
            params.extend(ids)
    return ("(" + " OR ".join(clauses) + ")" if clauses else "0"), params


def snapshot(
    conn: sqlite3.Connection, site_id: str, hosts: set[str], now: datetime
) -> dict[str, Any]:
    """Everything one site's crawl reads from the database, as JSON-ready rows."""
    tables: Rows = {}
    parents: dict[str, set[int]] = {}
    for table in carried_tables(conn):
        columns, rows = select_site_rows(conn, table, site_id, hosts, parents, now)
        tables[table] = {"columns": columns, "rows": [encode_row(row) for row in rows]}
        key = integer_key(conn, table)
        if key is not None:
            index = columns.index(key)
            parents[table] = {row[index] for row in rows}
    last_run = conn.execute(
        "SELECT id, kind, started_at, finished_at, clock, status, full, sites FROM crawl_runs"
        " WHERE kind = 'crawl' AND status != 'running' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return {"tables": tables, "last_run": list(last_run) if last_run else None}


def encode_row(row: list[Any]) -> list[Any]:
    """JSON cannot carry bytes: BLOBs travel as {"hex": ...}."""
    return [{"hex": value.hex()} if isinstance(value, bytes) else value for value in row]


def decode_row(row: list[Any]) -> list[Any]:
    """The inverse of `encode_row`."""
    return [
        bytes.fromhex(value["hex"]) if isinstance(value, dict) and "hex" in value else value
        for value in row
    ]


def load_snapshot(conn: sqlite3.Connection, snap: dict[str, Any]) -> None:
    """Fill an empty, migrated scratch database with a snapshot (ids kept as they are)."""
    if snap.get("last_run"):
        marks = ",".join("?" for _ in snap["last_run"])
        conn.execute(
            "INSERT INTO crawl_runs (id, kind, started_at, finished_at, clock, status, full,"
            f" sites) VALUES ({marks})",
            snap["last_run"],
        )
    for table, data in snap["tables"].items():
        insert_rows(conn, table, data["columns"], [decode_row(r) for r in data["rows"]])
    conn.commit()


def insert_rows(
    conn: sqlite3.Connection, table: str, columns: list[str], rows: list[list[Any]]
) -> None:
    """INSERT OR REPLACE rows as they are."""
    if not rows:
        return
    present = set(column_names(conn, table))
    keep = [i for i, column in enumerate(columns) if column in present]
    names = ", ".join(f'"{columns[i]}"' for i in keep)
    marks = ", ".join("?" for _ in keep)
    conn.executemany(
        f'INSERT OR REPLACE INTO "{table}" ({names}) VALUES ({marks})',
        ([row[i] for i in keep] for row in rows),
    )


def changes(
    conn: sqlite3.Connection, snap: dict[str, Any], site_id: str, hosts: set[str], now: datetime
) -> dict[str, Any]:
    """The rows of the scratch database that are new or differ from the snapshot.

    Each changed table comes back as columns, rows and, per row, whether it came from the
    snapshot (so the writer knows which ids are the real database's and which are scratch ids).
    """
    after = snapshot(conn, site_id, hosts, now)["tables"]
    out: dict[str, Any] = {}
    for table, data in after.items():
        if table == "sites":  # recorded by the writer from the config, with the parent
            continue
        columns = data["columns"]
        key = integer_key(conn, table) or primary_key(conn, table)
        before = snap["tables"].get(table, {"columns": columns, "rows": []})
        old = rows_by_key(before["columns"], before["rows"], key)
        index = columns.index(key) if key in columns else None
        changed, known = [], []
        for row in data["rows"]:
            row_key = row[index] if index is not None else tuple(map(repr, row))
            previous = old.get(row_key)
            if previous is None or previous != dict(zip(columns, row, strict=True)):
                changed.append(row)
                known.append(previous is not None)
        if changed:
            out[table] = {"columns": columns, "rows": changed, "known": known}
    return out


def primary_key(conn: sqlite3.Connection, table: str) -> str | None:
    """The single-column primary key (TEXT keys included), if any."""
    keys = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")') if row[5]]
    return str(keys[0]) if len(keys) == 1 else None


def rows_by_key(columns: list[str], rows: list[list[Any]], key: str | None) -> dict[Any, Any]:
    """Rows as dicts, by their key (or the whole row when the table has none)."""
    if key is None or key not in columns:
        return {tuple(map(repr, row)): dict(zip(columns, row, strict=True)) for row in rows}
    index = columns.index(key)
    return {row[index]: dict(zip(columns, row, strict=True)) for row in rows}


def merge(
    conn: sqlite3.Connection,
    changed: dict[str, Any],
    *,
    scratch_run_id: int | None,
    run_id: int | None,
) -> int:
    """Write an agent's changed rows into the real database; returns the rows written.

    Call inside a transaction. Rows from the snapshot are updated by their key; new rows of
    tables with an integer key get fresh ids, and references to them are rewritten.
    """
    new_ids: dict[str, dict[int, int]] = {}
    written = 0
    order = order_by_references(conn, [t for t in changed if t in set(table_names(conn))])
    for table in order:
        data = changed[table]
        columns = data["columns"]
        refs = references(conn, table)
        key = integer_key(conn, table)
        for row, known in zip(data["rows"], data["known"], strict=True):
            values = dict(zip(columns, decode_row(row), strict=True))
            for column, target in refs.items():
                value = values.get(column)
                if value is not None and value in new_ids.get(target, {}):
                    values[column] = new_ids[target][value]
            for column in RUN_COLUMNS & values.keys():
                if scratch_run_id is not None and values[column] == scratch_run_id:
                    values[column] = run_id
            if key is not None and not known:
                scratch_id = values.pop(key)
                new_id = insert_values(conn, table, values, replace=False)
                new_ids.setdefault(table, {})[scratch_id] = new_id
            else:
                insert_values(conn, table, values, replace=True)
            written += 1
    return written


def insert_values(
    conn: sqlite3.Connection, table: str, values: dict[str, Any], *, replace: bool
) -> int:
    """Insert one row (replacing one with the same key when asked); returns its rowid."""
    present = set(column_names(conn, table))
    values = {k: v for k, v in values.items() if k in present}
    names = ", ".join(f'"{k}"' for k in values)
    marks = ", ".join("?" for _ in values)
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    cursor = conn.execute(
        f'{verb} INTO "{table}" ({names}) VALUES ({marks})', list(values.values())
    )
    return int(cursor.lastrowid or 0)
