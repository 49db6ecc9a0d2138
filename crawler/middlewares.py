"""Downloader middlewares: the guards (offsite, private addresses, traps), the fetch log, backoff.

Each is one concern, configured from the crawl context the spider carries.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response

from crawler.config.checks import host_in_domains, is_ip_literal, is_private_address, url_host
from crawler.faults import RefusedRequest, classify_exception, classify_status
from crawler.guards import trap_reason
from crawler.store import Store, open_db

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.state import CrawlContext


def is_link_local(host: str) -> bool:
    """True for link-local IP literals (169.254.0.0/16, fe80::/10): metadata services live there."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_link_local
    except ValueError:
        return False


REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def redirect_fault(request: Request, response: Response, max_times: int) -> str | None:
    """'redirect_loop' for a redirect back into its own chain or past the redirect limit.

    Scrapy gives such a chain up with an IgnoreRequest raised after this middleware saw the
    response, so without this the fetch log would show only plain 3xx rows.
    """
    if response.status not in REDIRECT_STATUSES:
        return None
    location = response.headers.get(b"Location")
    if not location:
        return None
    target = urljoin(request.url, location.decode("latin-1"))
    chain = {*request.meta.get("redirect_urls", ()), request.url}
    if target in chain or request.meta.get("redirect_times", 0) >= max_times:
        return "redirect_loop"
    return None


def context_of(crawler: Crawler) -> CrawlContext:
    """The crawl context the running spider carries."""
    return crawler.spider.context  # type: ignore[union-attr]


class GuardMiddleware:
    """Refuse requests outside a site's domains, to private addresses, and into traps.

    Link checks (meta kind 'link') may leave the group's domains: that is their job. They are
    never followed, and private addresses stay refused for them too unless the group allows.
    Redirects pass through here again, so a redirect off-site or to 169.254.169.254 is refused.
    """

    def __init__(
        self, crawler: Crawler, resolver: Callable[[str], list[str]] | None = None
    ) -> None:
        self.crawler = crawler
        self.resolver = resolver or system_addresses
        self.resolved: dict[str, list[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GuardMiddleware:
        return cls(crawler)

    def addresses(self, host: str) -> list[str]:
        """The host's addresses, looked up once per crawl (a literal IP is its own address)."""
        if is_ip_literal(host):
            return [host]
        if host not in self.resolved:
            self.resolved[host] = self.resolver(host)
        return self.resolved[host]

    def resolves_private(self, host: str) -> bool:
        """True when the host is, or resolves to, a private, loopback or link-local address."""
        if is_private_address(host):
            return True
        return any(is_private_address(address) for address in self.addresses(host))

    def process_request(self, request: Request) -> None:
        context = context_of(self.crawler)
        host = url_host(request.url)
        kind = request.meta.get("kind", "page")
        # A public-looking name can point at the intranet: judge where it resolves to. (A DNS
        # answer that changes between this look-up and the connection is not caught.)
        if not context.group.group.allow_private_addresses and self.resolves_private(host):
            raise RefusedRequest("private_address", host)
        if is_link_local(host):
            # Cloud metadata (169.254.169.254) and other link-local hosts: never, not even in a
            # group that allows loopback for its simulated sites (link checks leave domains).
            raise RefusedRequest("private_address", host)
        if kind == "link" or urlsplit(request.url).path == "/robots.txt":
            return None
        site_id = request.meta.get("site_id")
        site = next((s for s in context.sites if s.id == site_id), None)
        if site is None or not host_in_domains(host, site.allowed_domains):
            raise RefusedRequest("offsite", host)
        reason = trap_reason(request.url)
        if reason:
            raise RefusedRequest("trap", reason)
        return None


def system_addresses(host: str) -> list[str]:
    """Addresses of a host name from the system resolver ([] when it does not resolve).

    Blocking, but once per host per crawl; an unresolvable host fails later as a `dns` fault.
    """
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return sorted({str(info[4][0]) for info in infos})


class FetchLogMiddleware:
    """Write every fetch (response or failure) of the run to the `fetches` table."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.store: Store | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FetchLogMiddleware:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        self.store = Store(open_db(spider.context.db_path, migrate_schema=False))

    def spider_closed(self, spider: Any) -> None:
        if self.store is not None:
            self.store.conn.close()

    def process_request(self, request: Request) -> None:
        request.meta.setdefault("sitewatch_started", time.monotonic())
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        max_redirects = self.crawler.settings.getint("REDIRECT_MAX_TIMES")
        error = classify_status(response.status) or redirect_fault(request, response, max_redirects)
        self._log(request, response.status, error, len(response.body))
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._log(request, None, classify_exception(exception), None)
        return None

    def _log(self, request: Request, status: int | None, error: str | None, size: int | None):
        context = context_of(self.crawler)
        started = request.meta.pop("sitewatch_started", None)
        elapsed = int((time.monotonic() - started) * 1000) if started else None
        site_id = request.meta.get("site_id") or context.site_by_host.get(url_host(request.url))
        kind = request.meta.get("kind") or (
            "robots" if request.url.endswith("/robots.txt") else "page"
        )
        assert self.store is not None
        self.store.record_fetch(
            run_id=context.run_id,
            site_id=site_id,
            url=request.url,
            kind=kind,
            status=status,
            error=error,
            elapsed_ms=elapsed,
            size=size,
            fetched_at=context.clock(),
        )
        progress = context.progress.sites.get(site_id or "")
        if progress is not None:
            with context.progress.lock:
                progress.pages += 1
                if error and kind != "link":
                    progress.errors += 1


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, waiting 0.5 s, 1 s, 2 s … before each new attempt of a request."""

    BACKOFF_BASE = 0.5
    BACKOFF_MAX = 8.0

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("SITEWATCH_RETRY_BACKOFF", self.BACKOFF_BASE)

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self._wait(request)
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._wait(request)
        return result

    async def _wait(self, request: Request) -> None:
        attempt = request.meta.get("retry_times", 0)
        delay = min(self.BACKOFF_MAX, self.backoff_base * (2**attempt))
        if delay > 0:
            await asyncio.sleep(delay)
