"""Job locks between real processes: refuse or wait, and a crashed holder frees the lock."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sw_testing import ROOT, sitewatch

from sitewatch.locks import LockBusy, job_lock

HOLDER = """
import sys, time
from sitewatch.locks import job_lock
with job_lock(sys.argv[1], sys.argv[2], wait=False):
    print("held", flush=True)
    time.sleep(60)
"""
CONFIG = """group: {name: lock test, allow_private_addresses: true}
sites:
  - {id: dead, name: 关闭的站点, unit_type: city, home_url: 'http://127.0.0.1:1/'}
"""


def hold(db: Path, job: str) -> subprocess.Popen[str]:
    """Another process holding the job's lock until killed."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), job], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def lines_until(process: subprocess.Popen[str], text: str, timeout: float = 60) -> str:
    """The process's stderr up to the line holding `text` (killed after `timeout` seconds)."""
    assert process.stderr is not None
    watchdog = threading.Timer(timeout, process.kill)
    watchdog.start()
    seen = ""
    try:
        while text not in seen:
            line = process.stderr.readline()
            if not line:
                pytest.fail(f"stderr ended before {text!r}: {seen}")
            seen += line
    finally:
        watchdog.cancel()
    return seen


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A one-site config whose home page refuses connections at once."""
    path = tmp_path / "group.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def test_a_second_crawl_refuses_with_a_clear_message(tmp_path: Path, config: Path) -> None:
    db = tmp_path / "sw.db"
    holder = hold(db, "crawl")
    try:
        result = sitewatch("crawl", "--config", str(config), "--db", str(db), "--no-wait", "-q")
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    assert f"another crawl run is in progress (pid {holder.pid} since" in result.stderr
    assert str(tmp_path / "locks" / "crawl.lock") in result.stderr
    assert not db.exists()  # refused before touching the database


def test_a_waiting_probe_runs_once_the_holder_crashes(tmp_path: Path, config: Path) -> None:
    db = tmp_path / "sw.db"
    holder = hold(db, "probe")
    probe = subprocess.Popen(
        [sys.executable, "-m", "sitewatch", "probe", "--config", str(config), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    # No fixed sleep: the probe says it waits (on stderr) right before it blocks on the lock.
    said = lines_until(probe, "waiting: another probe run is in progress")
    assert probe.poll() is None, said  # still waiting for the lock
    holder.send_signal(signal.SIGKILL)  # a crash: the OS drops the flock
    holder.wait()
    _, err = probe.communicate(timeout=30)
    assert probe.returncode == 0, said + err
    rows = sqlite3.connect(db).execute("SELECT site_id, ok FROM probes").fetchall()
    assert rows == [("dead", 0)]


def test_different_jobs_do_not_block_each_other_and_release_frees(tmp_path: Path) -> None:
    db = tmp_path / "sw.db"
    with job_lock(db, "crawl", wait=False) as crawl, job_lock(db, "probe", wait=False) as probe:
        assert crawl.path != probe.path
    holder = hold(db, "report")
    try:
        with pytest.raises(LockBusy, match="another report run"):
            job_lock(db, "report", wait=True, timeout=0.5).__enter__()
    finally:
        holder.kill()
        holder.wait()
    with job_lock(db, "report", wait=False) as lock:
        assert lock.path == tmp_path / "locks" / "report.lock"
