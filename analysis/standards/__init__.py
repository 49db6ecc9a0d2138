"""Website construction standards: profile model, loader, the metric registry and engine."""

from analysis.standards.catalog import METRICS, Metric, MetricParams, ParamType, Scope, Unit
from analysis.standards.profile import (
    EarlyWarning,
    Level,
    ProfileError,
    Rule,
    StandardProfile,
    compare,
    load_profile,
    parse_profile,
)

__all__ = [
    "METRICS",
    "EarlyWarning",
    "Level",
    "Metric",
    "MetricParams",
    "ParamType",
    "ProfileError",
    "Rule",
    "Scope",
    "StandardProfile",
    "Unit",
    "compare",
    "load_profile",
    "parse_profile",
]
