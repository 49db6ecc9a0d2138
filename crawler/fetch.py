"""A plain one-page fetch for the interactive commands (inspect, discover) and probes."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from crawler.config import DEFAULT_USER_AGENT

MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Fetched:
    """One response: final URL, status, content type, body and time taken."""

    url: str
    status: int
    content_type: str | None
    body: bytes
    elapsed_ms: int


def fetch(url: str, *, timeout: float = 15.0, user_agent: str = DEFAULT_USER_AGENT) -> Fetched:
    """GET a page (following redirects); HTTP errors are returned, network errors raised."""
    request = urllib.request.Request(url, headers={"User-Agent": user_agent})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES)
            status = response.status
            final_url = response.geturl()
            content_type = response.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        body = exc.read(MAX_BYTES) if exc.fp else b""
        status, final_url = exc.code, exc.geturl() or url
        content_type = exc.headers.get("Content-Type") if exc.headers else None
    elapsed = int((time.monotonic() - started) * 1000)
    return Fetched(final_url, status, content_type, body, elapsed)
