"""`sitewatch columns`: lists 抽取异常 / 需渲染 columns of a real database and acknowledges them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from crawler.extraction import PageShape, record_shape
from crawler.store import Store, open_db

ROOT = Path(__file__).resolve().parent.parent.parent
NOW = datetime(2012, 12, 15, 9, 0)


def run(*args: str, lang: str = "en_US.UTF-8") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": lang, "LC_ALL": lang}
    return subprocess.run(
        [sys.executable, "-m", "sitewatch", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False,
    )  # fmt: skip


def broken_db(tmp_path: Path) -> Path:
    """A database with one broken and one script-drawn column, written by the real store."""
    db = tmp_path / "columns.db"
    store = Store(open_db(db))
    store.upsert_site(
        site_id="bzc", name="标准化处", unit_type="department", parent=None,
        home_url="http://127.0.0.5/", allowed_domains=["127.0.0.5"], now=NOW,
    )  # fmt: skip
    ids = [
        store.upsert_column(
            site_id="bzc",
            key=key,
            name=name,
            url=f"http://127.0.0.5/{key}/",
            category="news",
            source="config",
            on_home_page=True,
        )
        for key, name in (("gzdt", "工作动态[bold]"), ("tzgg", "通知公告"))
    ]
    record_shape(store.conn, ids[0], PageShape(20, 20, "div.list > ul > li", "html"), False, NOW)
    record_shape(store.conn, ids[0], PageShape(0, 0, "", "html"), False, NOW)
    record_shape(store.conn, ids[1], PageShape(0, 0, "", "html"), True, NOW)
    store.conn.close()
    return db


def test_lists_unreadable_columns_with_their_shapes(tmp_path: Path) -> None:
    db = broken_db(tmp_path)
    result = run("columns", "--db", str(db), "--format", "json")
    assert result.returncode == 0, result.stderr
    found = {c["key"]: c for c in json.loads(result.stdout)}
    assert found["gzdt"]["extraction_state"] == "broken"
    assert found["gzdt"]["detail"]["before"]["items"] == 20
    assert found["tzgg"]["extraction_state"] == "needs_render"
    table = run("columns", "--db", str(db), lang="zh_CN.UTF-8")
    assert table.returncode == 0, table.stderr
    assert "抽取异常" in table.stdout and "需渲染" in table.stdout and "20 → 0" in table.stdout
    assert "工作动态[bold]" in table.stdout  # crawled text shown as text, not as markup


def test_ack_resets_the_column_and_refuses_unknown_ones(tmp_path: Path) -> None:
    db = broken_db(tmp_path)
    done = run("columns", "--db", str(db), "--ack", "bzc/gzdt")
    assert done.returncode == 0, done.stderr
    left = json.loads(run("columns", "--db", str(db), "--format", "json").stdout)
    assert [c["key"] for c in left] == ["tzgg"]
    wrong = run("columns", "--db", str(db), "--ack", "bzc/nope")
    assert wrong.returncode == 1
    assert len(wrong.stderr.strip().splitlines()) == 1 and "bzc/nope" in wrong.stderr
