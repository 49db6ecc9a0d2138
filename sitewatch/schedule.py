"""Scheduled operation: run the `schedule:` jobs as subprocesses, record them, raise alerts.

Each job runs the existing command (`python -m sitewatch crawl …`) in a fresh process, so
Scrapy's reactor starts anew every time. The scheduler takes the job's lock first (a job the
user started by hand makes the scheduled run a recorded `skipped`), records the run in
`crawl_runs` (crawl records its own), then feeds the alert dispatcher: after a probe run the
probe conditions, after a check run the rule engine's. SIGTERM is passed on to the running
child, which commits what it has; the scheduler then stops.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from crawler.config import GroupConfig
from crawler.config.models import cron_fields
from crawler.store import Store, open_db
from sitewatch.alerts import (
    Assessment,
    Dispatcher,
    channels_from_config,
    conditions_from_check,
    extraction_assessment,
    probe_assessment,
)
from sitewatch.locks import LockBusy, job_lock
from sitewatch.runlog import RECORDED_ENV

LOG = logging.getLogger("sitewatch.schedule")
JOBS = ("crawl", "probe", "check", "report")
ALERTS_JOB = "alerts"  # flush queued alerts and the digest (cron/systemd set-ups)
FLUSH_MINUTES = 5
LOG_MAX_BYTES = 5_000_000
LOG_BACKUPS = 5
OUTPUT_TAIL = 2000  # characters of a child's output kept in the log and the run's note
STOP_TIMEOUT = 120.0  # seconds a child gets after SIGTERM before it is killed


@dataclass
class JobContext:
    """What every job run needs: the config, the database, and the running children."""

    config_path: Path
    db_path: Path
    group: GroupConfig
    python: str = sys.executable
    stopping: threading.Event = field(default_factory=threading.Event)
    children: set[subprocess.Popen[str]] = field(default_factory=set)
    guard: threading.Lock = field(default_factory=threading.Lock)

    def terminate_children(self) -> None:
        """Pass SIGTERM to every running job so it commits what it has and stops."""
        with self.guard:
            for child in self.children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)


@dataclass(frozen=True)
class JobOutcome:
    """How one job run ended."""

    job: str
    status: str  # ok, failed, interrupted, skipped
    run_id: int | None
    returncode: int | None
    output: str = ""


def previous_month(day: date) -> str:
    """`YYYY-MM` of the month before day's month (the report written on the 1st)."""
    first = day.replace(day=1)
    return f"{first - timedelta(days=1):%Y-%m}"


def job_argv(ctx: JobContext, job: str, now: datetime | None) -> list[str]:
    """The command line of one job run."""
    base = [ctx.python, "-m", "sitewatch", job, "--config", str(ctx.config_path)]
    base += ["--db", str(ctx.db_path)]
    clock = now or datetime.now()
    if job == "crawl":
        extra = ["-q"] + (["--now", clock.isoformat(timespec="seconds")] if now else [])
    elif job == "probe":
        extra = ["--now", clock.isoformat(timespec="seconds")] if now else []
    elif job == "check":
        extra = ["--format", "json"] + (["--as-of", clock.date().isoformat()] if now else [])
    elif job == "report":
        report_dir = ctx.group.schedule.report_dir
        extra = ["--month", previous_month(clock.date()), "--out", report_dir]
    else:
        raise ValueError(f"unknown job '{job}'")
    return base + extra


def tail(text: str) -> str:
    """The end of a child's output."""
    return text[-OUTPUT_TAIL:].strip()


def run_child(ctx: JobContext, argv: list[str], env: dict[str, str], fd: int) -> tuple[int, str]:
    """Run a job's process sharing the lock descriptor; (returncode, stdout + stderr)."""
    child = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
        pass_fds=(fd,),
        cwd=Path.cwd(),
        start_new_session=True,  # a terminal's Ctrl-C reaches only us; we pass on SIGTERM
    )
    with ctx.guard:
        ctx.children.add(child)
    try:
        out, err = child.communicate()
    finally:
        with ctx.guard:
            ctx.children.discard(child)
    return child.returncode, out + ("\n" + err if err.strip() else "")


def start_record(store: Store, job: str, now: datetime | None, ctx: JobContext) -> int | None:
    """Record the start of a probe/check/report run (crawl records its own)."""
    if job == "crawl":
        return None
    sites = [site.id for site in ctx.group.sites]
    return store.start_run(kind=job, clock=now or datetime.now(), sites=sites)


def record_skipped(store: Store, job: str, now: datetime | None, busy: LockBusy) -> int:
    """A scheduled run that found the job already running elsewhere."""
    run_id = store.start_run(kind=job, clock=now or datetime.now())
    store.finish_run(run_id, status="skipped", note=str(busy))
    return run_id


def run_job(ctx: JobContext, job: str, now: datetime | None = None) -> JobOutcome:
    """Run one job once: lock, subprocess, run record, alerts."""
    if ctx.stopping.is_set():
        return JobOutcome(job, "skipped", None, None, "scheduler stopping")
    store = Store(open_db(ctx.db_path))
    try:
        with job_lock(ctx.db_path, job, wait=False) as lock:
            run_id = start_record(store, job, now, ctx)
            LOG.info("%s: started", job)
            env = {**lock.env(), RECORDED_ENV: "1"}  # the child must not record it twice
            code, output = run_child(ctx, job_argv(ctx, job, now), env, lock.fd)
            status = job_status(code, ctx.stopping.is_set())
            finish_record(store, run_id, job, status, output)
    except LockBusy as busy:
        LOG.warning("%s: skipped: %s", job, busy)
        return JobOutcome(job, "skipped", record_skipped(store, job, now, busy), None)
    finally:
        store.conn.close()
    log = LOG.info if status == "ok" else LOG.error
    log("%s: %s (exit %s)\n%s", job, status, code, tail(output))
    if status == "ok":
        raise_alerts(ctx, job, output, now)
    return JobOutcome(job, status, run_id, code, output)


def job_status(returncode: int, stopping: bool) -> str:
    """ok, interrupted (stopped by SIGTERM) or failed."""
    if returncode == 0:
        return "ok"
    return "interrupted" if stopping or returncode == -signal.SIGTERM else "failed"


def finish_record(store: Store, run_id: int | None, job: str, status: str, output: str) -> None:
    """Close a probe/check/report run row with its figures."""
    if run_id is None:
        return
    figures: dict[str, Any] = {}
    if job == "probe":
        down = store.conn.execute(
            "SELECT COUNT(*) FROM probes p WHERE ok = 0 AND probed_at = ("
            " SELECT MAX(probed_at) FROM probes q WHERE q.site_id = p.site_id)"
        ).fetchone()[0]
        figures["sites_down"] = int(down)
    elif job == "check" and status == "ok":
        figures["note"] = check_summary(output)
    if status != "ok":
        figures["note"] = tail(output)[-500:]
    store.finish_run(run_id, status=status, **figures)


def check_summary(output: str) -> str:
    """`N sites: V vetoed, W with warnings` from a check JSON document."""
    try:
        sites = json.loads(output).get("sites", [])
    except (ValueError, AttributeError):
        return "check output was not JSON"
    vetoed = sum(1 for site in sites if site.get("veto"))
    warned = sum(1 for site in sites if site.get("early_warnings"))
    return f"{len(sites)} sites: {vetoed} vetoed, {warned} with warnings"


def dispatcher_for(ctx: JobContext) -> tuple[Dispatcher, Store]:
    """A dispatcher on its own connection (jobs run in threads)."""
    store = Store(open_db(ctx.db_path))
    alerts = ctx.group.alerts
    return Dispatcher(store.conn, alerts, channels_from_config(alerts)), store


def raise_alerts(ctx: JobContext, job: str, output: str, now: datetime | None) -> int:
    """Feed the dispatcher what a finished probe or check run found; messages sent."""
    if job not in ("probe", "check", "crawl") or not ctx.group.alerts.enabled:
        return 0
    dispatcher, store = dispatcher_for(ctx)
    try:
        if job == "probe":
            names = {site.id: site.name for site in ctx.group.sites}
            assessment = probe_assessment(store.conn, names)
        elif job == "crawl":
            names = {site.id: site.name for site in ctx.group.sites}
            assessment = extraction_assessment(store.conn, names)
        else:
            assessment = check_assessment(output)
        return len(dispatcher.update(assessment, now or datetime.now()))
    finally:
        store.conn.close()


def check_assessment(output: str) -> Assessment:
    """The conditions in a check run's JSON output (nothing when it cannot be read)."""
    try:
        document = json.loads(output)
    except ValueError:
        LOG.error("check output is not JSON; no alerts raised")
        return Assessment(())
    return conditions_from_check(document)


def flush_alerts(ctx: JobContext, now: datetime | None = None) -> int:
    """Send alerts held back by quiet hours, retries, and the digest when due."""
    if not ctx.group.alerts.enabled:
        return 0
    dispatcher, store = dispatcher_for(ctx)
    try:
        return dispatcher.flush(now or datetime.now())
    finally:
        store.conn.close()


# -- the long-running scheduler ---------------------------------------------------------
def schedule_zone(group: GroupConfig) -> Any:
    """The configured time zone, else the machine's."""
    if group.schedule.timezone:
        return ZoneInfo(group.schedule.timezone)
    from tzlocal import get_localzone

    return get_localzone()


def cron_trigger(expr: str, zone: Any) -> Any:
    """An APScheduler CronTrigger for a crontab expression (crontab's weekday numbers)."""
    from apscheduler.triggers.cron import CronTrigger

    return CronTrigger(**cron_fields(expr), timezone=zone)


def last_runs(db_path: Path) -> dict[str, datetime]:
    """The start of the latest recorded run of each kind."""
    store = Store(open_db(db_path))
    try:
        rows = store.conn.execute(
            "SELECT kind, MAX(started_at) FROM crawl_runs GROUP BY kind"
        ).fetchall()
    finally:
        store.conn.close()
    return {kind: datetime.fromisoformat(started) for kind, started in rows if started}


def missed_jobs(
    jobs: dict[str, str], last: dict[str, datetime], now: datetime, zone: Any
) -> list[str]:
    """Jobs that were due at least once between their last run and now (each listed once).

    A job never run before is not "missed": a fresh install waits for its first slot.
    Times in the database are local wall-clock times in `zone`.
    """
    missed = []
    for job, expr in jobs.items():
        started = last.get(job)
        if started is None:
            continue
        # +1 s: a run that started exactly at its slot must not count that slot as missed.
        after = (started + timedelta(seconds=1)).replace(tzinfo=zone)
        due = cron_trigger(expr, zone).get_next_fire_time(None, after)
        if due is not None and due <= now.replace(tzinfo=zone):
            missed.append(job)
    return missed


def planned_jobs(group: GroupConfig, now: datetime) -> list[tuple[str, str, datetime]]:
    """Each enabled job with its cron expression and its next run after `now`, soonest first."""
    zone = schedule_zone(group)
    after = now.astimezone(zone)  # a naive `now` is the machine's local time
    planned = []
    for job, expr in group.schedule.jobs().items():
        upcoming = cron_trigger(expr, zone).get_next_fire_time(None, after)
        if upcoming is not None:
            planned.append((job, expr, upcoming))
    return sorted(planned, key=lambda item: item[2])


def setup_logging(log_file: Path) -> None:
    """Log to a rotating file and the console."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    file_handler = RotatingFileHandler(
        log_file, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    console = logging.StreamHandler(sys.stderr)
    root = logging.getLogger()
    for handler in (file_handler, console):
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def log_path(ctx: JobContext) -> Path:
    """`schedule.log_file`, else logs/sitewatch.log next to the database."""
    configured = ctx.group.schedule.log_file
    if configured:
        return Path(configured)
    return ctx.db_path.absolute().parent / "logs" / "sitewatch.log"


def build_scheduler(ctx: JobContext) -> Any:
    """A BackgroundScheduler with one cron job per enabled job, plus the alert flush."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.background import BackgroundScheduler

    zone = schedule_zone(ctx.group)
    grace = ctx.group.schedule.misfire_grace_minutes * 60
    scheduler = BackgroundScheduler(
        timezone=zone,
        executors={"default": ThreadPoolExecutor(max_workers=len(JOBS) + 1)},
        # coalesce: several missed slots run once; max_instances: never two at a time here
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": grace},
    )
    for job, expr in ctx.group.schedule.jobs().items():
        scheduler.add_job(run_job, cron_trigger(expr, zone), args=[ctx, job], id=job, name=job)
    if ctx.group.alerts.enabled:
        scheduler.add_job(
            flush_alerts, "interval", minutes=FLUSH_MINUTES, args=[ctx], id=ALERTS_JOB
        )
    return scheduler


def serve(ctx: JobContext) -> None:
    """Run the scheduler until SIGTERM/SIGINT; catch up missed jobs once at start."""
    setup_logging(log_path(ctx))
    zone = schedule_zone(ctx.group)
    jobs = ctx.group.schedule.jobs()
    scheduler = build_scheduler(ctx)

    def on_signal(signum: int, _frame: Any) -> None:
        LOG.info("signal %s: stopping after the running jobs commit", signum)
        ctx.stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    scheduler.start()
    LOG.info("scheduler started (db %s)", ctx.db_path)
    for job, expr, upcoming in planned_jobs(ctx.group, datetime.now()):
        LOG.info("%s: %s, next run %s", job, expr, upcoming.strftime("%Y-%m-%d %H:%M %Z"))
    for job in missed_jobs(jobs, last_runs(ctx.db_path), datetime.now(), zone):
        LOG.info("%s: missed while the scheduler was down; running it once now", job)
        scheduler.add_job(run_job, args=[ctx, job], id=f"catch-up-{job}", name=job)
    while not ctx.stopping.wait(1.0):
        pass
    scheduler.pause()
    ctx.terminate_children()
    stopper = threading.Timer(STOP_TIMEOUT, kill_children, args=[ctx])
    stopper.daemon = True
    stopper.start()
    scheduler.shutdown(wait=True)
    stopper.cancel()
    LOG.info("scheduler stopped")


def kill_children(ctx: JobContext) -> None:
    """Last resort when a child ignores SIGTERM for too long."""
    with ctx.guard:
        for child in ctx.children:
            if child.poll() is None:
                child.kill()
