"""What the monthly report can show of the workflow: each counted finding's state and age, and
the month's maintenance filings. Plain rows for the report's adapter (analysis/report/build.py);
the renderers only lay them out."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from analysis.findings.maintenance import filings_between
from analysis.findings.review import active_findings
from analysis.findings.states import label
from analysis.findings.store import age_days


@dataclass(frozen=True)
class FindingState:
    """One counted finding: where it stands in the workflow and for how long."""

    site_id: str
    site_name: str
    rule_id: str
    subject: str  # column name, letter title, link URL; '' for the site as a whole
    state: str  # Chinese state name
    age_days: int
    note: str


@dataclass(frozen=True)
class FilingRow:
    """One maintenance filing touching the month."""

    site_name: str
    window: str  # e.g. 每周日 02:00–04:00（2012-12-01 起长期有效）
    reason: str
    approved_by: str


def finding_states(conn: sqlite3.Connection, as_of: date, now: datetime) -> list[FindingState]:
    """The findings that count on the as-of date (not 误报, not exempt), oldest first."""
    rows = sorted(active_findings(conn, as_of), key=lambda r: (r["first_seen_at"], r["id"]))
    return [
        FindingState(
            r["site_id"],
            r["site_name"],
            r["rule_id"],
            r["subject_label"],
            label(r["state"]),
            age_days(r["first_seen_at"], now),
            r["note"] or "",
        )
        for r in rows
    ]


def month_filings(conn: sqlite3.Connection, start: date, end: date) -> list[FilingRow]:
    """Active filings touching days [start, end]."""
    return [
        FilingRow(r["site_name"], r["window"], r["reason"], r["approved_by"])
        for r in filings_between(conn, start, end)
    ]
