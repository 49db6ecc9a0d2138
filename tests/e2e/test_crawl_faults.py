"""Every switchable fault of the simulator on at once: the crawl finishes, faults are recorded by
kind, and sites without a fault are crawled as well as ever."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sw_testing import demo_config, simulator, sitewatch, worker_port

from simulator.accuracy import compare

TRAP_PREFIX = "/rili/"


@pytest.fixture(scope="module")
def faulty_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """All faults on, a 1 s timeout (the simulator's slow pages take 2 s), discovery everywhere."""
    tmp = tmp_path_factory.mktemp("faults")
    port = worker_port(19600)
    # 2012-12-10: inside the outage window, so some site is down at crawl time.
    with simulator(port, today="2012-12-31", faults="all") as sim:
        config = demo_config(tmp, port, defaults={"timeout": 1})
        data = config.read_text(encoding="utf-8")
        db = tmp / "faults.db"
        result = sitewatch(
            "crawl", "--config", str(config), "--db", str(db), "--now", "2012-12-31T09:00", "-q"
        )
        yield {"db": db, "truth": sim.truth(), "result": result, "config": data}


def errors(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    return dict(
        conn.execute(
            "SELECT error, count(*) FROM fetches WHERE error IS NOT NULL GROUP BY error"
        ).fetchall()
    )


def test_crawl_finishes_and_records_each_fault_by_kind(faulty_crawl: dict[str, Any]) -> None:
    result = faulty_crawl["result"]
    assert result.returncode == 0, result.stderr[-2000:]
    seen = errors(faulty_crawl["db"])
    assert seen.get("timeout", 0) > 0, seen  # slow pages over the 1 s timeout
    assert seen.get("http_5xx", 0) > 0, seen  # 5xx bursts
    assert seen.get("connection_refused", 0) > 0, seen  # dead links on port 1
    assert seen.get("http_4xx", 0) > 0, seen  # retired pages and attachments
    status = sqlite3.connect(faulty_crawl["db"]).execute("SELECT status FROM crawl_runs").fetchone()
    assert status == ("ok",)


def test_5xx_bursts_are_retried_until_the_page_answers(faulty_crawl: dict[str, Any]) -> None:
    conn = sqlite3.connect(faulty_crawl["db"])
    retried = conn.execute(
        "SELECT url FROM fetches WHERE error = 'http_5xx' AND kind IN ('list', 'detail')"
        " INTERSECT SELECT url FROM fetches WHERE status = 200"
    ).fetchall()
    assert retried, "no 5xx page was retried to success"


def test_redirect_chains_are_followed(faulty_crawl: dict[str, Any]) -> None:
    conn = sqlite3.connect(faulty_crawl["db"])
    hops = conn.execute(
        "SELECT count(*) FROM fetches WHERE status IN (301, 302) AND url LIKE '%/old/%'"
    ).fetchone()[0]
    assert hops > 0
    # The column behind the chain still yields its posts (checked by accuracy below).


def test_trap_is_not_walked(faulty_crawl: dict[str, Any]) -> None:
    conn = sqlite3.connect(faulty_crawl["db"])
    trap_fetches = conn.execute(
        "SELECT count(*) FROM fetches WHERE url LIKE ? AND kind != 'link'", (f"%{TRAP_PREFIX}%",)
    ).fetchone()[0]
    assert trap_fetches <= 3, trap_fetches


def test_sites_without_disruptive_faults_are_unaffected(faulty_crawl: dict[str, Any]) -> None:
    truth = faulty_crawl["truth"]
    calm = [
        site
        for site in truth["sites"]
        if not site["slow_urls"] and not site["outages"] and not site["errors_5xx"]
    ]
    assert calm, "the fault plan left no calm site to compare"
    accuracy = compare(faulty_crawl["db"], {"sites": calm})
    assert accuracy.post_accuracy >= 0.995, accuracy.as_dict()["examples"]
    assert accuracy.extra_share <= 0.005


def test_wrong_charset_declaration_stores_no_mojibake(faulty_crawl: dict[str, Any]) -> None:
    truth = faulty_crawl["truth"]
    site = next(s for s in truth["sites"] if s["wrong_charset"])
    accuracy = compare(faulty_crawl["db"], {"sites": [site]})
    assert accuracy.posts_right_department == accuracy.posts_found, accuracy.as_dict()
    conn = sqlite3.connect(faulty_crawl["db"])
    titles = [
        t for (t,) in conn.execute("SELECT title FROM posts WHERE site_id = ?", (site["id"],))
    ]
    assert titles and not any("\ufffd" in t for t in titles)
