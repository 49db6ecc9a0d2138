"""`sitewatch runs`: the run history from a real database."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from crawler.store import open_db
from sitewatch.commands.runs import runs

ROWS = [
    ("crawl", "2012-12-01T02:00:00", "2012-12-01T02:03:10", "ok", 120, 14, 2, 1, None),
    ("probe", "2012-12-01T03:00:00", "2012-12-01T03:00:02", "ok", 0, 0, 0, 2, None),
    ("check", "2012-12-01T06:30:00", None, "running", 0, 0, 0, 0, None),
]


def seeded(tmp_path: Path) -> Path:
    """A database with three runs."""
    db = tmp_path / "sw.db"
    conn = open_db(db).conn
    with conn:
        conn.executemany(
            "INSERT INTO crawl_runs (kind, started_at, finished_at, status, pages, new_posts,"
            " errors, sites_down, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ROWS,
        )
    conn.close()
    return db


def test_json_lists_newest_first_with_key_figures(tmp_path: Path) -> None:
    db = seeded(tmp_path)
    result = CliRunner().invoke(runs, ["--db", str(db), "--format", "json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    history = json.loads(result.output)
    assert [(r["id"], r["kind"], r["status"]) for r in history] == [
        (3, "check", "running"),
        (2, "probe", "ok"),
    ]
    assert history[1]["sites_down"] == 2 and history[1]["finished_at"] == "2012-12-01T03:00:02"


def test_table_and_kind_filter(tmp_path: Path) -> None:
    db = seeded(tmp_path)
    result = CliRunner().invoke(runs, ["--db", str(db), "--kind", "crawl"])
    assert result.exit_code == 0, result.output
    assert "3m10s" in result.output and "120" in result.output
    assert "probe" not in result.output


def test_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(runs, ["--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "no such database" in result.output
    assert not (tmp_path / "none.db").exists()
