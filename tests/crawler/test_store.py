"""The database: migrations (fresh, upgrade, idempotent) and the store's upserts."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

from sqlite_utils import Database

from crawler.migrations import MIGRATIONS, migrate
from crawler.store import ConsultationRecord, PostRecord, Store, open_db

CORE_TABLES = {
    "sites",
    "columns",
    "posts",
    "consultations",
    "fetches",
    "links",
    "probes",
    "crawl_runs",
    "http_cache",
    "robots_cache",
    "crawl_notes",
}
NOW = datetime(2012, 12, 5, 10, 0, 0)
LATER = datetime(2012, 12, 6, 10, 0, 0)


def make_store(tmp_path: Path) -> Store:
    store = Store(open_db(tmp_path / "t.db"))
    store.upsert_site(
        site_id="portal",
        name="省局",
        unit_type="province",
        parent=None,
        home_url="http://127.0.0.2:8800/",
        allowed_domains=["127.0.0.2"],
        now=NOW,
    )
    return store


def test_fresh_database_has_every_table_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = open_db(tmp_path / "fresh.db")
    assert CORE_TABLES <= set(db.table_names())
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    applied = [m.name for m in MIGRATIONS.applied(db)]
    assert applied[:4] == [
        "m001_initial",
        "m002_indexes_and_http_cache",
        "m003_alerts",
        "m004_robots_cache",
    ]
    assert applied == [m.name for m in MIGRATIONS._migrations]  # every one, in file order


def test_rerunning_migrations_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "again.db"
    open_db(path).conn.close()
    db = open_db(path, migrate_schema=False)
    before = db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    assert migrate(db) == []
    assert db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == before
    count = db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    assert count == len(MIGRATIONS._migrations)


def test_older_database_upgrades_in_place_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(path))
    MIGRATIONS.apply(old, stop_before="m002_indexes_and_http_cache")
    assert "http_cache" not in old.table_names()
    old.execute(
        "INSERT INTO sites (id, name, unit_type, home_url, updated_at)"
        " VALUES ('a', '甲', 'city', 'http://a/', '2012-01-01T00:00:00')"
    )
    old.conn.commit()
    old.conn.close()

    db = open_db(path)
    assert "http_cache" in db.table_names()
    assert db.execute("SELECT name FROM sites WHERE id = 'a'").fetchone()[0] == "甲"
    indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "idx_posts_site_published" in indexes


def test_post_upsert_keeps_first_seen_and_never_duplicates(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    column = store.upsert_column(
        site_id="portal",
        key="gzdt",
        name="工作动态",
        url="http://127.0.0.2:8800/gzdt/",
        category="news",
        source="config",
        on_home_page=True,
    )
    post = PostRecord(
        site_id="portal",
        column_id=column,
        url="http://127.0.0.2:8800/gzdt/201212/t20121205_1.html#top",
        title="标题",
        published_on=date(2012, 12, 5),
        date_source="list",
    )
    assert store.upsert_post(post, now=NOW, run_id=None, baseline=True) is True
    same_url_other_form = PostRecord(
        site_id="portal",
        column_id=column,
        url="HTTP://127.0.0.2:8800/gzdt/201212/t20121205_1.html",
        title="标题（更新）",
        published_on=None,
        department="办公室",
    )
    assert store.upsert_post(same_url_other_form, now=LATER, run_id=None, baseline=False) is False
    rows = store.db.execute(
        "SELECT title, published_on, department, first_seen_at, last_seen_at, baseline FROM posts"
    ).fetchall()
    assert rows == [
        ("标题（更新）", "2012-12-05", "办公室", "2012-12-05T10:00:00", "2012-12-06T10:00:00", 1)
    ]


def test_gone_posts_are_marked_not_deleted_and_come_back(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    column = store.upsert_column(
        site_id="portal",
        key="tzgg",
        name="通知公告",
        url="http://127.0.0.2:8800/tzgg/",
        category="notice",
        source="config",
        on_home_page=False,
    )
    urls = [f"http://127.0.0.2:8800/tzgg/{n}.html" for n in range(3)]
    for url in urls:
        record = PostRecord("portal", column, url, url[-6:], date(2012, 11, 1))
        store.upsert_post(record, now=NOW, run_id=None, baseline=False)
    assert store.mark_gone(column, urls[:2], LATER) == 1
    gone = store.db.execute("SELECT url, gone_at FROM posts WHERE gone_at IS NOT NULL").fetchall()
    assert gone == [(urls[2], "2012-12-06T10:00:00")]
    store.upsert_post(
        PostRecord("portal", column, urls[2], "back", None), now=LATER, run_id=None, baseline=False
    )
    assert store.db.execute("SELECT count(*) FROM posts WHERE gone_at IS NULL").fetchone()[0] == 3


def test_consultation_reply_fills_in_later(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    url = "http://127.0.0.2:8800/jzxx/1.html"
    letter = ConsultationRecord("portal", None, url, "问", date(2012, 11, 1), None, "pending")
    assert store.upsert_consultation(letter, now=NOW) is True
    replied = ConsultationRecord(
        "portal", None, letter.url, "问", date(2012, 11, 1), date(2012, 11, 9), "replied"
    )
    assert store.upsert_consultation(replied, now=LATER) is False
    row = store.db.execute("SELECT asked_on, replied_on, status FROM consultations").fetchone()
    assert row == ("2012-11-01", "2012-11-09", "replied")


def test_run_figures_are_recorded(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    run = store.start_run(kind="crawl", clock=NOW, sites=["portal"])
    store.finish_run(run, status="ok", pages=12, new_posts=3, errors=1)
    row = store.db.execute(
        "SELECT kind, clock, status, pages, new_posts, errors, sites FROM crawl_runs"
    ).fetchone()
    assert row == ("crawl", "2012-12-05T10:00:00", "ok", 12, 3, 1, '["portal"]')


def test_validators_round_trip(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    url = "http://127.0.0.2:8800/gzdt/"
    assert store.validators(url) == (None, None)
    store.save_validators(url, '"abc"', "Wed, 05 Dec 2012 10:00:00 GMT", NOW)
    assert store.validators(url) == ('"abc"', "Wed, 05 Dec 2012 10:00:00 GMT")
