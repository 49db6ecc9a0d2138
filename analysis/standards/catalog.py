"""The metric catalogue: every figure a standard profile rule may test, read from the registry.

The metrics themselves are classes in `analysis/standards/metrics/` (one class per metric,
registered by `analysis/standards/registry.py`); this module imports them all and offers what
profiles, the report and the CLI need of them: names, scopes, units, parameters, the threshold
checks of a unit, and the printed catalogue of `sitewatch validate --list-metrics`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import analysis.standards.metrics  # noqa: F401  (defining the classes registers them)
from analysis.standards.registry import (
    METRICS,
    Metric,
    MetricParams,
    ParamInfo,
    ParamType,
    Scope,
    Unit,
)
from crawler.categories import CATEGORY_NAMES, Category

__all__ = [
    "ALL_CATEGORIES",
    "BASIC_INFO_CATEGORIES",
    "METRICS",
    "NEWS_CATEGORIES",
    "NOTICE_POLICY_CATEGORIES",
    "Metric",
    "MetricParams",
    "ParamInfo",
    "ParamType",
    "Scope",
    "Unit",
    "catalogue_lines",
    "known_metric_names",
    "shortest_staleness",
    "threshold_problem",
]

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


def known_metric_names() -> str:
    """Comma-separated metric names, for error messages."""
    return ", ".join(sorted(METRICS))


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


def _default_text(info: ParamInfo) -> str:
    """A parameter default as YAML would write it."""
    value = info.default
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]" if value != ALL_CATEGORIES else "[all]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _bounds_text(info: ParamInfo) -> str:
    """`1..3660` style bounds, empty when unbounded."""
    if info.minimum is None and info.maximum is None:
        return ""
    low = "" if info.minimum is None else f"{info.minimum:g}"
    high = "" if info.maximum is None else f"{info.maximum:g}"
    return f" {low}..{high}"


def catalogue_lines() -> list[str]:
    """The catalogue as text: each metric with scope, unit, description and parameters."""
    lines: list[str] = []
    for name in sorted(METRICS):
        metric = METRICS[name]
        lines.append(f"{name}  [{metric.scope.value}, {metric.unit.value}]  {metric.title}")
        lines.append(f"    {metric.description}")
        for info in metric.params_info():
            lines.append(
                f"    - {info.name} ({info.type.value}{_bounds_text(info)}, "
                f"default {_default_text(info)}): {info.description}"
            )
    return lines
