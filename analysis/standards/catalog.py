"""The metric catalogue: every figure a standard profile rule may test, with its parameters.

Each `MetricSpec` says what one value means, at which scope it is computed, its unit, which
parameters it takes (with types, defaults and bounds) and which SQLite tables it reads. The
profile model validates rules against this catalogue; the rule engine (a later issue) computes
each metric by name from the tables listed in `needs`.

Scopes — what one value of the metric belongs to:
  site          one value per site (counts and rates over the whole site)
  home_page     one value per site, computed from its home page and home-page columns only
  column        one value per column; a rule fails column by column
  consultation  one value per consultation message
  link          one value per checked link
  post          one value per post
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from crawler.categories import CATEGORY_NAMES, Category


class Scope(StrEnum):
    """What one value of a metric belongs to."""

    SITE = "site"
    HOME_PAGE = "home_page"
    COLUMN = "column"
    CONSULTATION = "consultation"
    LINK = "link"
    POST = "post"


class Unit(StrEnum):
    """The unit of a metric value; it bounds the thresholds a rule may use."""

    RATIO = "ratio"  # 0..1, e.g. 0.05 for 5 %
    DAYS = "days"  # calendar days
    WORKDAYS = "workdays"  # working days (weekends/holidays out, 调休 make-up days in)
    COUNT = "count"  # a number of things
    FLAG = "flag"  # 1 = true, 0 = false


class ParamType(StrEnum):
    """The value type of a metric parameter."""

    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    CATEGORIES = "categories"  # non-empty list of column category names
    CATEGORY_DAYS = "category_days"  # mapping category name -> days (int >= 1)


@dataclass(frozen=True)
class ParamSpec:
    """One parameter a metric accepts: type, default, bounds and meaning."""

    type: ParamType
    default: Any
    description: str
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class MetricSpec:
    """One metric of the catalogue."""

    name: str
    scope: Scope
    unit: Unit
    description: str
    needs: tuple[str, ...]  # SQLite tables the metric reads
    params: Mapping[str, ParamSpec] = field(default_factory=dict)
    # True when the value only grows while nothing new happens on the site (staleness, waiting
    # time): only such rules can carry an early warning `days_before: N`.
    projectable: bool = False


ALL_CATEGORIES: tuple[str, ...] = CATEGORY_NAMES

# Column classes of the national checklist, named once so profiles and tests agree on them.
NEWS_CATEGORIES: tuple[str, ...] = (Category.NEWS.value,)
NOTICE_POLICY_CATEGORIES: tuple[str, ...] = (Category.NOTICE.value, Category.POLICY.value)
BASIC_INFO_CATEGORIES: tuple[str, ...] = (
    Category.BASIC_INFO.value,
    Category.PERSONNEL.value,
    Category.PLANNING.value,
    Category.FINANCE.value,
    Category.STATISTICS.value,
)

# Reusable parameter specs: the same name always means the same thing across metrics.
P_CATEGORIES = ParamSpec(
    ParamType.CATEGORIES, ALL_CATEGORIES, "column categories counted (default: all)"
)
P_HOME_PAGE_ONLY = ParamSpec(
    ParamType.BOOL, False, "count only columns linked from the home page (columns.on_home_page)"
)
P_LOOKBACK_DAYS = ParamSpec(
    ParamType.INT, 365, "only messages asked within this many days before the check", 1, 3660
)
P_PERIOD_DAYS = ParamSpec(
    ParamType.INT, 30, "count posts published within this many days before the check", 1, 3660
)
P_TIMEOUT_SECONDS = ParamSpec(
    ParamType.FLOAT, 15.0, "a visit slower than this counts as failed", 0.1, 300
)

_METRIC_LIST: tuple[MetricSpec, ...] = (
    # --- home page: availability and updates -------------------------------------------------
    MetricSpec(
        "home_failure_rate",
        Scope.HOME_PAGE,
        Unit.RATIO,
        "Share of home-page visits (probes) that failed (error, HTTP status >= 400, or slower "
        "than timeout_seconds) over the last window_days; hours of a registered, approved "
        "temporary shutdown are left out.",
        ("probes",),
        {
            "window_days": ParamSpec(ParamType.INT, 7, "length of the probe window", 1, 366),
            "timeout_seconds": P_TIMEOUT_SECONDS,
        },
    ),
    MetricSpec(
        "home_consecutive_failures",
        Scope.HOME_PAGE,
        Unit.COUNT,
        "Number of consecutive failed home-page visits ending with the latest probe (0 when the "
        "latest visit succeeded).",
        ("probes",),
        {"timeout_seconds": P_TIMEOUT_SECONDS},
    ),
    MetricSpec(
        "days_since_home_update",
        Scope.HOME_PAGE,
        Unit.DAYS,
        "Days from the newest dated post in any home-page column to the check date; posts "
        "without a publication date do not count as updates. When the home page is navigation "
        "only, the columns of its second-level pages are flagged on_home_page by the crawler.",
        ("columns", "posts"),
        projectable=True,
    ),
    MetricSpec(
        "broken_links_home",
        Scope.HOME_PAGE,
        Unit.COUNT,
        "Links found on the home page whose latest check failed (error or HTTP status >= 400).",
        ("links",),
    ),
    # --- site: columns -----------------------------------------------------------------------
    MetricSpec(
        "stale_columns",
        Scope.SITE,
        Unit.COUNT,
        "Columns of the given categories whose newest dated post is more than the staleness "
        "limit old: stale_days, or stale_days_by_category[category] where given. Blank columns "
        "(no post at all) are only counted when include_blank is true.",
        ("columns", "posts"),
        {
            "categories": P_CATEGORIES,
            "stale_days": ParamSpec(
                ParamType.INT, 14, "staleness limit in days for every listed category", 1, 3660
            ),
            "stale_days_by_category": ParamSpec(
                ParamType.CATEGORY_DAYS, {}, "per-category limits overriding stale_days"
            ),
            "include_blank": ParamSpec(ParamType.BOOL, False, "count blank columns as stale"),
            "home_page_only": P_HOME_PAGE_ONLY,
        },
        projectable=True,
    ),
    MetricSpec(
        "blank_columns",
        Scope.SITE,
        Unit.COUNT,
        "Columns of the given categories that were fetched successfully but hold no post at "
        "all (a column whose page could not be fetched is a fetch error, not blank).",
        ("columns", "posts", "fetches"),
        {"categories": P_CATEGORIES, "home_page_only": P_HOME_PAGE_ONLY},
    ),
    MetricSpec(
        "posts_in_period",
        Scope.SITE,
        Unit.COUNT,
        "Posts of the given categories published within period_days before the check.",
        ("columns", "posts"),
        {"categories": P_CATEGORIES, "period_days": P_PERIOD_DAYS},
    ),
    # --- site: interaction (政务咨询) ---------------------------------------------------------
    MetricSpec(
        "consultation_channel_missing",
        Scope.SITE,
        Unit.FLAG,
        "1 when the site has no working government-consultation channel: no column of category "
        "consultation and no consultation message found; else 0.",
        ("columns", "consultations"),
    ),
    MetricSpec(
        "consultations_unanswered_over_days",
        Scope.SITE,
        Unit.COUNT,
        "Consultation messages asked within lookback_days before the check that were left "
        "unanswered more than over_days: replied later than that, or still unanswered and older.",
        ("consultations",),
        {
            "over_days": ParamSpec(
                ParamType.INT, 91, "longest acceptable wait in days (3 months ≈ 91)", 1, 3660
            ),
            "lookback_days": P_LOOKBACK_DAYS,
        },
        projectable=True,
    ),
    MetricSpec(
        "reply_rate",
        Scope.SITE,
        Unit.RATIO,
        "Replied messages / messages asked within lookback_days; messages younger than "
        "grace_workdays working days are left out (they may still be answered in time).",
        ("consultations",),
        {
            "lookback_days": P_LOOKBACK_DAYS,
            "grace_workdays": ParamSpec(
                ParamType.INT, 5, "working days a new message may wait unanswered", 0, 365
            ),
        },
    ),
    MetricSpec(
        "replies_over_workdays",
        Scope.SITE,
        Unit.COUNT,
        "Messages asked within lookback_days whose reply took more than `workdays` working "
        "days, or that are unanswered and have waited longer than that.",
        ("consultations",),
        {
            "workdays": ParamSpec(ParamType.INT, 5, "longest acceptable wait", 1, 365),
            "lookback_days": P_LOOKBACK_DAYS,
        },
        projectable=True,
    ),
    MetricSpec(
        "reply_workdays_max",
        Scope.SITE,
        Unit.WORKDAYS,
        "Longest reply time, in working days, of the messages replied within lookback_days.",
        ("consultations",),
        {"lookback_days": P_LOOKBACK_DAYS},
    ),
    MetricSpec(
        "reply_workdays_p90",
        Scope.SITE,
        Unit.WORKDAYS,
        "90th percentile (nearest rank) of reply times in working days, messages replied "
        "within lookback_days.",
        ("consultations",),
        {"lookback_days": P_LOOKBACK_DAYS},
    ),
    MetricSpec(
        "days_since_last_reply",
        Scope.SITE,
        Unit.DAYS,
        "Days from the newest reply (replied_on) in the consultation columns to the check date "
        "(留言答复 not updated).",
        ("consultations",),
        projectable=True,
    ),
    # --- site: links and dates ---------------------------------------------------------------
    MetricSpec(
        "broken_links_inner",
        Scope.SITE,
        Unit.COUNT,
        "Links found on pages other than the home page whose latest check failed.",
        ("links",),
    ),
    MetricSpec(
        "suspicious_dates",
        Scope.SITE,
        Unit.COUNT,
        "Posts whose dates disagree by more than max_disagreement_days: list date, PubDate "
        "meta, date in the URL, and first-seen time (first-seen only for posts that appeared "
        "after the column was first crawled, and only when it is earlier than the claimed date "
        "or later than it by more than the limit — a back-dated post).",
        ("posts",),
        {
            "max_disagreement_days": ParamSpec(
                ParamType.INT, 3, "largest tolerated gap between date sources", 0, 3660
            ),
            "period_days": P_PERIOD_DAYS,
        },
    ),
    # --- per column ----------------------------------------------------------------------------
    MetricSpec(
        "column_days_since_update",
        Scope.COLUMN,
        Unit.DAYS,
        "For each column of the given categories: days from its newest dated post to the check "
        "date (blank columns are skipped here; see blank_columns).",
        ("columns", "posts"),
        {"categories": P_CATEGORIES, "home_page_only": P_HOME_PAGE_ONLY},
        projectable=True,
    ),
    MetricSpec(
        "column_posts_in_period",
        Scope.COLUMN,
        Unit.COUNT,
        "For each column of the given categories: posts published within period_days before "
        "the check.",
        ("columns", "posts"),
        {
            "categories": P_CATEGORIES,
            "home_page_only": P_HOME_PAGE_ONLY,
            "period_days": P_PERIOD_DAYS,
        },
    ),
    # --- per consultation, link, post ---------------------------------------------------------
    MetricSpec(
        "reply_workdays",
        Scope.CONSULTATION,
        Unit.WORKDAYS,
        "For each message asked within lookback_days: working days until its reply, or waited "
        "so far when unanswered.",
        ("consultations",),
        {"lookback_days": P_LOOKBACK_DAYS},
        projectable=True,
    ),
    MetricSpec(
        "link_broken",
        Scope.LINK,
        Unit.FLAG,
        "For each checked link: 1 when its latest check failed (error or HTTP status >= 400).",
        ("links",),
        {"home_page_only": ParamSpec(ParamType.BOOL, False, "only links found on the home page")},
    ),
    MetricSpec(
        "post_date_disagreement_days",
        Scope.POST,
        Unit.DAYS,
        "For each post: the largest gap in days between its date sources (list date, PubDate "
        "meta, URL date, first-seen time).",
        ("posts",),
        {"period_days": P_PERIOD_DAYS},
    ),
)

METRICS: dict[str, MetricSpec] = {m.name: m for m in _METRIC_LIST}


def known_metric_names() -> str:
    """Comma-separated metric names, for error messages."""
    return ", ".join(sorted(METRICS))


def _type_name(value: object) -> str:
    """Short name of a YAML value's type, for error messages."""
    return type(value).__name__


def _check_number(name: str, spec: ParamSpec, value: object) -> int | float:
    """Validate an int or float parameter value against its type and bounds."""
    # bool is an int subclass in Python, but `yes` in YAML is never meant as a number.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(
            f"params.{name}: must be {'an integer' if spec.type is ParamType.INT else 'a number'}"
            f", got {_type_name(value)} {value!r}"
        )
    if spec.type is ParamType.INT and not isinstance(value, int):
        raise ValueError(f"params.{name}: must be an integer, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"params.{name}: must be a finite number, got {value!r}")
    if spec.minimum is not None and value < spec.minimum:
        raise ValueError(f"params.{name}: must be >= {spec.minimum:g}, got {value!r}")
    if spec.maximum is not None and value > spec.maximum:
        raise ValueError(f"params.{name}: must be <= {spec.maximum:g}, got {value!r}")
    return float(value) if spec.type is ParamType.FLOAT else value


def _check_category(name: str, value: object) -> str:
    """Validate one category name."""
    if not isinstance(value, str) or value not in ALL_CATEGORIES:
        raise ValueError(
            f"params.{name}: unknown category {value!r} (known: {', '.join(ALL_CATEGORIES)})"
        )
    return value


def _check_categories(name: str, value: object) -> tuple[str, ...]:
    """Validate a non-empty list of distinct category names."""
    if not isinstance(value, list) or not value:
        raise ValueError(f"params.{name}: must be a non-empty list of categories, got {value!r}")
    names = tuple(_check_category(name, item) for item in value)
    if len(set(names)) != len(names):
        raise ValueError(f"params.{name}: lists a category twice")
    return names


def _check_category_days(name: str, value: object) -> dict[str, int]:
    """Validate a mapping of category name -> whole days >= 1."""
    if not isinstance(value, dict):
        raise ValueError(f"params.{name}: must be a mapping category -> days, got {value!r}")
    days_spec = ParamSpec(ParamType.INT, None, "", 1, 3660)
    return {
        _check_category(name, key): int(_check_number(f"{name}.{key}", days_spec, days))
        for key, days in value.items()
    }


def check_param(name: str, spec: ParamSpec, value: object) -> Any:
    """Validate and normalise one parameter value; raise ValueError naming `params.<name>`."""
    if spec.type in (ParamType.INT, ParamType.FLOAT):
        return _check_number(name, spec, value)
    if spec.type is ParamType.BOOL:
        if not isinstance(value, bool):
            raise ValueError(f"params.{name}: must be true or false, got {value!r}")
        return value
    if spec.type is ParamType.CATEGORIES:
        return _check_categories(name, value)
    return _check_category_days(name, value)


def resolve_params(metric: MetricSpec, given: Mapping[str, object]) -> dict[str, Any]:
    """Validate the given parameters of a rule and fill in the defaults of the rest."""
    unknown = sorted(set(given) - set(metric.params))
    if unknown:
        allowed = ", ".join(sorted(metric.params)) or "none"
        raise ValueError(
            f"params.{unknown[0]}: unknown parameter for metric '{metric.name}' "
            f"(allowed: {allowed})"
        )
    resolved = {
        name: check_param(name, spec, given[name]) if name in given else spec.default
        for name, spec in metric.params.items()
    }
    by_category = resolved.get("stale_days_by_category") or {}
    outside = sorted(set(by_category) - set(resolved.get("categories", ())))
    if outside:
        raise ValueError(
            f"params.stale_days_by_category: category {outside[0]!r} is not in params.categories"
        )
    return resolved


def shortest_staleness(params: Mapping[str, Any]) -> int | None:
    """The smallest day limit (stale_days, per-category limits, over_days) a rule's params set."""
    limits = [params[name] for name in ("stale_days", "over_days") if name in params]
    limits += list((params.get("stale_days_by_category") or {}).values())
    return min(limits, default=None)


def threshold_problem(unit: Unit, threshold: float) -> str | None:
    """Why a threshold cannot be used with a metric of this unit, or None when it can."""
    if not math.isfinite(threshold):
        return f"must be a finite number, got {threshold!r}"
    if threshold < 0:
        return f"must be >= 0 (metric unit: {unit.value}), got {threshold:g}"
    if unit is Unit.RATIO and threshold > 1:
        return f"must be between 0 and 1 for a ratio (5 % is 0.05), got {threshold:g}"
    if unit is Unit.FLAG and threshold not in (0, 1):
        return f"must be 0 or 1 for a flag, got {threshold:g}"
    return None
