"""Re-crawls through `sitewatch crawl` with the simulator's clock advanced between them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sw_testing import demo_config, simulator, sitewatch, worker_port

from simulator.accuracy import compare

SITES = ["portal", "jlc", "xa-city", "wn-city"]  # TRS, Hanweb, hand-made (GBK) families


def crawl(config: Path, db: Path, now: str, *extra: str) -> None:
    result = sitewatch(
        "crawl", "--config", str(config), "--db", str(db), "--now", now, "-q", *extra
    )
    assert result.returncode == 0, result.stderr[-2000:]


def run_fetches(db: Path, run_id: int) -> dict[tuple[str, int | None], int]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT kind, status, count(*) FROM fetches WHERE run_id = ? GROUP BY kind, status",
        (run_id,),
    )
    return {(kind, status): count for kind, status, count in rows}


def truth_posts(truth: dict[str, Any]) -> set[str]:
    return {
        post["url"]
        for site in truth["sites"]
        if site["id"] in SITES
        for column in site["columns"]
        for post in column["posts"]
    }


@pytest.fixture(scope="module")
def three_crawls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("incremental")
    port = worker_port(19700)
    with simulator(port, today="2012-12-20", faults="none") as sim:
        config = demo_config(tmp, port, sites=SITES)
        db = tmp / "inc.db"
        truths = {}
        for run, day in enumerate(("2012-12-20", "2012-12-25", "2012-12-31"), start=1):
            sim.set_clock(day)
            truths[run] = sim.truth()
            crawl(config, db, f"{day}T09:00")
        yield {"db": db, "truths": truths, "config": config, "sim": sim}


def test_recrawl_finds_exactly_the_new_posts(three_crawls: dict[str, Any]) -> None:
    db, truths = three_crawls["db"], three_crawls["truths"]
    conn = sqlite3.connect(db)
    for run in (2, 3):
        expected = truth_posts(truths[run]) - truth_posts(truths[run - 1])
        found = {u for (u,) in conn.execute("SELECT url FROM posts WHERE first_run_id = ?", (run,))}
        assert found == expected


def test_recrawl_is_cheap_conditional_and_skips_known_details(three_crawls: dict[str, Any]) -> None:
    db, truths = three_crawls["db"], three_crawls["truths"]
    first, second = run_fetches(db, 1), run_fetches(db, 2)
    assert sum(second.values()) < sum(first.values()) / 4
    assert second.get(("list", 304), 0) > 0  # conditional requests answered "not modified"
    new_posts = len(truth_posts(truths[2]) - truth_posts(truths[1]))
    assert second.get(("detail", 200), 0) == new_posts  # no known detail page read again


def test_first_seen_kept_and_nothing_duplicated(three_crawls: dict[str, Any]) -> None:
    db, truths = three_crawls["db"], three_crawls["truths"]
    conn = sqlite3.connect(db)
    first_seen = dict(
        conn.execute("SELECT url, first_seen_at FROM posts WHERE first_run_id = 1").fetchall()
    )
    assert first_seen and set(first_seen.values()) <= {
        f"2012-12-20T09:00:{s:02d}" for s in range(60)
    } | {f"2012-12-20T09:01:{s:02d}" for s in range(60)}
    accuracy = compare(db, {"sites": [s for s in truths[3]["sites"] if s["id"] in SITES]})
    assert accuracy.duplicated_posts == 0
    assert accuracy.post_accuracy >= 0.995, accuracy.as_dict()["examples"]
    assert accuracy.letters_right == accuracy.truth_letters


def test_full_crawl_marks_vanished_posts_gone_and_back(three_crawls: dict[str, Any]) -> None:
    db, sim, config = three_crawls["db"], three_crawls["sim"], three_crawls["config"]
    # Turn the clock back: posts after 12-20 vanish from the lists; --full walks every page.
    sim.set_clock("2012-12-20")
    crawl(config, db, "2012-12-31T12:00", "--full")
    conn = sqlite3.connect(db)
    gone = {u for (u,) in conn.execute("SELECT url FROM posts WHERE gone_at IS NOT NULL")}
    later = truth_posts(three_crawls["truths"][3]) - truth_posts(three_crawls["truths"][1])
    assert gone == later
    full = run_fetches(db, 4)
    assert full.get(("list", 304), 0) == 0  # --full sends no conditional requests
    sim.set_clock("2012-12-31")
    crawl(config, db, "2012-12-31T13:00")
    assert conn.execute("SELECT count(*) FROM posts WHERE gone_at IS NOT NULL").fetchone() == (0,)


def test_same_day_recrawl_reuses_robots_txt_and_costs_about_one_request_per_column(
    three_crawls: dict[str, Any],
) -> None:
    db, config = three_crawls["db"], three_crawls["config"]
    crawl(config, db, "2012-12-31T14:00")  # nothing new since the 13:00 crawl
    conn = sqlite3.connect(db)
    run_id = conn.execute("SELECT max(id) FROM crawl_runs").fetchone()[0]
    fetches = run_fetches(db, run_id)
    assert not [k for k in fetches if k[0] == "robots"]  # cached this morning
    columns = conn.execute("SELECT count(*) FROM columns").fetchone()[0]
    assert sum(fetches.values()) <= 1.1 * columns + len(SITES)
    assert fetches.get(("detail", 200), 0) == 0
