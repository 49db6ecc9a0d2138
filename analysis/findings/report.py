"""What the monthly report can show of the workflow: each counted finding's state and age, and
the month's maintenance filings. Plain rows for the report's adapter (analysis/report/build.py);
the renderers only lay them out."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from analysis.findings.maintenance import filings_between
from analysis.findings.review import active_findings
from analysis.findings.states import label
from analysis.findings.store import age_days

if TYPE_CHECKING:
    from analysis.report.context import ReportContext
    from analysis.report.i18n import Lang
    from analysis.report.tables import Section


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


def with_workflow(
    ctx: ReportContext, conn: sqlite3.Connection, as_of: date, start: date, end: date
) -> ReportContext:
    """The report context with the workflow rows; ages are counted to the check date."""
    at = datetime.combine(as_of, time(23, 59))
    return replace(
        ctx, workflow=finding_states(conn, as_of, at), filings=month_filings(conn, start, end)
    )


WORDS: dict[str, tuple[str, str]] = {
    "heading": ("问题整改与维护报备", "Rectification and maintenance filings"),
    "note": (
        "下表列出计入本报告的问题及其处理状态（生成报告时的状态），已持续天数算至检查日；"
        "标为误报或在豁免期内的问题不计入。报备时段内的首页访问不计入可用率。",
        "The findings counted in this report with their state (when the report was made) and "
        "age up to the check date; false positives and live exemptions do not count. Home-page "
        "visits inside a filing's hours do not count towards availability.",
    ),
    "none": (
        "本月没有计入的问题，也没有维护报备。",
        "No finding counted and no filing this month.",
    ),
    "findings": ("问题处理状态", "Findings and their state"),
    "filings": ("维护报备", "Maintenance filings"),
    "site": ("站点", "Site"),
    "rule": ("规则", "Rule"),
    "subject": ("对象", "Subject"),
    "state": ("状态", "State"),
    "age": ("已持续（天）", "Age (days)"),
    "whole_site": ("（整站）", "(whole site)"),
    "window": ("时段", "Window"),
    "reason": ("事由", "Reason"),
    "approved_by": ("审批人", "Approved by"),
}


def word(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return zh if lang == "zh" else en


def workflow_section(ctx: ReportContext, lang: Lang) -> Section:
    """Section: each counted finding's state and age, and the month's maintenance filings."""
    from analysis.report.tables import Section, Table, count, text

    def rule_name(rule_id: str) -> str:
        rule = ctx.rule(rule_id)
        return rule.name if rule else rule_id

    findings = Table(
        "workflow",
        word("findings", lang),
        [word(k, lang) for k in ("site", "rule", "subject", "state", "age")],
        [
            [text(f.site_name), text(rule_name(f.rule_id)),
             text(f.subject or word("whole_site", lang)), text(f.state), count(f.age_days)]
            for f in ctx.workflow
        ],
    )  # fmt: skip
    filings = Table(
        "filings",
        word("filings", lang),
        [word(k, lang) for k in ("site", "window", "reason", "approved_by")],
        [
            [text(m.site_name), text(m.window), text(m.reason), text(m.approved_by)]
            for m in ctx.filings
        ],
    )
    tables = [table for table in (findings, filings) if table.rows]
    notes = [word("note", lang)] if tables else [word("none", lang)]
    return Section("workflow", word("heading", lang), notes, tables)
