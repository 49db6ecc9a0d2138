"""Loopback HTTP servers whose pages are plain functions of the request: one threaded server per
127.0.0.x address, every request journaled, so a test states its own ground truth and can assert
that an address was never even connected to. Used by the reliability and the security tests."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

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

    def hosts(self) -> set[str]:
        """The addresses that saw at least one request."""
        with self.lock:
            return {host for host, _m, _p in self.entries}

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
    head = {"Content-Type": f"text/html; charset={charset}", **(headers or {})}
    return status, head, body.encode(charset)


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
