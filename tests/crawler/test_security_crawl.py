"""The crawl against a hostile website group on loopback (issue 10 items 4–10, issue 13 item 3).

One crawl, run in a subprocess with an injected resolver (no DNS query leaves the machine):
a column redirecting to /robots.txt on another host, a list page labelled charset=undefined,
a home page with 200,000 links, a 429 asking to come back in an hour, thirty links to hosts whose
DNS answers after 2 s (and then not at all), a host on link_check.skip_hosts, a name that answers
a different address on its second look-up, and a link known broken since November.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sw_security import REBIND_FIRST, REBIND_LATER, page, redirect, serve, write_config
from sw_testing import ROOT, worker_port

from crawler.store import open_db

HOST = "127.0.0.123"
ROBOTS_HOST = "127.0.0.124"
LINKS = 200_000
PAGE_CAP = 100
SLOW_HOSTS = 30
POSTS = [("/news/a.html", "通知一", "2012-12-03"), ("/news/b.html", "通知二", "2012-12-04")]
CHARSET_POSTS = [(f"/cs/{n}.html", f"公告{n}", f"2012-12-0{n}") for n in (1, 2, 3)]

RUN = """
import json, sys
from datetime import datetime
from pathlib import Path
sys.path[:0] = [sys.argv[3], str(Path(sys.argv[3]).parent)]  # sw_security, sw_servers
from crawler.config import load_config
from crawler.runner import run_crawl
group = load_config(sys.argv[1])
result = run_crawl(group, list(group.sites), Path(sys.argv[2]), now=datetime(2012, 12, 31, 9),
                   settings={"SITEWATCH_DNS_LOOKUP": "sw_security.fake_lookup"})
print(json.dumps({"status": result.status, "note": result.note}))
"""


def list_html(rows: list[tuple[str, str, str]]) -> str:
    items = "".join(f"<li><a href='{h}'>{t}</a><span>{d}</span></li>" for h, t, d in rows)
    return f"<html><body><ul class='list'>{items}</ul></body></html>"


def home_html(port: int) -> str:
    inner = "".join(f"<a href='/l/{n}.html'>l</a>" for n in range(LINKS))
    slow = "".join(f"<a href='http://slow{n}.example.gov.cn/'>s</a>" for n in range(SLOW_HOSTS))
    # The capped links are the first in page order: the external ones come first here.
    return (
        f"<html><body><a href='http://skip.example.org/x'>x</a>{slow}"
        "<nav><a href='/news/'>工作动态</a><a href='/cs/'>通知公告</a>"
        "<a href='/rl/'>政策文件</a><a href='/moved/'>办事指南</a><a href='/soon/'>人事信息</a>"
        f"<a href='/huge/'>信息公开</a>{MANY_COLUMNS}</nav>{inner}</body></html>"
    )


HUGE_ITEMS = 50_000
ITEM_CAP = 20
COLUMN_CAP = 10
MANY_COLUMNS = "".join(f"<a href='/lm{n}/'>工作动态{n}</a>" for n in range(1000))
SOON_POSTS = [("/soon/1.html", "任免通知", "2012-12-10")]


def comes_back_soon() -> Any:
    """429 with Retry-After: 2 on the first visit, the list afterwards."""
    visits: list[float] = []

    def route(_h: Any) -> Any:
        visits.append(time.monotonic())
        if len(visits) == 1:
            return page("稍后再试", status=429, headers={"Retry-After": "2"})
        return page(list_html(SOON_POSTS))

    route.visits = visits  # type: ignore[attr-defined]
    return route


def charset_list(_h: Any) -> Any:
    body = list_html(CHARSET_POSTS).encode("utf-8")
    return 200, {"Content-Type": "text/html; charset=undefined"}, body


def routes(port: int) -> dict[str, dict[str, Any]]:
    site = {
        "/": lambda _h: page(home_html(port)),
        "/news/": lambda _h: page(list_html(POSTS)),
        "/cs/": charset_list,
        "/rl/": lambda _h: page("稍后再试", status=429, headers={"Retry-After": "3600"}),
        "/moved/": redirect(f"http://{ROBOTS_HOST}:{port}/robots.txt"),
        "/soon/": comes_back_soon(),
        "/huge/": lambda _h: page(
            list_html([(f"/huge/{n}.html", f"信息{n}", "2012-12-20") for n in range(HUGE_ITEMS)])
        ),
    }
    for path, title, day in POSTS + CHARSET_POSTS + SOON_POSTS:
        site[path] = lambda _h, t=title, d=day: page(
            f"<html><body><h1>{t}</h1><p>发布日期：{d}</p></body></html>"
        )
    rebind = {
        "/": lambda _h: page(
            "<html><body><a href='/news/'>工作动态</a>"
            "<a href='http://ext.example.org/'>友情链接</a></body></html>"
        ),
        "/news/": lambda _h: page(list_html(POSTS[:1])),
        POSTS[0][0]: lambda _h: page("<html><body><h1>通知一</h1></body></html>"),
    }
    trap = {"/": lambda _h: page("never")}
    return {
        HOST: site,
        ROBOTS_HOST: {"/robots.txt": lambda _h: page("User-agent: *\nDisallow:")},
        REBIND_FIRST: rebind,
        REBIND_LATER: trap,
    }


def seed_broken_link(db: Path, port: int) -> str:
    """A link found broken on 11-30 by an earlier crawl, on a page no longer re-read."""
    url = f"http://{HOST}:{port}/dead.html"
    conn = open_db(db).conn
    with conn:
        conn.execute(
            "INSERT INTO links (run_id, site_id, url, found_on, on_home_page, ok, status, error,"
            " checked_at) VALUES (NULL, 'hostile', ?, ?, 0, 0, 404, 'http_4xx',"
            " '2012-11-30T09:00:00')",
            (url, f"http://{HOST}:{port}/old.html"),
        )
    conn.close()
    return url


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("hostile")
    port = worker_port(20440)
    sites = [
        {
            "id": "hostile",
            "name": "恶意站",
            "unit_type": "city",
            "home_url": f"http://{HOST}:{port}/",
            "allow_private_addresses": True,
            "crawl": {
                "max_links_per_page": PAGE_CAP,
                "max_items_per_page": ITEM_CAP,
                "max_columns": COLUMN_CAP,
            },
        },
        {
            "id": "rebind",
            "name": "换址站",
            "unit_type": "city",
            "home_url": f"http://rebind.test:{port}/",
            "allowed_networks": [f"{REBIND_FIRST}/32"],
            "link_check": {"external": "skip"},
        },
    ]
    config = write_config(
        tmp / "hostile.yaml", sites, link_check={"skip_hosts": ["skip.example.org"]}
    )
    db = tmp / "hostile.db"
    dead = seed_broken_link(db, port)
    script = [sys.executable, "-c", RUN, str(config), str(db), str(Path(__file__).parent)]
    served = routes(port)
    with serve(served, port) as journal:
        started = time.monotonic()
        done = subprocess.run(script, capture_output=True, text=True, cwd=ROOT, timeout=600)
        elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-3000:]
    yield {
        "db": sqlite3.connect(db),
        "journal": journal,
        "result": json.loads(done.stdout.strip().splitlines()[-1]),
        "elapsed": elapsed,
        "port": port,
        "dead": dead,
        "soon": served[HOST]["/soon/"].visits,
    }


pytestmark = pytest.mark.slow


def test_crawl_finishes_ok(crawled: dict[str, Any]) -> None:
    assert crawled["result"]["status"] == "ok", crawled["result"]


def test_robots_txt_on_another_host_is_never_fetched(crawled: dict[str, Any]) -> None:
    assert crawled["journal"].paths(ROBOTS_HOST) == []
    errors = {
        e
        for (e,) in crawled["db"].execute(
            f"SELECT error FROM fetches WHERE url LIKE '%{ROBOTS_HOST}%'"
        )
    }
    assert errors == {"offsite"}


def test_rebinding_name_is_connected_at_the_checked_address(crawled: dict[str, Any]) -> None:
    assert crawled["journal"].paths(REBIND_LATER) == []
    assert "/news/" in crawled["journal"].paths(REBIND_FIRST)
    titles = {t for (t,) in crawled["db"].execute("SELECT title FROM posts WHERE site_id='rebind'")}
    assert titles == {"通知一"}


def test_undefined_charset_keeps_the_column(crawled: dict[str, Any]) -> None:
    titles = {
        t for (t,) in crawled["db"].execute("SELECT title FROM posts WHERE url LIKE '%/cs/%'")
    }
    assert titles == {title for _p, title, _d in CHARSET_POSTS}


def test_link_checks_are_capped_and_noted(crawled: dict[str, Any]) -> None:
    home = f"http://{HOST}:{crawled['port']}/"
    checked = (
        crawled["db"]
        .execute("SELECT count(*) FROM links WHERE found_on = ?", (home,))
        .fetchone()[0]
    )
    assert 0 < checked <= PAGE_CAP
    notes = (
        crawled["db"]
        .execute("SELECT kind, detail FROM crawl_notes WHERE site_id = 'hostile'")
        .fetchall()
    )
    found = [int(d.split()[0]) for kind, d in notes if kind == "max_links_per_page"]
    assert found and found[0] >= LINKS, notes


def test_huge_list_and_navigation_are_capped_and_noted(crawled: dict[str, Any]) -> None:
    db = crawled["db"]
    huge = db.execute("SELECT count(*) FROM posts WHERE url LIKE '%/huge/%'").fetchone()[0]
    assert huge == ITEM_CAP
    columns = db.execute("SELECT count(*) FROM columns WHERE site_id = 'hostile'").fetchone()[0]
    assert columns <= COLUMN_CAP
    notes = dict(db.execute("SELECT kind, detail FROM crawl_notes WHERE site_id = 'hostile'"))
    assert notes["max_items_per_page"].startswith(f"{HUGE_ITEMS} found")
    assert int(notes["max_columns"].split()[0]) > COLUMN_CAP


def test_retry_after_beyond_the_cap_is_not_retried(crawled: dict[str, Any]) -> None:
    assert crawled["journal"].paths(HOST).count("/rl/") == 1
    notes = dict(crawled["db"].execute("SELECT kind, detail FROM crawl_notes").fetchall())
    assert "3600" in notes["rate_limited"]
    error = crawled["db"].execute("SELECT error FROM fetches WHERE url LIKE '%/rl/'").fetchone()
    assert error == ("rate_limited",)


def test_retry_after_within_the_cap_is_waited_for(crawled: dict[str, Any]) -> None:
    visits = crawled["soon"]
    assert len(visits) == 2
    assert visits[1] - visits[0] >= 2.0  # not the 0.5 s backoff: the server's own figure
    titles = {
        t for (t,) in crawled["db"].execute("SELECT title FROM posts WHERE url LIKE '%/soon/%'")
    }
    assert titles == {"任免通知"}


def test_slow_dns_is_resolved_concurrently_and_unverifiable(crawled: dict[str, Any]) -> None:
    rows = (
        crawled["db"]
        .execute("SELECT ok, error, detail FROM links WHERE url LIKE 'http://slow%'")
        .fetchall()
    )
    assert len(rows) == SLOW_HOSTS
    assert set(rows) == {(0, "unverifiable", "dns")}
    # Thirty 2-second look-ups one after another would span a minute; concurrent, ~2 s.
    stamps = [
        t for (t,) in crawled["db"].execute("SELECT fetched_at FROM fetches WHERE error = 'dns'")
    ]
    assert len(stamps) == SLOW_HOSTS
    span = datetime.fromisoformat(max(stamps)) - datetime.fromisoformat(min(stamps))
    assert span.total_seconds() <= 8


def test_skipped_host_is_unverifiable_without_a_request(crawled: dict[str, Any]) -> None:
    rows = (
        crawled["db"]
        .execute("SELECT ok, error, detail FROM links WHERE url LIKE 'http://skip.example.org%'")
        .fetchall()
    )
    assert rows == [(0, "unverifiable", "skip_host")]


def test_external_links_of_a_skipping_site_are_not_checked(crawled: dict[str, Any]) -> None:
    db = crawled["db"]
    assert db.execute("SELECT count(*) FROM links WHERE url LIKE '%ext.example%'").fetchone() == (
        0,
    )
    assert db.execute(
        "SELECT count(*) FROM fetches WHERE url LIKE '%ext.example.org%'"
    ).fetchone() == (0,)
    # The other site still checks its external links (skip.example.org is recorded).
    assert db.execute("SELECT count(*) FROM links WHERE site_id = 'hostile'").fetchone()[0] > 0


def test_known_broken_link_is_rechecked_in_the_month(crawled: dict[str, Any]) -> None:
    assert "/dead.html" in crawled["journal"].paths(HOST)
    rows = (
        crawled["db"]
        .execute(
            "SELECT checked_at, ok, status FROM links WHERE url = ? ORDER BY checked_at",
            (crawled["dead"],),
        )
        .fetchall()
    )
    assert len(rows) == 2 and rows[1][0].startswith("2012-12") and rows[1][1:] == (0, 404)


def test_run_counters_match_what_was_committed(crawled: dict[str, Any]) -> None:
    db = crawled["db"]
    pages, new_posts = db.execute("SELECT pages, new_posts FROM crawl_runs").fetchone()
    # Every attempt is in the fetch log; a retry (the 429 above) is the same page, counted once.
    requests = "SELECT count(*) FROM (SELECT DISTINCT site_id, url, kind FROM fetches)"
    assert pages == db.execute(requests).fetchone()[0]
    assert pages < db.execute("SELECT count(*) FROM fetches").fetchone()[0]
    assert new_posts == db.execute("SELECT count(*) FROM posts").fetchone()[0]
