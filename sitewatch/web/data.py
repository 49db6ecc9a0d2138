"""What the console shows, read through the same functions as `check`, `stats` and the report.

The expensive part — the month's metrics (`analysis.metrics.compute_month`) and the engine's
raw verdicts (`analysis.standards.engine.evaluate`) — is computed once per state of the data
(a fingerprint of runs, probes, links, posts and filings) and shared by every page. Reviewed
findings are discounted on every request (`analysis.findings.review.discount`), so a finding
marked 误报 leaves the figures at once.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from analysis.findings.review import discount
from analysis.findings.store import dismissed_keys
from analysis.metrics.model import MonthMetrics
from analysis.standards.evidence import Outcome, SiteVerdict
from analysis.standards.profile import StandardProfile

FINGERPRINT_SQL = (
    "SELECT (SELECT MAX(id) FROM crawl_runs), (SELECT MAX(finished_at) FROM crawl_runs),"
    " (SELECT MAX(id) FROM probes), (SELECT MAX(id) FROM links), (SELECT MAX(id) FROM posts),"
    " (SELECT MAX(id) FROM consultations),"
    " (SELECT COUNT(*) || '/' || MAX(id) || '/' || MAX(COALESCE(withdrawn_at, ''))"
    "  FROM maintenance_filings)"
)


@dataclass(frozen=True, eq=False)
class Computed:
    """The month's metrics and the raw verdicts for one state of the data."""

    as_of: date
    month: str
    metrics: MonthMetrics | None
    raw: list[SiteVerdict]
    sites: list[dict[str, Any]]
    computed_at: datetime
    down: list[dict[str, Any]]  # sites whose last probes failed (the down alert's condition)

    @functools.cached_property
    def months(self) -> dict[str, Any]:
        """Site id -> the site's figures of the month."""
        return {s.site_id: s for s in self.metrics.sites} if self.metrics else {}


@dataclass(frozen=True, eq=False)
class View:
    """One request's figures: the computed data with reviewed findings discounted."""

    computed: Computed
    verdicts: list[SiteVerdict]

    @property
    def as_of(self) -> date:
        return self.computed.as_of

    @property
    def metrics(self) -> MonthMetrics | None:
        return self.computed.metrics

    def verdict(self, site_id: str) -> SiteVerdict | None:
        return self.by_site.get(site_id)

    @functools.cached_property
    def by_site(self) -> dict[str, SiteVerdict]:
        return {v.site_id: v for v in self.verdicts}

    def site_month(self, site_id: str) -> Any | None:
        return self.computed.months.get(site_id)


def issue_count(verdicts: list[SiteVerdict]) -> int:
    """Rule results that fail or warn (the report's findings of section 6, without no-data)."""
    return sum(r.outcome in (Outcome.FAIL, Outcome.WARNING) for v in verdicts for r in v.rules)


def down_sites(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Sites whose latest probes failed, as the down alert sees them (maintenance excluded)."""
    from sitewatch.alerts.conditions import SITE_DOWN, probe_assessment

    found = probe_assessment(conn).present
    return [
        {"site_id": c.site_id, "title": c.title, "detail": c.detail}
        for c in found
        if c.level == SITE_DOWN
    ]


def connect(path: Path) -> sqlite3.Connection:
    """A connection for one request (the database was migrated when the console started)."""
    conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class ConsoleData:
    """The cache of computed figures, keyed by the data's fingerprint."""

    def __init__(
        self,
        db: Path,
        profile: StandardProfile,
        clock: Callable[[], datetime],
        as_of: date | None = None,
    ) -> None:
        self.db = db
        self.profile = profile
        self.clock = clock
        self.fixed_as_of = as_of
        self.lock = threading.Lock()
        self.key: tuple[Any, ...] | None = None
        self.computed: Computed | None = None

    def as_of(self, conn: sqlite3.Connection) -> date:
        """--as-of, else the date of the newest finished crawl or probe run, else today."""
        from analysis.queries import latest_crawl_clock

        if self.fixed_as_of:
            return self.fixed_as_of
        clock = latest_crawl_clock(conn)
        return date.fromisoformat(clock[:10]) if clock else self.clock().date()

    def view(self, conn: sqlite3.Connection) -> View:
        """The figures for this request."""
        computed = self.compute(conn)
        gone = dismissed_keys(conn, computed.as_of)
        return View(computed, discount(computed.raw, self.profile, gone))

    def compute(self, conn: sqlite3.Connection) -> Computed:
        """The cached metrics and raw verdicts, recomputed when the data changed."""
        key = tuple(conn.execute(FINGERPRINT_SQL).fetchone())
        with self.lock:
            if self.computed is None or key != self.key:
                self.computed = self._compute(conn)
                self.key = key
            return self.computed

    def _compute(self, conn: sqlite3.Connection) -> Computed:
        from analysis.metrics import compute_month
        from analysis.queries import AnalysisError, site_rows
        from analysis.standards.engine import evaluate

        day = self.as_of(conn)
        month = f"{day:%Y-%m}"
        sites = site_rows(conn)
        try:
            metrics = compute_month(conn, month, day) if sites else None
        except AnalysisError:
            metrics = None
        raw = evaluate(conn, self.profile, day) if sites else []
        return Computed(day, month, metrics, raw, sites, self.clock(), down_sites(conn))

    def down_now(self, conn: sqlite3.Connection) -> list[dict[str, Any]]:
        """Sites down at the latest probes (cached with the rest)."""
        return self.compute(conn).down

    def warm_up(self) -> threading.Thread:
        """Compute the figures in the background, so the first visitor does not wait for them."""

        def run() -> None:
            conn = connect(self.db)
            try:
                self.compute(conn)
            finally:
                conn.close()

        thread = threading.Thread(target=run, name="console-warm-up", daemon=True)
        thread.start()
        return thread

    def invalidate(self) -> None:
        """Forget the cache (after a change the fingerprint does not see)."""
        with self.lock:
            self.computed = None
