"""Loopback servers for the reliability tests: a threaded HTTP server per 127.0.0.x address whose
pages are plain functions of the path, so each test states its own ground truth."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

#: What a route returns: (status, headers, body bytes), or None when it wrote the answer itself.
Answer = tuple[int, dict[str, str], bytes] | None
Route = Callable[[BaseHTTPRequestHandler], Answer]


@dataclass
class Journal:
    """Every request the servers saw: (host, method, path), and when (monotonic seconds)."""

    entries: list[tuple[str, str, str]] = field(default_factory=list)
    stamps: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, host: str, method: str, path: str) -> None:
        """Record one request."""
        with self.lock:
            self.entries.append((host, method, path))
            self.stamps.append(time.monotonic())

    def times(self) -> list[float]:
        """When each request arrived, in order."""
        with self.lock:
            return list(self.stamps)

    def paths(self, host: str) -> list[str]:
        """The paths requested on one host, in order."""
        with self.lock:
            return [path for h, _m, path in self.entries if h == host]


def html(body: str, *, status: int = 200, charset: str = "utf-8", headers: Any = None) -> Answer:
    """An HTML answer encoded in the given charset (declared in the header)."""
    data = body.encode(charset)
    head = {"Content-Type": f"text/html; charset={charset}", **(headers or {})}
    return status, head, data


def list_page(posts: list[tuple[str, str, str]], extra: str = "") -> str:
    """A column list page: (href, title, date) rows in a <ul>, and some extra markup."""
    rows = "".join(
        f'<li><a href="{href}">{title}</a><span>{day}</span></li>' for href, title, day in posts
    )
    return f"<html><body><ul class='list'>{rows}</ul>{extra}</body></html>"


def detail_page(title: str, day: str) -> str:
    """A detail page with its title and publication date."""
    return (
        f"<html><body><h1>{title}</h1><div class='info'>发布日期：{day}</div>"
        "<div class='content'><p>正文内容。</p></div></body></html>"
    )


def reset_connection(handler: BaseHTTPRequestHandler) -> Answer:
    """Close the socket with RST (SO_LINGER 0) before any answer: a connection reset."""
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.close_connection = True
    handler.connection.close()
    return None


def slow_drip(seconds: float, chunks: int = 40) -> Route:
    """Headers at once, then the body a few bytes at a time over `seconds`."""

    def route(handler: BaseHTTPRequestHandler) -> Answer:
        body = b"<html><body>" + b"x" * chunks + b"</body></html>"
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            handler.wfile.write(body[:12])
            for byte in body[12:]:
                time.sleep(seconds / chunks)
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
        except OSError:
            pass  # the client gave up: that is the point
        handler.close_connection = True
        return None

    return route


def make_handler(routes: dict[str, dict[str, Route]], journal: Journal) -> type:
    """A request handler serving routes[host][path] (404 elsewhere), journaling every request."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            """Quiet: the journal records what matters."""

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            host = self.server.server_address[0]
            journal.add(host, self.command, self.path)
            route = routes.get(host, {}).get(self.path)
            answer = route(self) if route else html("<html><body>无此页</body></html>", status=404)
            if answer is None:
                return
            status, headers, body = answer
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                # The client may hang up (e.g. on a page over its size limit).
                with contextlib.suppress(OSError):
                    self.wfile.write(body)

    return Handler


@contextmanager
def serve(routes: dict[str, dict[str, Route]], port: int) -> Iterator[Journal]:
    """Serve the routes on every host in `routes` at `port` until the block ends."""
    journal = Journal()
    handler = make_handler(routes, journal)
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


def write_config(path: Path, sites: list[dict[str, Any]], **defaults: Any) -> Path:
    """A loopback group config with these sites and crawl defaults."""
    config = {
        "group": {"name": "可靠性测试网站群", "allow_private_addresses": True},
        "defaults": {"delay": 0, "concurrency": 4, "timeout": 5, **defaults},
        "sites": sites,
    }
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
