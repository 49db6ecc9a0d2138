"""What the crawl knows before it starts: read once from the database, never written here."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from sqlite_utils import Database

if TYPE_CHECKING:
    from crawler.config import GroupConfig, SiteConfig


@dataclass
class KnownPost:
    """A post already stored: whether its detail page was read already."""

    detail_done: bool


@dataclass
class KnownLetter:
    """A letter already stored, with the state the mailbox showed last time."""

    status: str | None
    replied: bool
    detail_done: bool


@dataclass
class CrawlState:
    """Known posts, letters, columns and recent link checks, keyed by site."""

    posts: dict[str, dict[str, KnownPost]] = field(default_factory=dict)
    letters: dict[str, dict[str, KnownLetter]] = field(default_factory=dict)
    columns_pending_details: set[tuple[str, str]] = field(default_factory=set)
    # Columns whose walk the previous, interrupted run began but did not end: walked in full.
    columns_to_resume: set[tuple[str, str]] = field(default_factory=set)
    links_ok_recently: set[str] = field(default_factory=set)
    # Links whose latest check, less than a day ago, failed: re-checked daily, not every run.
    links_failed_today: set[str] = field(default_factory=set)
    # Unanswered letters per (site, column) not re-read for a day: a reply may have come.
    letters_to_recheck: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    # robots.txt bodies fetched within the last day, by netloc: not fetched again.
    robots: dict[str, bytes] = field(default_factory=dict)
    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


def load_state(db: Database, site_ids: list[str], now: datetime, recheck_days: int) -> CrawlState:
    """Read what earlier crawls stored for these sites (aggregate queries, one pass each)."""
    state = CrawlState()
    marks = ",".join("?" for _ in site_ids)
    for site_id, key, detail in db.execute(
        f"SELECT site_id, url_key, detail_fetched_at IS NOT NULL FROM posts"
        f" WHERE site_id IN ({marks})",
        site_ids,
    ):
        state.posts.setdefault(site_id, {})[key] = KnownPost(bool(detail))
    for site_id, key, status, replied, detail in db.execute(
        f"SELECT site_id, url_key, status, replied_on IS NOT NULL,"
        f" detail_fetched_at IS NOT NULL FROM consultations WHERE site_id IN ({marks})",
        site_ids,
    ):
        state.letters.setdefault(site_id, {})[key] = KnownLetter(
            status, bool(replied), bool(detail)
        )
    for site_id, column_key in db.execute(
        f"SELECT DISTINCT c.site_id, c.key FROM posts p JOIN columns c ON c.id = p.column_id"
        f" WHERE p.detail_fetched_at IS NULL AND p.gone_at IS NULL AND c.site_id IN ({marks})",
        site_ids,
    ):
        state.columns_pending_details.add((site_id, column_key))
    state.columns_to_resume = unfinished_columns(db, site_ids)
    since = (now - timedelta(days=recheck_days)).replace(microsecond=0).isoformat()
    state.links_ok_recently = {
        url
        for (url,) in db.execute(
            "SELECT url FROM links WHERE checked_at >= ? GROUP BY url HAVING min(ok) = 1",
            (since,),
        )
    }
    state.links_failed_today = failed_links_since(db, now - timedelta(days=1))
    day_ago = (now - timedelta(days=1)).replace(microsecond=0).isoformat()
    for site_id, column_key, url in db.execute(
        f"SELECT c.site_id, c.key, l.url FROM consultations l JOIN columns c ON c.id = l.column_id"
        f" WHERE l.replied_on IS NULL AND l.url IS NOT NULL AND l.gone_at IS NULL"
        f" AND COALESCE(l.detail_fetched_at, '') < ? AND c.site_id IN ({marks})",
        [day_ago, *site_ids],
    ):
        state.letters_to_recheck.setdefault((site_id, column_key), []).append(url)
    state.robots = {
        netloc: bytes(body)
        for netloc, body in db.execute(
            "SELECT netloc, body FROM robots_cache WHERE fetched_at >= ?", (day_ago,)
        )
    }
    state.validators = {
        url: (etag, modified)
        for url, etag, modified in db.execute("SELECT url, etag, last_modified FROM http_cache")
    }
    return state


def failed_links_since(db: Database, since: datetime) -> set[str]:
    """Links whose latest check failed and happened after `since`."""
    # SQLite takes the bare `ok` from the row holding max(checked_at).
    rows = db.execute(
        "SELECT url, ok, max(checked_at) AS last FROM links GROUP BY url HAVING last >= ?",
        (since.replace(microsecond=0).isoformat(),),
    )
    return {url for url, ok, _last in rows if not ok}


def unfinished_columns(db: Database, site_ids: list[str]) -> set[tuple[str, str]]:
    """Columns the previous crawl left half-walked, when it did not end normally.

    A killed run may have stored page 1 of a column (and its validators) but not page 2; the
    next run would then get 304 or a page of known posts and stop, never reading page 2. So
    every column of that run's sites not stamped as crawled since the run began is walked
    again in full.
    """
    previous = db.execute(
        "SELECT status, clock, sites FROM crawl_runs WHERE kind = 'crawl'"
        " AND status != 'running' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if previous is None or previous[0] == "ok" or previous[1] is None:
        return set()
    _status, clock, sites_json = previous
    run_sites = set(json.loads(sites_json or "[]")) & set(site_ids)
    marks = ",".join("?" for _ in run_sites)
    if not run_sites:
        return set()
    rows = db.execute(
        f"SELECT site_id, key FROM columns WHERE site_id IN ({marks})"
        " AND (last_crawled_at IS NULL OR last_crawled_at < ?)",
        [*run_sites, clock],
    )
    return {(site_id, key) for site_id, key in rows}


@dataclass
class SiteProgress:
    """Live figures of one site during a crawl."""

    pages: int = 0
    new_posts: int = 0
    known_posts: int = 0
    letters: int = 0
    errors: int = 0
    links_broken: int = 0
    home_status: str = "…"
    done: bool = False


@dataclass
class CrawlProgress:
    """Live figures of the whole crawl, read by the CLI's progress display."""

    sites: dict[str, SiteProgress]
    started: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def sites_done(self) -> int:
        """Sites with no request left."""
        return sum(1 for site in self.sites.values() if site.done)

    def total(self, name: str) -> int:
        """The sum of one figure over all sites."""
        return sum(getattr(site, name) for site in self.sites.values())

    def elapsed(self) -> float:
        """Seconds since the crawl started."""
        return time.monotonic() - self.started


@dataclass
class CrawlContext:
    """Everything one crawl run shares between spider, middlewares and pipeline."""

    group: GroupConfig
    sites: list[SiteConfig]
    db_path: str
    run_id: int
    now: datetime
    full: bool
    state: CrawlState
    progress: CrawlProgress
    site_by_host: dict[str, str] = field(default_factory=dict)
    # Hosts of the run's other sites when each site is crawled alone (by an agent): their own
    # crawl reads their pages, so links into them are not checked from here (a crawl of the
    # whole group skips them the same way, having fetched them itself).
    sibling_hosts: frozenset[str] = frozenset()

    @cached_property
    def site_by_id(self) -> dict[str, SiteConfig]:
        """The run's sites by id (a lookup per request: not a scan of thousands of sites)."""
        return {site.id: site for site in self.sites}

    def clock(self) -> datetime:
        """The run's clock now: its start time plus the real time elapsed since."""
        return self.now + timedelta(seconds=round(self.progress.elapsed()))
