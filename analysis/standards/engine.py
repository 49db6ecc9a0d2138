"""The rule engine: checks sites against a standard profile, with scores and early warnings.

`RuleCheck` is the one place a value meets a threshold (spidermon-monitor style: the metric
classes in `analysis/standards/metrics/` only measure). Per site and rule the outcome is:
  fail     a veto or deduction rule is triggered;
  warning  a warning rule is triggered, or a veto/deduction rule is not triggered yet but its
           early-warning threshold is crossed, or it would be triggered `days_before` days from
           now if nothing new happened (same data, judged later);
  pass     otherwise — also for a bonus rule (earned or not; see `points`) and for a metric
           that does not apply (no letter: `note` says so);
  no_data  the family measured nothing for the site (no probe visit, no post extracted at
           all): neither pass nor fail, `note` and the evidence say what to look at.
Score = full_score − deductions + min(bonus, bonus_max), never below 0; a site passes when no
veto is triggered and its score reaches pass_score.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from analysis import queries
from analysis.metrics.month import select_sites
from analysis.standards.catalog import METRICS, Metric, Unit
from analysis.standards.evidence import (
    Item,
    Measurement,
    Outcome,
    RuleResult,
    SiteVerdict,
    Snapshot,
)
from analysis.standards.profile import RISING_OPERATORS, Level, Rule, StandardProfile
from analysis.workdays import WorkdayCalendar, load_calendar

MAX_EVIDENCE = 50  # evidence entries kept per rule and site (the count says how many more)


class EngineError(Exception):
    """A profile rule no registered metric computes."""


def worst(items: list[Item], operator: str) -> Item | None:
    """The item furthest on the failing side of the rule's operator."""
    if not items:
        return None
    if operator in RISING_OPERATORS:
        return max(items, key=lambda item: item.value)
    return min(items, key=lambda item: item.value)


def trimmed(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """At most MAX_EVIDENCE entries, with a last entry saying how many were left out."""
    if len(evidence) <= MAX_EVIDENCE:
        return evidence
    return [*evidence[:MAX_EVIDENCE], {"more": len(evidence) - MAX_EVIDENCE}]


class RuleCheck:
    """One rule of a profile bound to the metric that measures it."""

    def __init__(self, rule: Rule, metric: Metric) -> None:
        self.rule = rule
        self.metric = metric

    @property
    def days_before(self) -> int | None:
        """Days of the early-warning projection, if the rule has one."""
        warning = self.rule.warning
        return warning.days_before if warning is not None else None

    def run(self, snap: Snapshot) -> dict[str, RuleResult]:
        """The rule's result for every site of the snapshot."""
        params = self.rule.settings
        now = self.metric.measure(snap, params)
        ahead = {}
        if self.days_before:
            ahead = self.metric.measure(snap.ahead(self.days_before), params)
        return {
            site_id: self.judge(now.get(site_id, Measurement()), ahead.get(site_id))
            for site_id in snap.site_ids
        }

    def triggered(self, measurement: Measurement) -> tuple[bool, float | None, list[dict]]:
        """Whether a measurement triggers the rule, the value reported and its evidence."""
        rule = self.rule
        if measurement.items is None:
            value = measurement.value
            hit = value is not None and rule.triggered_by(value)
            return hit, value, measurement.evidence
        hits = [item for item in measurement.items if rule.triggered_by(item.value)]
        shown = worst(hits or measurement.items, rule.operator)
        return bool(hits), (shown.value if shown else None), [i.evidence for i in hits]

    def judge(self, now: Measurement, ahead: Measurement | None) -> RuleResult:
        """Compare the measurement with the rule: outcome, points, evidence."""
        rule = self.rule
        hit, value, evidence = self.triggered(now)
        result = RuleResult(
            id=rule.id,
            title=rule.title,
            level=rule.level.value,
            metric=rule.metric,
            scope=rule.scope.value,
            outcome=Outcome.PASS,
            value=value,
            threshold=rule.threshold,
            operator=rule.operator,
            evidence=trimmed(evidence if hit else now.evidence if now.items is None else []),
            citation=rule.citation,
            confirmed=rule.confirmed,
            note=now.note or ("" if value is not None else "no data: not applicable"),
        )
        if now.items is not None:
            result.items_triggered = len(evidence)
        if now.no_data and not hit:
            result.outcome = Outcome.NO_DATA
            result.evidence = trimmed(now.evidence)
            return result
        result.flagged = self.flagged(now, evidence)
        if rule.level is Level.BONUS:
            result.points = (rule.points or 0.0) if hit else 0.0
            return result
        if hit:
            result.outcome = Outcome.WARNING if rule.level is Level.WARNING else Outcome.FAIL
            result.points = (rule.points or 0.0) if rule.level is Level.DEDUCTION else 0.0
            return result
        self._early_warning(result, now, ahead)
        return result

    def flagged(self, now: Measurement, hits: list[dict[str, Any]]) -> tuple[str, ...]:
        """URLs of every thing the rule counts against the site, untrimmed: the triggering items
        of a per-item metric, or each counted column, letter, link or post of a count."""
        if now.items is not None:
            counted = hits
        elif self.metric.unit is Unit.COUNT:
            counted = now.evidence
        else:
            counted = []
        return tuple(str(e["url"]) for e in counted if e.get("url"))

    def _early_warning(
        self, result: RuleResult, now: Measurement, ahead: Measurement | None
    ) -> None:
        """Turn a pass into a warning when the warning threshold or the projection says so."""
        rule = self.rule
        if rule.warning is None:
            return
        values = [now.value] if now.items is None else [item.value for item in now.items]
        close = [i for i, v in enumerate(values) if v is not None and rule.warned_by(v)]
        if close:
            result.outcome = Outcome.WARNING
            limit = f"{rule.warning.operator or rule.operator} {rule.warning.threshold:g}"
            result.warning = f"past the early-warning line ({limit})"
            if now.items is not None:
                result.evidence = trimmed([now.items[i].evidence for i in close])
            return
        if ahead is None:
            return
        hit, _value, evidence = self.triggered(ahead)
        if hit:
            result.outcome = Outcome.WARNING
            result.warning = f"will fail within {self.days_before} days if nothing changes"
            result.evidence = trimmed(evidence)


def checks_for(profile: StandardProfile) -> list[RuleCheck]:
    """A RuleCheck per rule; EngineError when no registered metric has the rule's name."""
    checks = []
    for rule in profile.rules:
        metric = METRICS.get(rule.metric)
        if metric is None:
            raise EngineError(f"rule '{rule.id}': no code computes metric '{rule.metric}'")
        checks.append(RuleCheck(rule, metric()))
    return checks


def score_of(profile: StandardProfile, results: list[RuleResult]) -> float:
    """Full score minus deductions plus capped bonus, not below 0."""
    deducted = sum(r.points for r in results if r.level == Level.DEDUCTION.value)
    bonus = sum(r.points for r in results if r.level == Level.BONUS.value)
    return max(0.0, profile.full_score - deducted + min(bonus, profile.bonus_max))


def evaluate(
    db: str | Path | sqlite3.Connection | Any,
    profile: StandardProfile,
    as_of: date,
    sites: Sequence[str] | None = None,
    calendar: WorkdayCalendar | None = None,
) -> list[SiteVerdict]:
    """Check the sites (default: all) against the profile on the as-of date."""
    conn = queries.connect(db)
    site_rows = select_sites(conn, sites)
    site_ids = tuple(row["id"] for row in site_rows)
    snap = Snapshot(
        conn,
        queries.sites_param(site_ids),
        site_ids,
        as_of,
        as_of,
        calendar or load_calendar(),
    )
    per_rule = [check.run(snap) for check in checks_for(profile)]
    verdicts = []
    for row in site_rows:
        results = [by_site[row["id"]] for by_site in per_rule]
        veto = any(r.level == Level.VETO.value and r.outcome is Outcome.FAIL for r in results)
        score = score_of(profile, results)
        verdicts.append(
            SiteVerdict(
                site_id=row["id"],
                name=row["name"],
                unit_type=row["unit_type"],
                veto=veto,
                score=score,
                passed=not veto and score >= profile.pass_score,
                rules=results,
            )
        )
    return verdicts


def never(value: float | None) -> bool:
    """True for the 'never' value (no dated post, no reply ever)."""
    return value is not None and math.isinf(value)
