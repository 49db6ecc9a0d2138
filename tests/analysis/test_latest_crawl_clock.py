"""The day check, the console and findings judge by default: the latest completed crawl's."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from analysis.queries import latest_crawl_clock
from crawler.store import Store, open_db
from sitewatch.database import latest_completed_crawl


def test_probe_and_check_runs_do_not_move_the_judged_day(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    store = Store(open_db(db))
    crawl = store.start_run(kind="crawl", clock=datetime(2012, 12, 31, 9, 0))
    store.finish_run(crawl, status="ok")
    failed = store.start_run(kind="crawl", clock=datetime(2013, 1, 2, 9, 0))
    store.finish_run(failed, status="failed")
    for kind in ("probe", "check", "report"):
        run = store.start_run(kind=kind, clock=datetime(2026, 12, 2, 10, 0))
        store.finish_run(run, status="ok")
    assert latest_crawl_clock(store.conn) == "2012-12-31T09:00:00"
    store.conn.close()
    assert latest_completed_crawl(db) == "2012-12-31T09:00:00"
