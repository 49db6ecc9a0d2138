"""A crawl whose components cannot be built fails loudly: before, the reactor stopped with
nothing fetched and the run was recorded as "ok"."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]

RUN = """
import sys
from datetime import datetime
from pathlib import Path
from crawler.config import load_config
from crawler.runner import run_crawl
group = load_config(sys.argv[1])
run_crawl(group, list(group.sites), Path(sys.argv[2]), now=datetime(2012, 12, 31, 9),
          settings={"SITEWATCH_DNS_LOOKUP": "no_such_module.lookup"})
"""


def test_a_crawl_that_cannot_start_is_recorded_failed(tmp_path: Path) -> None:
    config = tmp_path / "group.yaml"
    site = {"id": "a", "name": "甲站", "unit_type": "city", "home_url": "http://127.0.0.9:9/"}
    site["allow_private_addresses"] = True
    group = {"group": {"name": "测试"}, "defaults": {"delay": 0}, "sites": [site]}
    config.write_text(yaml.safe_dump(group, allow_unicode=True), encoding="utf-8")
    db = tmp_path / "crawl.db"
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(config), str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode != 0
    assert "CrawlNotStarted" in done.stderr
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT status, note FROM crawl_runs").fetchall()
    assert len(rows) == 1
    status, note = rows[0]
    assert status == "failed"
    assert "no_such_module" in note
