"""The one writer of `content_findings`: findings as pages are scanned, and their review.

A finding's identity is (site, page, attachment, check, term): scanning the page again updates
`last_found_at` and never touches a review already given.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from crawler.content.scanner import ContentFinding
from crawler.store import iso
from crawler.urls import url_key

PENDING, CONFIRMED, REJECTED = "pending", "confirmed", "rejected"
REVIEWS = (PENDING, CONFIRMED, REJECTED)


class UnknownFindingError(LookupError):
    """No content finding has this id."""


@dataclass(frozen=True)
class PageRef:
    """The page a text came from: site, URL, title, date, and the attachment when it is one."""

    site_id: str
    url: str
    title: str | None = None
    day: date | None = None
    attachment_url: str = ""


def record_findings(
    conn: sqlite3.Connection,
    page: PageRef,
    findings: Sequence[ContentFinding],
    *,
    now: datetime,
    run_id: int | None,
) -> int:
    """Store a page's findings in one transaction; return how many were new."""
    with conn:
        return _insert(conn, page, findings, now, run_id)


def record_batch(
    conn: sqlite3.Connection,
    batch: Sequence[tuple[PageRef, Sequence[ContentFinding], datetime]],
    *,
    run_id: int | None,
) -> int:
    """Store many pages' findings (page, findings, when found) in one transaction: a commit
    per page cost more than the checks themselves; return how many were new."""
    with conn:
        return sum(_insert(conn, page, findings, now, run_id) for page, findings, now in batch)


def _insert(
    conn: sqlite3.Connection,
    page: PageRef,
    findings: Sequence[ContentFinding],
    now: datetime,
    run_id: int | None,
) -> int:
    new = 0
    key = url_key(page.url)
    for finding in findings:
        cursor = conn.execute(
            "INSERT INTO content_findings (site_id, page_url, page_key, page_title,"
            " page_date, attachment_url, check_kind, term, suggestion, severity, snippet,"
            " first_found_at, last_found_at, run_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (site_id, page_key, attachment_url, check_kind, term)"
            " DO UPDATE SET last_found_at = excluded.last_found_at,"
            " snippet = excluded.snippet, suggestion = excluded.suggestion,"
            " severity = excluded.severity"
            " RETURNING first_found_at = last_found_at",
            (
                page.site_id, page.url, key, page.title, iso(page.day), page.attachment_url,
                finding.check, finding.term, finding.suggestion, finding.severity,
                finding.snippet, iso(now), iso(now), run_id,
            ),
        )  # fmt: skip
        new += int(bool(cursor.fetchone()[0]))
    return new


def review_finding(
    conn: sqlite3.Connection,
    finding_id: int,
    review: str,
    *,
    by: str,
    note: str | None,
    now: datetime,
) -> None:
    """Set a finding's review (confirmed / rejected / pending again) with who, when and why."""
    if review not in REVIEWS:
        raise ValueError(f"review must be one of {', '.join(REVIEWS)}")
    with conn:
        cursor = conn.execute(
            "UPDATE content_findings SET review = ?, reviewed_by = ?, reviewed_at = ?,"
            " review_note = ? WHERE id = ?",
            (review, by, iso(now), note, finding_id),
        )
    if cursor.rowcount == 0:
        raise UnknownFindingError(finding_id)


def replace_findings(
    conn: sqlite3.Connection,
    page: PageRef,
    kinds: Sequence[str],
    findings: Sequence[ContentFinding],
    *,
    now: datetime,
    run_id: int | None,
) -> int:
    """Store a page's findings of these kinds as its current state: ones no longer found go.

    For facts that describe the page as it is now (identity, meta tags), not errors a person
    reviews: a site that adds its 标识码 should stop being reported.
    """
    key = url_key(page.url)
    current = {(f.check, f.term) for f in findings}
    marks = ",".join("?" for _ in kinds)
    with conn:
        rows = conn.execute(
            f"SELECT id, check_kind, term FROM content_findings WHERE site_id = ? AND page_key = ?"
            f" AND attachment_url = ? AND check_kind IN ({marks})",
            (page.site_id, key, page.attachment_url, *kinds),
        ).fetchall()
        gone = [(row_id,) for row_id, check, term in rows if (check, term) not in current]
        conn.executemany("DELETE FROM content_findings WHERE id = ?", gone)
    return record_findings(conn, page, findings, now=now, run_id=run_id)
