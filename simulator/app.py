"""The HTTP semantics of the simulator, independent of sockets: clock, faults, conditional GET."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import parse_qs

from simulator.faults import error_status
from simulator.model import Site
from simulator.router import Rendered, Router
from simulator.world import World

CONTROL_PREFIX = "/__sim__/"
BEIJING_OFFSET = timedelta(hours=8)
SERVER_NAME = "sitewatch-simulator"
OUTAGE_RETRY_AFTER_S = 3600
REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass
class Reply:
    """A framed-ready HTTP response: status, headers, body, and how long to hold it back."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    delay_s: float = 0.0


def http_date(local: datetime) -> str:
    """RFC 7231 date (GMT) of a Beijing local time."""
    return format_datetime((local - BEIJING_OFFSET).replace(tzinfo=UTC), usegmt=True)


def parse_clock(params: dict[str, list[str]]) -> datetime | None:
    """The datetime asked for by ?now=ISO or ?today=YYYY-MM-DD (midnight), else None."""
    try:
        if "now" in params:
            return datetime.fromisoformat(params["now"][0]).replace(tzinfo=None)
        if "today" in params:
            return datetime.combine(date.fromisoformat(params["today"][0]), datetime.min.time())
    except ValueError:
        return None
    return None


def etag_matches(header: str, etag: str) -> bool:
    """True when an If-None-Match header lists `etag` (weak comparison) or is '*'."""
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


def not_modified_since(header: str, last_modified: datetime) -> bool:
    """True when If-Modified-Since is at or after the (local) Last-Modified."""
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    modified = (last_modified - BEIJING_OFFSET).replace(tzinfo=UTC)
    return modified.replace(microsecond=0) <= since


class SimulatorApp:
    """Answers requests for every site of a world at the current simulated clock."""

    def __init__(self, world: World, now: datetime) -> None:
        self.world = world
        self.now = now
        self.router = Router(world)
        self._hits: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()
        self._truth_cache: tuple[datetime, bytes] | None = None

    def set_clock(self, now: datetime) -> None:
        """Move the simulated clock (any direction)."""
        self.now = now

    def truth_bytes(self) -> bytes:
        """Truth JSON for the current clock (cached per clock value)."""
        now = self.now
        if self._truth_cache is None or self._truth_cache[0] != now:
            text = json.dumps(self.world.truth(now), ensure_ascii=False, indent=1)
            self._truth_cache = (now, text.encode("utf-8"))
        return self._truth_cache[1]

    def handle(self, site: Site, method: str, target: str, headers: dict[str, str]) -> Reply:
        """One request to `site`; headers have lower-case names."""
        path, _, query = target.partition("?")
        if path.startswith(CONTROL_PREFIX):
            return self._control(method, path, query)
        if method not in ("GET", "HEAD"):
            return self._plain(405, b"method not allowed\n", [("Allow", "GET, HEAD")])
        now = self.now
        if any(o.start <= now < o.end for o in site.faults.outages):
            return self._plain(
                503,
                b"<h1>503 Service Unavailable</h1>\n",
                [("Retry-After", str(OUTAGE_RETRY_AFTER_S))],
                "text/html",
            )
        burst = self._error_burst(site, path)
        if burst is not None:
            return self._plain(
                burst, f"<h1>{burst} {REASONS[burst]}</h1>\n".encode(), [], "text/html"
            )
        rendered = self.router.render(site, path, query, now.date())
        reply = self._from_rendered(rendered, headers)
        if path in site.faults.slow_paths:
            reply.delay_s = self.world.slow_delay_s
        return reply

    def _error_burst(self, site: Site, path: str) -> int | None:
        """Status of a 5xx burst for this request, or None to serve normally."""
        status = site.faults.error_paths.get(path)
        if status is None:
            return None
        key = (site.site_id, path)
        with self._lock:
            count = self._hits.get(key, 0) + 1
            self._hits[key] = count
        return error_status(status, count)

    def _common(self) -> list[tuple[str, str]]:
        """Headers on every response; Date is the simulated clock."""
        return [("Server", SERVER_NAME), ("Date", http_date(self.now))]

    def _plain(
        self, status: int, body: bytes, extra: list[tuple[str, str]], ctype: str = "text/plain"
    ) -> Reply:
        """A small response without validators."""
        headers = [*self._common(), ("Content-Type", ctype), *extra]
        return Reply(status, headers, body)

    def _from_rendered(self, rendered: Rendered, request: dict[str, str]) -> Reply:
        """Add validators, honour If-None-Match / If-Modified-Since."""
        headers = [*self._common(), ("Content-Type", rendered.content_type)]
        if rendered.location:
            headers.append(("Location", rendered.location))
        if rendered.status != 200 or rendered.etag is None or rendered.last_modified is None:
            return Reply(rendered.status, headers, rendered.body)
        # Pages show whole days, so a post of later today is out at midnight; never claim a
        # modification time after the simulated Date header.
        modified = min(rendered.last_modified, self.now)
        headers += [("Last-Modified", http_date(modified)), ("ETag", rendered.etag)]
        inm, ims = request.get("if-none-match"), request.get("if-modified-since")
        if inm is not None:
            if etag_matches(inm, rendered.etag):
                return Reply(304, headers, b"")
        elif ims is not None and not_modified_since(ims, modified):
            return Reply(304, headers, b"")
        return Reply(200, headers, rendered.body)

    def _control(self, method: str, path: str, query: str) -> Reply:
        """GET/POST /__sim__/clock and GET /__sim__/truth."""
        json_type = "application/json; charset=utf-8"
        if path == f"{CONTROL_PREFIX}truth" and method in ("GET", "HEAD"):
            return self._plain(200, self.truth_bytes(), [], json_type)
        if path != f"{CONTROL_PREFIX}clock":
            return self._plain(404, b'{"error": "unknown control path"}', [], json_type)
        if method == "POST":
            wanted = parse_clock(parse_qs(query))
            if wanted is None:
                return self._plain(
                    400, b'{"error": "give ?now=ISO-datetime or ?today=YYYY-MM-DD"}', [], json_type
                )
            self.set_clock(wanted)
        elif method not in ("GET", "HEAD"):
            return self._plain(405, b"{}", [("Allow", "GET, POST")], json_type)
        body = json.dumps({"now": self.now.isoformat(timespec="seconds")}).encode()
        return self._plain(200, body, [], json_type)
