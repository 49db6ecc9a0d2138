"""Which links of a page get checked, and what counts as a broken one."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "#", "data:")
CHECKED_SCHEMES = ("http", "https")
# Statuses after which a HEAD is retried as GET: servers that mishandle HEAD say these.
HEAD_UNRELIABLE = frozenset({400, 403, 405, 406, 501})


def page_links_from_tree(tree: HtmlElement, base_url: str) -> list[str]:
    """Absolute http(s) URLs of a parsed page's anchors, in page order, without duplicates."""
    seen: dict[str, None] = {}
    for href in tree.xpath("//a/@href"):
        href = str(href).strip()
        if not href or href.lower().startswith(SKIPPED_SCHEMES):
            continue
        absolute = urljoin(base_url, href).split("#", 1)[0]
        if urlsplit(absolute).scheme in CHECKED_SCHEMES:
            seen.setdefault(absolute, None)
    return list(seen)


def link_ok(status: int | None) -> bool:
    """A link works when it answered with a success or a redirect that ended well."""
    return status is not None and 200 <= status < 400


@dataclass(frozen=True)
class DueLink:
    """A known-broken link due for its monthly re-check."""

    site_id: str
    url: str
    found_on: str  # the page of its latest check
    on_home_page: bool
    pages: frozenset[str]  # every page it was ever found on


def broken_links_to_recheck(
    conn: sqlite3.Connection, site_ids: list[str], checked_before: datetime
) -> list[DueLink]:
    """Links whose latest check failed and was made before `checked_before` (the start of the
    run's month), with every page each was found on.

    Incremental crawls do not re-read unchanged pages, so without this a link found broken
    once would never be checked again and the month's report would miss it.
    """
    marks = ",".join("?" for _ in site_ids)
    # SQLite takes the bare columns from the row holding max(checked_at).
    rows = conn.execute(
        f"SELECT site_id, url, found_on, on_home_page, ok, max(checked_at) AS last,"
        f" json_group_array(DISTINCT found_on) FROM links"
        f" WHERE site_id IN ({marks}) GROUP BY site_id, url",
        site_ids,
    ).fetchall()
    since = checked_before.replace(microsecond=0).isoformat()
    return [
        DueLink(site_id, url, found_on, bool(home), frozenset(json.loads(pages)))
        for site_id, url, found_on, home, ok, last, pages in rows
        if not ok and last < since
    ]


def pages_read_since(
    conn: sqlite3.Connection, pages: set[tuple[str, str]], since: datetime
) -> set[tuple[str, str]]:
    """Those of the (site_id, url) pages a completed crawl since `since` read in full (HTTP
    200): every link on them was queued for a check then, so a known-broken link not checked
    since was no longer on them."""
    if not pages:
        return set()
    rows = conn.execute(
        "SELECT DISTINCT f.site_id, f.url FROM fetches f"
        " WHERE f.run_id IN (SELECT id FROM crawl_runs WHERE kind = 'crawl' AND status = 'ok'"
        " AND clock >= ?) AND f.status = 200"
        " AND f.kind IN ('home', 'list', 'detail', 'consultation_list')"
        " AND f.url IN (SELECT value FROM json_each(?))",
        (since.replace(microsecond=0).isoformat(), json.dumps(sorted({u for _s, u in pages}))),
    )
    return {(site_id, url) for site_id, url in rows if (site_id, url) in pages}
