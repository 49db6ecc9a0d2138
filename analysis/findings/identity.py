"""Which subjects a rule result is about: the stable identity of a finding.

A finding is (site, rule, subject). For a metric that counts or lists things — stale columns,
unanswered letters, broken links, posts with disagreeing dates — each thing in the evidence is a
subject of its own, so a person can reject one column without rejecting the rule. For a metric
about the site as a whole (failure rate, days since the home page was updated) the subject is
`''`. Pure functions over the engine's `RuleResult`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

SITE_SUBJECT = ""

# Metrics whose evidence entries are each a failing thing (the value counts them, or one value
# per thing). Every other metric is about the site as a whole.
COUNTED_METRICS = frozenset(
    {
        "stale_columns",
        "blank_columns",
        "consultations_unanswered_over_days",
        "replies_over_workdays",
        "broken_links_home",
        "broken_links_inner",
        "suspicious_dates",
    }
)
PER_ITEM_METRICS = frozenset(
    {
        "column_days_since_update",
        "column_posts_in_period",
        "reply_workdays",
        "link_broken",
        "post_date_disagreement_days",
    }
)
SUBJECT_METRICS = COUNTED_METRICS | PER_ITEM_METRICS
LABEL_KEYS = ("column", "title", "url")  # how evidence names a column, a letter, a link or post
MAX_LABEL = 200


@dataclass(frozen=True)
class Subject:
    """One thing a finding is about: its key, how to name it, where to open it, the evidence."""

    key: str
    label: str
    url: str | None
    evidence: dict[str, Any]


def is_marker(entry: dict[str, Any]) -> bool:
    """True for the engine's `{"more": N}` entry that counts evidence left out."""
    return set(entry) == {"more"}


def subject_of(entry: dict[str, Any]) -> Subject:
    """The subject one evidence entry names (its URL is its key)."""
    url = str(entry.get("url") or "")
    name = next((str(entry[k]) for k in LABEL_KEYS if entry.get(k)), url)
    return Subject(url or json.dumps(entry, sort_keys=True, ensure_ascii=False), name[:MAX_LABEL],
                   url or None, entry)  # fmt: skip


def has_subjects(metric: str) -> bool:
    """True when the metric's evidence entries are separate subjects."""
    return metric in SUBJECT_METRICS


def subjects(metric: str, evidence: list[dict[str, Any]]) -> list[Subject]:
    """The subjects of a failing or warning result: one per evidence entry, or the site."""
    if has_subjects(metric):
        found = [subject_of(e) for e in evidence if not is_marker(e)]
        if found:
            return found
    return [Subject(SITE_SUBJECT, "", None, {"evidence": evidence})]
