"""Broken links: the latest check of each link in the period, home page and inner pages."""

from __future__ import annotations

from analysis import queries
from analysis.metrics.context import MonthContext
from analysis.metrics.model import BrokenLink
from crawler.faults import Fault

UNVERIFIABLE = Fault.UNVERIFIABLE.value


def broken_links(ctx: MonthContext) -> list[BrokenLink]:
    """Links whose latest check in the period failed, home-page links first per site.

    Unverifiable links (无法验证: no DNS answer or route from the monitoring network, or a
    skipped host) are not broken: see `unverifiable_links`.
    """
    return [link for link in failed_links(ctx) if link.error != UNVERIFIABLE]


def unverifiable_links(ctx: MonthContext) -> list[BrokenLink]:
    """Links whose latest check in the period could not be made from here; never deducted."""
    return [link for link in failed_links(ctx) if link.error == UNVERIFIABLE]


def failed_links(ctx: MonthContext) -> list[BrokenLink]:
    """Every link whose latest check in the period did not succeed."""
    return [
        BrokenLink(
            site_id=row["site_id"],
            url=row["url"],
            found_on=row["found_on"],
            on_home_page=bool(row["on_home_page"]),
            status=row["status"],
            error=row["error"],
            checked_at=row["checked_at"],
        )
        for row in queries.broken_links(ctx.conn, ctx.sites_json, *ctx.period.as_tuple())
    ]


def broken_counts(links: list[BrokenLink]) -> dict[str, tuple[int, int]]:
    """site_id -> (broken on the home page, broken on inner pages)."""
    out: dict[str, tuple[int, int]] = {}
    for link in links:
        home, inner = out.get(link.site_id, (0, 0))
        out[link.site_id] = (home + link.on_home_page, inner + (not link.on_home_page))
    return out
