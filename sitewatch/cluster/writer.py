"""The one writer: enqueue one job per site, wait for the results, merge them into SQLite.

It runs next to the database (SQLite is never shared over a network filesystem). Each result is
merged in one transaction together with its `cluster_jobs` row, so a result seen twice (a job
redelivered after its agent died, a writer restarted) is merged once.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sitewatch.cluster.app import CRAWL_QUEUE, CRAWL_TASK, PROBE_TASK, probe_queue
from sitewatch.cluster.rows import merge, site_hosts, snapshot

#: Seconds between looks at the result backend, and between tries while the broker is away.
POLL_S = 0.5
RECONNECT_S = 2.0
#: Home pages per probe job: a round of 15,000 sites is 300 jobs per vantage, not 15,000.
PROBE_BATCH = 50


class QueueUnavailable(RuntimeError):
    """The broker cannot be reached (and the caller asked not to wait)."""


@dataclass
class ClusterProgress:
    """What the waiting command shows: jobs done, failed, and the broker's state."""

    total: int
    done: int = 0
    failed: int = 0
    broker_down_since: float | None = None
    figures: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, figures: dict[str, Any]) -> None:
        """Add one site's crawl figures to the totals."""
        for name, value in figures.items():
            if isinstance(value, int) and not isinstance(value, bool):
                self.figures[name] = self.figures.get(name, 0) + value


def iso(moment: datetime) -> str:
    """Seconds precision, as the rest of the database."""
    return moment.replace(microsecond=0).isoformat()


def group_settings(group: Any) -> dict[str, Any]:
    """The group-level config an agent needs to crawl a site (no alerts, no storage)."""
    return group.model_dump(
        mode="json",
        exclude={"sites", "alerts", "schedule", "storage", "standard", "cluster"},
        exclude_none=True,
    )


def crawl_job(
    conn: sqlite3.Connection, group: Any, site: Any, run_id: int, now: datetime, full: bool
) -> dict[str, Any]:
    """One site's crawl job: its config, the run's clock and what the database knows of it."""
    hosts = site_hosts(site.home_url, list(site.allowed_domains))
    return {
        "job_id": f"crawl-{run_id}-{site.id}-{uuid.uuid4().hex[:8]}",
        "run_id": run_id,
        "now": iso(now),
        "full": full,
        "group": group_settings(group),
        # The parent is another site of the group, which the job does not carry; the writer
        # has recorded it already.
        "site": site.model_dump(mode="json", exclude_none=True, exclude={"parent"}),
        "snapshot": snapshot(conn, site.id, hosts, now),
    }


def merge_crawl(conn: sqlite3.Connection, result: dict[str, Any], run_id: int) -> bool:
    """Merge one site's result; False when this job was merged before."""
    with conn:
        seen = conn.execute(
            "SELECT 1 FROM cluster_jobs WHERE job_id = ?", (result["job_id"],)
        ).fetchone()
        if seen:
            return False
        written = merge(
            conn, result["changes"], scratch_run_id=result.get("scratch_run_id"), run_id=run_id
        )
        conn.execute(
            "INSERT INTO cluster_jobs (job_id, kind, run_id, site_id, agent, merged_at, rows)"
            " VALUES (?, 'crawl', ?, ?, ?, ?, ?)",
            (
                result["job_id"],
                run_id,
                result["site_id"],
                result.get("agent"),
                iso(datetime.now()),
                written,
            ),
        )
    return True


def merge_probes(conn: sqlite3.Connection, result: dict[str, Any]) -> bool:
    """Store one probe batch's visits with their vantage; False when merged before."""
    with conn:
        seen = conn.execute(
            "SELECT 1 FROM cluster_jobs WHERE job_id = ?", (result["job_id"],)
        ).fetchone()
        if seen:
            return False
        conn.executemany(
            "INSERT INTO probes (site_id, url, probed_at, ok, status, elapsed_ms, error, vantage)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    row["site_id"],
                    row["url"],
                    result["probed_at"],
                    int(row["ok"]),
                    row["status"],
                    row["elapsed_ms"],
                    row["error"],
                    result["vantage"],
                )
                for row in result["results"]
            ],
        )
        conn.execute(
            "INSERT INTO cluster_jobs (job_id, kind, vantage, agent, merged_at, rows)"
            " VALUES (?, 'probe', ?, ?, ?, ?)",
            (
                result["job_id"],
                result["vantage"],
                result.get("agent"),
                iso(datetime.now()),
                len(result["results"]),
            ),
        )
    return True


def broker_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean "the broker or result backend is not answering"."""
    import kombu.exceptions
    import redis.exceptions

    return (
        kombu.exceptions.OperationalError,
        redis.exceptions.ConnectionError,
        redis.exceptions.TimeoutError,
        ConnectionError,
        OSError,
    )


def check_broker(app: Any) -> None:
    """Fail fast, with the reason, when the broker does not answer now."""
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=5)
    except broker_errors() as exc:
        raise QueueUnavailable(str(exc) or type(exc).__name__) from exc


def send_all(
    app: Any,
    task: str,
    jobs: Iterable[tuple[str, dict[str, Any]]],
    progress: ClusterProgress,
    on_progress: Callable[[ClusterProgress], None],
) -> dict[str, Any]:
    """Send every (queue, job); while the broker is away, wait and retry. Task id = job id."""
    pending: dict[str, Any] = {}
    for queue, job in jobs:
        while True:
            try:
                pending[job["job_id"]] = app.send_task(
                    task, args=[job], queue=queue, task_id=job["job_id"], retry=False
                )
                progress.broker_down_since = None
                break
            except broker_errors():
                progress.broker_down_since = progress.broker_down_since or time.monotonic()
                on_progress(progress)
                time.sleep(RECONNECT_S)
    return pending


def collect(
    pending: dict[str, Any],
    progress: ClusterProgress,
    on_result: Callable[[dict[str, Any]], None],
    on_progress: Callable[[ClusterProgress], None],
) -> None:
    """Wait for every job; merge each result once as it arrives; survive a broker outage."""
    while pending:
        try:
            for job_id, handle in list(pending.items()):
                if not handle.ready():
                    continue
                if handle.successful():
                    on_result(handle.get(disable_sync_subtasks=False, propagate=False))
                    progress.done += 1
                else:
                    progress.failed += 1
                    progress.errors.append(f"{job_id}: {handle.result}")
                handle.forget()
                del pending[job_id]
            progress.broker_down_since = None
        except broker_errors():
            progress.broker_down_since = progress.broker_down_since or time.monotonic()
            time.sleep(RECONNECT_S)
        on_progress(progress)
        if pending:
            time.sleep(POLL_S)


@dataclass
class DistributedRun:
    """The outcome of a distributed crawl or probe round."""

    run_id: int
    status: str
    progress: ClusterProgress


def run_distributed_crawl(
    app: Any,
    group: Any,
    sites: list[Any],
    db_path: Path,
    *,
    now: datetime,
    full: bool = False,
    on_progress: Callable[[ClusterProgress], None] = lambda _p: None,
) -> DistributedRun:
    """Crawl the sites through the agents: one job per site, results merged here."""
    from crawler.store import Store, open_db

    check_broker(app)
    store = Store(open_db(db_path))
    for site in sites:
        store.upsert_site(
            site_id=site.id,
            name=site.name,
            unit_type=site.unit_type.value,
            parent=site.parent,
            home_url=site.home_url,
            allowed_domains=site.allowed_domains,
            now=now,
        )
    run_id = store.start_run(kind="crawl", clock=now, full=full, sites=[s.id for s in sites])
    conn: sqlite3.Connection = store.conn
    progress = ClusterProgress(total=len(sites))
    status, note = "failed", None
    try:
        jobs = ((CRAWL_QUEUE, crawl_job(conn, group, site, run_id, now, full)) for site in sites)
        pending = send_all(app, CRAWL_TASK, jobs, progress, on_progress)

        def on_result(result: dict[str, Any]) -> None:
            merge_crawl(conn, result, run_id)
            progress.add(result.get("progress", {}))

        collect(pending, progress, on_result, on_progress)
        status = "ok" if not progress.failed else "failed"
        note = "; ".join(progress.errors[:5]) or None
    except BaseException as exc:
        note = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        figures = progress.figures
        store.finish_run(
            run_id,
            status=status,
            pages=figures.get("pages", 0),
            new_posts=figures.get("new_posts", 0),
            known_posts=figures.get("known_posts", 0),
            errors=figures.get("errors", 0),
            note=note,
        )
        conn.close()
    return DistributedRun(run_id, status, progress)


def probe_jobs(
    sites: list[Any], vantages: list[str | None], probed_at: datetime, timeout_s: float, ua: str
) -> Iterable[tuple[str, dict[str, Any]]]:
    """Batches of home pages for every vantage point, all stamped with the round's clock."""
    stamp = iso(probed_at)
    for vantage in vantages:
        for start in range(0, len(sites), PROBE_BATCH):
            batch = sites[start : start + PROBE_BATCH]
            yield (
                probe_queue(vantage),
                {
                    "job_id": f"probe-{stamp}-{vantage or 'default'}-{uuid.uuid4().hex[:8]}",
                    "vantage": vantage,
                    "probed_at": stamp,
                    "timeout_s": timeout_s,
                    "user_agent": ua,
                    "sites": [s.model_dump(mode="json", exclude_none=True) for s in batch],
                },
            )


def run_distributed_probe(
    app: Any,
    sites: list[Any],
    db_path: Path,
    *,
    vantages: list[str | None],
    probed_at: datetime,
    timeout_s: float,
    user_agent: str,
    on_progress: Callable[[ClusterProgress], None] = lambda _p: None,
) -> DistributedRun:
    """One probe round from every vantage point; each visit stored with where it came from."""
    from crawler.store import Store, open_db

    check_broker(app)
    store = Store(open_db(db_path))
    run_id = store.start_run(kind="probe", clock=probed_at, sites=[s.id for s in sites])
    conn: sqlite3.Connection = store.conn
    jobs = list(probe_jobs(sites, vantages, probed_at, timeout_s, user_agent))
    progress = ClusterProgress(total=len(jobs))
    status = "failed"
    try:
        pending = send_all(app, PROBE_TASK, jobs, progress, on_progress)
        collect(pending, progress, lambda result: merge_probes(conn, result), on_progress)
        status = "ok" if not progress.failed else "failed"
    finally:
        store.finish_run(run_id, status=status, note="; ".join(progress.errors[:5]) or None)
        conn.close()
    return DistributedRun(run_id, status, progress)
