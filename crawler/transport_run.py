"""One round of HTTPS/IPv6 checks, run by `sitewatch probe` for the sites that are due.

Why the probe and not the crawl: these are checks of a host's network face (its TLS service,
its certificate, its plain-HTTP entrance, its IPv6 address), not of pages, and they need
per-address-family connections and the peer certificate — which the guarded httpx path
(`crawler.http`) gives and Scrapy's pinned resolver does not. The probe runs hourly, so a
certificate that expires is seen within `every_hours` even when the crawl runs weekly, and the
crawl is not slowed. Sites are checked concurrently, each under the probe's deadline per fetch.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta

import httpx

from crawler.config import GroupConfig, SiteConfig
from crawler.config.models import resolve_config_path
from crawler.http import system_resolve
from crawler.limits import PROBE_CONCURRENCY, PROBE_DEADLINE
from crawler.probe import probe_policy
from crawler.store import iso
from crawler.transport import (
    InnerLink,
    Ipv6Check,
    Outcome,
    TransportResult,
    check_http_redirect,
    check_https,
    check_inner_links,
    check_ipv6_home,
    entrance,
    https_home,
    ipv6_resolver,
    tls_context,
)
from crawler.transport_config import TransportConfig


def due_sites(
    conn: sqlite3.Connection, sites: Iterable[SiteConfig], clock: datetime, every_hours: float
) -> list[SiteConfig]:
    """Sites without a check in the `every_hours` before the round's clock."""
    since = iso(clock - timedelta(hours=every_hours))
    recent = {
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT site_id FROM transport_checks"
            " WHERE checked_at > ? AND checked_at <= ?",
            (since, iso(clock)),
        )
    }
    return [site for site in sites if site.id not in recent]


def inner_urls(conn: sqlite3.Connection, site_id: str, limit: int) -> list[str]:
    """Up to `limit` inner pages of the site: its columns (二级) and newest posts (三级)."""
    if limit <= 0:
        return []
    columns = [
        row[0]
        for row in conn.execute(
            "SELECT url FROM columns WHERE site_id = ? ORDER BY id LIMIT ?",
            (site_id, (limit + 1) // 2),
        )
    ]
    posts = [
        row[0]
        for row in conn.execute(
            "SELECT url FROM posts WHERE site_id = ? AND gone_at IS NULL"
            " ORDER BY published_on DESC, id DESC LIMIT ?",
            (site_id, limit - len(columns)),
        )
    ]
    return list(dict.fromkeys(columns + posts))


def new_tls_client(ca_file: str | None, connections: int) -> httpx.AsyncClient:
    """Like `crawler.http.new_client` (no proxies, no automatic redirects, no keep-alive,
    time bounded by the caller) but verifying TLS with the configured CA bundle too."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=0)
    return httpx.AsyncClient(
        follow_redirects=False,
        trust_env=False,
        limits=limits,
        timeout=None,
        verify=tls_context(ca_file),
    )


async def check_site(
    client: httpx.AsyncClient,
    site: SiteConfig,
    config: TransportConfig,
    inner: list[str],
    *,
    user_agent: str,
    deadline: float,
) -> TransportResult:
    """HTTPS, HTTP→HTTPS and IPv6 of one site; never raises."""
    policy = probe_policy(site)
    https_url = https_home(site.home_url, config.https_port)
    http_url = entrance(site.home_url, "http", 80, config.http_port)
    args = (policy, system_resolve, user_agent, deadline)
    https, http = await asyncio.gather(
        check_https(client, https_url, *args), check_http_redirect(client, http_url, *args)
    )
    ipv6 = Ipv6Check(client, policy, ipv6_resolver(dict(config.resolve)), user_agent, deadline)
    home6 = await check_ipv6_home(ipv6, site.home_url)
    if home6.state == "unverifiable":
        links = [InnerLink(url, "unverifiable", home6.detail) for url in inner]
    else:
        links = await check_inner_links(ipv6, inner)
    return TransportResult(site.id, site.home_url, https_url, https, http_url, http, home6, links)


async def check_all(
    sites: list[SiteConfig],
    config: TransportConfig,
    inner: dict[str, list[str]],
    *,
    ca_file: str | None,
    user_agent: str,
    deadline: float,
) -> list[TransportResult]:
    """Every site concurrently (bounded), results in the sites' order."""
    gate = asyncio.Semaphore(PROBE_CONCURRENCY)
    async with new_tls_client(ca_file, PROBE_CONCURRENCY) as client:

        async def one(site: SiteConfig) -> TransportResult:
            async with gate:
                try:
                    return await check_site(
                        client,
                        site,
                        config,
                        inner.get(site.id, []),
                        user_agent=user_agent,
                        deadline=deadline,
                    )
                except Exception as exc:  # a row for every site, whatever broke
                    broke = Outcome("unverifiable", f"check failed: {type(exc).__name__}")
                    home = site.home_url
                    return TransportResult(site.id, home, home, broke, home, broke, broke)

        return list(await asyncio.gather(*(one(site) for site in sites)))


def store_results(
    conn: sqlite3.Connection, results: list[TransportResult], clock: datetime
) -> None:
    """One row per site checked, with its inner pages; one transaction."""
    with conn:
        for r in results:
            counts = {s: sum(1 for link in r.inner if link.state == s) for s in _LINK_STATES}
            row = (
                r.site_id,
                iso(clock),
                r.home_url,
                r.https_url,
                r.https.state,
                r.https.detail[:500],
                r.https.value if r.https.state == "ok" else None,
                r.http_url,
                r.http.state,
                r.http.detail[:500],
                r.ipv6.state,
                r.ipv6.value,
                r.ipv6.detail[:500],
                counts["ok"],
                counts["failed"],
                counts["unverifiable"],
            )
            cursor = conn.execute(_INSERT_CHECK, row)
            conn.executemany(
                "INSERT INTO transport_links (check_id, url, state, detail) VALUES (?, ?, ?, ?)",
                [(cursor.lastrowid, link.url, link.state, link.detail[:500]) for link in r.inner],
            )


_LINK_STATES = ("ok", "failed", "unverifiable")
_CHECK_COLUMNS = (
    "site_id, checked_at, home_url, https_url, https_state, https_detail, cert_not_after,"
    " http_url, http_state, http_detail, ipv6_state, ipv6_address, ipv6_detail,"
    " inner_ok, inner_failed, inner_unverifiable"
)
_INSERT_CHECK = f"INSERT INTO transport_checks ({_CHECK_COLUMNS}) VALUES ({', '.join('?' * 16)})"


def transport_round(
    conn: sqlite3.Connection,
    group: GroupConfig,
    sites: Iterable[SiteConfig],
    clock: datetime,
    *,
    deadline: float = PROBE_DEADLINE,
) -> list[TransportResult]:
    """Check the sites that are due and store the results at the round's clock."""
    config: TransportConfig = group.transport
    if not config.enabled:
        return []
    due = due_sites(conn, sites, clock, config.every_hours)
    if not due:
        return []
    inner = {site.id: inner_urls(conn, site.id, config.inner_links) for site in due}
    ca_file = str(resolve_config_path(config.ca_file, group)) if config.ca_file else None
    results = asyncio.run(
        check_all(
            due,
            config,
            inner,
            ca_file=ca_file,
            user_agent=group.defaults.user_agent,
            deadline=deadline,
        )
    )
    store_results(conn, results, clock)
    return results
