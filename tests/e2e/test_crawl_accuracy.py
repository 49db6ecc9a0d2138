"""A full crawl of the default simulated world through `sitewatch crawl`, judged by its truth."""

from __future__ import annotations

import sqlite3
from typing import Any

from simulator.accuracy import compare


def test_full_crawl_matches_the_truth(crawled_demo: dict[str, Any]) -> None:
    accuracy = compare(crawled_demo["db"], crawled_demo["truth"])
    figures = accuracy.as_dict()
    print(figures)
    assert accuracy.truth_posts > 2000
    assert accuracy.post_accuracy >= 0.995, figures["examples"]
    assert accuracy.extra_share <= 0.005, figures["examples"]
    assert accuracy.duplicated_posts == 0
    assert accuracy.letters_right == accuracy.truth_letters, figures["examples"]
    assert accuracy.broken_links_found == accuracy.truth_broken_links, figures["examples"]


def test_every_fetch_is_logged_and_the_run_is_closed(crawled_demo: dict[str, Any]) -> None:
    conn = sqlite3.connect(crawled_demo["db"])
    kinds = dict(conn.execute("SELECT kind, count(*) FROM fetches GROUP BY kind").fetchall())
    assert {"home", "list", "detail", "consultation_list", "consultation_detail", "link"} <= set(
        kinds
    )
    assert kinds["home"] == 12
    status, pages, new_posts = conn.execute(
        "SELECT status, pages, new_posts FROM crawl_runs"
    ).fetchone()
    assert status == "ok"
    assert pages == conn.execute("SELECT count(*) FROM fetches").fetchone()[0]
    assert new_posts == conn.execute("SELECT count(*) FROM posts").fetchone()[0]


def test_robots_disallowed_column_is_not_fetched(crawled_demo: dict[str, Any]) -> None:
    conn = sqlite3.connect(crawled_demo["db"])
    rows = conn.execute(
        "SELECT status, error FROM fetches WHERE url LIKE '%/private/%' AND kind != 'link'"
    ).fetchall()
    assert rows == [] or all(error == "robots" for _status, error in rows)
    served = conn.execute(
        "SELECT count(*) FROM fetches WHERE url LIKE '%/private/%' AND status = 200"
        " AND kind != 'link'"
    ).fetchone()[0]
    assert served == 0
