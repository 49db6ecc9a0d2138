"""Requests for a site's own pages, for the group spider: in the site's download slot, with its
user agent, timeout and robots rule, counted in flight (crawler/spiders/ledger.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from twisted.python.failure import Failure

from crawler.config import SiteConfig
from crawler.config.checks import url_host
from crawler.spiders.ledger import SiteLedger
from crawler.spiders.waves import UrlKeys
from crawler.state import CrawlContext
from crawler.urls import url_key

STATS = "sitewatch/requests"


class PageRequests:
    """Builds the page requests of every site; remembers each URL requested in the run."""

    def __init__(
        self,
        crawler: Crawler,
        context: CrawlContext,
        ledger: SiteLedger,
        failed: Callable[[Failure], Iterator[Any]],
    ) -> None:
        self.crawler = crawler
        self.context = context
        self.ledger = ledger
        self.failed = failed  # the errback of every page request (crawler/spiders/failures.py)
        self.requested = UrlKeys()

    def page(
        self,
        site: SiteConfig,
        url: str,
        kind: str,
        callback: Callable[..., Any],
        *,
        cb_kwargs: dict[str, Any] | None = None,
        conditional: bool = False,
        priority: int = 0,
        extra_meta: dict[str, Any] | None = None,
    ) -> scrapy.Request:
        """A request for one of the site's own pages, in the site's download slot."""
        crawl = site.effective_crawl(self.context.group.defaults)
        headers = {"User-Agent": crawl.user_agent}
        statuses = [304] if conditional else []
        if conditional:
            etag, modified = self.context.state.validators.get(url, (None, None))
            if etag:
                headers["If-None-Match"] = etag
            if modified:
                headers["If-Modified-Since"] = modified
        self.ledger.count(site)
        self.requested.add(url_key(url))
        self.crawler.stats.inc_value(f"{STATS}/{kind}")
        return scrapy.Request(
            url,
            callback=self.ledger.tracked(site, callback),
            errback=self.ledger.tracked(site, self.failed),
            cb_kwargs=cb_kwargs or {},
            headers=headers,
            dont_filter=True,
            priority=priority,
            meta={
                "site_id": site.id,
                "kind": kind,
                "download_slot": slot_of(site),
                "download_timeout": crawl.timeout,
                "dont_obey_robotstxt": not crawl.obey_robots,
                "handle_httpstatus_list": statuses,
                "page_url": url,
                **(extra_meta or {}),
            },
        )


def slot_of(site: SiteConfig) -> str:
    """A site's download slot: its home host, which robots.txt requests share by default."""
    return url_host(site.home_url)
