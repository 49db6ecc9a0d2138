"""Availability probes: visit each home page once, record whether it opened in time."""

from __future__ import annotations

import socket
import urllib.error
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from crawler.config import SiteConfig
from crawler.fetch import fetch
from crawler.store import Store

#: The national rules' figure: a visit fails when the page has not opened after 15 s.
PROBE_TIMEOUT = 15.0
MAX_WORKERS = 32


@dataclass(frozen=True)
class ProbeResult:
    """One visit of one home page."""

    site_id: str
    url: str
    ok: bool
    status: int | None
    elapsed_ms: int | None
    error: str | None


def probe_error(exc: BaseException) -> str:
    """A short name for why a visit failed."""
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timeout"
    if isinstance(reason, ConnectionRefusedError):
        return "connection_refused"
    if isinstance(reason, (ConnectionResetError, ConnectionAbortedError)):
        return "connection_lost"
    if isinstance(reason, socket.gaierror):
        return "dns"
    return type(reason).__name__.lower()


def probe_site(site: SiteConfig, timeout: float, user_agent: str) -> ProbeResult:
    """Visit a site's home page once."""
    try:
        page = fetch(site.home_url, timeout=timeout, user_agent=user_agent)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return ProbeResult(site.id, site.home_url, False, None, None, probe_error(exc))
    ok = 200 <= page.status < 300
    error = None if ok else ("http_5xx" if page.status >= 500 else "http_4xx")
    return ProbeResult(site.id, site.home_url, ok, page.status, page.elapsed_ms, error)


def probe_round(
    sites: Iterable[SiteConfig],
    *,
    timeout: float = PROBE_TIMEOUT,
    user_agent: str,
) -> list[ProbeResult]:
    """Visit every home page in parallel (threads: probes are independent one-shot GETs)."""
    sites = list(sites)
    workers = max(1, min(MAX_WORKERS, len(sites)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda s: probe_site(s, timeout, user_agent), sites))


def record_round(store: Store, results: list[ProbeResult], probed_at: datetime) -> None:
    """Store one round of visits, all stamped with the round's clock."""
    for result in results:
        store.record_probe(
            site_id=result.site_id,
            url=result.url,
            probed_at=probed_at,
            ok=result.ok,
            status=result.status,
            elapsed_ms=result.elapsed_ms,
            error=result.error,
        )
