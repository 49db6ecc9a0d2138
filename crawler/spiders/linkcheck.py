"""Link checking for the group spider: links found on crawled pages, checked once per run.

Links are queued while pages are crawled and checked when the spider would otherwise go idle,
so a link the crawl itself fetches (a new post) is never checked twice. A HEAD request is
tried first, a GET when the server mishandles HEAD.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import scrapy
from lxml.html import HtmlElement
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.config import SiteConfig
from crawler.config.checks import url_host
from crawler.faults import classify_exception
from crawler.guards import trap_reason
from crawler.items import LinkItem
from crawler.links import HEAD_UNRELIABLE, link_ok, page_links_from_tree
from crawler.urls import url_key

if TYPE_CHECKING:
    from crawler.state import CrawlContext

LINK_STATUSES = [*range(400, 600)]  # delivered to the callback; redirects are still followed


class LinkChecking:
    """Mixin of GroupSpider: queue, schedule and judge link checks."""

    context: CrawlContext
    crawler: Any
    pending: dict[str, int]
    checked_links: set[str]
    requested: set[str]
    link_queue: dict[str, tuple[SiteConfig, str, str, bool]]

    # Provided by GroupSpider.
    def tracked(self, site: SiteConfig, handler: Any) -> Any: ...  # pragma: no cover
    def slot_of(self, site: SiteConfig) -> str: ...  # pragma: no cover
    def context_site(self, site_id: str) -> SiteConfig: ...  # pragma: no cover

    def queue_links(
        self, site: SiteConfig, tree: HtmlElement, page_url: str, on_home_page: bool
    ) -> None:
        """Note each link of a page for checking once the pages are crawled (see on_idle)."""
        for url in page_links_from_tree(tree, page_url):
            key = url_key(url)
            if key not in self.link_queue:
                self.link_queue[key] = (site, url, page_url, on_home_page)

    def on_idle(self) -> None:
        """When every page is crawled, check the links the crawl did not fetch itself."""
        requests = list(self.link_checks())
        if not requests:
            return
        assert self.crawler.engine is not None
        for request in requests:
            self.crawler.engine.crawl(request)
        raise DontCloseSpider

    def link_checks(self) -> Iterator[scrapy.Request]:
        """Requests for the queued links: each once per run, skipping what needs no check."""
        queued, self.link_queue = self.link_queue, {}
        for key, (site, url, found_on, on_home_page) in queued.items():
            if key in self.checked_links or key in self.requested:
                continue
            self.checked_links.add(key)
            state = self.context.state
            if url in state.links_ok_recently or url in state.links_failed_today:
                continue  # broken links are still re-checked daily, so a fixed one clears
            if self.read_before(site, key):
                continue
            if trap_reason(url):
                continue  # one calendar page links hundreds more: checking them is walking them
            crawl = site.effective_crawl(self.context.group.defaults)
            yield self.link_request(site, url, found_on, on_home_page, "HEAD", crawl.timeout)

    def read_before(self, site: SiteConfig, key: str) -> bool:
        """A post or letter page this site served us in an earlier run: read, not just linked."""
        post = self.context.state.posts.get(site.id, {}).get(key)
        letter = self.context.state.letters.get(site.id, {}).get(key)
        return bool((post and post.detail_done) or (letter and letter.detail_done))

    def link_request(
        self,
        site: SiteConfig,
        url: str,
        found_on: str,
        on_home_page: bool,
        method: str,
        timeout: float,
    ) -> scrapy.Request:
        """A HEAD (or fallback GET) request that checks one link."""
        host = url_host(url)
        owner = self.context.site_by_host.get(host)
        slot = self.slot_of(self.context_site(owner)) if owner else host
        self.pending[site.id] += 1
        info = {"found_on": found_on, "on_home_page": on_home_page}
        return scrapy.Request(
            url,
            method=method,
            callback=self.tracked(site, self.link_checked),
            errback=self.tracked(site, self.link_failed),
            cb_kwargs={"site": site, **info},
            dont_filter=True,
            priority=-10,
            meta={
                "site_id": site.id,
                "kind": "link",
                "download_slot": slot,
                "download_timeout": timeout,
                "dont_obey_robotstxt": True,
                "handle_httpstatus_list": LINK_STATUSES,
                "dont_retry": method == "HEAD",
                "link_info": info,
                "download_maxsize": 2 * 1024 * 1024,
            },
        )

    def link_checked(
        self, response: Response, site: SiteConfig, found_on: str, on_home_page: bool
    ) -> Iterator[Any]:
        request = response.request
        assert request is not None
        if request.method == "HEAD" and response.status in HEAD_UNRELIABLE:
            crawl = site.effective_crawl(self.context.group.defaults)
            url = request.meta.get("redirect_urls", [request.url])[0]
            yield self.link_request(site, url, found_on, on_home_page, "GET", crawl.timeout)
            return
        ok = link_ok(response.status)
        yield LinkItem(
            site_id=site.id,
            url=request.meta.get("redirect_urls", [request.url])[0],
            found_on=found_on,
            on_home_page=on_home_page,
            ok=ok,
            status=response.status,
            error=None if ok else f"http_{response.status}",
        )

    def link_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        info = request.meta["link_info"]
        yield LinkItem(
            site_id=request.meta["site_id"],
            url=request.meta.get("redirect_urls", [request.url])[0],
            found_on=info["found_on"],
            on_home_page=info["on_home_page"],
            ok=False,
            status=None,
            error=classify_exception(failure.value),
        )
