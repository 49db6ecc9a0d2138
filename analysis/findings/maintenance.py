"""Maintenance filings (临时报备): planned downtime that availability and down alerts leave out.

A filing is one window (`once`: from … to …) or a recurring one (`daily` / `weekly` on a
weekday, hours HH:MM–HH:MM, from a first day to an optional last day). `covered_sql` is the one
test "is this moment of this site inside an active filing", used by every probe query in
`analysis.queries` and by the down alerts, so availability, the `home_failure_rate` rule,
trends and alerts agree. This module imports nothing of `analysis` (queries imports it).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

RECURRENCES = ("once", "daily", "weekly")
WEEKDAYS = ("日", "一", "二", "三", "四", "五", "六")  # SQLite's %w: 0 = Sunday
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_TEXT = 500


class FilingError(ValueError):
    """A filing that cannot be accepted; the message says which field and why (Chinese)."""


def covered_sql(time_expr: str = "p.probed_at", site_expr: str = "p.site_id") -> str:
    """SQL true when the site's moment lies inside an active (not withdrawn) filing."""
    hhmm = f"substr({time_expr}, 12, 5)"
    # The uncorrelated IN is computed once: sites without a filing (nearly every probe) skip
    # the per-row EXISTS.
    return (
        f"({site_expr} IN (SELECT site_id FROM maintenance_filings WHERE withdrawn_at IS NULL)"
        " AND EXISTS (SELECT 1 FROM maintenance_filings m"
        f" WHERE m.site_id = {site_expr} AND m.withdrawn_at IS NULL"
        f" AND {time_expr} >= m.starts_at AND (m.ends_at IS NULL OR {time_expr} < m.ends_at)"
        " AND (m.recurrence = 'once' OR ((m.recurrence = 'daily'"
        f" OR CAST(strftime('%w', {time_expr}) AS INTEGER) = m.weekday)"
        f" AND {hhmm} >= m.day_start AND {hhmm} < m.day_end))))"
    )


@dataclass(frozen=True)
class Filing:
    """A filing as entered: for recurring windows `starts_at`/`ends_at` bound the days."""

    site_id: str
    starts_at: datetime
    ends_at: datetime | None
    reason: str
    approved_by: str
    recurrence: str = "once"
    weekday: int | None = None
    day_start: str | None = None
    day_end: str | None = None


def recurring(
    site_id: str,
    first_day: date,
    last_day: date | None,
    day_start: str,
    day_end: str,
    reason: str,
    approved_by: str,
    weekday: int | None = None,
) -> Filing:
    """A daily (weekday None) or weekly window from first_day to last_day (inclusive)."""
    start = datetime.combine(first_day, datetime.min.time())
    end = datetime.combine(last_day + timedelta(days=1), datetime.min.time()) if last_day else None
    kind = "daily" if weekday is None else "weekly"
    return Filing(site_id, start, end, reason, approved_by, kind, weekday, day_start, day_end)


def validate(filing: Filing) -> Filing:
    """The filing, or FilingError naming the first problem."""
    if not filing.site_id:
        raise FilingError("请选择站点")
    if not filing.reason.strip() or len(filing.reason) > MAX_TEXT:
        raise FilingError("请填写报备事由（500 字以内）")
    if not filing.approved_by.strip() or len(filing.approved_by) > MAX_TEXT:
        raise FilingError("请填写审批人")
    if filing.recurrence not in RECURRENCES:
        raise FilingError(f"周期只能是：{'、'.join(RECURRENCES)}")
    if filing.ends_at is not None and filing.ends_at <= filing.starts_at:
        raise FilingError("结束时间须晚于开始时间")
    if filing.recurrence == "once":
        if filing.ends_at is None:
            raise FilingError("一次性报备须给出结束时间")
        return filing
    for name, value in (("开始", filing.day_start), ("结束", filing.day_end)):
        if not value or not HHMM.match(value):
            raise FilingError(f"每日{name}时刻须为 HH:MM（如 02:00）")
    if str(filing.day_end) <= str(filing.day_start):
        raise FilingError("每日结束时刻须晚于开始时刻（跨零点的窗口请分成两条报备）")
    if filing.recurrence == "weekly" and filing.weekday not in range(7):
        raise FilingError("每周报备须选择星期几")
    return filing


def iso(moment: datetime | None) -> str | None:
    """Seconds-precision ISO text, as the database stores times."""
    return moment.replace(microsecond=0, tzinfo=None).isoformat() if moment else None


def add_filing(conn: sqlite3.Connection, filing: Filing, actor: str, now: datetime) -> int:
    """Store a validated filing; its id."""
    validate(filing)
    known = conn.execute("SELECT 1 FROM sites WHERE id = ?", (filing.site_id,)).fetchone()
    if known is None:
        raise FilingError(f"没有站点“{filing.site_id}”")
    weekday = filing.weekday if filing.recurrence == "weekly" else None
    hours = (filing.day_start, filing.day_end) if filing.recurrence != "once" else (None, None)
    with conn:
        cursor = conn.execute(
            "INSERT INTO maintenance_filings (site_id, starts_at, ends_at, recurrence, weekday,"
            " day_start, day_end, reason, approved_by, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                filing.site_id,
                iso(filing.starts_at),
                iso(filing.ends_at),
                filing.recurrence,
                weekday,
                *hours,
                filing.reason.strip(),
                filing.approved_by.strip(),
                actor,
                iso(now),
            ),
        )
    return int(cursor.lastrowid or 0)


def withdraw(conn: sqlite3.Connection, filing_id: int, actor: str, now: datetime) -> None:
    """Withdraw a filing (kept for the record, excludes nothing any more)."""
    with conn:
        changed = conn.execute(
            "UPDATE maintenance_filings SET withdrawn_at = ?, withdrawn_by = ?"
            " WHERE id = ? AND withdrawn_at IS NULL",
            (iso(now), actor, filing_id),
        ).rowcount
    if not changed:
        raise FilingError(f"没有编号为 {filing_id} 的有效报备")


def list_filings(
    conn: sqlite3.Connection, site_id: str | None = None, *, withdrawn: bool = True
) -> list[dict[str, Any]]:
    """Filings (newest first) with the site's name and a readable description."""
    sql = (
        "SELECT m.*, COALESCE(s.name, m.site_id) AS site_name FROM maintenance_filings m"
        " LEFT JOIN sites s ON s.id = m.site_id WHERE (? IS NULL OR m.site_id = ?)"
        + ("" if withdrawn else " AND m.withdrawn_at IS NULL")
        + " ORDER BY m.created_at DESC, m.id DESC"
    )
    cursor = conn.execute(sql, (site_id, site_id))
    names = [d[0] for d in cursor.description]
    found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in found:
        row["window"] = describe(row)
    return found


def filings_between(conn: sqlite3.Connection, start: date, end: date) -> list[dict[str, Any]]:
    """Active filings that touch days [start, end] (for the monthly report)."""
    first, after = start.isoformat(), (end + timedelta(days=1)).isoformat()
    return [
        row
        for row in list_filings(conn, withdrawn=False)
        if row["starts_at"] < after and (row["ends_at"] is None or row["ends_at"] > first)
    ]


def describe(row: dict[str, Any]) -> str:
    """A filing's window in plain Chinese."""
    start, end = str(row["starts_at"]).replace("T", " ")[:16], row["ends_at"]
    if row["recurrence"] == "once":
        return f"{start} 至 {str(end).replace('T', ' ')[:16]}"
    when = "每天" if row["recurrence"] == "daily" else f"每周{WEEKDAYS[int(row['weekday'])]}"
    last = f"至 {(datetime.fromisoformat(end) - timedelta(days=1)).date()}" if end else "起长期有效"
    return f"{when} {row['day_start']}–{row['day_end']}（{start[:10]} {last}）"


def in_maintenance(conn: sqlite3.Connection, site_id: str, at: str) -> bool:
    """True when the site's moment `at` (ISO text) lies inside an active filing."""
    sql = f"SELECT {covered_sql(':at', ':site')}"
    return bool(conn.execute(sql, {"at": at, "site": site_id}).fetchone()[0])
