"""Website construction standards: profile model, loader and the metric catalogue."""

from analysis.standards.catalog import METRICS, MetricSpec, ParamSpec, ParamType, Scope, Unit
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
    "MetricSpec",
    "ParamSpec",
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
