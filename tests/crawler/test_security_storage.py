"""Nothing lost silently: a crawl whose database writes fail (a file-size limit, as a full disk)
stops, marks its run failed and says so in one line; a crawl killed mid-run keeps run figures
that match what it committed."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sw_security import page, serve, write_config
from sw_testing import ROOT, worker_port

from crawler.store import open_db

HOST = "127.0.0.128"
POSTS = 400
TITLE_PAD = "关于进一步加强政府网站信息内容建设的通知" * 20  # ~1 KB a row: the WAL grows fast

pytestmark = pytest.mark.slow


def routes(delay: float = 0.0) -> dict[str, dict[str, Any]]:
    rows = "".join(
        f"<li><a href='/news/{n}.html'>{n}{TITLE_PAD}</a><span>2012-12-{1 + n % 28:02d}</span></li>"
        for n in range(POSTS)
    )

    def detail(_h: Any, n: int) -> Any:
        time.sleep(delay)
        return page(f"<html><body><h1>{n}</h1><p>发布日期：2012-12-01</p></body></html>")

    site: dict[str, Any] = {
        "/": lambda _h: page("<html><body><a href='/news/'>工作动态</a></body></html>"),
        "/news/": lambda _h: page(f"<html><body><ul class='list'>{rows}</ul></body></html>"),
    }
    for n in range(POSTS):
        site[f"/news/{n}.html"] = lambda h, n=n: detail(h, n)
    return {HOST: site}


def config(tmp: Path, port: int) -> Path:
    site = {
        "id": "big",
        "name": "大站",
        "unit_type": "city",
        "home_url": f"http://{HOST}:{port}/",
        "allow_private_addresses": True,
        "crawl": {"concurrency": 1},
    }
    return write_config(tmp / "group.yaml", [site])


def crawl_command(config_path: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "sitewatch", "crawl", "--config", str(config_path),
            "--db", str(db), "--now", "2012-12-31T09:00", "-q"]  # fmt: skip


def limit_file_size(limit: int) -> Callable[[], None]:
    """preexec_fn: writes past `limit` bytes fail with EFBIG (Python ignores SIGXFSZ)."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_write_failure_stops_the_crawl_and_fails_the_run(tmp_path: Path) -> None:
    port = worker_port(20480)
    db = tmp_path / "small-disk.db"
    open_db(db).conn.close()  # the schema fits; the crawl's data will not
    limit = db.stat().st_size + 200_000
    with serve(routes(), port):
        done = subprocess.run(
            crawl_command(config(tmp_path, port), db),
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
            preexec_fn=limit_file_size(limit),  # the point of the test
        )
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, done.stderr[-3000:]
    assert str(db) in errors[0] and "storage failed" in errors[0]
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    status, note, new_posts = conn.execute(
        "SELECT status, note, new_posts FROM crawl_runs"
    ).fetchone()
    assert status == "failed" and "storage failed" in note
    stored = conn.execute("SELECT count(*) FROM posts").fetchone()[0]
    assert 0 < stored < POSTS
    assert new_posts == stored  # the figures say what is really there


def test_killed_crawl_keeps_figures_of_what_it_committed(tmp_path: Path) -> None:
    port = worker_port(20490)
    db = tmp_path / "killed.db"
    with serve(routes(delay=0.05), port):
        process = subprocess.Popen(
            crawl_command(config(tmp_path, port), db),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                time.sleep(0.5)
                if db.exists() and details_stored(db) >= 20:
                    break
            os.kill(process.pid, signal.SIGKILL)
        finally:
            process.wait(timeout=30)
    conn = sqlite3.connect(db)
    status, pages, new_posts = conn.execute(
        "SELECT status, pages, new_posts FROM crawl_runs"
    ).fetchone()
    assert status == "running"  # nobody closed it: the next crawl marks it interrupted
    assert new_posts == conn.execute("SELECT count(*) FROM posts").fetchone()[0] > 0
    assert pages == conn.execute("SELECT count(*) FROM fetches").fetchone()[0] > 0


def details_stored(db: Path) -> int:
    """Posts whose detail page is stored, read without disturbing the writer."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            row = conn.execute(
                "SELECT count(*) FROM posts WHERE detail_fetched_at IS NOT NULL"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return 0
    return int(row[0])
