"""Hostile loopback servers for the security tests: each route is a function of the request, and
every connection a server accepts is journaled, so a test can assert that a refused address was
never even connected to."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

#: (status, headers, body) or None when the route wrote its answer itself.
Answer = tuple[int, dict[str, str], bytes] | None
Route = Callable[[BaseHTTPRequestHandler], Answer]


@dataclass
class Journal:
    """Requests seen, as (host, method, path)."""

    entries: list[tuple[str, str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, host: str, method: str, path: str) -> None:
        with self.lock:
            self.entries.append((host, method, path))

    def hosts(self) -> set[str]:
        with self.lock:
            return {host for host, _m, _p in self.entries}

    def paths(self, host: str) -> list[str]:
        with self.lock:
            return [path for h, _m, path in self.entries if h == host]


def page(body: str, *, status: int = 200, headers: dict[str, str] | None = None) -> Answer:
    """An HTML answer (UTF-8)."""
    head = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
    return status, head, body.encode("utf-8")


def redirect(location: str, status: int = 302) -> Route:
    """A route that redirects."""
    return lambda _h: page("", status=status, headers={"Location": location})


def drip(seconds: float, size: int = 100_000) -> Route:
    """Headers with a large Content-Length at once, then one byte per second-ish."""

    def route(handler: BaseHTTPRequestHandler) -> Answer:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(size))
        handler.end_headers()
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(1.0)
        except OSError:
            pass  # the client gave up: the point of the test
        handler.close_connection = True
        return None

    return route


def handler_for(routes: dict[str, dict[str, Route]], journal: Journal) -> type:
    """A handler serving routes[host][path] (404 elsewhere)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            """Quiet."""

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            host = self.server.server_address[0]
            journal.add(host, self.command, self.path)
            route = routes.get(host, {}).get(self.path)
            answer = route(self) if route else page("<html><body>无此页</body></html>", status=404)
            if answer is None:
                return
            status, headers, body = answer
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                with contextlib.suppress(OSError):
                    self.wfile.write(body)

    return Handler


@contextmanager
def serve(routes: dict[str, dict[str, Route]], port: int) -> Iterator[Journal]:
    """Serve routes on every host at port until the block ends."""
    journal = Journal()
    handler = handler_for(routes, journal)
    servers = []
    for host in routes:
        server = ThreadingHTTPServer((host, port), handler)
        server.daemon_threads = True
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield journal
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def write_config(path: Path, sites: list[dict[str, Any]], **sections: Any) -> Path:
    """A group config of these sites; `group` and other sections may be given."""
    config: dict[str, Any] = {
        "group": {"name": "安全测试网站群", "allow_private_addresses": False},
        "defaults": {"delay": 0, "concurrency": 4, "timeout": 5},
        **sections,
        "sites": sites,
    }
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# -- an injected DNS for crawls in a subprocess (SITEWATCH_DNS_LOOKUP) -----------------------
# No test may send a DNS query off the machine: every name a hostile crawl meets is answered
# here. `rebind.test` answers 127.0.0.125 once and 127.0.0.126 ever after (DNS rebinding);
# `slowNN.example.gov.cn` take 2 s and do not resolve (a slow resolver, then a DNS failure).
REBIND_FIRST, REBIND_LATER = "127.0.0.125", "127.0.0.126"
_rebind_answers = [REBIND_FIRST]
LOOKUPS: list[str] = []


def fake_lookup(host: str) -> list[str]:
    """The injected resolver of the hostile crawl."""
    LOOKUPS.append(host)
    if host == "rebind.test":
        return [_rebind_answers.pop()] if _rebind_answers else [REBIND_LATER]
    if host.startswith("slow") and host.endswith(".example.gov.cn"):
        time.sleep(2.0)
        return []
    return []
