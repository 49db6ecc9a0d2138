"""Post volumes: per column (with staleness and blank columns), site, category, department."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from analysis import queries
from analysis.metrics.context import MonthContext
from analysis.metrics.model import ColumnMonth, DepartmentMonth


def days_between(later: str | None, earlier_iso: str | None) -> int | None:
    """Whole days from an ISO date to a later one; None when the earlier one is unknown."""
    if earlier_iso is None or later is None:
        return None
    return (date.fromisoformat(later) - date.fromisoformat(earlier_iso)).days


def column_months(ctx: MonthContext) -> list[ColumnMonth]:
    """Every crawled column with its posts this and last period and its staleness."""
    facts = queries.column_facts(
        ctx.conn, ctx.sites_json, ctx.period.end, ctx.period.as_tuple(), ctx.previous.as_tuple()
    )
    return [column_month(ctx, fact) for fact in facts]


def column_month(ctx: MonthContext, fact: dict[str, Any]) -> ColumnMonth:
    """One column's row from its facts."""
    blank = not fact["has_posts"] and not fact["letters"] and not fact["fetch_failed"]
    since = days_between(ctx.period.end.isoformat(), fact["last_post_on"])
    limit = ctx.settings.stale_days.get(fact["category"])
    # A column with posts but none dated was never updated as far as the rules go; one with no
    # post at all is blank (or unreadable), never stale — as the engine's stale_columns counts.
    stale = limit is not None and bool(fact["has_posts"]) and (since is None or since > limit)
    if fact["category"] == "consultation":
        stale = False  # judged on replies to letters, not on posts
    extraction = fact.get("extraction_state") or "ok"
    if extraction != "ok":
        blank = stale = False  # the crawl could not read it: no verdict (crawler/extraction.py)
    return ColumnMonth(
        site_id=fact["site_id"],
        column_id=fact["column_id"],
        column=fact["name"],
        key=fact["key"],
        url=fact["url"],
        category=fact["category"],
        on_home_page=bool(fact["on_home_page"]),
        posts=fact["posts_in_window"],
        posts_previous=fact["posts_in_previous"],
        last_post_on=fact["last_post_on"],
        days_since_update=since,
        blank=blank,
        stale=stale,
        stale_limit_days=limit,
        extraction=extraction,
        stale_rule=ctx.settings.stale_rules.get(fact["category"]) if stale else None,
    )


def posts_by_site_category(ctx: MonthContext) -> dict[str, dict[str, int]]:
    """site_id -> category -> posts in the period."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for row in queries.posts_by_category(ctx.conn, ctx.sites_json, *ctx.period.as_tuple()):
        out[row["site_id"]][row["category"]] = row["posts"]
    return out


def previous_posts_by_site(ctx: MonthContext) -> dict[str, int]:
    """site_id -> posts in the previous period."""
    out: dict[str, int] = defaultdict(int)
    for row in queries.posts_by_category(ctx.conn, ctx.sites_json, *ctx.previous.as_tuple()):
        out[row["site_id"]] += row["posts"]
    return out


def departments(ctx: MonthContext) -> list[DepartmentMonth]:
    """Posts per site and posting department in the period."""
    return [
        DepartmentMonth(row["site_id"], row["department"], row["posts"])
        for row in queries.posts_by_department(ctx.conn, ctx.sites_json, *ctx.period.as_tuple())
    ]
