"""The one writer of the sitewatch database: open, migrate, and upsert what the crawler finds.

Every statement is parameterised; crawled text never becomes SQL. Timestamps are ISO 8601
strings (``YYYY-MM-DDTHH:MM:SS``) on the crawl's clock, dates are ``YYYY-MM-DD``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from crawler.migrations import migrate
from crawler.urls import url_key

BUSY_TIMEOUT_MS = 30_000


def open_db(path: str | Path, *, migrate_schema: bool = True) -> Database:
    """Open (creating when missing) a database in WAL mode with foreign keys on, migrated."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    db = Database(conn)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    # NORMAL is durable across application crashes in WAL mode; only power loss can drop
    # the last transactions, which a re-crawl restores.
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    if migrate_schema:
        migrate(db)
    return db


def iso(moment: datetime | date | None) -> str | None:
    """Format a datetime (seconds precision) or a date as ISO 8601; None stays None."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return moment.replace(microsecond=0, tzinfo=None).isoformat()
    return moment.isoformat()


@dataclass(frozen=True)
class PostRecord:
    """One post as found on a column list page (and maybe its detail page)."""

    site_id: str
    column_id: int | None
    url: str
    title: str
    published_on: date | None
    date_source: str | None = None
    list_date: date | None = None
    meta_date: date | None = None
    text_date: date | None = None
    url_date: date | None = None
    department: str | None = None
    detail_fetched: bool = False


@dataclass(frozen=True)
class ConsultationRecord:
    """One letter in a consultation mailbox (局长信箱 / 在线咨询)."""

    site_id: str
    column_id: int | None
    url: str | None
    title: str
    asked_on: date | None
    replied_on: date | None
    status: str | None
    detail_fetched: bool = False


class Store:
    """Writes crawl results; one instance per process, used from the crawl's thread."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.conn = db.conn

    # -- runs ---------------------------------------------------------------------------
    def start_run(
        self, *, kind: str, clock: datetime, full: bool = False, sites: Iterable[str] = ()
    ) -> int:
        """Record the start of a crawl/probe run and return its id."""
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO crawl_runs (kind, started_at, clock, status, full, sites)"
                " VALUES (?, ?, ?, 'running', ?, ?)",
                (kind, iso(datetime.now()), iso(clock), int(full), json.dumps(list(sites))),
            )
        return int(cur.lastrowid or 0)

    def interrupt_stale_runs(self, kind: str, note: str) -> int:
        """Mark runs of this kind still 'running' as 'interrupted'; return how many.

        Only call it while holding the job's lock: then no such run is alive, and a 'running'
        row is one whose process was killed before it could close it.
        """
        with self.conn:
            cur = self.conn.execute(
                "UPDATE crawl_runs SET status = 'interrupted', note = ? WHERE kind = ?"
                " AND status = 'running'",
                (note, kind),
            )
        return cur.rowcount

    def finish_run(self, run_id: int, *, status: str, **figures: int | str | None) -> None:
        """Close a run with its status and key figures (pages, new_posts, errors, …)."""
        allowed = {"pages", "new_posts", "known_posts", "errors", "sites_down", "note"}
        unknown = set(figures) - allowed
        if unknown:
            raise ValueError(f"unknown run figures: {sorted(unknown)}")
        sets = ", ".join(f"{name} = ?" for name in figures)
        params: list[Any] = [status, iso(datetime.now()), *figures.values(), run_id]
        with self.conn:
            self.conn.execute(
                f"UPDATE crawl_runs SET status = ?, finished_at = ?{', ' if sets else ''}{sets}"
                " WHERE id = ?",
                params,
            )

    # -- sites and columns --------------------------------------------------------------
    def upsert_site(
        self,
        *,
        site_id: str,
        name: str,
        unit_type: str,
        parent: str | None,
        home_url: str,
        allowed_domains: list[str],
        now: datetime,
    ) -> None:
        """Insert or refresh a site's row from the config."""
        with self.conn:
            self.conn.execute(
                "INSERT INTO sites (id, name, unit_type, parent, home_url, allowed_domains,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
                " unit_type = excluded.unit_type, parent = excluded.parent,"
                " home_url = excluded.home_url, allowed_domains = excluded.allowed_domains,"
                " updated_at = excluded.updated_at",
                (site_id, name, unit_type, parent, home_url, json.dumps(allowed_domains), iso(now)),
            )

    def upsert_column(
        self,
        *,
        site_id: str,
        key: str,
        name: str,
        url: str,
        category: str,
        source: str,
        on_home_page: bool,
    ) -> int:
        """Insert or refresh a column and return its id."""
        with self.conn:
            self.conn.execute(
                "INSERT INTO columns (site_id, key, name, url, category, source, on_home_page)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(site_id, key) DO UPDATE SET name = excluded.name,"
                " url = excluded.url, category = excluded.category, source = excluded.source,"
                " on_home_page = MAX(columns.on_home_page, excluded.on_home_page)",
                (site_id, key, name, url, category, source, int(on_home_page)),
            )
        row = self.conn.execute(
            "SELECT id FROM columns WHERE site_id = ? AND key = ?", (site_id, key)
        ).fetchone()
        return int(row[0])

    def column_is_new(self, column_id: int) -> bool:
        """True when the column has never been crawled: its posts are the baseline."""
        row = self.conn.execute(
            "SELECT first_crawled_at FROM columns WHERE id = ?", (column_id,)
        ).fetchone()
        return row is None or row[0] is None

    def mark_column_crawled(self, column_id: int, now: datetime) -> None:
        """Stamp a column as crawled (the first stamp ends its baseline)."""
        with self.conn:
            self.conn.execute(
                "UPDATE columns SET first_crawled_at = COALESCE(first_crawled_at, ?),"
                " last_crawled_at = ? WHERE id = ?",
                (iso(now), iso(now), column_id),
            )

    # -- posts --------------------------------------------------------------------------
    def upsert_post(
        self, post: PostRecord, *, now: datetime, run_id: int | None, baseline: bool
    ) -> bool:
        """Insert a new post or refresh a known one; return True when it is new."""
        key = url_key(post.url)
        existed = self.conn.execute(
            "SELECT 1 FROM posts WHERE site_id = ? AND url_key = ?", (post.site_id, key)
        ).fetchone()
        with self.conn:
            self.conn.execute(
                "INSERT INTO posts (site_id, column_id, url, url_key, title, published_on,"
                " date_source, list_date, meta_date, text_date, url_date, department, baseline,"
                " first_seen_at, last_seen_at, detail_fetched_at, first_run_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(site_id, url_key) DO UPDATE SET"
                " title = excluded.title,"
                " column_id = COALESCE(posts.column_id, excluded.column_id),"
                " published_on = COALESCE(excluded.published_on, posts.published_on),"
                " date_source = COALESCE(excluded.date_source, posts.date_source),"
                " list_date = COALESCE(excluded.list_date, posts.list_date),"
                " meta_date = COALESCE(excluded.meta_date, posts.meta_date),"
                " text_date = COALESCE(excluded.text_date, posts.text_date),"
                " url_date = COALESCE(excluded.url_date, posts.url_date),"
                " department = COALESCE(excluded.department, posts.department),"
                " last_seen_at = excluded.last_seen_at,"
                " detail_fetched_at = COALESCE(excluded.detail_fetched_at,"
                " posts.detail_fetched_at),"
                " gone_at = NULL",
                (
                    post.site_id,
                    post.column_id,
                    post.url,
                    key,
                    post.title,
                    iso(post.published_on),
                    post.date_source,
                    iso(post.list_date),
                    iso(post.meta_date),
                    iso(post.text_date),
                    iso(post.url_date),
                    post.department,
                    int(baseline),
                    iso(now),
                    iso(now),
                    iso(now) if post.detail_fetched else None,
                    run_id,
                ),
            )
            if run_id is not None and (existed is None or not post.detail_fetched):
                # The run row's figures move with what is committed, so a killed run keeps them.
                figure = "new_posts" if existed is None else "known_posts"
                self.conn.execute(
                    f"UPDATE crawl_runs SET {figure} = {figure} + 1 WHERE id = ?", (run_id,)
                )
        return existed is None

    def mark_gone(self, column_id: int, seen_urls: Iterable[str], now: datetime) -> int:
        """Mark the column's posts not seen in a complete crawl as gone; return how many."""
        seen = {url_key(u) for u in seen_urls}
        rows = self.conn.execute(
            "SELECT id, url_key FROM posts WHERE column_id = ? AND gone_at IS NULL", (column_id,)
        ).fetchall()
        gone = [(iso(now), pid) for pid, key in rows if key not in seen]
        if gone:
            with self.conn:
                self.conn.executemany("UPDATE posts SET gone_at = ? WHERE id = ?", gone)
        return len(gone)

    # -- consultations ------------------------------------------------------------------
    def known_consultation(self, site_id: str, key: str) -> dict[str, Any] | None:
        """The stored row of a letter (by its url key), or None."""
        cur = self.conn.execute(
            "SELECT * FROM consultations WHERE site_id = ? AND url_key = ?", (site_id, key)
        )
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def upsert_consultation(self, letter: ConsultationRecord, *, now: datetime) -> bool:
        """Insert or refresh a letter; return True when it is new."""
        key = consultation_key(letter)
        existed = self.known_consultation(letter.site_id, key) is not None
        with self.conn:
            self.conn.execute(
                "INSERT INTO consultations (site_id, column_id, url, url_key, title, asked_on,"
                " replied_on, status, first_seen_at, last_seen_at, detail_fetched_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(site_id, url_key) DO UPDATE SET title = excluded.title,"
                " asked_on = COALESCE(excluded.asked_on, consultations.asked_on),"
                " replied_on = COALESCE(excluded.replied_on, consultations.replied_on),"
                " status = COALESCE(excluded.status, consultations.status),"
                " last_seen_at = excluded.last_seen_at,"
                " detail_fetched_at = COALESCE(excluded.detail_fetched_at,"
                " consultations.detail_fetched_at),"
                " gone_at = NULL",
                (
                    letter.site_id,
                    letter.column_id,
                    letter.url,
                    key,
                    letter.title,
                    iso(letter.asked_on),
                    iso(letter.replied_on),
                    letter.status,
                    iso(now),
                    iso(now),
                    iso(now) if letter.detail_fetched else None,
                ),
            )
        return not existed

    # -- fetch log, links, probes, validators -------------------------------------------
    def record_fetch(
        self,
        *,
        run_id: int | None,
        site_id: str | None,
        url: str,
        kind: str,
        status: int | None,
        error: str | None,
        elapsed_ms: int | None,
        size: int | None,
        fetched_at: datetime,
        retry: bool = False,
    ) -> None:
        """Log one HTTP fetch (or its failure) of a run; the run's page and error figures too
        (a `retry` of a request is logged, but it is the same page: counted once)."""
        with self.conn:
            self.conn.execute(
                "INSERT INTO fetches (run_id, site_id, url, kind, status, error, elapsed_ms,"
                " bytes, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, site_id, url, kind, status, error, elapsed_ms, size, iso(fetched_at)),
            )
            if run_id is not None and not retry:
                failed = int(bool(error) and kind != "link")
                self.conn.execute(
                    "UPDATE crawl_runs SET pages = pages + 1, errors = errors + ? WHERE id = ?",
                    (failed, run_id),
                )

    def record_link(
        self,
        *,
        run_id: int | None,
        site_id: str | None,
        url: str,
        found_on: str,
        on_home_page: bool,
        ok: bool,
        status: int | None,
        error: str | None,
        checked_at: datetime,
        detail: str | None = None,
    ) -> None:
        """Store one link check result (`detail`: why an unverifiable link could not be checked)."""
        with self.conn:
            self.conn.execute(
                "INSERT INTO links (run_id, site_id, url, found_on, on_home_page, ok, status,"
                " error, checked_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    site_id,
                    url,
                    found_on,
                    int(on_home_page),
                    int(ok),
                    status,
                    error,
                    iso(checked_at),
                    detail,
                ),
            )

    def record_probe(
        self,
        *,
        site_id: str,
        url: str,
        probed_at: datetime,
        ok: bool,
        status: int | None,
        elapsed_ms: int | None,
        error: str | None,
    ) -> None:
        """Store one availability visit of a home page."""
        with self.conn:
            self.conn.execute(
                "INSERT INTO probes (site_id, url, probed_at, ok, status, elapsed_ms, error)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (site_id, url, iso(probed_at), int(ok), status, elapsed_ms, error),
            )

    def record_notes(
        self, run_id: int, notes: Iterable[tuple[str | None, str, str, str | None]], now: datetime
    ) -> None:
        """Store a run's notes: (site_id, kind, detail, url) each."""
        rows = [(run_id, site, kind, detail, url, iso(now)) for site, kind, detail, url in notes]
        if not rows:
            return
        with self.conn:
            self.conn.executemany(
                "INSERT INTO crawl_notes (run_id, site_id, kind, detail, url, noted_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )

    def save_robots(self, netloc: str, status: int, body: bytes, now: datetime) -> None:
        """Remember a host's robots.txt for the next runs of the day."""
        with self.conn:
            self.conn.execute(
                "INSERT INTO robots_cache (netloc, status, body, fetched_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(netloc) DO UPDATE SET status = excluded.status,"
                " body = excluded.body, fetched_at = excluded.fetched_at",
                (netloc, status, body, iso(now)),
            )

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified last seen for a URL (for conditional requests)."""
        row = self.conn.execute(
            "SELECT etag, last_modified FROM http_cache WHERE url = ?", (url,)
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def save_validators(
        self, url: str, etag: str | None, last_modified: str | None, now: datetime
    ) -> None:
        """Remember a response's validators so the next crawl can ask 'changed since?'."""
        if not etag and not last_modified:
            return
        with self.conn:
            self.conn.execute(
                "INSERT INTO http_cache (url, etag, last_modified, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,"
                " last_modified = excluded.last_modified, updated_at = excluded.updated_at",
                (url, etag, last_modified, iso(now)),
            )


def consultation_key(letter: ConsultationRecord) -> str:
    """A letter's identity: its URL, or its title and asked date when the list has no link."""
    if letter.url:
        return url_key(letter.url)
    return f"title:{letter.title}|{iso(letter.asked_on) or ''}"
