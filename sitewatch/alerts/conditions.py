"""Alert conditions: what is wrong right now, from the rule engine's verdicts and the probes.

A condition has a stable key (`<level>:<site>:<what>`) so the dispatcher can tell "still the
same problem" from "a new one". An `Assessment` says which conditions hold now and which keys
it has looked at (`scope`): an open condition inside the scope that no longer holds is cleared;
one outside the scope is left alone (a probe run says nothing about a veto rule).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from analysis.findings.maintenance import covered_sql

VETO = "veto"
WARNING = "warning"
SITE_DOWN = "site_down"
EXTRACTION = "extraction"  # 抽取异常: a column's page no longer reads as before
LEVELS = (VETO, SITE_DOWN, EXTRACTION, WARNING)
# Two consecutive failed visits raise an immediate alert (monitoring rules, early warnings).
FAILED_PROBES_FOR_ALERT = 2


@dataclass(frozen=True)
class Condition:
    """One problem of one site that an alert is about."""

    key: str
    site_id: str | None
    level: str
    title: str
    detail: str = ""


@dataclass(frozen=True)
class Assessment:
    """The conditions holding now, and the key prefixes this look covered."""

    present: tuple[Condition, ...]
    scope: tuple[str, ...] = field(default_factory=tuple)

    def covers(self, key: str) -> bool:
        """True when this assessment looked at the condition with this key."""
        return any(key.startswith(prefix) for prefix in self.scope)


def condition_key(level: str, site_id: str, what: str) -> str:
    """`level:site:what`, the identity of a condition."""
    return f"{level}:{site_id}:{what}"


def site_scope(site_id: str, levels: Iterable[str]) -> tuple[str, ...]:
    """Key prefixes of the given levels for one site (the trailing colon keeps `xa` off `xa-2`)."""
    return tuple(f"{level}:{site_id}:" for level in levels)


def rule_conditions(site: dict[str, Any]) -> list[Condition]:
    """The veto failures and warnings of one site's verdict (the `check --format json` shape)."""
    found: list[Condition] = []
    site_id = str(site["site_id"])
    name = site.get("name") or site_id
    for rule in site.get("rules", []):
        outcome, level = rule.get("outcome"), rule.get("level")
        if outcome == "fail" and level == VETO:
            what = VETO
        elif outcome == "warning":
            what = WARNING
        else:
            continue  # deductions and passes belong in the monthly report, not in an alert
        detail = rule.get("warning") or rule.get("note") or describe_value(rule)
        found.append(
            Condition(
                key=condition_key(what, site_id, str(rule["id"])),
                site_id=site_id,
                level=what,
                title=f"{name}: {rule.get('title') or rule['id']}",
                detail=detail,
            )
        )
    return found


def describe_value(rule: dict[str, Any]) -> str:
    """`value 16 (limit > 14)` for a rule without a warning text."""
    if rule.get("never"):
        return "never"
    value, threshold = rule.get("value"), rule.get("threshold")
    if value is None:
        return ""
    return f"value {value} (limit {rule.get('operator', '')} {threshold})".replace("  ", " ")


def conditions_from_check(document: dict[str, Any]) -> Assessment:
    """An assessment from a `sitewatch check --format json` document."""
    sites = document.get("sites", [])
    present = [c for site in sites for c in rule_conditions(site)]
    scope = [p for site in sites for p in site_scope(str(site["site_id"]), (VETO, WARNING))]
    return Assessment(tuple(present), tuple(scope))


def conditions_from_verdicts(verdicts: Sequence[Any]) -> Assessment:
    """An assessment from the rule engine's `SiteVerdict`s (`analysis.standards.engine`)."""
    return conditions_from_check({"sites": [verdict.to_dict() for verdict in verdicts]})


# The site ids by index seeks (a skip scan of idx_probes_site_time), then each site's newest
# visits by the same index: a few hundred seeks instead of ranking a year of probes.
LATEST_PROBES_SQL = f"""
WITH RECURSIVE ids(site_id) AS (
    SELECT MIN(site_id) FROM probes
    UNION ALL
    SELECT (SELECT MIN(site_id) FROM probes WHERE site_id > ids.site_id) FROM ids
    WHERE ids.site_id IS NOT NULL
)
SELECT p.site_id, p.probed_at, p.ok FROM ids JOIN probes p ON p.id IN (
    SELECT p.id FROM probes p WHERE p.site_id = ids.site_id
        -- Visits inside a maintenance filing (临时报备) neither raise nor clear a down alert.
        AND NOT {covered_sql()}
    ORDER BY p.probed_at DESC, p.id DESC LIMIT ?
)
ORDER BY p.site_id, p.probed_at DESC, p.id DESC
"""


def latest_probes(conn: sqlite3.Connection, count: int) -> dict[str, list[tuple[str, bool]]]:
    """Per site, its last `count` probes (newest first) as (probed_at, ok)."""
    rows = conn.execute(LATEST_PROBES_SQL, (count,)).fetchall()
    by_site: dict[str, list[tuple[str, bool]]] = {}
    for site_id, probed_at, ok in rows:
        by_site.setdefault(site_id, []).append((probed_at, bool(ok)))
    return by_site


def extraction_assessment(
    conn: sqlite3.Connection, names: dict[str, str] | None = None
) -> Assessment:
    """`extraction` for each column marked 抽取异常 by the crawl (crawler/extraction.py).

    Open while the column stays broken, so it is alerted once; cleared when its page reads
    again or a person acknowledged the new shape.
    """
    names = {**site_names(conn), **(names or {})}
    rows = conn.execute(
        "SELECT site_id, key, name, url, extraction_state, extraction_detail, extraction_since"
        " FROM columns ORDER BY site_id, id"
    ).fetchall()
    present: list[Condition] = []
    scope = sorted({p for row in rows for p in site_scope(row[0], (EXTRACTION,))})
    for site_id, key, column, url, state, detail, since in rows:
        if state != "broken":
            continue
        site = names.get(site_id, site_id)
        present.append(
            Condition(
                key=condition_key(EXTRACTION, site_id, key),
                site_id=site_id,
                level=EXTRACTION,
                title=f"{site}：栏目「{column}」抽取异常（页面模板可能已改版）",
                detail=extraction_detail(url, detail, since),
            )
        )
    return Assessment(tuple(present), tuple(scope))


def extraction_detail(url: str, detail: str | None, since: str | None) -> str:
    """`<url>：此前首页 20 条（20 条有日期），现为 0 条；自 2012-12-15 09:00 起。`"""
    try:
        data = json.loads(detail or "{}")
    except ValueError:
        data = {}
    before, after = data.get("before") or {}, data.get("after") or {}
    when = (since or "").replace("T", " ")[:16]
    return (
        f"{url}：此前首页 {before.get('items', '?')} 条（{before.get('dated', '?')} 条有日期），"
        f"现为 {after.get('items', '?')} 条（{after.get('dated', '?')} 条有日期）；自 {when} 起。"
    )


def site_names(conn: sqlite3.Connection) -> dict[str, str]:
    """Site id -> name from the `sites` table (empty before the first crawl)."""
    return dict(conn.execute("SELECT id, name FROM sites").fetchall())


def probe_assessment(conn: sqlite3.Connection, names: dict[str, str] | None = None) -> Assessment:
    """`site_down` for each site whose last two probes failed; cleared by its first OK probe.

    A single failure after an OK visit neither opens nor clears anything. `names` (from the
    config) win over the `sites` table, which is empty until the first crawl.
    """
    names = {**site_names(conn), **(names or {})}
    present: list[Condition] = []
    scope: list[str] = []
    for site_id, probes in latest_probes(conn, FAILED_PROBES_FOR_ALERT).items():
        if probes[0][1]:
            scope.extend(site_scope(site_id, (SITE_DOWN,)))
            continue
        if len(probes) < FAILED_PROBES_FOR_ALERT or any(ok for _, ok in probes):
            continue
        name = names.get(site_id, site_id)
        since = probes[-1][0].replace("T", " ")
        present.append(
            Condition(
                key=condition_key(SITE_DOWN, site_id, "home"),
                site_id=site_id,
                level=SITE_DOWN,
                title=f"{name}: 首页无法访问 home page unreachable",
                detail=f"{FAILED_PROBES_FOR_ALERT} consecutive failed visits since {since}",
            )
        )
    return Assessment(tuple(present), tuple(scope))
