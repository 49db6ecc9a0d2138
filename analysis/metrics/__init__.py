"""Monthly metrics of the website group, computed in SQL: `compute_month(db, month, …)`."""

from analysis.metrics.context import STALE_DAYS_BY_CATEGORY, MonthSettings
from analysis.metrics.model import (
    Availability,
    BrokenLink,
    ColumnMonth,
    DepartmentMonth,
    HeatMap,
    MonthMetrics,
    OpenLetter,
    SiteMonth,
    SuspiciousPost,
    Trends,
    UnitTypeMonth,
)
from analysis.metrics.month import compute_month

__all__ = [
    "STALE_DAYS_BY_CATEGORY",
    "Availability",
    "BrokenLink",
    "ColumnMonth",
    "DepartmentMonth",
    "HeatMap",
    "MonthMetrics",
    "MonthSettings",
    "OpenLetter",
    "SiteMonth",
    "SuspiciousPost",
    "Trends",
    "UnitTypeMonth",
    "compute_month",
]
