"""Known-broken links re-checked each month until they work or disappear (issue 13 item 3).

Three real crawls of one site on loopback, each in its own process (Scrapy's reactor runs once
per process): on 11-30 the column page links to /gone.html and its post to /still.html, both
404. On 12-01 the column page changed and no longer links to /gone.html; the post is not re-read
(incremental). On 12-02 the column page answers 304 (unchanged since 12-01). /still.html is
still on its page, so it is re-checked once in December; /gone.html is on no page of the site
any more and is never requested again. The December crawls run an hour later in the day than
the first, past the day a failed link waits before its next check.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from sw_security import page, serve, write_config
from sw_testing import ROOT, worker_port

HOST = "127.0.0.131"
CRAWLS = ["2012-11-30T09:00", "2012-12-01T10:00", "2012-12-02T10:00"]

RUN = """
import json, sys
from datetime import datetime
from pathlib import Path
from crawler.config import load_config
from crawler.runner import run_crawl
group = load_config(sys.argv[1])
result = run_crawl(group, list(group.sites), Path(sys.argv[2]),
                   now=datetime.fromisoformat(sys.argv[3]))
print(json.dumps({"status": result.status}))
"""

pytestmark = pytest.mark.slow


def column_page(with_gone_link: bool) -> str:
    """The column's list; until December its footer links to /gone.html."""
    footer = "<p>相关文件：<a href='/gone.html'>旧办事指南</a></p>" if with_gone_link else ""
    return (
        "<html><body><ul class='list'>"
        "<li><a href='/news/a.html'>关于开展安全检查的通知</a><span>2012-11-29</span></li>"
        "<li><a href='/news/b.html'>关于做好冬季防火工作的通知</a><span>2012-11-28</span></li>"
        f"</ul>{footer}</body></html>"
    )


def routes(crawl: list[int]) -> dict[str, Any]:
    """The site; `crawl[0]` is the index of the crawl being served."""

    def column(handler: Any) -> Any:
        version = "v1" if crawl[0] == 0 else "v2"
        etag = f'"{version}"'
        if handler.headers.get("If-None-Match") == etag:
            return 304, {"ETag": etag}, b""
        return page(column_page(with_gone_link=version == "v1"), headers={"ETag": etag})

    def post(title: str, extra: str = "") -> Any:
        body = f"<html><body><h1>{title}</h1><p>发布日期：2012-11-29</p>{extra}</body></html>"
        return lambda _h: page(body)

    return {
        HOST: {
            "/": lambda _h: page(
                "<html><body><nav><a href='/news/'>通知公告</a></nav></body></html>"
            ),
            "/news/": column,
            "/news/a.html": post("关于开展安全检查的通知", "<a href='/still.html'>附件下载</a>"),
            "/news/b.html": post("关于做好冬季防火工作的通知"),
        }
    }


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("recheck")
    port = worker_port(20460)
    site = {
        "id": "recheck",
        "name": "复查站",
        "unit_type": "city",
        "home_url": f"http://{HOST}:{port}/",
        "allow_private_addresses": True,
    }
    config = write_config(tmp / "recheck.yaml", [site])
    db = tmp / "recheck.db"
    crawl = [0]
    statuses = []
    with serve(routes(crawl), port) as journal:
        for index, now in enumerate(CRAWLS):
            crawl[0] = index
            done = subprocess.run(
                [sys.executable, "-c", RUN, str(config), str(db), now],
                capture_output=True,
                text=True,
                cwd=ROOT,
                timeout=300,
                check=False,
            )
            assert done.returncode == 0, done.stderr[-3000:]
            statuses.append(json.loads(done.stdout.strip().splitlines()[-1])["status"])
    conn = sqlite3.connect(db)
    yield {"db": conn, "journal": journal, "statuses": statuses, "port": port}
    conn.close()


def checks(crawled: dict[str, Any], path: str) -> list[tuple[str, int, int]]:
    url = f"http://{HOST}:{crawled['port']}{path}"
    return (
        crawled["db"]
        .execute("SELECT substr(checked_at, 1, 10), ok, status FROM links WHERE url = ?", (url,))
        .fetchall()
    )


def test_three_crawls_ok_and_the_column_unchanged_on_the_third(crawled: dict[str, Any]) -> None:
    assert crawled["statuses"] == ["ok", "ok", "ok"]
    fetched = crawled["db"].execute(
        "SELECT substr(fetched_at, 1, 10), status FROM fetches WHERE url LIKE '%/news/'"
        " ORDER BY fetched_at"
    )
    assert fetched.fetchall() == [("2012-11-30", 200), ("2012-12-01", 200), ("2012-12-02", 304)]
    posts = crawled["db"].execute("SELECT count(*) FROM posts").fetchone()[0]
    assert posts == 2  # the footer link is no post


def test_a_broken_link_still_on_its_page_is_rechecked_once_in_december(
    crawled: dict[str, Any],
) -> None:
    assert checks(crawled, "/still.html") == [("2012-11-30", 0, 404), ("2012-12-01", 0, 404)]
    assert crawled["journal"].paths(HOST).count("/still.html") == 2


def test_a_broken_link_gone_from_the_site_is_not_rechecked(crawled: dict[str, Any]) -> None:
    assert checks(crawled, "/gone.html") == [("2012-11-30", 0, 404)]
    assert crawled["journal"].paths(HOST).count("/gone.html") == 1
