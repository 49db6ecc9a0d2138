"""The scheduler: catch-up of missed runs, cron/systemd output, skipped runs, SIGTERM."""

from __future__ import annotations

import getpass
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sw_testing import ROOT

from crawler.config import load_config
from crawler.store import Store, open_db
from sitewatch.commands.schedule import schedule
from sitewatch.locks import job_lock
from sitewatch.schedule import JobContext, missed_jobs, previous_month, run_job
from sitewatch.schedule_export import on_calendar

ZONE = ZoneInfo("Asia/Shanghai")
JOBS = {"crawl": "0 2 * * *", "probe": "0 * * * *", "report": "0 8 1 * *"}
CONFIG = """group: {name: schedule test, allow_private_addresses: true}
schedule: {timezone: Asia/Shanghai, crawl: null, check: null, report: null, probe: '0 * * * *'}
sites:
  - {id: dead, name: 关闭的站点, unit_type: city, home_url: 'http://127.0.0.1:1/'}
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A one-site config probing a port that refuses at once."""
    path = tmp_path / "group.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def test_missed_jobs_run_once_and_fresh_installs_wait() -> None:
    now = datetime(2012, 12, 3, 9, 30)
    last = {
        "crawl": datetime(2012, 12, 1, 2, 0, 5),  # slots on the 2nd and 3rd missed: once
        "probe": datetime(2012, 12, 3, 9, 0, 0),  # started exactly at its slot: not missed
        "report": datetime(2012, 12, 1, 8, 0, 0),  # next slot 1 January
    }
    assert missed_jobs(JOBS, last, now, ZONE) == ["crawl"]
    assert missed_jobs(JOBS, {}, now, ZONE) == []
    later = {**last, "probe": datetime(2012, 12, 3, 8, 59, 59)}
    assert missed_jobs(JOBS, later, now, ZONE) == ["crawl", "probe"]


def test_previous_month() -> None:
    assert previous_month(datetime(2013, 1, 1).date()) == "2012-12"
    assert previous_month(datetime(2012, 3, 31).date()) == "2012-02"


@pytest.mark.parametrize(
    ("cron", "calendar"),
    [
        ("0 2 * * *", "*-*-* 02:00:00"),
        ("0 * * * *", "*-*-* *:00:00"),
        ("*/15 * * * *", "*-*-* *:0/15:00"),
        ("0 8 1 * *", "*-*-01 08:00:00"),
        ("30 6 * * 1-5", "Mon..Fri *-*-* 06:30:00"),
        ("0 9 * * 0,6", "Sun,Sat *-*-* 09:00:00"),
    ],
)
def test_cron_to_systemd_calendar(cron: str, calendar: str) -> None:
    assert on_calendar(cron) == calendar


def test_cron_without_a_systemd_equivalent_is_refused() -> None:
    with pytest.raises(ValueError, match="both day-of-month and weekday"):
        on_calendar("0 8 1 * 1")


def test_print_cron_and_systemd(tmp_path: Path, config: Path) -> None:
    db = tmp_path / "sw.db"
    runner = CliRunner()
    cron = runner.invoke(schedule, ["--config", str(config), "--db", str(db), "--print-cron"])
    assert cron.exit_code == 0, cron.output
    lines = cron.output.splitlines()
    assert "CRON_TZ=Asia/Shanghai" in lines
    probe_line = next(line for line in lines if "--run-job probe" in line)
    assert probe_line.startswith("0 * * * * cd ")
    assert f"--config {config} --db {db}" in probe_line
    assert probe_line.endswith(f">> {tmp_path / 'logs' / 'cron.log'} 2>&1")
    assert any(line.startswith("*/5 * * * * ") and "--run-job alerts" in line for line in lines)
    assert not any("--run-job crawl" in line for line in lines)  # switched off
    units = runner.invoke(schedule, ["--config", str(config), "--db", str(db), "--print-systemd"])
    assert units.exit_code == 0, units.output
    assert "OnCalendar=*-*-* *:00:00 Asia/Shanghai" in units.output
    assert "Unit=sitewatch@probe.service" in units.output
    assert "--run-job %i" in units.output and "Persistent=true" in units.output
    assert f"User={getpass.getuser()}" in units.output
    assert "#   sudo systemctl enable --now sitewatch-probe.timer" in units.output


def test_a_scheduled_run_is_skipped_and_recorded_while_a_manual_one_runs(
    tmp_path: Path, config: Path
) -> None:
    db = tmp_path / "sw.db"
    context = JobContext(config, db, load_config(config))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        outcome = run_job(context, "probe", now=datetime(2012, 12, 1, 10, 0))
    finally:
        holder.kill()
        holder.wait()
    assert outcome.status == "skipped"
    row = sqlite3.connect(db).execute("SELECT kind, status, note FROM crawl_runs").fetchone()
    assert row[:2] == ("probe", "skipped")
    assert f"another probe run is in progress (pid {holder.pid}" in row[2]
    with job_lock(db, "probe", wait=False):
        pass  # free again once the holder died


HOLD = """
import sys, time
from sitewatch.locks import job_lock
with job_lock(sys.argv[1], "probe", wait=False):
    print("held", flush=True)
    time.sleep(60)
"""


def test_scheduler_catches_up_once_then_stops_cleanly_on_sigterm(
    tmp_path: Path, config: Path
) -> None:
    db = tmp_path / "sw.db"
    store = Store(open_db(db))
    old = store.start_run(kind="probe", clock=datetime(2012, 1, 1))
    store.finish_run(old, status="ok")
    store.conn.execute("UPDATE crawl_runs SET started_at = '2012-01-01T00:00:00'")
    store.conn.commit()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sitewatch",
            "schedule",
            *("--config", str(config)),
            "--db",
            str(db),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        finished = []
        while time.monotonic() < deadline and not finished:
            time.sleep(0.3)
            finished = store.conn.execute(
                "SELECT status FROM crawl_runs WHERE id > ? AND finished_at IS NOT NULL", (old,)
            ).fetchall()
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert finished == [("ok",)], err
    assert process.returncode == 0, err
    log = (tmp_path / "logs" / "sitewatch.log").read_text(encoding="utf-8")
    assert "probe: missed while the scheduler was down; running it once now" in log
    assert log.count("probe: started") == 1
    assert "scheduler stopped" in log
