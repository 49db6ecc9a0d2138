"""The engine's verdicts with reviewed findings discounted: the one place deciding what counts.

A false positive (误报) or a finding exempt on the as-of date (豁免) stops counting: its subject
leaves the rule's evidence; when nothing triggering is left the rule passes (a deduction gives
its points back, a veto is lifted), and a counted metric loses one per subject removed. Score,
veto and pass are then recomputed exactly as the engine does (`engine.score_of`). `check`, the
report and the console all read verdicts through `reviewed_verdicts`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from analysis.findings.identity import COUNTED_METRICS, SITE_SUBJECT, has_subjects, subject_of
from analysis.findings.identity import is_marker as marker
from analysis.findings.store import CHECK, Key, SyncSummary, dismissed_keys, sync
from analysis.standards.evidence import Outcome, RuleResult, SiteVerdict
from analysis.standards.profile import Level, Rule, StandardProfile

DISCOUNTED_NOTE = "已核减（误报或豁免）"


def passed(result: RuleResult) -> RuleResult:
    """The result as a pass: no points deducted, no warning."""
    return replace(
        result,
        outcome=Outcome.PASS,
        points=0.0,
        evidence=[],
        items_triggered=0 if result.items_triggered is not None else None,
        warning="",
        note=DISCOUNTED_NOTE,
    )


def discount_result(
    result: RuleResult, rule: Rule | None, site_id: str, gone: set[Key]
) -> RuleResult:
    """One rule result without its dismissed subjects."""
    if result.outcome is Outcome.PASS or result.level == Level.BONUS.value:
        return result
    if not has_subjects(result.metric) or not any(not marker(e) for e in result.evidence):
        return passed(result) if (site_id, result.id, SITE_SUBJECT) in gone else result
    kept = [
        e
        for e in result.evidence
        if marker(e) or (site_id, result.id, subject_of(e).key) not in gone
    ]
    removed = len(result.evidence) - len(kept)
    if not removed:
        return result
    if all(marker(e) for e in kept):
        return passed(result)
    new = replace(result, evidence=kept)
    if result.items_triggered is not None:
        new.items_triggered = result.items_triggered - removed
        return new
    if rule is None or result.metric not in COUNTED_METRICS or result.value is None:
        return new
    if projected(result, rule):  # "will fail within N days": the value is today's, keep it
        return new
    new.value = result.value - removed
    if rule.triggered_by(new.value):
        return new
    if rule.warned_by(new.value):
        return replace(new, outcome=Outcome.WARNING, points=0.0)
    return passed(new)


def projected(result: RuleResult, rule: Rule) -> bool:
    """True for an early warning that comes from the projection, not from today's value."""
    value = result.value
    return (
        result.outcome is Outcome.WARNING
        and rule.level is not Level.WARNING
        and value is not None
        and not rule.triggered_by(value)
        and not rule.warned_by(value)
    )


def discount(
    verdicts: Sequence[SiteVerdict], profile: StandardProfile, gone: set[Key]
) -> list[SiteVerdict]:
    """The verdicts with the dismissed findings taken out, scores and vetoes recomputed."""
    from analysis.standards.engine import score_of

    if not gone:
        return list(verdicts)
    rules = {rule.id: rule for rule in profile.rules}
    out = []
    for verdict in verdicts:
        results = [
            discount_result(r, rules.get(r.id), verdict.site_id, gone) for r in verdict.rules
        ]
        veto = any(r.level == Level.VETO.value and r.outcome is Outcome.FAIL for r in results)
        score = score_of(profile, results)
        out.append(
            replace(
                verdict,
                rules=results,
                veto=veto,
                score=score,
                passed=not veto and score >= profile.pass_score,
            )
        )
    return out


def reviewed_verdicts(
    db: str | Path | sqlite3.Connection | Any,
    profile: StandardProfile,
    as_of: date,
    sites: Sequence[str] | None = None,
    *,
    record_at: datetime | None = None,
    calendar: Any = None,
) -> list[SiteVerdict]:
    """`engine.evaluate` with reviewed findings discounted; with `record_at`, the raw verdicts
    are first synced into the findings (what `sitewatch check` does)."""
    from analysis import queries
    from analysis.standards.engine import evaluate

    conn = queries.connect(db)
    raw = evaluate(conn, profile, as_of, sites, calendar)
    if record_at is not None:
        sync(conn, raw, record_at, as_of)
    return discount(raw, profile, dismissed_keys(conn, as_of))


def record_check(
    conn: sqlite3.Connection, raw: Sequence[SiteVerdict], now: datetime, as_of: date
) -> SyncSummary:
    """Sync raw verdicts into the findings (for callers that evaluate themselves)."""
    return sync(conn, raw, now, as_of, CHECK)


def active_findings(db: str | Path | sqlite3.Connection | Any, as_of: date) -> list[dict[str, Any]]:
    """The findings that count on the as-of date: open states, not dismissed — with state."""
    from analysis import queries
    from analysis.findings.states import OPEN_STATES
    from analysis.findings.store import list_findings

    conn = queries.connect(db)
    gone = dismissed_keys(conn, as_of)
    return [
        row
        for row in list_findings(conn, states=[s.value for s in OPEN_STATES], limit=100_000)
        if (row["site_id"], row["rule_id"], row["subject"]) not in gone
    ]


def data_clock(db: str | Path | sqlite3.Connection | Any, fallback: datetime) -> datetime:
    """The clock of the newest finished crawl or probe run (the data's "now"), else fallback.

    `check` records findings at this time, so a check of the simulated December 2012 dates
    them in December 2012, and a daily check of a real group dates them at its latest crawl.
    """
    from analysis import queries

    clock = queries.latest_crawl_clock(queries.connect(db))
    return datetime.fromisoformat(clock) if clock else fallback
