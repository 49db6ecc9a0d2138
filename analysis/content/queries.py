"""SQL reads of `content_findings` (written by crawler/content during the crawl)."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

PERSONAL_CHECKS = ("id_number", "bank_card", "mobile")
CHECK_NAMES = {
    "leader_name": "领导姓名错误",
    "leader_title": "领导职务错误",
    "confusion": "错别字",
    "sensitive": "敏感词",
    "classified": "涉密标识",
    "id_number": "身份证号码",
    "bank_card": "银行卡号",
    "mobile": "手机号码",
}
SEVERITY_NAMES = {"serious": "严重", "suspected": "疑似"}
REVIEW_NAMES = {"pending": "待确认", "confirmed": "已确认", "rejected": "误报"}

FINDINGS_SQL = """
SELECT id, site_id, page_url, page_title, page_date, attachment_url, check_kind, term,
       suggestion, severity, snippet, first_found_at, review, reviewed_by, reviewed_at,
       review_note
FROM content_findings
WHERE site_id IN (SELECT value FROM json_each(?))
  AND substr(first_found_at, 1, 10) <= ?
  AND (page_date IS NULL OR page_date >= ?)
ORDER BY site_id, severity, page_date DESC, id
"""


def findings_between(
    conn: sqlite3.Connection, sites_json: str, start: date, cutoff: date
) -> list[dict[str, Any]]:
    """Findings found by `cutoff` on pages dated from `start` on (undated pages always)."""
    if not table_exists(conn, "content_findings"):
        return []
    cursor = conn.execute(FINDINGS_SQL, (sites_json, cutoff.isoformat(), start.isoformat()))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def table_exists(conn: sqlite3.Connection, name: str) -> bool:
    """True when the database has the table (an older file opened read-only may not)."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return found.fetchone() is not None
