"""Hand-built sitewatch databases for the analysis tests: real SQLite files, plain inserts."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.standards.profile import StandardProfile, parse_profile
from crawler.store import open_db

CRAWLED_AT = "2012-12-31T09:00:00"
FIRST_CRAWL = "2012-01-01T09:00:00"


@dataclass
class World:
    """A database under construction: `site`, `column`, `post`, `letter`, `probe`, `link`."""

    path: Path
    conn: sqlite3.Connection
    posts: int = 0
    columns: dict[str, int] = field(default_factory=dict)

    def site(self, site_id: str = "s1", unit_type: str = "city", name: str = "站点") -> str:
        """Add a site."""
        self.conn.execute(
            "INSERT INTO sites (id, name, unit_type, home_url, updated_at) VALUES (?, ?, ?, ?, ?)",
            (site_id, name, unit_type, f"http://{site_id}.test/", CRAWLED_AT),
        )
        return site_id

    def column(
        self,
        key: str,
        category: str = "news",
        *,
        site: str = "s1",
        home: bool = True,
        crawled: bool = True,
    ) -> int:
        """Add a column (crawled unless told otherwise) and return its id."""
        cur = self.conn.execute(
            "INSERT INTO columns (site_id, key, name, url, category, on_home_page,"
            " first_crawled_at, last_crawled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                site,
                key,
                f"栏目{key}",
                f"http://{site}.test/{key}/",
                category,
                int(home),
                FIRST_CRAWL if crawled else None,
                CRAWLED_AT if crawled else None,
            ),
        )
        self.columns[key] = int(cur.lastrowid)
        return self.columns[key]

    def post(
        self, column: str, published_on: str | None, *, site: str = "s1", **extra: Any
    ) -> None:
        """Add a post to a column (extra: list_date, meta_date, gone_at, baseline, …)."""
        self.posts += 1
        values = {
            "site_id": site,
            "column_id": self.columns[column],
            "url": f"http://{site}.test/{column}/{self.posts}.html",
            "url_key": f"{site}/{column}/{self.posts}",
            "title": f"post {self.posts}",
            "published_on": published_on,
            "list_date": published_on,
            "baseline": 1,
            "first_seen_at": CRAWLED_AT,
            "last_seen_at": CRAWLED_AT,
            **extra,
        }
        names = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        self.conn.execute(f"INSERT INTO posts ({names}) VALUES ({marks})", tuple(values.values()))

    def letter(
        self,
        asked_on: str,
        replied_on: str | None = None,
        *,
        site: str = "s1",
        status: str | None = None,
        column: str | None = None,
    ) -> None:
        """Add a consultation letter."""
        n = self.conn.execute("SELECT COUNT(*) FROM consultations").fetchone()[0] + 1
        self.conn.execute(
            "INSERT INTO consultations (site_id, column_id, url, url_key, title, asked_on,"
            " replied_on, status, first_seen_at, last_seen_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                site,
                self.columns.get(column) if column else None,
                f"http://{site}.test/letter/{n}.html",
                f"letter/{n}",
                f"letter {n}",
                asked_on,
                replied_on,
                status or ("replied" if replied_on else "pending"),
                CRAWLED_AT,
                CRAWLED_AT,
            ),
        )

    def probe(self, at: str, ok: bool = True, *, site: str = "s1", elapsed_ms: int = 100) -> None:
        """Add a home-page probe."""
        self.conn.execute(
            "INSERT INTO probes (site_id, url, probed_at, ok, status, elapsed_ms, error)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                site,
                f"http://{site}.test/",
                at,
                int(ok),
                200 if ok else None,
                elapsed_ms,
                None if ok else "timeout",
            ),
        )

    def link(
        self, url: str, ok: bool, *, home: bool, at: str = CRAWLED_AT, site: str = "s1"
    ) -> None:
        """Add a link check."""
        self.conn.execute(
            "INSERT INTO links (site_id, url, found_on, on_home_page, ok, status, error,"
            " checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                site,
                url,
                f"http://{site}.test/" if home else f"http://{site}.test/a/1.html",
                int(home),
                int(ok),
                200 if ok else 404,
                None if ok else "http_404",
                at,
            ),
        )

    def fetch(self, url: str, status: int | None, error: str | None = None) -> None:
        """Add a list-page fetch to the crawl log."""
        self.conn.execute(
            "INSERT INTO fetches (site_id, url, kind, status, error, fetched_at)"
            " VALUES ('s1', ?, 'list', ?, ?, ?)",
            (url, status, error, CRAWLED_AT),
        )

    def done(self) -> sqlite3.Connection:
        """Commit and return the connection."""
        self.conn.commit()
        return self.conn


def new_world(tmp_path: Path, *sites: str) -> World:
    """An empty migrated database file with the given sites (default one site `s1`)."""
    db = open_db(tmp_path / "t.db")
    world = World(tmp_path / "t.db", db.conn)
    for site_id in sites or ("s1",):
        world.site(site_id)
    return world


def profile_of(rules_yaml: str, **settings: Any) -> StandardProfile:
    """A profile holding the given rules (YAML list items, indented by 2)."""
    head = "\n".join(f"{k}: {v}" for k, v in {"bonus_max": 0, **settings}.items())
    text = f"id: t\nname: test\n{head}\nrules:\n{rules_yaml}"
    return parse_profile(text, "test.yaml")
