"""Politeness and safety of `sitewatch crawl`, against a loopback server that records requests.

Two sites, one request at a time each with a 0.5 s delay: they are crawled side by side, each
one's requests spaced by the delay; robots.txt is obeyed; page limits, timeouts, retries with
backoff, trap links and an off-site redirect behave as documented.
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from sw_testing import sitewatch, worker_port

SITE_HOSTS = ("127.0.0.60", "127.0.0.61")
OFFSITE_HOST = "127.0.0.63"
DELAY = 0.5
PAGE_LIMIT = 3


@dataclass
class Journal:
    """Every request the servers received: (host, path, method, user agent, monotonic time)."""

    entries: list[tuple[str, str, str, str, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    flaky_hits: dict[str, int] = field(default_factory=dict)

    def add(self, host: str, path: str, method: str, agent: str) -> None:
        with self.lock:
            self.entries.append((host, path, method, agent, time.monotonic()))

    def paths(self, host: str) -> list[str]:
        return [path for h, path, *_ in self.entries if h == host]

    def times(self, host: str, prefix: str = "") -> list[float]:
        return [t for h, path, _m, _a, t in self.entries if h == host and path.startswith(prefix)]


def home_page() -> str:
    nav = "".join(
        f'<li><a href="{href}">{name}</a></li>'
        for href, name in (
            ("/news/", "工作动态"),
            ("/secret/", "内部通知公告"),
            ("/slow/", "政策文件"),
            ("/flaky/", "人事信息"),
            ("/moved/", "规划计划"),
            ("/cal/", "统计数据"),
        )
    )
    return f"<html><head><title>测试站</title></head><body><ul class='nav'>{nav}</ul></body></html>"


def list_page(prefix: str, page: int, next_href: str | None) -> str:
    rows = "".join(
        f'<li><a href="/{prefix}/2012/12{day:02d}_{page}{day}.html">'
        f"第{page}页的第{day}条新闻标题内容</a>"
        f"<span>2012-12-{day:02d}</span></li>"
        for day in range(1, 6)
    )
    pager = f'<a href="{next_href}">下一页</a>' if next_href else ""
    return f"<html><body><ul class='list'>{rows}</ul><div class='pages'>{pager}</div></body></html>"


def detail_page() -> str:
    return (
        "<html><body><h1>新闻标题</h1><div class='info'>发布日期：2012-12-01 来源：办公室</div>"
        "<div class='content'><p>正文。</p></div></body></html>"
    )


def make_handler(journal: Journal, port: int) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def send_html(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            host = self.server.server_address[0]
            path = self.path
            journal.add(host, path, self.command, self.headers.get("User-Agent", ""))
            if host == OFFSITE_HOST:
                self.send_html(200, "<html><body>elsewhere</body></html>")
            elif path == "/robots.txt":
                data = b"User-agent: *\nDisallow: /secret/\n"
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            elif path == "/":
                self.send_html(200, home_page())
            elif path.startswith("/news/") and ("index" in path or path == "/news/"):
                page = int(path.split("_")[-1].split(".")[0]) if "_" in path else 0
                # An endless pager: only the page limit stops it.
                self.send_html(200, list_page("news", page, f"/news/index_{page + 1}.html"))
            elif path == "/slow/":
                time.sleep(3)
                self.send_html(200, list_page("slow", 0, None))
            elif path == "/flaky/":
                with journal.lock:
                    hits = journal.flaky_hits[host] = journal.flaky_hits.get(host, 0) + 1
                if hits <= 2:
                    self.send_html(503, "busy")
                else:
                    self.send_html(200, list_page("flaky", 0, None))
            elif path == "/moved/":
                self.send_html(302, "", {"Location": f"http://{OFFSITE_HOST}:{port}/news/"})
            elif path == "/cal/":
                self.send_html(200, list_page("cal", 0, "/cal/index.html?y=2012&m=11"))
            elif path.endswith(".html"):
                self.send_html(200, detail_page())
            else:
                self.send_html(404, "not found")

    return Handler


@pytest.fixture(scope="module")
def polite_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("polite")
    port = worker_port(19800)
    journal = Journal()
    servers = [
        ThreadingHTTPServer((host, port), make_handler(journal, port))
        for host in (*SITE_HOSTS, OFFSITE_HOST)
    ]
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    config = {
        "group": {"name": "测试网站群", "allow_private_addresses": True},
        "defaults": {
            "delay": DELAY,
            "concurrency": 1,
            "timeout": 1,
            "max_pages_per_column": PAGE_LIMIT,
        },
        "sites": [
            {
                "id": f"s{n}",
                "name": f"站点{n}",
                "unit_type": "city",
                "home_url": f"http://{h}:{port}/",
            }
            for n, h in enumerate(SITE_HOSTS)
        ],
    }
    path = tmp / "polite.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    db = tmp / "polite.db"
    started = time.monotonic()
    result = sitewatch(
        "crawl", "--config", str(path), "--db", str(db), "--now", "2012-12-31T09:00", "-q"
    )
    elapsed = time.monotonic() - started
    for server in servers:
        server.shutdown()
        server.server_close()
    yield {"result": result, "journal": journal, "db": db, "elapsed": elapsed}


def fetch_errors(db: Path, like: str) -> set[str | None]:
    conn = sqlite3.connect(db)
    return {e for (e,) in conn.execute("SELECT error FROM fetches WHERE url LIKE ?", (like,))}


def test_crawl_succeeds(polite_crawl: dict[str, Any]) -> None:
    assert polite_crawl["result"].returncode == 0, polite_crawl["result"].stderr[-2000:]


def test_each_site_is_spaced_by_its_delay(polite_crawl: dict[str, Any]) -> None:
    journal: Journal = polite_crawl["journal"]
    for host in SITE_HOSTS:
        times = journal.times(host)
        assert len(times) > 10
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert min(gaps) >= DELAY * 0.9, (host, min(gaps))


def test_sites_are_crawled_side_by_side(polite_crawl: dict[str, Any]) -> None:
    journal: Journal = polite_crawl["journal"]
    a, b = (journal.times(host) for host in SITE_HOSTS)
    assert a[0] < b[-1] and b[0] < a[-1]  # the two crawls overlap in time
    longest = max(len(a), len(b))
    # Side by side: the whole crawl takes about as long as the busiest site alone.
    assert polite_crawl["elapsed"] < longest * DELAY * 1.3 + 12


def test_user_agent_names_the_tool(polite_crawl: dict[str, Any]) -> None:
    agents = {agent for *_rest, agent, _t in polite_crawl["journal"].entries}
    assert agents and all("sitewatch" in agent for agent in agents)


def test_robots_txt_is_obeyed(polite_crawl: dict[str, Any]) -> None:
    journal: Journal = polite_crawl["journal"]
    for host in SITE_HOSTS:
        assert "/robots.txt" in journal.paths(host)
        assert not [p for p in journal.paths(host) if p.startswith("/secret/")]
    assert fetch_errors(polite_crawl["db"], "%/secret/%") == {"robots"}


def test_page_limit_stops_an_endless_pager(polite_crawl: dict[str, Any]) -> None:
    for host in SITE_HOSTS:
        walked = [
            path
            for h, path, method, _a, _t in polite_crawl["journal"].entries
            if h == host and method == "GET" and path.startswith("/news/index")
        ]
        # /news/ itself plus index_1 and index_2 (the next link is only HEAD-checked).
        assert walked == ["/news/index_1.html", "/news/index_2.html"]


def test_timeout_is_recorded(polite_crawl: dict[str, Any]) -> None:
    assert fetch_errors(polite_crawl["db"], "%/slow/%") == {"timeout"}


def test_5xx_is_retried_with_growing_backoff(polite_crawl: dict[str, Any]) -> None:
    journal: Journal = polite_crawl["journal"]
    for host in SITE_HOSTS:
        times = [t for h, path, _m, _a, t in journal.entries if h == host and path == "/flaky/"]
        assert len(times) == 3
        assert times[1] - times[0] >= 0.5 * 0.9
        assert times[2] - times[1] >= 1.0 * 0.9
    conn = sqlite3.connect(polite_crawl["db"])
    statuses = [s for (s,) in conn.execute("SELECT status FROM fetches WHERE url LIKE '%/flaky/'")]
    assert sorted(statuses) == [200, 200, 503, 503, 503, 503]  # 2 sites x (503, 503, 200)


def test_offsite_redirect_is_refused(polite_crawl: dict[str, Any]) -> None:
    assert not [e for e in polite_crawl["journal"].entries if e[0] == OFFSITE_HOST]
    assert "offsite" in fetch_errors(polite_crawl["db"], f"http://{OFFSITE_HOST}%")


def test_calendar_trap_is_not_followed(polite_crawl: dict[str, Any]) -> None:
    for host in SITE_HOSTS:
        assert not [p for p in polite_crawl["journal"].paths(host) if "y=2012" in p]
