"""What the rule engine measures and decides: measurements with evidence, rule results, verdicts.

A measurement's value is a number, `math.inf` for "never" (no dated post, no reply ever:
staleness without end), or None when the metric does not apply (no probe, no letter).
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from analysis.workdays import WorkdayCalendar


class Outcome(StrEnum):
    """The result of one rule for one site."""

    PASS = "pass"
    WARNING = "warning"
    FAIL = "fail"
    NO_DATA = "no_data"  # the metric has no data for the site: no verdict either way


@dataclass
class Item:
    """One value of a per-item metric (a column, letter, link or post) with what it is."""

    value: float
    evidence: dict[str, Any]


@dataclass
class Measurement:
    """A metric's value for one site, with the evidence behind it."""

    value: float | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    items: list[Item] | None = None  # per-item scopes: one value per item
    note: str = ""
    no_data: bool = False  # nothing was measured (no probe, no post extracted): no verdict


@dataclass
class Snapshot:
    """The data known on `cutoff`, judged on `at` (later than cutoff for an early warning: the
    same data, days later — "if nothing changes")."""

    conn: sqlite3.Connection
    sites_json: str
    site_ids: tuple[str, ...]
    cutoff: date
    at: date
    calendar: WorkdayCalendar
    cache: dict[Any, Any] = field(default_factory=dict)

    def cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        """Compute a value once per snapshot (several rules share one query)."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    def ahead(self, days: int) -> Snapshot:
        """The same data judged `days` later."""
        from datetime import timedelta

        return Snapshot(
            self.conn,
            self.sites_json,
            self.site_ids,
            self.cutoff,
            self.at + timedelta(days=days),
            self.calendar,
        )


def json_number(value: float | None) -> float | int | None:
    """A value for JSON: whole numbers as int, inf (never) and None as None."""
    if value is None or math.isinf(value):
        return None
    return int(value) if float(value).is_integer() else round(value, 4)


@dataclass
class RuleResult:
    """One rule's outcome for one site."""

    id: str
    title: str
    level: str
    metric: str
    scope: str
    outcome: Outcome
    value: float | None
    threshold: float
    operator: str
    evidence: list[dict[str, Any]]
    citation: str
    confirmed: bool
    points: float = 0.0  # deducted (deduction) or earned (bonus)
    items_triggered: int | None = None  # per-item scopes
    note: str = ""
    warning: str = ""  # why an early warning was raised
    # URLs of the columns, letters, links or posts this rule counts against the site (all of
    # them, unlike `evidence`): how the report names the rule that flagged a column or letter.
    flagged: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the `check --format json` shape)."""
        never = self.value is not None and math.isinf(self.value)
        return {
            "id": self.id,
            "title": self.title,
            "level": self.level,
            "outcome": self.outcome.value,
            "value": json_number(self.value),
            "never": never,
            "threshold": json_number(self.threshold),
            "operator": self.operator,
            "metric": self.metric,
            "scope": self.scope,
            "points": json_number(self.points),
            "items_triggered": self.items_triggered,
            "evidence": self.evidence,
            "note": self.note,
            "warning": self.warning,
            "citation": self.citation,
            "confirmed": self.confirmed,
        }


@dataclass
class SiteVerdict:
    """A site checked against a standard profile."""

    site_id: str
    name: str
    unit_type: str
    veto: bool
    score: float
    passed: bool
    rules: list[RuleResult]

    def rules_flagging(self, url: str) -> list[RuleResult]:
        """The rules (failed or warned first) that count this column, letter, link or post."""
        found = [r for r in self.rules if url in r.flagged]
        rank = {Outcome.FAIL: 0, Outcome.WARNING: 1}
        return sorted(found, key=lambda r: rank.get(r.outcome, 2))

    @property
    def warnings(self) -> list[RuleResult]:
        """Rules that raised an (early) warning."""
        return [r for r in self.rules if r.outcome is Outcome.WARNING]

    @property
    def failures(self) -> list[RuleResult]:
        """Rules that failed."""
        return [r for r in self.rules if r.outcome is Outcome.FAIL]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "site_id": self.site_id,
            "name": self.name,
            "unit_type": self.unit_type,
            "veto": self.veto,
            "score": json_number(self.score),
            "passed": self.passed,
            "early_warnings": [
                {"id": r.id, "title": r.title, "warning": r.warning or r.note}
                for r in self.warnings
            ],
            "rules": [r.to_dict() for r in self.rules],
        }
