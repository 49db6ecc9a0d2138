"""Opening the database from a command: one clear line for every way it can go wrong.

Commands that write (crawl, probe) need a writable database in a writable folder (SQLite's WAL
mode creates `-wal`/`-shm` files beside it). Commands that only read (check, stats, report,
runs) also work on a database they cannot write — a copy handed over read-only, a backup on a
read-only mount: they read a private copy made in a temporary folder, so SQLite never needs
to create anything beside the original.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import click

from sitewatch.i18n import _

# A sitewatch database has this table from its first migration on.
MARKER_TABLE = "crawl_runs"
SIDE_FILES = ("-wal",)


def require_existing(db: Path) -> None:
    """Stop unless the database file exists (a read never creates one)."""
    if not db.exists():
        raise click.ClickException(
            _("{db}: no such database (run `sitewatch crawl` first, or pass --db FILE)").format(
                db=db
            )
        )
    if db.is_dir():
        raise click.ClickException(_("{db}: is a folder, not a database file").format(db=db))


def table_names(db: Path) -> set[str]:
    """The tables of a SQLite file, opened read-only and immutable (never writes, no -shm)."""
    uri = f"{db.absolute().as_uri()}?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True)
    try:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()


def require_sitewatch_file(db: Path) -> None:
    """Stop when the file is not a SQLite database, or is someone else's."""
    if not os.access(db, os.R_OK):
        raise click.ClickException(
            _("{db}: cannot read the database: permission denied; check its permissions").format(
                db=db
            )
        )
    if db.stat().st_size == 0:
        return  # an empty file becomes a new database (SQLite's own behaviour)
    try:
        tables = table_names(db)
    except sqlite3.DatabaseError:
        raise click.ClickException(
            _("{db}: not a SQLite database (is --db the right file?)").format(db=db)
        ) from None
    except OSError as exc:
        raise click.ClickException(
            _("{db}: cannot read the database: {reason}").format(db=db, reason=exc.strerror)
        ) from None
    if tables and MARKER_TABLE not in tables:
        raise click.ClickException(
            _("{db}: a SQLite database, but not a sitewatch one (is --db the right file?)").format(
                db=db
            )
        )


def folder_writable(db: Path) -> bool:
    """True when SQLite can create its side files beside the database."""
    return os.access(db.absolute().parent, os.W_OK | os.X_OK)


def writable(db: Path) -> bool:
    """True when the database and its folder can both be written."""
    return folder_writable(db) and (not db.exists() or os.access(db, os.W_OK))


def for_writing(db: Path) -> Path:
    """The database for a command that writes: it must be ours and writable, or stop."""
    if db.exists():
        if db.is_dir():
            raise click.ClickException(_("{db}: is a folder, not a database file").format(db=db))
        require_sitewatch_file(db)
        if not os.access(db, os.W_OK):
            raise click.ClickException(
                _(
                    "{db}: the database is read-only; make it writable (chmod u+w) or pass --db"
                ).format(db=db)
            )
    folder = db.absolute().parent
    existing = next((p for p in (folder, *folder.parents) if p.exists()), folder)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise click.ClickException(
            _(
                "{folder}: cannot write in the database's folder; make it writable or pass --db"
            ).format(folder=existing)
        )
    return db


def for_reading(db: Path) -> Path:
    """The database for a command that only reads: the file itself, or a private copy of it
    when SQLite could not open it in place (read-only file or folder)."""
    require_existing(db)
    require_sitewatch_file(db)
    if writable(db):
        return db
    return private_copy(db)


def private_copy(db: Path) -> Path:
    """Copy the database (and its uncommitted WAL) to a temporary folder removed at exit."""
    folder = Path(tempfile.mkdtemp(prefix="sitewatch-ro-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    copy = folder / db.name
    try:
        shutil.copyfile(db, copy)
        for suffix in SIDE_FILES:
            side = db.with_name(db.name + suffix)
            if side.exists():
                shutil.copyfile(side, copy.with_name(copy.name + suffix))
    except OSError as exc:
        raise click.ClickException(
            _("{db}: cannot read the database: {reason}").format(db=db, reason=exc.strerror)
        ) from None
    return copy


def read_only_connection(db: Path) -> sqlite3.Connection:
    """A read-only connection for a command that only reads (`db` from `for_reading`).

    A database of an older schema is read through a migrated private copy instead: the
    queries expect the current tables, and a reader must never migrate the original."""
    from sqlite_utils import Database

    from crawler.migrations import MIGRATIONS
    from crawler.store import open_db

    conn = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)
    try:
        current = not MIGRATIONS.pending(Database(conn))
    except sqlite3.Error:
        current = False
    if current:
        return conn
    conn.close()
    return open_db(private_copy(db)).conn


def latest_completed_crawl(db: Path) -> str | None:
    """The clock (`--now`) of the newest crawl that ended ok, else None."""
    from analysis.queries import latest_crawl_clock

    conn = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return latest_crawl_clock(conn)
    finally:
        conn.close()


def months_with_data(db: Path) -> list[str]:
    """`YYYY-MM` of every month in which a crawl or a probe ran, oldest first."""
    uri = f"{db.absolute().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        rows = conn.execute(
            "SELECT DISTINCT substr(COALESCE(clock, started_at), 1, 7) FROM crawl_runs"
            " WHERE kind = 'crawl'"
            " UNION SELECT DISTINCT substr(probed_at, 1, 7) FROM probes"
        ).fetchall()
    except sqlite3.Error:
        return []
    finally:
        conn.close()
    return sorted(row[0] for row in rows if row[0])


def no_data_error(period: str, db: Path, shown: Path | None = None) -> click.ClickException:
    """The one message for a month or year nobody monitored, naming the months that have data.

    `db` is the file read (maybe a private copy), `shown` the one the user named."""
    months = months_with_data(db)
    db = shown or db
    if not months:
        return click.ClickException(
            _("{period}: no monitoring data in {db}; nothing has been crawled yet").format(
                period=period, db=db
            )
        )
    return click.ClickException(
        _("{period}: no monitoring data in {db}; months with data: {months}").format(
            period=period, db=db, months=", ".join(compress_months(months))
        )
    )


def compress_months(months: list[str]) -> list[str]:
    """Consecutive months as ranges: 2012-01 … 2012-12 → `2012-01 – 2012-12`."""
    ranges: list[list[str]] = []
    for month in months:
        if ranges and month == next_month(ranges[-1][-1]):
            ranges[-1].append(month)
        else:
            ranges.append([month])
    return [r[0] if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in ranges]


def next_month(month: str) -> str:
    """`2012-12` → `2013-01`."""
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"
