"""The one writer: enqueue one job per site, wait for the results, merge them into SQLite.

It runs next to the database (SQLite is never shared over a network filesystem). Each result is
merged in one transaction together with its `cluster_jobs` row, so a result seen twice (a job
redelivered after its agent died, a writer restarted) is merged once.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from sitewatch.cluster.app import (
    CRAWL_QUEUE,
    CRAWL_TASK,
    PROBE_TASK,
    RESULT_EXPIRES_S,
    probe_queue,
)
from sitewatch.cluster.rows import merge, site_hosts, snapshot

#: Seconds between looks at the result backend, and between tries while the broker is away.
POLL_S = 0.5
RECONNECT_S = 2.0
#: Jobs sent and not yet merged: bounds the writer's polling and what waits in Redis.
MAX_IN_FLIGHT = 200
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


def run_hosts_key(run_id: int, token: str) -> str:
    """The Redis key holding the hosts of every site of a distributed crawl run."""
    return f"sitewatch:run:{run_id}:{token}:hosts"


def publish_run_hosts(app: Any, key: str, sites: list[Any]) -> None:
    """Store the run's hosts once, for every job to read (not copied into each job)."""
    hosts = sorted(
        {host for site in sites for host in site_hosts(site.home_url, list(site.allowed_domains))}
    )
    client = app.backend.client
    client.set(key, json.dumps(hosts), ex=RESULT_EXPIRES_S)


def crawl_job(
    conn: sqlite3.Connection,
    group: Any,
    site: Any,
    run_id: int,
    now: datetime,
    full: bool,
    hosts_key: str | None = None,
) -> dict[str, Any]:
    """One site's crawl job: its config, the run's clock and what the database knows of it."""
    hosts = site_hosts(site.home_url, list(site.allowed_domains))
    return {
        "job_id": f"crawl-{run_id}-{site.id}-{uuid.uuid4().hex[:8]}",
        "run_id": run_id,
        "hosts_key": hosts_key,
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
        if job_merged(conn, result["job_id"]):
            return False
        written = merge(
            conn, result["changes"], scratch_run_id=result.get("scratch_run_id"), run_id=run_id
        )
        record_job(conn, result, "crawl", written, run_id=run_id)
    return True


def visit_failed(visit: dict[str, Any], timeout_ms: float) -> bool:
    """The analysis's rule for one visit: an error, an HTTP error, or slower than the timeout."""
    status = visit.get("status") or 0
    return not visit["ok"] or status >= 400 or (visit.get("elapsed_ms") or 0) > timeout_ms


def round_verdict(
    visits: list[dict[str, Any]], quorum: str, timeout_ms: float
) -> tuple[dict[str, Any], list[str]]:
    """One site's round from several vantage points: the verdict row and who saw it fail.

    `all`: failed only when every vantage that probed failed (a site down from one network
    may be up for the public); `majority`: failed when more than half failed.
    """
    failed = [v for v in visits if visit_failed(v, timeout_ms)]
    up = [v for v in visits if not visit_failed(v, timeout_ms)]
    is_down = len(failed) == len(visits) if quorum == "all" else len(failed) * 2 > len(visits)
    if is_down or not up:
        chosen = dict(failed[0], ok=False)
    else:
        chosen = min(up, key=lambda v: v.get("elapsed_ms") or 0)
    return chosen, sorted(str(v["vantage"]) for v in failed)


def store_round(
    conn: sqlite3.Connection,
    results: list[dict[str, Any]],
    *,
    quorum: str,
    timeout_s: float,
) -> int:
    """Store a round's visits (each with its vantage) and each site's verdict; once per job.

    With one vantage point and none named, visits go straight to `probes` as before.
    """
    fresh = [r for r in results if not job_merged(conn, r["job_id"])]
    if not fresh:
        return 0
    single = {r["vantage"] for r in results} == {None}
    by_site: dict[str, list[dict[str, Any]]] = {}
    with conn:
        for result in fresh:
            for visit in result["results"]:
                visit = dict(visit, vantage=result["vantage"], agent=result.get("agent"))
                by_site.setdefault(visit["site_id"], []).append(visit)
                if not single:
                    insert_visit(conn, "probe_visits", visit, result["probed_at"])
            record_job(conn, result, "probe", len(result["results"]))
        for visits in by_site.values():
            if single:
                for visit in visits:
                    insert_visit(conn, "probes", visit, fresh[0]["probed_at"])
                continue
            verdict, failed_from = round_verdict(visits, quorum, timeout_s * 1000)
            verdict = dict(verdict, failed_from=",".join(failed_from) or None)
            insert_visit(conn, "probes", verdict, fresh[0]["probed_at"])
    return len(by_site)


def job_merged(conn: sqlite3.Connection, job_id: str) -> bool:
    """Whether the writer has merged this job already."""
    row = conn.execute("SELECT 1 FROM cluster_jobs WHERE job_id = ?", (job_id,)).fetchone()
    return row is not None


def record_job(
    conn: sqlite3.Connection,
    result: dict[str, Any],
    kind: str,
    rows: int,
    *,
    run_id: int | None = None,
) -> None:
    """The writer's record that a job's result is merged."""
    conn.execute(
        "INSERT INTO cluster_jobs (job_id, kind, run_id, site_id, vantage, agent, merged_at,"
        " rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            result["job_id"],
            kind,
            run_id,
            result.get("site_id"),
            result.get("vantage"),
            result.get("agent"),
            now_iso(),
            rows,
        ),
    )


def insert_visit(conn: sqlite3.Connection, table: str, visit: dict[str, Any], at: str) -> None:
    """One probe row (`probes` or `probe_visits`)."""
    columns = ["site_id", "url", "probed_at", "ok", "status", "elapsed_ms", "error"]
    values = [visit["site_id"], visit["url"], at, int(bool(visit["ok"])), visit.get("status")]
    values += [visit.get("elapsed_ms"), visit.get("error")]
    if table == "probe_visits":
        columns += ["vantage", "agent"]
        values += [visit["vantage"], visit.get("agent")]
    elif visit.get("failed_from"):
        columns.append("failed_from")
        values.append(visit["failed_from"])
    marks = ", ".join("?" for _ in columns)
    conn.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)


def now_iso() -> str:
    """The wall clock, for the writer's bookkeeping."""
    return iso(datetime.now())


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


def send_with_retry(
    action: Callable[[], Any],
    progress: ClusterProgress,
    on_progress: Callable[[ClusterProgress], None],
) -> Any:
    """Run a broker operation; while the broker is away, say so, wait and try again."""
    while True:
        try:
            result = action()
            progress.broker_down_since = None
            return result
        except broker_errors():
            progress.broker_down_since = progress.broker_down_since or time.monotonic()
            on_progress(progress)
            time.sleep(RECONNECT_S)


@dataclass
class Sent:
    """A job in flight: where it went, its current delivery and when that was sent."""

    queue: str
    job: dict[str, Any]
    handle: Any = None
    sent_at: float = 0.0
    attempts: int = 0


def send_job(
    app: Any,
    task: str,
    sent: Sent,
    progress: ClusterProgress,
    on_progress: Callable[[ClusterProgress], None],
) -> None:
    """(Re)send a job. The merge is keyed by the job's id, so a re-sent job merges once."""
    sent.attempts += 1
    task_id = sent.job["job_id"] + ("" if sent.attempts == 1 else f"~{sent.attempts}")
    send = partial(app.send_task, task, args=[sent.job], queue=sent.queue, task_id=task_id,
                   retry=False)  # fmt: skip
    sent.handle = send_with_retry(send, progress, on_progress)
    sent.sent_at = time.monotonic()


def run_jobs(
    app: Any,
    task: str,
    jobs: Iterable[tuple[str, dict[str, Any]]],
    progress: ClusterProgress,
    on_result: Callable[[dict[str, Any]], None],
    on_progress: Callable[[ClusterProgress], None],
    window: int = MAX_IN_FLIGHT,
) -> None:
    """Send (queue, job) pairs, at most `window` in flight, merging each result once as it
    arrives. Jobs are built as they are sent, so a 15,000-site run never holds (nor puts in
    Redis) every site's snapshot at once. A broker outage is waited out, and said.

    A job with no result after the visibility timeout is sent again: its agent may have died,
    or finished while the broker was away and lost its result (Celery acknowledges a job whose
    result could not be stored)."""
    options = app.conf.broker_transport_options or {}
    resend_after = float(options.get("visibility_timeout", 3600))
    queued = iter(jobs)
    pending: dict[str, Sent] = {}
    exhausted = False
    while pending or not exhausted:
        while not exhausted and len(pending) < window:
            item = next(queued, None)
            if item is None:
                exhausted = True
                break
            sent = Sent(*item)
            send_job(app, task, sent, progress, on_progress)
            pending[sent.job["job_id"]] = sent
        try:
            take_finished(pending, progress, on_result)
            progress.broker_down_since = None
            for sent in pending.values():
                if time.monotonic() - sent.sent_at > resend_after:
                    send_job(app, task, sent, progress, on_progress)
        except broker_errors():
            progress.broker_down_since = progress.broker_down_since or time.monotonic()
            time.sleep(RECONNECT_S)
        on_progress(progress)
        if pending:
            time.sleep(POLL_S)


def take_finished(
    pending: dict[str, Sent], progress: ClusterProgress, on_result: Callable[[dict[str, Any]], None]
) -> None:
    """Merge the results that are ready and forget them; failures are counted with why."""
    for job_id, sent in list(pending.items()):
        handle = sent.handle
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
        hosts_key = run_hosts_key(run_id, uuid.uuid4().hex[:8])
        send_with_retry(lambda: publish_run_hosts(app, hosts_key, sites), progress, on_progress)
        jobs = (
            (CRAWL_QUEUE, crawl_job(conn, group, site, run_id, now, full, hosts_key))
            for site in sites
        )

        def on_result(result: dict[str, Any]) -> None:
            merge_crawl(conn, result, run_id)
            progress.add(result.get("progress", {}))

        run_jobs(app, CRAWL_TASK, jobs, progress, on_result, on_progress)
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
    quorum: str,
    probed_at: datetime,
    timeout_s: float,
    user_agent: str,
    on_progress: Callable[[ClusterProgress], None] = lambda _p: None,
) -> ClusterProgress:
    """One probe round from every vantage point; each visit stored with where it came from.

    The caller records the run (`sitewatch.runlog`), as for a probe round in this process.
    """
    from crawler.store import open_db

    check_broker(app)
    jobs = list(probe_jobs(sites, vantages, probed_at, timeout_s, user_agent))
    progress = ClusterProgress(total=len(jobs))
    results: list[dict[str, Any]] = []
    run_jobs(app, PROBE_TASK, jobs, progress, results.append, on_progress)
    conn: sqlite3.Connection = open_db(db_path).conn
    try:
        # A vantage whose job failed did not probe: the verdict is made by those that did.
        store_round(conn, results, quorum=quorum, timeout_s=timeout_s)
    finally:
        conn.close()
    return progress
