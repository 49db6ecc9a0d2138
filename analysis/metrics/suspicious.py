"""Suspicious publication dates (虚假发布时间): date sources of a post that disagree.

The sources are the list date, the PubDate meta, the detail page's date, the date in the URL
and — only for posts that appeared after their column's first crawl — the day sitewatch first
saw the post (a baseline post was already there, so its first sighting says nothing).
"""

from __future__ import annotations

from datetime import date

from analysis import queries
from analysis.metrics.model import SuspiciousPost


def suspicious_posts(
    conn, sites_json: str, start: date, end: date, over_days: int
) -> list[SuspiciousPost]:
    """Posts published in [start, end] whose date sources lie more than over_days apart."""
    return [
        SuspiciousPost(
            site_id=row["site_id"],
            url=row["url"],
            title=row["title"],
            published_on=row["published_on"],
            list_date=row["list_date"],
            meta_date=row["meta_date"],
            text_date=row["text_date"],
            url_date=row["url_date"],
            first_seen_on=None if row["baseline"] else row["first_seen_on"],
            gap_days=row["gap_days"],
        )
        for row in queries.post_date_gaps(conn, sites_json, start, end, over_days)
    ]
