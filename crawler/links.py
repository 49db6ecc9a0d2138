"""Which links of a page get checked, and what counts as a broken one."""

from __future__ import annotations

import sqlite3
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


def broken_links_to_recheck(
    conn: sqlite3.Connection, site_ids: list[str], checked_before: datetime
) -> list[tuple[str, str, str, bool]]:
    """Links whose latest check failed and was made before `checked_before` (the start of the
    run's month): (site_id, url, found_on, on_home_page) each.

    Incremental crawls do not re-read unchanged pages, so without this a link found broken
    once would never be checked again and the month's report would miss it.
    """
    marks = ",".join("?" for _ in site_ids)
    # SQLite takes the bare columns from the row holding max(checked_at).
    rows = conn.execute(
        f"SELECT site_id, url, found_on, on_home_page, ok, max(checked_at) AS last FROM links"
        f" WHERE site_id IN ({marks}) GROUP BY site_id, url",
        site_ids,
    ).fetchall()
    since = checked_before.replace(microsecond=0).isoformat()
    return [
        (site_id, url, found_on, bool(home))
        for site_id, url, found_on, home, ok, last in rows
        if not ok and last < since
    ]
