"""A small asyncio HTTP/1.1 server: one listener per site address, all on one port.

asyncio rather than Twisted so a test process can start, stop and restart servers freely
(Twisted's reactor cannot be restarted) and so Scrapy's reactor is never touched.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from simulator.app import REASONS, Reply, SimulatorApp
from simulator.model import Site
from simulator.world import World

if TYPE_CHECKING:
    from simulator.transport import TransportPlan

MAX_HEAD_BYTES = 64 * 1024
START_TIMEOUT_S = 30.0


def frame(reply: Reply, head_only: bool, keep_alive: bool) -> bytes:
    """Serialise a reply; 304 and HEAD carry no body (HEAD keeps the GET Content-Length)."""
    lines = [f"HTTP/1.1 {reply.status} {REASONS.get(reply.status, 'Unknown')}"]
    lines.extend(f"{name}: {value}" for name, value in reply.headers)
    if reply.status != 304:
        lines.append(f"Content-Length: {len(reply.body)}")
    lines.append("Connection: keep-alive" if keep_alive else "Connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    if head_only or reply.status == 304:
        return head
    return head + reply.body


class _Connection(asyncio.Protocol):
    """One client connection to one site; requests are answered in order."""

    def __init__(self, app: SimulatorApp, site: Site) -> None:
        self.app = app
        self.site = site
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.waiting = False  # a delayed (slow-fault) reply is pending

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Remember the transport."""
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        """Buffer and answer every complete request."""
        self.buffer += data
        self._process()

    def connection_lost(self, exc: Exception | None) -> None:
        """Drop the transport so delayed replies are not written to a closed socket."""
        self.transport = None

    def _process(self) -> None:
        """Parse complete requests from the buffer and reply (pipelining answered in order)."""
        while not self.waiting and self.transport is not None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEAD_BYTES:
                    self._send(b"HTTP/1.1 431 Too Large\r\nContent-Length: 0\r\n\r\n", close=True)
                return
            parsed = _parse_head(self.buffer[:end])
            if parsed is None:
                self._send(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", close=True)
                return
            method, target, version, headers = parsed
            body_len = int(headers.get("content-length", "0") or 0)
            if len(self.buffer) < end + 4 + body_len:
                return
            self.buffer = self.buffer[end + 4 + body_len :]
            keep_alive = _wants_keep_alive(version, headers)
            reply = self.app.handle(self.site, method, target, headers)
            data = frame(reply, method == "HEAD", keep_alive)
            if reply.delay_s > 0:
                self.waiting = True
                loop = asyncio.get_running_loop()
                loop.call_later(reply.delay_s, self._send_delayed, data, not keep_alive)
                return
            self._send(data, close=not keep_alive)

    def _send(self, data: bytes, close: bool) -> None:
        """Write bytes, optionally closing afterwards."""
        if self.transport is None:
            return
        self.transport.write(data)
        if close:
            self.transport.close()
            self.transport = None

    def _send_delayed(self, data: bytes, close: bool) -> None:
        """Write a held-back reply, then carry on with pipelined requests."""
        self.waiting = False
        self._send(data, close)
        self._process()


def _parse_head(head: bytes) -> tuple[str, str, str, dict[str, str]] | None:
    """Request line and headers (lower-case names); None when malformed."""
    try:
        text = head.decode("latin-1")
        request_line, *header_lines = text.split("\r\n")
        method, target, version = request_line.split(" ")
    except ValueError:
        return None
    headers: dict[str, str] = {}
    for line in header_lines:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    if not target.startswith("/"):
        # absolute-form (proxy style): keep only path and query
        after_scheme = target.split("://", 1)[-1]
        target = "/" + after_scheme.split("/", 1)[1] if "/" in after_scheme else "/"
    return method.upper(), target, version, headers


def _wants_keep_alive(version: str, headers: dict[str, str]) -> bool:
    """HTTP/1.1 keeps the connection unless told to close; 1.0 only when asked."""
    connection = headers.get("connection", "").lower()
    if version == "HTTP/1.0":
        return "keep-alive" in connection
    return "close" not in connection


class SimulatorServer:
    """Serves a World on loopback, in a background thread (start/stop) or in the foreground."""

    def __init__(self, world: World, now: datetime, transport: TransportPlan | None = None) -> None:
        self.world = world
        self.app = SimulatorApp(world, now)
        self.transport = transport  # HTTPS, HTTP entrance, ::1 (simulator/transport.py)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[asyncio.Server] = []
        self._stop_event: asyncio.Event | None = None

    @property
    def now(self) -> datetime:
        """The simulated clock."""
        return self.app.now

    def set_clock(self, now: datetime) -> None:
        """Move the simulated clock (thread-safe: one attribute assignment)."""
        self.app.set_clock(now)

    @property
    def urls(self) -> list[str]:
        """Home URLs of every served site."""
        return [site.home_url for site in self.world.sites]

    async def _listen(self) -> None:
        """Open one listener per site address."""
        loop = asyncio.get_running_loop()
        for site in self.world.sites:
            server = await loop.create_server(
                _factory(self.app, site),
                host=site.host,
                port=site.port,
                reuse_address=True,
                backlog=1024,
            )
            self._servers.append(server)
        if self.transport is not None:
            self._servers.extend(await self.transport.listen(self.app))

    async def _close(self) -> None:
        """Close every listener."""
        for server in self._servers:
            server.close()
        for server in self._servers:
            await server.wait_closed()
        self._servers.clear()

    async def serve(self, on_ready: Callable[[], None] | None = None) -> None:
        """Listen, call on_ready, and run until stop() is called."""
        self._stop_event = asyncio.Event()
        try:
            await self._listen()
            if on_ready is not None:
                on_ready()
            await self._stop_event.wait()
        finally:
            await self._close()

    def start(self) -> None:
        """Serve from a daemon thread; returns once every listener is bound (raises on failure)."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self.serve(ready.set))
            except BaseException as exc:  # surfaced to the starting thread
                failure.append(exc)
            finally:
                ready.set()
                loop.close()

        self._thread = threading.Thread(target=run, name="simulator", daemon=True)
        self._thread.start()
        if not ready.wait(START_TIMEOUT_S):
            raise TimeoutError("simulator did not start in time")
        if failure:
            raise failure[0]

    def stop(self) -> None:
        """Stop serving and wait for the thread to finish (safe to call twice)."""
        loop, event = self._loop, self._stop_event
        if loop is not None and event is not None and not loop.is_closed():
            loop.call_soon_threadsafe(event.set)
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def request_stop(self) -> None:
        """Ask a foreground serve() to finish (for signal handlers on the same loop)."""
        if self._stop_event is not None:
            self._stop_event.set()

    def __enter__(self) -> SimulatorServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _factory(app: SimulatorApp, site: Site) -> Callable[[], _Connection]:
    """Protocol factory bound to one site."""
    return lambda: _Connection(app, site)
