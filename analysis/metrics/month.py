"""`compute_month`: every figure of one month, per site, column, unit type and department."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from analysis import queries
from analysis.metrics.availability import availabilities
from analysis.metrics.context import MonthContext, MonthSettings
from analysis.metrics.frequency import site_frequencies
from analysis.metrics.latency import (
    LetterFigures,
    group_reply_figures,
    letter_figures,
    open_letters,
    ratio,
)
from analysis.metrics.links import broken_counts, broken_links
from analysis.metrics.model import (
    ColumnMonth,
    MonthMetrics,
    OpenLetter,
    SiteMonth,
    Trends,
    UnitTypeMonth,
)
from analysis.metrics.periods import month_end, month_period, parse_month, previous_period
from analysis.metrics.suspicious import suspicious_posts
from analysis.metrics.trends import heatmap, trends
from analysis.metrics.volumes import (
    column_months,
    departments,
    posts_by_site_category,
    previous_posts_by_site,
)
from analysis.workdays import WorkdayCalendar, load_calendar
from crawler.categories import UNIT_TYPE_LABELS_ZH, UnitType


def select_sites(conn: sqlite3.Connection, wanted: Sequence[str] | None) -> list[dict[str, Any]]:
    """The site rows to analyse; AnalysisError on an empty database or an unknown site id."""
    rows = queries.site_rows(conn)
    if not rows:
        raise queries.AnalysisError("the database holds no sites yet (run `sitewatch crawl`)")
    if not wanted:
        return rows
    known = {row["id"]: row for row in rows}
    unknown = [site_id for site_id in wanted if site_id not in known]
    if unknown:
        raise queries.AnalysisError(
            f"unknown site {unknown[0]!r} (known: {', '.join(sorted(known))})"
        )
    return [known[site_id] for site_id in dict.fromkeys(wanted)]


def month_context(
    db: str | Path | sqlite3.Connection | Any,
    month: str | date,
    as_of: date | None = None,
    calendar: WorkdayCalendar | None = None,
    sites: Sequence[str] | None = None,
    settings: MonthSettings | None = None,
) -> tuple[MonthContext, list[dict[str, Any]]]:
    """The context of one month's computation and the selected site rows."""
    conn = queries.connect(db)
    first = parse_month(month) if isinstance(month, str) else month.replace(day=1)
    as_of = as_of or month_end(first)
    if as_of < first:
        raise queries.AnalysisError(f"as-of date {as_of} is before the month {first:%Y-%m}")
    rows = select_sites(conn, sites)
    site_ids = tuple(row["id"] for row in rows)
    period = month_period(first, as_of)
    ctx = MonthContext(
        conn=conn,
        site_ids=site_ids,
        sites_json=queries.sites_param(site_ids),
        month=first,
        period=period,
        previous=previous_period(period),
        as_of=as_of,
        calendar=calendar or load_calendar(),
        settings=settings or MonthSettings.default(),
    )
    return ctx, rows


def compute_month(
    db: str | Path | sqlite3.Connection | Any,
    month: str | date,
    as_of: date | None = None,
    calendar: WorkdayCalendar | None = None,
    sites: Sequence[str] | None = None,
    settings: MonthSettings | None = None,
    *,
    with_trends: bool = True,
) -> MonthMetrics:
    """Every figure of a month (`YYYY-MM`) up to as_of (default: the month's last day).

    `with_trends=False` leaves the 12-month trends empty: a year of probes is the costliest
    query, and a previous month read only for comparison does not need it.
    """
    ctx, site_rows = month_context(db, month, as_of, calendar, sites, settings)
    columns = column_months(ctx)
    by_category = posts_by_site_category(ctx)
    posts = {site_id: sum(cats.values()) for site_id, cats in by_category.items()}
    previous = previous_posts_by_site(ctx)
    frequency = site_frequencies(ctx, posts, columns)
    letters = letter_figures(ctx)
    open_list = open_letters(ctx)
    availability = availabilities(ctx)
    links = broken_links(ctx)
    link_counts = broken_counts(links)
    columns_of: dict[str, list[ColumnMonth]] = {}
    for column in columns:
        columns_of.setdefault(column.site_id, []).append(column)
    site_months = [
        SiteMonth(
            site_id=row["id"],
            name=row["name"],
            unit_type=row["unit_type"],
            parent=row["parent"],
            posts=posts.get(row["id"], 0),
            posts_previous=previous.get(row["id"], 0),
            posts_change=posts.get(row["id"], 0) - previous.get(row["id"], 0),
            posts_by_category=dict(sorted(by_category.get(row["id"], {}).items())),
            **_frequency_fields(frequency[row["id"]]),
            **_column_fields(columns_of.get(row["id"], [])),
            **_letter_fields(
                letters.get(row["id"], LetterFigures()),
                open_list,
                row["id"],
                ctx.settings.reply_limit_workdays,
            ),
            availability=availability[row["id"]],
            broken_links_home=link_counts.get(row["id"], (0, 0))[0],
            broken_links_inner=link_counts.get(row["id"], (0, 0))[1],
        )
        for row in site_rows
    ]
    settings_used = ctx.settings
    group_median, group_workdays = group_reply_figures(ctx)
    return MonthMetrics(
        month=f"{ctx.month:%Y-%m}",
        as_of=ctx.as_of.isoformat(),
        period_start=ctx.period.start.isoformat(),
        period_end=ctx.period.end.isoformat(),
        previous_start=ctx.previous.start.isoformat(),
        previous_end=ctx.previous.end.isoformat(),
        sites=site_months,
        columns=columns,
        unit_types=unit_type_months(site_months),
        departments=departments(ctx),
        posts_by_category=_category_totals(by_category),
        open_letters=open_list,
        broken_links=links,
        suspicious_posts=suspicious_posts(
            ctx.conn, ctx.sites_json, *ctx.period.as_tuple(), settings_used.suspicious_over_days
        ),
        trends=trends(ctx) if with_trends else Trends(months=[]),
        heatmap=heatmap(ctx),
        median_reply_workdays=group_median,
        reply_workdays=group_workdays,
        settings={
            "reply_limit_workdays": settings_used.reply_limit_workdays,
            "overdue_days": settings_used.overdue_days,
            "probe_timeout_s": settings_used.probe_timeout_s,
            "suspicious_over_days": settings_used.suspicious_over_days,
            "stale_days": settings_used.stale_days,
            "stale_rules": settings_used.stale_rules,
        },
    )


def _frequency_fields(freq: Any) -> dict[str, Any]:
    """The SiteMonth fields of a site's update frequency."""
    return {
        "posts_per_week": freq.posts_per_week,
        "median_gap_days": freq.median_gap_days,
        "longest_gap_days": freq.longest_gap_days,
        "last_post_on": freq.last_post_on,
        "days_since_update": freq.days_since_update,
    }


def _column_fields(own: list[ColumnMonth]) -> dict[str, Any]:
    """The SiteMonth fields counting a site's columns."""
    return {
        "columns": len(own),
        "stale_columns": sum(c.stale for c in own),
        "blank_columns": sum(c.blank for c in own),
    }


def _letter_fields(
    figures: LetterFigures, open_list: list[OpenLetter], site_id: str, limit: int
) -> dict[str, Any]:
    """The SiteMonth fields of a site's consultations."""
    own = [letter for letter in open_list if letter.site_id == site_id]
    return {
        "consultations_received": figures.received,
        "consultations_replied": figures.replied,
        "consultations_pending": figures.pending,
        "reply_rate": figures.reply_rate,
        "median_reply_days": figures.median_reply_days,
        "median_reply_workdays": figures.median_reply_workdays,
        "p90_reply_workdays": figures.p90_reply_workdays,
        "max_reply_workdays": figures.max_reply_workdays,
        "overdue_letters": sum(letter.over_overdue_days for letter in own),
        "pending_over_limit": sum((letter.workdays_open or 0) > limit for letter in own),
    }


def _category_totals(by_category: dict[str, dict[str, int]]) -> dict[str, int]:
    """Group-wide posts per category."""
    totals: dict[str, int] = defaultdict(int)
    for cats in by_category.values():
        for category, count in cats.items():
            totals[category] += count
    return dict(sorted(totals.items()))


def unit_type_months(sites: list[SiteMonth]) -> list[UnitTypeMonth]:
    """The sites summed per unit type, in the UnitType order."""
    out: list[UnitTypeMonth] = []
    for unit in UnitType:
        own = [s for s in sites if s.unit_type == unit.value]
        if not own:
            continue
        received = sum(s.consultations_received for s in own)
        replied = sum(s.consultations_replied for s in own)
        out.append(
            UnitTypeMonth(
                unit_type=unit.value,
                label=UNIT_TYPE_LABELS_ZH[unit],
                sites=len(own),
                posts=sum(s.posts for s in own),
                posts_previous=sum(s.posts_previous for s in own),
                consultations_received=received,
                consultations_replied=replied,
                reply_rate=ratio(replied, received),
                stale_columns=sum(s.stale_columns for s in own),
                blank_columns=sum(s.blank_columns for s in own),
            )
        )
    return out
