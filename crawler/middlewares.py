"""Downloader middlewares: the guards (offsite, private addresses, traps), the fetch log, backoff.

Each is one concern, configured from the crawl context the spider carries.
"""

from __future__ import annotations

import asyncio
import email.utils
import sqlite3
import time
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response, TextResponse
from twisted.internet.error import DNSLookupError

from crawler.config.checks import HTTP_SCHEMES, host_in_domains, url_host
from crawler.extract.encoding import decode_html, normalise_codec
from crawler.faults import Fault, classify_status
from crawler.guards import NetworkPolicy, host_policy, refused_address, trap_reason
from crawler.limits import RETRY_AFTER_MAX
from crawler.notes import Note, add_note, storage_failed
from crawler.resolver import AddressBook, Lookup, crawl_book, system_addresses
from crawler.scrapy_faults import RefusedRequest, classify_exception
from crawler.store import Store, open_db

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.config import SiteConfig
    from crawler.state import CrawlContext


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
    """Refuse requests outside a site's domains, to addresses it may not reach, into traps.

    Link checks (meta kind 'link') may leave the group's domains: that is their job. They are
    never followed, and a site's private-network allowance covers only hosts inside its own
    domains. Redirects pass through here again, so a redirect off-site, to another scheme or to
    169.254.169.254 is refused before any connection. Robots.txt requests (Scrapy's, without a
    site) are allowed only for hosts some site of the crawl may crawl.

    Names are resolved through the crawl's `AddressBook`, which Twisted also connects through
    (`crawler.resolver.PinnedResolver`): the address checked is the address connected to.
    """

    def __init__(self, crawler: Crawler, resolver: Lookup | None = None) -> None:
        self.crawler = crawler
        self.book = AddressBook(resolver or system_addresses)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GuardMiddleware:
        guard = cls(crawler)
        guard.book = crawl_book(crawler.settings)  # the one the reactor connects through
        return guard

    def process_request(self, request: Request) -> Coroutine[Any, Any, None] | None:
        """None when the request may go; a coroutine when its host must be resolved first."""
        context = context_of(self.crawler)
        host = url_host(request.url)
        if urlsplit(request.url).scheme not in HTTP_SCHEMES or not host:
            raise RefusedRequest(Fault.SCHEME, request.url[:80])
        site = site_for(context, request, host)
        if request.meta.get("kind", "page") == "link":
            if site is not None and skipped_host(host, site, context):
                raise RefusedRequest(Fault.UNVERIFIABLE, f"{host}: in link_check.skip_hosts")
        else:
            if site is None or not host_in_domains(host, site.allowed_domains):
                raise RefusedRequest(Fault.OFFSITE, host)
            # A CMS adapter's data URL is built from the page's own config (gkmlpt's `sid` is a
            # site id, not a session): crawler/adapters, not a trap.
            reason = None if request.meta.get("cms_data") else trap_reason(request.url)
            if reason:
                raise RefusedRequest(Fault.TRAP, reason)
        policy = host_policy(host, site)
        try:
            known = self.book.known(host)
        except DNSLookupError as exc:
            raise RefusedRequest(Fault.DNS, str(exc)) from None
        if known is None:
            return self.resolve_and_check(host, policy)
        check_addresses(host, known, policy)
        return None

    async def resolve_and_check(self, host: str, policy: NetworkPolicy) -> None:
        """Look the host up (once per crawl, bounded in time) and check every address."""
        try:
            addresses = await self.book.addresses(host)
        except DNSLookupError as exc:
            raise RefusedRequest(Fault.DNS, str(exc)) from None
        check_addresses(host, addresses, policy)


def check_addresses(host: str, addresses: list[str], policy: NetworkPolicy) -> None:
    """RefusedRequest when any address of the host is one the policy does not allow."""
    refused = refused_address(addresses, policy)
    if refused is not None:
        raise RefusedRequest(Fault.PRIVATE_ADDRESS, f"{host} -> {refused}")


def site_for(context: CrawlContext, request: Request, host: str) -> SiteConfig | None:
    """The request's site; for Scrapy's own robots.txt requests, a site that owns the host."""
    site_id = request.meta.get("site_id")
    if site_id is None:
        site_id = context.site_by_host.get(host)
    if site_id is not None:
        return context.site_by_id.get(site_id)
    return next((s for s in context.sites if host_in_domains(host, s.allowed_domains)), None)


def skipped_host(host: str, site: SiteConfig, context: CrawlContext) -> bool:
    """True when a link's host is on the site's or the group's link_check.skip_hosts."""
    _external, skip = site.link_check_for(context.group.link_check)
    return bool(skip) and host_in_domains(host, skip)


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
        try:
            self._record(request, status, error, size, site_id, kind, elapsed)
        except sqlite3.Error as exc:
            storage_failed(self.crawler, exc)
            return
        progress = context.progress.sites.get(site_id or "")
        if progress is not None:
            first = request.meta.get("retry_times", 0) == 0
            with context.progress.lock:
                # A retry is the same page again: counted once, as a page and as an error.
                progress.pages += int(first)
                if error and kind != "link" and first:
                    progress.errors += 1

    def _record(
        self,
        request: Request,
        status: int | None,
        error: str | None,
        size: int | None,
        site_id: str | None,
        kind: str,
        elapsed: int | None,
    ) -> None:
        context = context_of(self.crawler)
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
            retry=request.meta.get("retry_times", 0) > 0,
        )


def retry_after(response: Response) -> float | None:
    """Seconds a 429/503 asks the client to wait (delta-seconds or an HTTP date), else None."""
    if response.status not in (429, 503):
        return None
    value = response.headers.get(b"Retry-After")
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, waiting 0.5 s, 1 s, 2 s … before each new attempt of a request."""

    BACKOFF_BASE = 0.5
    BACKOFF_MAX = 8.0

    def __init__(self, settings: Any, crawler: Any = None) -> None:
        super().__init__(settings)
        self.crawler = crawler
        self.backoff_base = settings.getfloat("SITEWATCH_RETRY_BACKOFF", self.BACKOFF_BASE)
        self.retry_after_max = settings.getfloat("SITEWATCH_RETRY_AFTER_MAX", RETRY_AFTER_MAX)

    @classmethod
    def from_crawler(cls, crawler: Any) -> BackoffRetryMiddleware:
        return cls(crawler.settings, crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        asked = retry_after(response)
        if asked is not None and asked > self.retry_after_max:
            # Coming back in an hour is the next run's job: give up and say why.
            site_id = request.meta.get("site_id")
            detail = (
                f"HTTP {response.status}, Retry-After {asked:g} s (cap {self.retry_after_max:g} s)"
            )
            add_note(self.crawler, Note(site_id, Fault.RATE_LIMITED, detail, request.url))
            return response
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self._wait(request, asked)
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._wait(request)
        return result

    async def _wait(self, request: Request, asked: float | None = None) -> None:
        attempt = request.meta.get("retry_times", 0)
        delay = min(self.BACKOFF_MAX, self.backoff_base * (2**attempt))
        if asked is not None:
            delay = max(delay, asked)  # the server said when; never sooner
        if delay > 0:
            await asyncio.sleep(delay)


class CharsetMiddleware:
    """Give a page whose charset label cannot decode it (`undefined`, `idna` …) a usable one.

    Scrapy's own components read `response.text` (meta refresh, logging); with such a label
    that raises, and the page was dropped with its fetch logged 200. The label is replaced by
    the charset detected from the bytes, as `crawler.extract.encoding` decodes pages anyway.
    """

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse):
            return response
        label = response.encoding
        codec = normalise_codec(label)
        if codec is not None:
            return response
        _text, detected = decode_html(response.body)
        return response.replace(encoding=detected)
