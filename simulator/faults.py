"""Switchable faults: their names, parsing, and the per-site plan of where each one strikes."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from simulator.model import Outage, Site

ALL_FAULTS: frozenset[str] = frozenset(
    {"broken_links", "outage", "slow", "errors_5xx", "redirects", "trap", "wrong_charset"}
)
DEFAULT_FAULTS: frozenset[str] = frozenset({"broken_links", "outage"})

# Nothing listens on TCP port 1 (tcpmux) on a normal machine: connection refused, instantly.
DEAD_PORT = 1
MISSING_SPECIAL_PATH = "/ztzl/2011zlxcy/index.html"  # a retired 专题 page, linked from home
TRAP_PREFIX = "/rili/"
# Outages end before the default clock so a crawl at 2012-12-31 sees every site up.
OUTAGE_WINDOW_START = datetime(2012, 11, 20, 0, 0)
OUTAGE_WINDOW_END = datetime(2012, 12, 30, 0, 0)
# The first outages fall in the week the December check judges (12-25 … 12-31, hourly visits):
# 20 hours is over the 5 % veto line, 7 hours between the 3 % early warning and it.
LAST_WEEK_START = datetime(2012, 12, 25, 0, 0)
LAST_WEEK_HOURS = (20, 7)


def parse_faults(text: str) -> frozenset[str]:
    """Parse `--faults`: comma list, `all` or `none`; unknown names raise ValueError."""
    cleaned = text.strip().lower()
    if cleaned in ("", "none"):
        return frozenset()
    if cleaned == "all":
        return ALL_FAULTS
    names = frozenset(part.strip() for part in cleaned.split(",") if part.strip())
    unknown = names - ALL_FAULTS
    if unknown:
        raise ValueError(
            f"unknown fault(s): {', '.join(sorted(unknown))}; known: {sorted(ALL_FAULTS)}"
        )
    return names


def _plan_broken_links(site: Site, k: int, rng: random.Random) -> None:
    """Retired pages, removed attachments and a link to a dead port."""
    if k % 3 == 0:
        return
    faults = site.faults
    faults.broken_paths.append(MISSING_SPECIAL_PATH)
    attachments = [a for c in site.columns for p in c.posts for a in p.attachments]
    for attachment in rng.sample(attachments, min(3, len(attachments))):
        faults.broken_paths.append(attachment.path)
    faults.dead_port_urls.append(f"http://{site.host}:{DEAD_PORT}/old/index.html")


def _plan_outages(sites: list[Site], rng: random.Random) -> None:
    """Non-portal sites (one per six, at least two) go down for hours to days."""
    candidates = sites[1:] or sites
    count = max(1, len(sites) // 6)
    span_hours = int((OUTAGE_WINDOW_END - OUTAGE_WINDOW_START).total_seconds() // 3600)
    week_hours = int((OUTAGE_WINDOW_END - LAST_WEEK_START).total_seconds() // 3600)
    for index, site in enumerate(rng.sample(candidates, min(max(count, 2), len(candidates)))):
        if index < len(LAST_WEEK_HOURS):
            hours = LAST_WEEK_HOURS[index]
            start = LAST_WEEK_START + timedelta(hours=rng.randint(0, week_hours - hours))
        else:
            hours = rng.choice([3, 7, 20, 30, 52])
            start = OUTAGE_WINDOW_START + timedelta(hours=rng.randint(0, span_hours - hours))
        site.faults.outages.append(Outage(start, start + timedelta(hours=hours)))


def _plan_slow(site: Site, k: int) -> None:
    """Home page and the first column's first list page answer late."""
    if k % 4 == 2 and site.columns:
        site.faults.slow_paths.extend(["/", site.columns[0].path])


def _plan_errors(site: Site, k: int) -> None:
    """A list page answers 502 and some detail pages 500/503 in bursts."""
    if k % 4 != 3 or len(site.columns) < 2:
        return
    site.faults.error_paths[site.columns[1].path] = 502
    for index, post in enumerate(site.columns[0].posts[::25][:4]):
        site.faults.error_paths[post.path] = 500 if index % 2 else 503


def _plan_redirects(site: Site, k: int) -> None:
    """The nav link of the second column goes through /old/ -> /new/ -> the column."""
    if k % 3 != 1 or len(site.columns) < 2:
        return
    column = site.columns[1]
    first, second = f"/old/{column.slug}/", f"/new/{column.slug}/"
    site.faults.redirects[first] = second
    site.faults.redirects[second] = column.path
    site.faults.redirect_links.append(first)


def _plan_trap(site: Site, k: int) -> None:
    """An endless 活动日历 linked from the home page."""
    if k % 4 == 1:
        site.faults.trap_prefix = TRAP_PREFIX


def _plan_wrong_charset(sites: list[Site]) -> None:
    """The first GBK site labels its detail pages utf-8 in the header (meta says gb2312)."""
    for site in sites:
        if site.encoding == "gbk":
            site.faults.wrong_charset = True
            return


def plan_faults(sites: list[Site], enabled: frozenset[str], seed: int) -> None:
    """Fill each site's SiteFaults; each fault draws from its own RNG so they stay independent."""
    for k, site in enumerate(sites, start=1):
        if "broken_links" in enabled:
            _plan_broken_links(site, k, random.Random(f"{seed}:broken:{site.site_id}"))
        if "slow" in enabled:
            _plan_slow(site, k)
        if "errors_5xx" in enabled:
            _plan_errors(site, k)
        if "redirects" in enabled:
            _plan_redirects(site, k)
        if "trap" in enabled:
            _plan_trap(site, k)
    if "outage" in enabled:
        _plan_outages(sites, random.Random(f"{seed}:outage"))
    if "wrong_charset" in enabled:
        _plan_wrong_charset(sites)


def error_status(status: int, request_number: int) -> int | None:
    """Burst pattern: requests 1-2 of every 5 to a faulty page fail, 3-5 succeed."""
    return status if (request_number - 1) % 5 < 2 else None
