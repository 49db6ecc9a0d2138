"""Things a crawl must tell the report about that are not fetches: caps hit, Retry-After given
up, a storage failure. Kept in the crawler's stats under one prefix while the crawl runs and
written to `crawl_notes` when the run closes (`crawler.runner.finish`)."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from dataclasses import dataclass
from typing import Any

NOTES_KEY = "sitewatch/notes"
STORAGE_ERROR_KEY = "sitewatch/storage_error"
STORAGE_REASON = "storage_error"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Note:
    """One remark about a site's crawl: `kind` is a cap's name, `rate_limited`, …"""

    site_id: str | None
    kind: str
    detail: str
    url: str | None = None


def add_note(crawler: Any, note: Note) -> None:
    """Remember a note once per (site, kind) for this run."""
    notes: dict[tuple[str | None, str], Note] = crawler.stats.get_value(NOTES_KEY) or {}
    notes.setdefault((note.site_id, note.kind), note)
    crawler.stats.set_value(NOTES_KEY, notes)


def notes_of(stats: Any) -> list[Note]:
    """The run's notes."""
    return list((stats.get_value(NOTES_KEY) or {}).values()) if stats else []


def storage_failed(crawler: Any, exc: sqlite3.Error) -> None:
    """A write failed (disk full, file too large, read-only): stop the crawl at once.

    Going on would fetch pages whose results cannot be kept and end in a run marked ok.
    """
    if crawler.stats.get_value(STORAGE_ERROR_KEY):
        return
    crawler.stats.set_value(STORAGE_ERROR_KEY, f"{type(exc).__name__}: {exc}")
    logger.error("storage failed, stopping the crawl: %s", exc)
    engine = crawler.engine
    if engine is not None:
        task = asyncio.ensure_future(engine.close_spider_async(reason=STORAGE_REASON))
        _closing.add(task)  # asyncio keeps only weak references to running tasks
        task.add_done_callback(_closing.discard)


_closing: set[asyncio.Future[None]] = set()
