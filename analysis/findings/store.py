"""The `findings` and `finding_events` tables: sync after a check, moves by people, reads.

Every change of a finding's state (and every exemption date) writes a `finding_events` row in
the same transaction: who, when, from what, to what, why.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from analysis.findings.identity import Subject, subjects
from analysis.findings.lifecycle import after_check, dismissed
from analysis.findings.states import State, TransitionError, check_move, parse_state
from crawler.store import iso

SYSTEM = "system"
CHECK = "check"
FOUND = "检查发现"
Key = tuple[str, str, str]  # (site_id, rule_id, subject)


@dataclass(frozen=True)
class Observation:
    """One failing or warning condition of a check: a rule of a site about one subject."""

    site_id: str
    rule_id: str
    subject: Subject
    title: str
    level: str
    outcome: str

    @property
    def key(self) -> Key:
        return (self.site_id, self.rule_id, self.subject.key)


@dataclass
class SyncSummary:
    """What a sync did, for the command's output."""

    created: int = 0
    reopened: int = 0
    closed: int = 0
    moved: list[tuple[int, str, str]] = field(default_factory=list)  # (id, from, to)


def observations(verdicts: Sequence[Any]) -> list[Observation]:
    """Every failing or warning (site, rule, subject) of the engine's verdicts."""
    found = []
    for verdict in verdicts:
        for result in verdict.rules:
            if result.outcome.value not in ("fail", "warning"):
                continue
            for subject in subjects(result.metric, result.evidence):
                found.append(
                    Observation(
                        verdict.site_id,
                        result.id,
                        subject,
                        result.title,
                        result.level,
                        result.outcome.value,
                    )
                )
    return found


def rows(conn: sqlite3.Connection, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    """Rows as dicts."""
    cursor = conn.execute(sql, tuple(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def record_event(
    conn: sqlite3.Connection,
    finding_id: int,
    at: str,
    actor: str,
    from_state: str | None,
    to_state: str,
    note: str,
) -> None:
    """One audit record."""
    conn.execute(
        "INSERT INTO finding_events (finding_id, at, actor, from_state, to_state, note)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (finding_id, at, actor, from_state, to_state, note),
    )


def _insert(conn: sqlite3.Connection, obs: Observation, source: str, at: str, on: str) -> None:
    cursor = conn.execute(
        "INSERT INTO findings (source, site_id, rule_id, subject, subject_label, subject_url,"
        " title, level, outcome, detail, state, first_seen_at, last_seen_at, last_checked_on,"
        " state_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            source,
            obs.site_id,
            obs.rule_id,
            obs.subject.key,
            obs.subject.label,
            obs.subject.url,
            obs.title,
            obs.level,
            obs.outcome,
            json.dumps(obs.subject.evidence, ensure_ascii=False, default=str),
            State.NEW.value,
            at,
            at,
            on,
            at,
        ),
    )
    record_event(conn, int(cursor.lastrowid or 0), at, SYSTEM, None, State.NEW.value, FOUND)


def _seen(conn: sqlite3.Connection, finding_id: int, obs: Observation, at: str, on: str) -> None:
    conn.execute(
        "UPDATE findings SET title = ?, level = ?, outcome = ?, detail = ?, subject_label = ?,"
        " subject_url = ?, last_seen_at = ?, last_checked_on = ? WHERE id = ?",
        (
            obs.title,
            obs.level,
            obs.outcome,
            json.dumps(obs.subject.evidence, ensure_ascii=False, default=str),
            obs.subject.label,
            obs.subject.url,
            at,
            on,
            finding_id,
        ),
    )


def _move(
    conn: sqlite3.Connection,
    row: dict[str, Any],
    to: str,
    actor: str,
    at: str,
    note: str,
    *,
    reopens: bool = False,
    exempt_until: str | None = None,
) -> None:
    conn.execute(
        "UPDATE findings SET state = ?, note = ?, exempt_until = ?, state_changed_at = ?,"
        " reopened = reopened + ? WHERE id = ?",
        (to, note, exempt_until, at, int(reopens), row["id"]),
    )
    record_event(conn, row["id"], at, actor, row["state"], to, note)


def sync(
    conn: sqlite3.Connection,
    verdicts: Sequence[Any],
    now: datetime,
    as_of: date,
    source: str = CHECK,
) -> SyncSummary:
    """Bring the findings of the (site, rule) pairs the verdicts judged up to date."""
    judged = {(v.site_id, r.id) for v in verdicts for r in v.rules}
    seen = {obs.key: obs for obs in observations(verdicts)}
    known = {
        (r["site_id"], r["rule_id"], r["subject"]): r
        for r in rows(conn, "SELECT * FROM findings WHERE source = ?", (source,))
        if (r["site_id"], r["rule_id"]) in judged
    }
    at, on = iso(now) or "", as_of.isoformat()
    summary = SyncSummary()
    if conn.in_transaction:  # the evaluation's own (temporary-table) transaction
        conn.commit()
    with conn:
        # Take the write lock first (waiting for a crawl's commit within the busy timeout): a
        # deferred transaction that reads, then writes after a crawl committed, fails at once.
        conn.execute("BEGIN IMMEDIATE")
        for key, obs in seen.items():
            row = known.get(key)
            if row is None:
                _insert(conn, obs, source, at, on)
                summary.created += 1
                continue
            _seen(conn, row["id"], obs, at, on)
            _apply(conn, row, True, as_of, at, summary)
        for key, row in known.items():
            if key not in seen:
                conn.execute(
                    "UPDATE findings SET last_checked_on = ? WHERE id = ?", (on, row["id"])
                )
                _apply(conn, row, False, as_of, at, summary)
    return summary


def _apply(
    conn: sqlite3.Connection,
    row: dict[str, Any],
    observed: bool,
    as_of: date,
    at: str,
    summary: SyncSummary,
) -> None:
    move = after_check(row["state"], observed, row["exempt_until"], as_of)
    if move is None:
        return
    _move(conn, row, move.to.value, SYSTEM, at, move.note, reopens=move.reopens)
    summary.moved.append((row["id"], row["state"], move.to.value))
    summary.reopened += int(move.reopens)
    summary.closed += int(move.to is State.CLOSED)


def set_state(
    conn: sqlite3.Connection,
    finding_id: int,
    target: str,
    actor: str,
    now: datetime,
    note: str = "",
    exempt_until: date | None = None,
) -> dict[str, Any]:
    """A person's move of one finding; TransitionError (a user message) when not allowed."""
    row = get_finding(conn, finding_id)
    if row is None:
        raise TransitionError(f"没有编号为 {finding_id} 的问题")
    state = parse_state(target)
    check_move(row["state"], state, note, exempt_until is not None)
    if exempt_until is not None and exempt_until < now.date():
        raise TransitionError("豁免截止日期不能早于今天")
    until = exempt_until.isoformat() if state is State.EXEMPT and exempt_until else None
    if until:
        note = f"{note}（豁免至 {until}）".lstrip()
    with conn:
        _move(conn, row, state.value, actor, iso(now) or "", note.strip(), exempt_until=until)
    return get_finding(conn, finding_id) or row


def get_finding(conn: sqlite3.Connection, finding_id: int) -> dict[str, Any] | None:
    """One finding with its site's name and unit type."""
    found = rows(conn, FINDINGS_SQL + " WHERE f.id = ?", (finding_id,))
    return found[0] if found else None


FINDINGS_SQL = (
    "SELECT f.*, COALESCE(s.name, f.site_id) AS site_name, s.unit_type AS unit_type"
    " FROM findings f LEFT JOIN sites s ON s.id = f.site_id"
)


def list_findings(
    conn: sqlite3.Connection,
    *,
    states: Sequence[str] = (),
    rule_id: str | None = None,
    site_id: str | None = None,
    unit_type: str | None = None,
    source: str | None = None,
    limit: int = 1000,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Findings filtered by state, rule, site and unit type; newest first."""
    where: list[str] = ["1"]
    params: list[Any] = []
    if states:
        where.append(f"f.state IN ({', '.join('?' for _ in states)})")
        params.extend(states)
    for column, value in (
        ("f.rule_id", rule_id),
        ("f.site_id", site_id),
        ("s.unit_type", unit_type),
        ("f.source", source),
    ):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    sql = (
        f"{FINDINGS_SQL} WHERE {' AND '.join(where)}"
        " ORDER BY f.first_seen_at DESC, f.id DESC LIMIT ? OFFSET ?"
    )
    return rows(conn, sql, [*params, limit, offset])


def count_by_state(conn: sqlite3.Connection, site_id: str | None = None) -> dict[str, int]:
    """Findings per state (of one site, or all)."""
    sql = "SELECT state, COUNT(*) AS n FROM findings"
    found = (
        rows(conn, sql + " WHERE site_id = ? GROUP BY state", (site_id,))
        if site_id
        else rows(conn, sql + " GROUP BY state")
    )
    return {r["state"]: r["n"] for r in found}


def events(conn: sqlite3.Connection, finding_id: int) -> list[dict[str, Any]]:
    """The audit trail of one finding, oldest first."""
    return rows(
        conn, "SELECT * FROM finding_events WHERE finding_id = ? ORDER BY at, id", (finding_id,)
    )


def dismissed_keys(conn: sqlite3.Connection, as_of: date, source: str = CHECK) -> set[Key]:
    """(site, rule, subject) of the findings that stop counting on the as-of date."""
    found = rows(
        conn,
        "SELECT site_id, rule_id, subject, state, exempt_until FROM findings"
        " WHERE source = ? AND state IN (?, ?)",
        (source, State.FALSE_POSITIVE.value, State.EXEMPT.value),
    )
    return {
        (r["site_id"], r["rule_id"], r["subject"])
        for r in found
        if dismissed(r["state"], r["exempt_until"], as_of)
    }


def age_days(first_seen_at: str, now: datetime) -> int:
    """Whole days since a finding was first seen."""
    return max(0, (now.date() - date.fromisoformat(first_seen_at[:10])).days)
