"""Run one crawl of a website group: record the run, start Scrapy, close the run with figures."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from twisted.python.failure import Failure

from crawler.config import GroupConfig, SiteConfig
from crawler.config.checks import url_host
from crawler.notes import STORAGE_ERROR_KEY, Note, notes_of
from crawler.settings import SITEWATCH_LINK_RECHECK_DAYS, build_settings
from crawler.spiders.group import GroupSpider
from crawler.state import CrawlContext, CrawlProgress, SiteProgress, load_state
from crawler.store import Store, open_db


@dataclass
class CrawlResult:
    """What a finished crawl reports back to the CLI."""

    run_id: int
    status: str
    progress: CrawlProgress
    note: str | None = None


def prepare(
    group: GroupConfig, sites: list[SiteConfig], db_path: Path, now: datetime, full: bool
) -> CrawlContext:
    """Open the database, record the sites and the run, and read what is already known."""
    db = open_db(db_path)
    store = Store(db)
    for site in sites:
        store.upsert_site(
            site_id=site.id,
            name=site.name,
            unit_type=site.unit_type.value,
            parent=site.parent,
            home_url=site.home_url,
            allowed_domains=site.allowed_domains,
            now=now,
        )
    # The crawl command holds the crawl job lock, so a 'running' crawl row is a killed run.
    store.interrupt_stale_runs("crawl", "process ended without closing the run (killed?)")
    run_id = store.start_run(kind="crawl", clock=now, full=full, sites=[s.id for s in sites])
    state = load_state(db, [s.id for s in sites], now, SITEWATCH_LINK_RECHECK_DAYS)
    db.conn.close()
    progress = CrawlProgress(sites={site.id: SiteProgress() for site in sites})
    by_host = {url_host(site.home_url): site.id for site in sites}
    return CrawlContext(
        group=group,
        sites=sites,
        db_path=str(db_path),
        run_id=run_id,
        now=now,
        full=full,
        state=state,
        progress=progress,
        site_by_host=by_host,
    )


def run_crawl(
    group: GroupConfig,
    sites: list[SiteConfig],
    db_path: Path,
    *,
    now: datetime,
    full: bool = False,
    on_start: Callable[[CrawlContext], None] | None = None,
    log_level: str = "CRITICAL",
    settings: dict[str, Any] | None = None,
) -> CrawlResult:
    """Crawl the sites into the database; blocks until done (Twisted's reactor runs once).

    `settings` override Scrapy settings (tests inject e.g. SITEWATCH_DNS_LOOKUP).
    """
    context = prepare(group, sites, db_path, now, full)
    if on_start is not None:
        on_start(context)
    process = CrawlerProcess(
        {**build_settings(group, sites, log_level=log_level), **(settings or {})}
    )
    logging.getLogger("scrapy").setLevel(log_level)
    status = "failed"
    note = None
    stats = None
    try:
        crawler = process.create_crawler(GroupSpider)
        # A component that fails while the crawler starts only fails this Deferred; Scrapy
        # logs it and the reactor stops as if the crawl had finished with nothing to do.
        failures: list[Failure] = []
        process.crawl(crawler, context=context).addErrback(failures.append)
        process.start()
        if failures:
            raise CrawlNotStarted(failures[0].getErrorMessage()) from failures[0].value
        stats = crawler.stats  # kept: the process forgets its crawlers once they finish
        status, note = outcome(stats)
    except BaseException as exc:  # recorded, then re-raised: the run row must say it failed
        note = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        note = finish(context, status, note, notes_of(stats))
    return CrawlResult(context.run_id, status, context.progress, note)


class CrawlNotStarted(RuntimeError):
    """The crawler could not start (a component failed while it was built)."""


def outcome(stats: Any) -> tuple[str, str | None]:
    """The run's status and note from the crawler's stats."""
    storage_error = stats.get_value(STORAGE_ERROR_KEY) if stats else None
    if storage_error:
        return "failed", f"storage failed, crawl stopped: {storage_error}"
    reason = stats.get_value("finish_reason") if stats else None
    if reason in (None, "finished"):
        return "ok", None
    return "interrupted", f"finish reason: {reason}"


def finish(context: CrawlContext, status: str, note: str | None, notes: list[Note]) -> str | None:
    """Close the run row (status, sites down, note) and store its notes; return the note.

    When even that write fails (the disk that stopped the crawl is still full), the run row
    keeps the figures committed so far and the note says why it could not be closed.
    """
    progress = context.progress
    down = sum(1 for s in progress.sites.values() if not s.home_status.isdigit())
    rows = [(n.site_id, n.kind, n.detail, n.url) for n in notes]
    for attempt in range(2):
        try:
            store = Store(open_db(context.db_path, migrate_schema=False))
            try:
                if attempt:
                    # A file-size limit or full disk hit the growing WAL: fold it into the
                    # database so the closing write fits where the failed ones did not.
                    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                # pages, new_posts, known_posts and errors were counted as they committed.
                store.finish_run(context.run_id, status=status, sites_down=down, note=note)
                store.record_notes(context.run_id, rows, context.clock())
            finally:
                store.conn.close()
            return note
        except sqlite3.Error as exc:
            failure = exc
    return f"{note or status}; the run row could not be closed: {failure}"
