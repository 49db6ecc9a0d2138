"""What every monthly metric is computed for: the connection, the sites, the days, the limits."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from analysis.metrics.periods import Period
from analysis.standards.catalog import BASIC_INFO_CATEGORIES, NOTICE_POLICY_CATEGORIES
from analysis.workdays import WorkdayCalendar
from crawler import defaults
from crawler.categories import Category

DEFAULT_PROFILE = "national"  # the shipped profile used when none is named
UNANSWERED = "consultations_unanswered_over_days"

if TYPE_CHECKING:
    from analysis.standards.profile import StandardProfile

# Staleness limit of each column class when no profile says otherwise (monitoring-rules.md:
# dynamics 2 weeks, notices and policies 6 months, basic information 1 year). Other categories
# have no limit in the month.
STALE_DAYS_BY_CATEGORY: dict[str, int] = {
    Category.NEWS.value: defaults.STALE_DAYS_NEWS,
    **dict.fromkeys(NOTICE_POLICY_CATEGORIES, defaults.STALE_DAYS_NOTICE_POLICY),
    **dict.fromkeys(BASIC_INFO_CATEGORIES, defaults.STALE_DAYS_BASIC_INFO),
}


@dataclass(frozen=True)
class MonthSettings:
    """Limits the monthly figures use (the report states them).

    `from_profile` takes every limit from the standard profile's rules, so `stats`, the report
    and `check` agree; the defaults (crawler/defaults.py) apply only without a profile.
    """

    reply_limit_workdays: int = defaults.REPLY_LIMIT_WORKDAYS  # a letter waiting longer is late
    overdue_days: int = defaults.OVERDUE_DAYS  # an unanswered letter older than this is overdue
    letters_lookback_days: int = defaults.LETTERS_LOOKBACK_DAYS  # open letters listed from
    probe_timeout_s: float = defaults.PROBE_TIMEOUT_S  # a slower home-page visit failed
    suspicious_over_days: int = defaults.SUSPICIOUS_OVER_DAYS  # date sources further apart
    stale_days: dict[str, int] = field(default_factory=lambda: dict(STALE_DAYS_BY_CATEGORY))
    # category -> id of the profile rule whose limit `stale_days` holds (empty without one)
    stale_rules: dict[str, str] = field(default_factory=dict)

    @classmethod
    def default(cls) -> MonthSettings:
        """The limits of the default profile (`national`), as `check` uses without --standard."""
        from analysis.standards.profile import load_profile

        return cls.from_profile(load_profile(DEFAULT_PROFILE))

    @classmethod
    def from_profile(cls, profile: StandardProfile) -> MonthSettings:
        """The limits a profile's rules set; the strictest one where several rules set it."""
        stale: dict[str, tuple[int, str]] = {}
        for rule in profile.rules:
            if rule.metric != "stale_columns":
                continue
            by_category = rule.params.get("stale_days_by_category") or {}
            for category in rule.params["categories"]:
                limit = int(by_category.get(category, rule.params["stale_days"]))
                if category not in stale or limit < stale[category][0]:
                    stale[category] = (limit, rule.id)
        stale.pop(Category.CONSULTATION.value, None)  # judged on replies, not on posts
        base = cls()
        return cls(
            reply_limit_workdays=int(
                _param(profile, "replies_over_workdays", "workdays", base.reply_limit_workdays)
            ),
            overdue_days=int(_param(profile, UNANSWERED, "over_days", base.overdue_days)),
            letters_lookback_days=int(
                _param(profile, UNANSWERED, "lookback_days", base.letters_lookback_days)
            ),
            probe_timeout_s=float(
                _param(profile, "home_failure_rate", "timeout_seconds", base.probe_timeout_s)
            ),
            suspicious_over_days=int(
                _param(
                    profile, "suspicious_dates", "max_disagreement_days", base.suspicious_over_days
                )
            ),
            stale_days={category: limit for category, (limit, _) in stale.items()},
            stale_rules={category: rule_id for category, (_, rule_id) in stale.items()},
        )


def _param(profile: StandardProfile, metric: str, name: str, default: float) -> float:
    """The strictest (smallest) value the profile's rules on `metric` give `name`, else default."""
    values = [rule.params[name] for rule in profile.rules if rule.metric == metric]
    return min(values, default=default)


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
