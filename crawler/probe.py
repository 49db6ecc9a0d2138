"""Availability probes: visit each home page once, record whether it opened in time.

Every site is probed concurrently on one event loop through the guarded HTTP path
(`crawler.http`), each visit under a total deadline, so one drip-feeding server costs its own
row a time-out and nobody else anything; every site gets a row.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import httpx

from crawler.config import SiteConfig
from crawler.faults import Fault, classify_status
from crawler.guards import site_policy
from crawler.http import FetchError, FetchPolicy, Resolve, guarded_get, new_client, system_resolve
from crawler.limits import PROBE_CONCURRENCY, PROBE_DEADLINE
from crawler.store import Store

#: Kept for callers that name it; the figure lives in crawler.limits.
PROBE_TIMEOUT = PROBE_DEADLINE


@dataclass(frozen=True)
class ProbeResult:
    """One visit of one home page."""

    site_id: str
    url: str
    ok: bool
    status: int | None
    elapsed_ms: int | None
    error: str | None


def probe_policy(site: SiteConfig) -> FetchPolicy:
    """A site's home page may use its private networks; its redirects elsewhere may not."""
    return FetchPolicy(site_policy(site), tuple(site.allowed_domains))


async def probe_site(
    client: httpx.AsyncClient,
    site: SiteConfig,
    *,
    deadline: float,
    user_agent: str,
    resolve: Resolve = system_resolve,
) -> ProbeResult:
    """Visit a site's home page once; never raises."""
    try:
        page = await guarded_get(
            client,
            site.home_url,
            policy=probe_policy(site),
            deadline=deadline,
            user_agent=user_agent,
            resolve=resolve,
        )
    except FetchError as exc:
        return ProbeResult(site.id, site.home_url, False, None, None, exc.fault.value)
    except Exception:  # a row for every site, whatever broke
        return ProbeResult(site.id, site.home_url, False, None, None, Fault.ERROR.value)
    ok = 200 <= page.status < 300
    fault = None if ok else (classify_status(page.status) or Fault.BAD_REDIRECT)
    error = None if fault is None else fault.value
    return ProbeResult(site.id, site.home_url, ok, page.status, page.elapsed_ms, error)


async def probe_all(
    sites: list[SiteConfig],
    *,
    deadline: float = PROBE_DEADLINE,
    user_agent: str,
    resolve: Resolve = system_resolve,
) -> list[ProbeResult]:
    """Probe every site concurrently (bounded), results in the sites' order."""
    gate = asyncio.Semaphore(PROBE_CONCURRENCY)
    async with new_client(PROBE_CONCURRENCY) as client:

        async def one(site: SiteConfig) -> ProbeResult:
            async with gate:
                return await probe_site(
                    client, site, deadline=deadline, user_agent=user_agent, resolve=resolve
                )

        return list(await asyncio.gather(*(one(site) for site in sites)))


def probe_round(
    sites: Iterable[SiteConfig],
    *,
    timeout: float = PROBE_DEADLINE,
    user_agent: str,
) -> list[ProbeResult]:
    """Visit every home page once; `timeout` is each visit's total deadline."""
    return asyncio.run(probe_all(list(sites), deadline=timeout, user_agent=user_agent))


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
