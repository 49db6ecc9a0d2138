"""Helpers the metric classes share: windows, "never", column facts and evidence shapes.

Windows of N days "before the check" are the N days ending on the judging day (the cutoff).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from analysis import queries
from analysis.standards.evidence import Snapshot

NEVER = math.inf
SINCE_EVER = date(1970, 1, 1)
UNLIMITED = 10**9


def window_start(day: date, days: int) -> date:
    """First day of the `days` days ending on `day`."""
    return day - timedelta(days=days - 1)


def days_since(at: date, last: str | None) -> float:
    """Days from an ISO date to `at`; NEVER when there is no date."""
    return NEVER if last is None else float((at - date.fromisoformat(last)).days)


def whole_days(value: float) -> int | None:
    """Days for evidence (None for never)."""
    return None if math.isinf(value) else int(value)


def columns_of(
    snap: Snapshot,
    categories: tuple[str, ...] = (),
    home_page_only: bool = False,
    period_days: int = 1,
) -> list[dict[str, Any]]:
    """Crawled columns of the categories (all when empty), home page only when asked."""
    window = (window_start(snap.cutoff, period_days), snap.cutoff)
    facts = snap.cached(
        ("columns", window),
        lambda: queries.column_facts(snap.conn, snap.sites_json, snap.cutoff, window),
    )
    wanted = set(categories)
    return [
        c
        for c in facts
        if (not wanted or c["category"] in wanted)
        and (c["on_home_page"] or not home_page_only)
        # 抽取异常 / 需渲染: what the crawl read says nothing about updates (no data).
        and c.get("extraction_state", "ok") == "ok"
    ]


def column_evidence(column: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """How evidence names a column."""
    return {
        "column": column["name"],
        "url": column["url"],
        "category": column["category"],
        "last_post_on": column["last_post_on"],
        **extra,
    }


def letter_evidence(row: dict[str, Any]) -> dict[str, Any]:
    """How evidence names a letter."""
    return {
        "url": row["url"],
        "title": row["title"][:80],
        "asked_on": row["asked_on"],
        "replied_on": row["replied_on"],
        "days": row["days"],
        "workdays": row["workdays"],
    }
