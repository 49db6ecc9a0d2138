"""The writer's merge on real SQLite files: snapshot → scratch crawl → changes → merge, once."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.store import open_db
from sitewatch.cluster.rows import changes, load_snapshot, snapshot
from sitewatch.cluster.writer import merge_crawl, round_verdict, store_round

NOW = datetime(2012, 12, 31, 9, 0)
HOSTS = {"a.example"}


def database(path: Path) -> sqlite3.Connection:
    open_db(path).conn.close()
    return sqlite3.connect(path)


def seed(conn: sqlite3.Connection) -> None:
    """Two sites; site a has a column with one post, a link check, a validator."""
    conn.executescript(
        """
        INSERT INTO sites (id, name, unit_type, home_url, updated_at) VALUES
            ('a', 'A', 'city', 'http://a.example/', '2012-12-01'),
            ('b', 'B', 'city', 'http://b.example/', '2012-12-01');
        INSERT INTO columns (id, site_id, key, name, url, category) VALUES
            (1, 'a', 'news', '新闻', 'http://a.example/news/', 'news'),
            (2, 'b', 'news', '新闻', 'http://b.example/news/', 'news');
        INSERT INTO posts (id, site_id, column_id, url, url_key, title, published_on,
            first_seen_at, last_seen_at) VALUES
            (1, 'a', 1, 'http://a.example/1.html', 'a.example/1.html', '一', '2012-12-01',
             '2012-12-01', '2012-12-01'),
            (2, 'b', 2, 'http://b.example/1.html', 'b.example/1.html', '乙', '2012-12-01',
             '2012-12-01', '2012-12-01');
        INSERT INTO http_cache (url, etag, updated_at) VALUES
            ('http://a.example/news/', '"e1"', '2012-12-01'),
            ('http://b.example/news/', '"e2"', '2012-12-01');
        """
    )
    conn.commit()


def scratch_crawl(scratch: sqlite3.Connection) -> int:
    """What a crawl of site a does: a new column with a post, the old post seen again."""
    run = scratch.execute(
        "INSERT INTO crawl_runs (kind, started_at, clock, status) VALUES ('crawl', ?, ?, 'ok')",
        (NOW.isoformat(), NOW.isoformat()),
    ).lastrowid
    col = scratch.execute(
        "INSERT INTO columns (site_id, key, name, url, category) VALUES"
        " ('a', 'notice', '通知', 'http://a.example/notice/', 'notice')"
    ).lastrowid
    scratch.execute(
        "INSERT INTO posts (site_id, column_id, url, url_key, title, published_on,"
        " first_seen_at, last_seen_at, first_run_id) VALUES"
        " ('a', ?, 'http://a.example/2.html', 'a.example/2.html', '二', '2012-12-30', ?, ?, ?)",
        (col, NOW.isoformat(), NOW.isoformat(), run),
    )
    scratch.execute("UPDATE posts SET last_seen_at = ? WHERE id = 1", (NOW.isoformat(),))
    scratch.execute(
        "INSERT INTO fetches (run_id, site_id, url, kind, status, fetched_at) VALUES"
        " (?, 'a', 'http://a.example/', 'home', 200, ?)",
        (run, NOW.isoformat()),
    )
    scratch.commit()
    return int(run or 0)


def roundtrip(tmp_path: Path) -> tuple[sqlite3.Connection, dict[str, Any], int]:
    main = database(tmp_path / "main.db")
    seed(main)
    # A row id in the main database that the scratch database will also hand out.
    main.execute(
        "INSERT INTO columns (id, site_id, key, name, url, category) VALUES"
        " (3, 'b', 'policy', '政策', 'http://b.example/policy/', 'policy')"
    )
    main.commit()
    snap = json.loads(json.dumps(snapshot(main, "a", HOSTS, NOW)))  # it travels as JSON
    scratch = database(tmp_path / "scratch.db")
    load_snapshot(scratch, snap)
    scratch_run = scratch_crawl(scratch)
    result = {
        "job_id": "crawl-1-a-x",
        "site_id": "a",
        "scratch_run_id": scratch_run,
        "changes": json.loads(json.dumps(changes(scratch, snap, "a", HOSTS, NOW))),
    }
    run_id = main.execute(
        "INSERT INTO crawl_runs (kind, started_at, status) VALUES ('crawl', ?, 'running')",
        (NOW.isoformat(),),
    ).lastrowid
    main.commit()
    return main, result, int(run_id or 0)


def test_the_snapshot_holds_only_the_sites_rows(tmp_path: Path) -> None:
    main = database(tmp_path / "main.db")
    seed(main)
    snap = snapshot(main, "a", HOSTS, NOW)["tables"]
    assert [row[1] for row in snap["posts"]["rows"]] == ["a"]
    assert [row[0] for row in snap["http_cache"]["rows"]] == ["http://a.example/news/"]
    assert "probes" not in snap and "crawl_runs" not in snap


def test_changes_merge_with_fresh_ids_and_references_rewritten(tmp_path: Path) -> None:
    main, result, run_id = roundtrip(tmp_path)
    assert set(result["changes"]) == {"columns", "posts", "fetches"}
    assert merge_crawl(main, result, run_id) is True
    rows = main.execute(
        "SELECT p.url_key, c.key, c.site_id, p.first_run_id, p.last_seen_at FROM posts p"
        " JOIN columns c ON c.id = p.column_id WHERE p.site_id = 'a' ORDER BY p.url_key"
    ).fetchall()
    assert rows == [
        ("a.example/1.html", "news", "a", None, NOW.isoformat()),
        ("a.example/2.html", "notice", "a", run_id, NOW.isoformat()),
    ]
    # Site b's rows, including the column whose id the scratch database reused, are untouched.
    assert main.execute("SELECT key FROM columns WHERE id = 3").fetchone() == ("policy",)
    assert main.execute("SELECT count(*) FROM posts WHERE site_id = 'b'").fetchone() == (1,)
    assert main.execute("SELECT run_id FROM fetches").fetchall() == [(run_id,)]


def test_a_result_delivered_twice_is_merged_once(tmp_path: Path) -> None:
    main, result, run_id = roundtrip(tmp_path)
    assert merge_crawl(main, result, run_id) is True
    before = main.execute("SELECT count(*) FROM posts").fetchone()
    assert merge_crawl(main, result, run_id) is False
    assert main.execute("SELECT count(*) FROM posts").fetchone() == before
    assert main.execute("SELECT count(*) FROM fetches").fetchone() == (1,)


def visit(vantage: str, ok: bool, elapsed: int = 100) -> dict[str, Any]:
    return {
        "site_id": "a",
        "url": "http://a.example/",
        "ok": ok,
        "status": 200 if ok else None,
        "elapsed_ms": elapsed if ok else None,
        "error": None if ok else "timeout",
        "vantage": vantage,
    }


def test_a_round_fails_by_the_quorum_of_vantage_points() -> None:
    one_down = [visit("telecom", True), visit("unicom", False), visit("mobile", True)]
    two_down = [visit("telecom", False), visit("unicom", False), visit("mobile", True)]
    all_down = [visit("telecom", False), visit("unicom", False)]
    slow = [visit("telecom", True, elapsed=20_000), visit("unicom", False)]
    assert round_verdict(one_down, "all", 15_000)[0]["ok"] is True
    assert round_verdict(one_down, "all", 15_000)[1] == ["unicom"]
    assert round_verdict(two_down, "all", 15_000)[0]["ok"] is True
    assert round_verdict(two_down, "majority", 15_000)[0]["ok"] is False
    assert round_verdict(all_down, "all", 15_000) == (
        dict(all_down[0], ok=False),
        ["telecom", "unicom"],
    )
    assert round_verdict(slow, "all", 15_000)[0]["ok"] is False  # too slow is failed too


def test_a_probe_round_stores_each_visit_and_one_verdict(tmp_path: Path) -> None:
    main = database(tmp_path / "main.db")
    results = [
        {
            "job_id": f"probe-{v}",
            "vantage": v,
            "agent": v,
            "probed_at": NOW.isoformat(),
            "results": [visit(v, ok)],
        }
        for v, ok in (("telecom", True), ("unicom", False))
    ]
    assert store_round(main, results, quorum="all", timeout_s=15) == 1
    assert store_round(main, results, quorum="all", timeout_s=15) == 0  # merged once
    assert main.execute("SELECT ok, failed_from FROM probes").fetchall() == [(1, "unicom")]
    assert main.execute("SELECT vantage, ok FROM probe_visits ORDER BY vantage").fetchall() == [
        ("telecom", 1),
        ("unicom", 0),
    ]
