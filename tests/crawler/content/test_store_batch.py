"""Findings written in batches: one transaction for many pages, stored as page by page."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import lxml.html

from crawler.content.identity import article_problems
from crawler.content.scanner import ContentFinding
from crawler.content.store import PageRef, record_batch
from crawler.store import open_db

EARLY = datetime(2012, 12, 1, 9, 0)
LATE = datetime(2012, 12, 2, 9, 0)


def finding(check: str, term: str) -> ContentFinding:
    return ContentFinding(check, term, "", "suspected", "", 0)


def test_batch_stores_each_page_once_and_counts_new_rows(tmp_path: Path) -> None:
    conn = open_db(tmp_path / "t.db").conn
    one = PageRef("s", "http://a.test/1.html", "一", date(2012, 11, 30))
    two = PageRef("s", "http://a.test/2.html", "二", date(2012, 11, 29))
    batch = [
        (one, [finding("meta_missing", "PubDate"), finding("confusion", "迫不急待")], EARLY),
        (two, [finding("meta_missing", "SiteName")], EARLY),
    ]
    assert record_batch(conn, batch, run_id=None) == 3
    # The same page again in a later batch: no new row, its last sighting moves on.
    assert record_batch(conn, [(one, [finding("meta_missing", "PubDate")], LATE)], run_id=None) == 0
    rows = conn.execute(
        "SELECT substr(page_url, 15), check_kind, term, substr(first_found_at, 1, 10),"
        " substr(last_found_at, 1, 10) FROM content_findings ORDER BY page_url, check_kind"
    ).fetchall()
    assert rows == [
        ("1.html", "confusion", "迫不急待", "2012-12-01", "2012-12-01"),
        ("1.html", "meta_missing", "PubDate", "2012-12-01", "2012-12-02"),
        ("2.html", "meta_missing", "SiteName", "2012-12-01", "2012-12-01"),
    ]
    conn.close()


def test_article_tags_read_in_one_pass_keep_the_first_tag_of_a_name() -> None:
    page = lxml.html.document_fromstring(
        "<html><head><meta name='sitename' content=' 某市政府 '>"
        "<meta name='SiteName' content='后来者'><meta property='ColumnName' content='通知'>"
        "<meta name='ColumnType' content=''><meta name='ArticleTitle' content='标题'>"
        "<meta name='PubDate' content='2012-12-01 09:00'></head><body>正文</body></html>"
    )
    # ColumnType is empty and ContentSource absent; the date agrees with the one shown.
    assert article_problems(page, date(2012, 12, 1)) == [
        ("meta_missing", "ColumnType、ContentSource", "")
    ]
