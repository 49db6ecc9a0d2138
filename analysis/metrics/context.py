"""What every monthly metric is computed for: the connection, the sites, the days, the limits."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date

from analysis.metrics.periods import Period
from analysis.standards.catalog import BASIC_INFO_CATEGORIES, NOTICE_POLICY_CATEGORIES
from analysis.workdays import WorkdayCalendar
from crawler.categories import Category

# Staleness limit of each column class (monitoring-rules.md: dynamics 2 weeks, notices and
# policies 6 months, basic information 1 year). Other categories have no limit in the month.
STALE_DAYS_BY_CATEGORY: dict[str, int] = {
    Category.NEWS.value: 14,
    **dict.fromkeys(NOTICE_POLICY_CATEGORIES, 183),
    **dict.fromkeys(BASIC_INFO_CATEGORIES, 365),
}


@dataclass(frozen=True)
class MonthSettings:
    """Limits the monthly figures use (the report states them)."""

    reply_limit_workdays: int = 5  # a letter waiting longer is pending over the limit
    overdue_days: int = 91  # 3 months: an unanswered letter older than this is overdue
    letters_lookback_days: int = 365  # open letters are listed from this far back
    probe_timeout_s: float = 15.0  # a slower home-page visit failed
    suspicious_over_days: int = 3  # date sources further apart than this are suspicious
    stale_days: dict[str, int] = field(default_factory=lambda: dict(STALE_DAYS_BY_CATEGORY))


@dataclass(frozen=True)
class MonthContext:
    """One month's computation: connection, sites, period, previous period, as-of date."""

    conn: sqlite3.Connection
    site_ids: tuple[str, ...]
    sites_json: str
    month: date
    period: Period
    previous: Period
    as_of: date
    calendar: WorkdayCalendar
    settings: MonthSettings
