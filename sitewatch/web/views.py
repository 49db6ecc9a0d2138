"""Read models of the pages: plain dicts built from the analysis results, no figure computed
here that the metrics, the engine or the findings do not give."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from analysis.findings.states import OPEN_STATES, label
from analysis.findings.store import age_days, rows
from analysis.standards.evidence import Outcome, SiteVerdict
from crawler.categories import UNIT_TYPE_LABELS_ZH
from sitewatch.web.data import View, issue_count

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
REPORT_FILES = {"report.html": "网页版", "report.docx": "Word", "report.xlsx": "Excel"}
UNIT_LABELS = {str(k): v for k, v in UNIT_TYPE_LABELS_ZH.items()}
OUTCOME_LABELS = {"fail": "不通过", "warning": "预警", "pass": "通过", "no_data": "无数据"}
LEVEL_LABELS = {"veto": "单项否决", "deduction": "扣分", "warning": "预警", "bonus": "加分"}


def unit_label(unit_type: str) -> str:
    return UNIT_LABELS.get(unit_type, unit_type)


def percent(value: float | None) -> str:
    """A ratio as 99.5%, or — when unknown."""
    return "—" if value is None else f"{value * 100:.1f}%"


def vetoes(verdict: SiteVerdict | None) -> list[str]:
    """Titles of the veto rules a site fails."""
    if verdict is None:
        return []
    return [r.title for r in verdict.rules if r.level == "veto" and r.outcome is Outcome.FAIL]


def site_rows(view: View, open_counts: dict[str, int]) -> list[dict[str, Any]]:
    """One row per site for 站点 and 总览."""
    return [site_row(view, site, open_counts) for site in view.computed.sites]


def site_row(view: View, site: dict[str, Any], open_counts: dict[str, int]) -> dict[str, Any]:
    """A site's score, vetoes, last update, availability, overdue letters, open findings."""
    from analysis.report.build import site_availability

    verdict = view.verdict(site["id"])
    month = view.site_month(site["id"])
    return {
        "id": site["id"],
        "name": site["name"],
        "unit": unit_label(site["unit_type"]),
        "url": site["home_url"],
        "score": None if verdict is None else round(verdict.score, 1),
        "passed": bool(verdict and verdict.passed),
        "vetoes": vetoes(verdict),
        "warnings": 0 if verdict is None else len(verdict.warnings),
        "last_update": month.last_post_on if month else None,
        "days_since_update": month.days_since_update if month else None,
        "availability": percent(site_availability(month)) if month else "—",
        "overdue_letters": month.overdue_letters if month else 0,
        "open_findings": open_counts.get(site["id"], 0),
    }


def open_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Open findings per site."""
    states = [s.value for s in OPEN_STATES]
    marks = ",".join("?" * len(states))
    sql = f"SELECT site_id, COUNT(*) AS n FROM findings WHERE state IN ({marks}) GROUP BY site_id"
    found = rows(conn, sql, states)
    return {r["site_id"]: r["n"] for r in found}


def overview(view: View, conn: sqlite3.Connection) -> dict[str, Any]:
    """The group today: the same sums the report's overview makes."""
    from analysis.report.build import group_availability

    verdicts, metrics = view.verdicts, view.metrics
    sites = metrics.sites if metrics else []
    received = sum(s.consultations_received for s in sites)
    replied = sum(s.consultations_replied for s in sites)
    return {
        "sites": len(view.computed.sites),
        "failing": sum(not v.passed for v in verdicts),
        "vetoed": sum(v.veto for v in verdicts),
        "warned": sum(bool(v.warnings) for v in verdicts),
        "issues": issue_count(verdicts),
        "posts": sum(s.posts for s in sites),
        "posts_previous": sum(s.posts_previous for s in sites),
        "received": received,
        "replied": replied,
        "reply_rate": percent(replied / received) if received else "—",
        "availability": percent(group_availability(metrics)),
        "broken_links": len(metrics.broken_links) if metrics else 0,
        "overdue_letters": sum(s.overdue_letters for s in sites),
        "outages": sum(s.availability.outages for s in sites),
        **latest_times(conn),
    }


def latest_times(conn: sqlite3.Connection) -> dict[str, str | None]:
    """When the group was last crawled and probed: the runs' clocks (their `--now`)."""
    found = rows(
        conn,
        "SELECT kind, MAX(COALESCE(clock, started_at)) AS at FROM crawl_runs"
        " WHERE status != 'running' GROUP BY kind",
    )
    by_kind = {r["kind"]: r["at"] for r in found}
    return {"last_crawl": by_kind.get("crawl"), "last_probe": by_kind.get("probe")}


def trend(view: View) -> list[dict[str, Any]]:
    """Posts and availability per month of the trends, for the overview's bars."""
    from analysis.report.build import trend_of

    if view.metrics is None:
        return []
    t = trend_of(view.metrics)
    series = {s.key: s.values for s in t.series}
    posts = series.get("posts", [])
    top = max((v or 0 for v in posts), default=0) or 1
    return [
        {
            "month": month,
            "posts": posts[i] if i < len(posts) else None,
            "height": round(100 * (posts[i] or 0) / top) if i < len(posts) else 0,
            "availability": percent(series.get("availability", [None] * (i + 1))[i]),
        }
        for i, month in enumerate(t.months)
    ]


def finding_row(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A finding for a table: state label and age."""
    return {
        **row,
        "state_label": label(row["state"]),
        "age_days": age_days(row["first_seen_at"], now),
        "unit": unit_label(row.get("unit_type") or ""),
    }


def site_columns(view: View, site_id: str) -> list[dict[str, Any]]:
    """The site's columns with their staleness against the limit."""
    if view.metrics is None:
        return []
    return [
        {
            "name": c.column,
            "url": c.url,
            "category": c.category,
            "last_post_on": c.last_post_on,
            "days": c.days_since_update,
            "limit": c.stale_limit_days,
            "stale": c.stale,
            "blank": c.blank,
            "posts": c.posts,
        }
        for c in view.metrics.columns
        if c.site_id == site_id
    ]


def latest_posts(conn: sqlite3.Connection, site_id: str, limit: int = 15) -> list[dict[str, Any]]:
    """The site's newest posts (links to open them)."""
    return rows(
        conn,
        "SELECT title, url, published_on FROM posts WHERE site_id = ? AND published_on IS NOT NULL"
        " ORDER BY published_on DESC LIMIT ?",
        (site_id, limit),
    )


def outages(conn: sqlite3.Connection, view: View, site_id: str) -> list[dict[str, Any]]:
    """Runs of failed home-page visits in the month (the report's outage list); `seen_from`
    says from where it was seen ("自监测点 A、B 均无法访问"), empty with one vantage point."""
    from analysis.metrics.periods import parse_month
    from analysis.queries import probe_outage_runs, probe_params, seen_from, sites_param
    from analysis.report.wording import seen_from_text

    if view.metrics is None:
        return []
    timeout = float(view.metrics.settings["probe_timeout_s"])  # the profile's (MonthSettings)
    params = probe_params(
        sites_param([site_id]), parse_month(view.computed.month), view.as_of, timeout
    )
    return [
        dict(run, seen_from=seen_from_text(seen_from(run.get("failed_from")), "zh"))
        for run in probe_outage_runs(conn, params)
    ]


def reports(out_dir: Path) -> list[dict[str, Any]]:
    """The monthly reports written under the reports folder, newest first."""
    if not out_dir.is_dir():
        return []
    found = []
    for folder in sorted(out_dir.iterdir(), reverse=True):
        if folder.is_dir() and MONTH.match(folder.name):
            files = [(n, t) for n, t in REPORT_FILES.items() if (folder / n).is_file()]
            if files:
                found.append({"month": folder.name, "files": files})
    return found


def runs(conn: sqlite3.Connection, limit: int = 200) -> list[dict[str, Any]]:
    """The run history, newest first."""
    return rows(conn, "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT ?", (limit,))


def run_row(conn: sqlite3.Connection, run_id: int) -> dict[str, Any] | None:
    """One run."""
    found = rows(conn, "SELECT * FROM crawl_runs WHERE id = ?", (run_id,))
    return found[0] if found else None


def run_log(conn: sqlite3.Connection, run_id: int, limit: int = 500) -> list[dict[str, Any]]:
    """A run's fetches, failures first."""
    return rows(
        conn,
        "SELECT site_id, url, kind, status, error, elapsed_ms, fetched_at FROM fetches"
        " WHERE run_id = ? ORDER BY (error IS NULL AND COALESCE(status, 0) < 400), id LIMIT ?",
        (run_id, limit),
    )
