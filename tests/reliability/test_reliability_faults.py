"""Every kind of network and content fault at once, on loopback: the crawl finishes, each fault is
recorded in `fetches` under its name (crawler/faults.py), and the calm site is crawled in full.

One site (127.0.0.111) has a column per fault; 127.0.0.110 is a calm site; 127.0.0.112 has no
server at all (connection refused).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sw_reliability import (
    Answer,
    Route,
    detail_page,
    html,
    list_page,
    reset_connection,
    serve,
    slow_drip,
    write_config,
)
from sw_testing import sitewatch, worker_port

CALM, FAULTY, DOWN = "127.0.0.110", "127.0.0.111", "127.0.0.112"
TIMEOUT_S = 1
BIG_BYTES = 12 * 1024 * 1024
CALM_POSTS = {f"/news/p{n}.html": (f"省局召开第{n}次会议", f"2012-12-{n:02d}") for n in (3, 5, 7)}
GBK_POSTS = {f"/gbk/g{n}.html": (f"计量检定规程第{n}号发布", f"2012-12-{n:02d}") for n in (2, 4)}
BAD_POSTS = {f"/bad/b{n}.html": (f"特种设备监察通报第{n}期", f"2012-12-{n:02d}") for n in (6, 8)}
ROBOTS = b"User-agent: *\nDisallow: /secret/\n"
FAULT_COLUMNS = ("timeout", "burst", "reset", "drip", "big", "bad", "gbk", "loop", "cal", "secret")


def post_routes(posts: dict[str, tuple[str, str]]) -> dict[str, Route]:
    """Detail pages for posts."""
    return {
        path: (lambda _h, t=title, d=day: html(detail_page(t, d)))
        for path, (title, day) in posts.items()
    }


def rows(posts: dict[str, tuple[str, str]]) -> list[tuple[str, str, str]]:
    """List rows for posts."""
    return [(path, title, day) for path, (title, day) in posts.items()]


def sleepy(seconds: float) -> Route:
    """A page that answers only after `seconds`."""

    def route(_handler: Any) -> Answer:
        time.sleep(seconds)
        return html(list_page([]))

    return route


def malformed_list() -> str:
    """A list page that breaks every rule: unclosed tags, stray closers, NULs, bad attributes."""
    items = "".join(
        f"<li><a href={path} class='x\"y'>{title}</a><span>{day}</span>"  # no </li>, bad quotes
        for path, (title, day) in BAD_POSTS.items()
    )
    return (
        # (An unclosed <title> would swallow the page in browsers too: that one is closed.)
        "<html><head><title>坏页面</title></head><body></div></div><table><tr><td>"
        f"<ul class=list>{items}</table>\x00\x01<p><b><i>未闭合 &bogus; &#xD800; <<<>>>"
        "<script>document.write('<ul>')</scr" + "ipt><!-- unterminated comment"
    )


def faulty_routes(port: int) -> dict[str, Route]:
    """The faulty site: a column per fault, linked from the home page."""
    nav = "".join(f'<li><a href="/{c}/">栏目{c}</a></li>' for c in FAULT_COLUMNS)
    gbk_list = list_page(rows(GBK_POSTS)).encode("gbk")
    gbk_routes: dict[str, Route] = {
        path: (lambda _h, t=title, d=day: (200, BAD_UTF8, detail_page(t, d).encode("gbk")))
        for path, (title, day) in GBK_POSTS.items()
    }
    big = b"<html><body>" + b"x" * BIG_BYTES + b"</body></html>"
    trap_rows = [(f"/cal/?y=2012&m={m}&d=1", f"2012年{m}月活动安排", "2012-12-01") for m in (1, 2)]
    return {
        "/robots.txt": lambda _h: (200, {"Content-Type": "text/plain"}, ROBOTS),
        "/": lambda _h: html(f"<html><body><ul class='nav'>{nav}</ul></body></html>"),
        "/timeout/": sleepy(TIMEOUT_S + 1.5),
        "/burst/": lambda _h: html("服务器忙", status=503),
        "/reset/": reset_connection,
        "/drip/": slow_drip(TIMEOUT_S + 2),
        "/big/": lambda _h: (200, {"Content-Type": "text/html"}, big),
        "/bad/": lambda _h: html(malformed_list()),
        **post_routes(BAD_POSTS),
        "/gbk/": lambda _h: (200, BAD_UTF8, gbk_list),
        **gbk_routes,
        "/loop/": lambda _h: html("", status=302, headers={"Location": "/loop2/"}),
        "/loop2/": lambda _h: html("", status=302, headers={"Location": "/loop/"}),
        "/cal/": lambda _h: html(list_page(trap_rows, '<a href="/cal/?y=2012&m=11">下一页</a>')),
        "/secret/": lambda _h: html(list_page(rows(CALM_POSTS))),
    }


#: A header that declares UTF-8 for bytes that are GBK: the wrong charset declaration.
BAD_UTF8 = {"Content-Type": "text/html; charset=utf-8"}


def calm_routes() -> dict[str, Route]:
    """The calm site: one column of three posts."""
    return {
        "/robots.txt": lambda _h: (200, {"Content-Type": "text/plain"}, b"User-agent: *\n"),
        "/": lambda _h: html("<html><body><ul class='nav'><li><a href='/news/'>工作动态</a></li>"),
        "/news/": lambda _h: html(list_page(rows(CALM_POSTS))),
        **post_routes(CALM_POSTS),
    }


@pytest.fixture(scope="module")
def fault_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("faults")
    port = worker_port(20100)
    columns = [
        {"name": f"栏目{c}", "url": f"http://{FAULTY}:{port}/{c}/", "category": "news"}
        for c in FAULT_COLUMNS
    ]
    sites = [
        {"id": "calm", "name": "平静站", "unit_type": "city", "home_url": f"http://{CALM}:{port}/"},
        {
            "id": "faulty",
            "name": "故障站",
            "unit_type": "city",
            "home_url": f"http://{FAULTY}:{port}/",
            "columns": columns,
        },
        {"id": "down", "name": "宕机站", "unit_type": "city", "home_url": f"http://{DOWN}:{port}/"},
    ]
    config = write_config(tmp / "faults.yaml", sites, timeout=TIMEOUT_S, concurrency=8)
    db = tmp / "faults.db"
    routes = {CALM: calm_routes(), FAULTY: faulty_routes(port)}
    with serve(routes, port) as journal:
        started = time.monotonic()
        result = sitewatch(
            "crawl", "--config", str(config), "--db", str(db), "--now", "2012-12-31T09:00", "-q",
            timeout=120,
        )  # fmt: skip
        elapsed = time.monotonic() - started
    yield {"result": result, "db": db, "journal": journal, "port": port, "elapsed": elapsed}


def errors_for(db: Path, host: str, path: str) -> list[str | None]:
    """The error column of every fetch of one URL, in order."""
    conn = sqlite3.connect(db)
    url = f"http://{host}:%/{path.lstrip('/')}"
    query = "SELECT error FROM fetches WHERE url LIKE ? ORDER BY id"
    return [e for (e,) in conn.execute(query, (url,))]


def stored_titles(db: Path, site_id: str) -> dict[str, str]:
    """Path → title of the site's stored posts."""
    conn = sqlite3.connect(db)
    query = "SELECT url, title FROM posts WHERE site_id = ?"
    return {url.split(":", 2)[2].split("/", 1)[1]: t for url, t in conn.execute(query, (site_id,))}


def test_crawl_finishes_ok(fault_crawl: dict[str, Any]) -> None:
    result = fault_crawl["result"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    status = sqlite3.connect(fault_crawl["db"]).execute("SELECT status FROM crawl_runs").fetchall()
    assert status == [("ok",)]
    # Bounded: the slowest fault is 3 attempts x 1 s timeout + 0.5 s + 1 s backoff.
    assert fault_crawl["elapsed"] < 40


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("/timeout/", "timeout"),
        ("/drip/", "timeout"),
        ("/burst/", "http_5xx"),
        ("/reset/", "connection_lost"),
    ],
)
def test_transient_faults_are_retried_and_recorded(
    fault_crawl: dict[str, Any], path: str, error: str
) -> None:
    # RETRY_TIMES = 2: three attempts, each one recorded with the fault's name.
    assert errors_for(fault_crawl["db"], FAULTY, path) == [error] * 3


def test_oversized_page_is_refused_not_stored(fault_crawl: dict[str, Any]) -> None:
    errors = errors_for(fault_crawl["db"], FAULTY, "/big/")
    assert errors and set(errors) == {"too_large"}


def test_redirect_loop_is_cut(fault_crawl: dict[str, Any]) -> None:
    errors = errors_for(fault_crawl["db"], FAULTY, "/loop/")
    assert "redirect_loop" in errors
    journal = fault_crawl["journal"]
    hops = [p for p in journal.paths(FAULTY) if p.startswith("/loop")]
    assert len(hops) <= 12  # REDIRECT_MAX_TIMES = 5, then given up


def test_robots_disallow_is_recorded_and_obeyed(fault_crawl: dict[str, Any]) -> None:
    assert set(errors_for(fault_crawl["db"], FAULTY, "/secret/")) == {"robots"}
    assert "/secret/" not in fault_crawl["journal"].paths(FAULTY)


def test_calendar_trap_is_not_walked(fault_crawl: dict[str, Any]) -> None:
    assert [p for p in fault_crawl["journal"].paths(FAULTY) if "?y=" in p] == []


def test_site_down_is_recorded_as_connection_refused(fault_crawl: dict[str, Any]) -> None:
    errors = errors_for(fault_crawl["db"], DOWN, "/")
    assert errors and set(errors) == {"connection_refused"}
    conn = sqlite3.connect(fault_crawl["db"])
    assert conn.execute("SELECT sites_down FROM crawl_runs").fetchone() == (1,)


def test_malformed_html_still_yields_its_posts(fault_crawl: dict[str, Any]) -> None:
    titles = stored_titles(fault_crawl["db"], "faulty")
    for path, (title, _day) in BAD_POSTS.items():
        assert titles.get(path.lstrip("/")) == title


def test_wrong_charset_declaration_gives_right_titles(fault_crawl: dict[str, Any]) -> None:
    titles = stored_titles(fault_crawl["db"], "faulty")
    for path, (title, _day) in GBK_POSTS.items():
        assert titles.get(path.lstrip("/")) == title


def test_calm_site_is_unaffected(fault_crawl: dict[str, Any]) -> None:
    db = fault_crawl["db"]
    expected = {path.lstrip("/"): title for path, (title, _d) in CALM_POSTS.items()}
    assert stored_titles(db, "calm") == expected
    conn = sqlite3.connect(db)
    dates = dict(conn.execute("SELECT title, published_on FROM posts WHERE site_id = 'calm'"))
    assert dates == {title: day for title, day in CALM_POSTS.values()}
    errors = conn.execute(
        "SELECT count(*) FROM fetches WHERE site_id = 'calm' AND error IS NOT NULL"
    ).fetchone()
    assert errors == (0,)
