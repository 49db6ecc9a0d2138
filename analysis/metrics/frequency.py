"""Update frequency: posts per week, gaps between publication days, days since the last post."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from analysis import queries
from analysis.metrics.context import MonthContext
from analysis.metrics.model import ColumnMonth


@dataclass(frozen=True)
class Frequency:
    """Update frequency of one site in the period."""

    posts_per_week: float
    median_gap_days: float | None
    longest_gap_days: int | None
    last_post_on: str | None
    days_since_update: int | None


def posts_per_week(posts: int, days: int) -> float:
    """Posts per 7 days over a period of `days` days, 2 decimals."""
    return round(posts * 7 / days, 2) if days > 0 else 0.0


def site_frequencies(
    ctx: MonthContext, posts: dict[str, int], columns: list[ColumnMonth]
) -> dict[str, Frequency]:
    """Per site: posts per week, median and longest gap, last post and days since it.

    Gaps are between consecutive publication days; the first is measured from the last post
    before the period, and the longest also counts the open gap from the last post to the
    period's end (a site that stopped posting has a long gap even without a later post).
    """
    gaps = queries.group_rows(
        queries.post_gaps(ctx.conn, ctx.sites_json, *ctx.period.as_tuple()), "grp"
    )
    last: dict[str, str] = {}
    for column in columns:
        if column.last_post_on and column.last_post_on > last.get(column.site_id, ""):
            last[column.site_id] = column.last_post_on
    out: dict[str, Frequency] = {}
    for site_id in ctx.site_ids:
        last_on = last.get(site_id)
        since = (ctx.period.end - date.fromisoformat(last_on)).days if last_on else None
        gap = gaps.get(site_id)
        longest = int(gap["max"]) if gap else None
        if since is not None:
            longest = max(longest or 0, since)
        out[site_id] = Frequency(
            posts_per_week=posts_per_week(posts.get(site_id, 0), ctx.period.days),
            median_gap_days=gap["median"] if gap else None,
            longest_gap_days=longest,
            last_post_on=last_on,
            days_since_update=since,
        )
    return out
