"""Crash safety and readers during writes.

`sitewatch crawl` is killed with SIGKILL part-way through a crawl of four simulated sites; the
next run must find an intact database that kept everything committed before the kill, mark
the killed run 'interrupted', and complete the data (judged by the simulator's truth). While
that second crawl writes, `sitewatch check` and `sitewatch report` read the same database.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sw_testing import ROOT, demo_config, simulator, sitewatch, worker_port

from simulator.accuracy import compare

SITES = ["portal", "jlc", "xa-city", "wn-city"]  # TRS, Hanweb, hand-made (GBK) families
KILL_AFTER_FETCHES = 300
NOW = "2012-12-31T09:00"
NATIONAL = ROOT / "config" / "standards" / "national.yaml"


def fetch_rows(db: Path) -> int:
    """Rows in fetches, read while a crawl may be writing (0 before the table exists)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT count(*) FROM fetches").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


def crawl_process(config: Path, db: Path) -> subprocess.Popen[str]:
    """`sitewatch crawl` as a child process we can kill."""
    command = [sys.executable, "-m", "sitewatch", "crawl", "--config", str(config)]
    command += ["--db", str(db), "--now", NOW, "-q"]
    return subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def kill_when(process: subprocess.Popen[str], db: Path, rows: int, limit_s: float = 60) -> int:
    """SIGKILL the process once fetches holds `rows` rows; return the count seen at the kill."""
    deadline = time.monotonic() + limit_s
    seen = 0
    while time.monotonic() < deadline and process.poll() is None:
        seen = fetch_rows(db)
        if seen >= rows:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the crawl ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    return seen


def slowed(config: Path, delay: float) -> Path:
    """The same config with a per-site delay and one request at a time: a crawl that lasts."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["defaults"].update({"delay": delay, "concurrency": 1})
    path = config.with_name("slowed.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def snapshot(db: Path) -> dict[str, tuple[str, str, str | None]]:
    """url → (title, first_seen_at, published_on) of every stored post."""
    conn = sqlite3.connect(db)
    query = "SELECT url, title, first_seen_at, published_on FROM posts"
    return {url: (title, seen, day) for url, title, seen, day in conn.execute(query)}


def readers_while(process: subprocess.Popen[str], config: Path, db: Path, out: Path) -> list[Any]:
    """Run check and report against the database until the crawl ends (at least once each)."""
    runs: list[Any] = []
    while True:
        before = fetch_rows(db)
        check = sitewatch(
            "check", "--config", str(config), "--db", str(db), "--standard", str(NATIONAL),
            "--as-of", "2012-12-31", "--format", "json", timeout=120,
        )  # fmt: skip
        report = sitewatch(
            "report", "--config", str(config), "--db", str(db), "--standard", str(NATIONAL),
            "--month", "2012-12", "--out", str(out), "--format", "html,xlsx", timeout=120,
        )  # fmt: skip
        runs.append((check, report, before, fetch_rows(db), process.poll() is None))
        if process.poll() is not None:
            return runs


@pytest.fixture(scope="module")
def crash(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("crash")
    port = worker_port(20200)
    with simulator(port, faults="none") as sim:
        config = demo_config(tmp, port, sites=SITES)
        db = tmp / "crash.db"
        first = crawl_process(config, db)
        killed_at = kill_when(first, db, KILL_AFTER_FETCHES)
        conn = sqlite3.connect(db)
        before = {
            "integrity": conn.execute("PRAGMA integrity_check").fetchall(),
            "posts": snapshot(db),
            "fetches": conn.execute("SELECT count(*) FROM fetches").fetchone()[0],
            "runs": conn.execute("SELECT id, status FROM crawl_runs").fetchall(),
        }
        conn.close()
        second = crawl_process(slowed(config, 0.05), db)
        readers = readers_while(second, config, db, tmp / "reports")
        out, err = second.communicate(timeout=300)
        yield {
            "db": db,
            "truth": sim.truth(),
            "first": first,
            "killed_at": killed_at,
            "before": before,
            "second": (second.returncode, out, err),
            "readers": readers,
        }


def test_kill_happened_part_way(crash: dict[str, Any]) -> None:
    assert crash["first"].returncode == -signal.SIGKILL
    assert crash["killed_at"] >= KILL_AFTER_FETCHES
    assert crash["before"]["runs"] == [(1, "running")]  # the killed run could not close its row
    assert crash["before"]["posts"], "nothing was committed before the kill"


def test_database_is_intact_after_the_kill(crash: dict[str, Any]) -> None:
    assert crash["before"]["integrity"] == [("ok",)]
    conn = sqlite3.connect(crash["db"])
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_second_run_completes_and_marks_the_killed_one(crash: dict[str, Any]) -> None:
    code, _out, err = crash["second"]
    assert code == 0, err[-3000:]
    conn = sqlite3.connect(crash["db"])
    # The readers' check and report runs are recorded too, under their own kinds.
    runs = conn.execute(
        "SELECT id, status FROM crawl_runs WHERE kind = 'crawl' ORDER BY id"
    ).fetchall()
    assert [status for _id, status in runs] == ["interrupted", "ok"] and runs[0][0] == 1


def test_nothing_committed_before_the_kill_is_lost(crash: dict[str, Any]) -> None:
    before, db = crash["before"], crash["db"]
    after = snapshot(db)
    for url, (title, first_seen, published) in before["posts"].items():
        assert after[url][:2] == (title, first_seen), url
        assert published is None or after[url][2] == published, url
    conn = sqlite3.connect(db)
    kept = conn.execute("SELECT count(*) FROM fetches WHERE run_id = 1").fetchone()[0]
    assert kept == before["fetches"]


def test_second_run_completes_the_data_without_duplicates(crash: dict[str, Any]) -> None:
    truth = {"sites": [s for s in crash["truth"]["sites"] if s["id"] in SITES]}
    accuracy = compare(crash["db"], truth)
    figures = accuracy.as_dict()
    assert accuracy.duplicated_posts == 0
    assert accuracy.post_accuracy >= 0.995, figures["examples"]
    assert accuracy.extra_share <= 0.005, figures["examples"]
    assert accuracy.letters_right == accuracy.truth_letters, figures["examples"]
    conn = sqlite3.connect(crash["db"])
    duplicates = conn.execute(
        "SELECT count(*) FROM (SELECT site_id, url FROM posts GROUP BY site_id, url"
        " HAVING count(*) > 1)"
    ).fetchone()
    assert duplicates == (0,)


def test_check_and_report_read_while_a_crawl_writes(crash: dict[str, Any]) -> None:
    readers = crash["readers"]
    for check, report, _before, _after, _alive in readers:
        for result in (check, report):
            assert result.returncode == 0, result.stderr[-2000:]
            assert "locked" not in (result.stderr + result.stdout).lower()
    # At least one reading pair overlapped the writing: the crawl ran on and wrote meanwhile.
    assert any(alive and after > before for _c, _r, before, after, alive in readers), [
        r[2:] for r in readers
    ]
