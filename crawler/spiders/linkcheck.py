"""Link checking for the group spider: links found on crawled pages, checked once per run.

Links are queued per site while its pages are crawled and checked once the site has no page
request left (links into another site of the run still being crawled: when the spider would
otherwise go idle), so a link the crawl itself fetches (a new post) is never checked twice and
the queue holds only the sites being crawled (crawler/spiders/waves.py). A HEAD request is
tried first, a GET when the server mishandles HEAD. Links known to be broken are re-checked at
least once a month even when no page was re-read (incremental crawls skip unchanged pages).
Links that cannot be checked from here (no DNS answer, no route, a host in
`link_check.skip_hosts`) are recorded as unverifiable (无法验证), never as broken. Per-page and
per-site caps bound the checks a hostile page can cause; hitting one leaves a crawl note.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import scrapy
from lxml.html import HtmlElement
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.config import SiteConfig
from crawler.config.checks import host_in_domains, url_host
from crawler.faults import UNREACHABLE_FROM_HERE, Fault, classify_status
from crawler.guards import trap_reason
from crawler.items import LinkItem
from crawler.links import HEAD_UNRELIABLE, broken_links_to_recheck, link_ok, page_links_from_tree
from crawler.notes import Note, add_note
from crawler.scrapy_faults import classify_exception
from crawler.store import open_db
from crawler.urls import url_key

if TYPE_CHECKING:
    from crawler.spiders.waves import UrlKeys
    from crawler.state import CrawlContext

LINK_STATUSES = [*range(400, 600)]  # delivered to the callback; redirects are still followed
T = TypeVar("T")


class LinkChecking:
    """Mixin of GroupSpider: queue, schedule and judge link checks."""

    context: CrawlContext
    crawler: Any
    pending: dict[str, int]
    checked_links: UrlKeys
    requested: UrlKeys
    link_queue: dict[str, tuple[SiteConfig, str, str, bool]]
    # Each site's links, checked when its pages are done (crawler/spiders/waves.py).
    site_links: dict[str, dict[str, tuple[SiteConfig, str, str, bool]]]
    pages_done: set[str]
    broken_seeded: bool = False

    # Provided by GroupSpider.
    def tracked(self, site: SiteConfig, handler: Any) -> Any: ...  # pragma: no cover
    def slot_of(self, site: SiteConfig) -> str: ...  # pragma: no cover
    def context_site(self, site_id: str) -> SiteConfig: ...  # pragma: no cover

    def queue_links(
        self, site: SiteConfig, tree: HtmlElement, page_url: str, on_home_page: bool
    ) -> None:
        """Note each link of a page for checking once the pages are crawled (see on_idle)."""
        links = self.capped(
            site, page_links_from_tree(tree, page_url), "max_links_per_page", page_url
        )
        external, _skip = site.link_check_for(self.context.group.link_check)
        queue = self.site_links.setdefault(site.id, {})
        for url in links:
            if external == "skip" and not self.inside_group(url):
                continue
            key = url_key(url)
            if key not in queue:
                queue[key] = (site, url, page_url, on_home_page)

    def capped(self, site: SiteConfig, values: list[T], cap: str, url: str) -> list[T]:
        """The first `cap` values (a CrawlSettings field); a crawl note when some are dropped."""
        limit = getattr(site.effective_crawl(self.context.group.defaults), cap)
        if len(values) <= limit:
            return values
        detail = f"{len(values)} found, {limit} taken ({cap})"
        add_note(self.crawler, Note(site.id, cap, detail, url))
        return values[:limit]

    def inside_group(self, url: str) -> bool:
        """True when a link points into one of the group's sites (not an external link)."""
        host = url_host(url)
        return host in self.context.site_by_host or any(
            host_in_domains(host, site.allowed_domains) for site in self.context.sites
        )

    def seed_known_broken(self) -> None:
        """Queue the links whose latest check failed before this month, once per run."""
        self.broken_seeded = True
        month_start = self.context.now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        sites = {site.id: site for site in self.context.sites}
        db = open_db(self.context.db_path, migrate_schema=False)
        try:
            rows = broken_links_to_recheck(db.conn, list(sites), month_start)
        finally:
            db.conn.close()
        for site_id, url, found_on, on_home_page in rows:
            self.link_queue.setdefault(url_key(url), (sites[site_id], url, found_on, on_home_page))

    def check_site_links(self, site: SiteConfig) -> bool:
        """The site's pages are done: check its links now, so they do not wait in memory for
        the end of the run; links into a site of the run still being crawled wait, since its
        crawl may fetch them. Return whether any check was sent."""
        now: dict[str, tuple[SiteConfig, str, str, bool]] = {}
        for key, entry in self.site_links.pop(site.id, {}).items():
            owner = self.context.site_by_host.get(url_host(entry[1]))
            if owner is not None and owner != site.id and owner not in self.pages_done:
                self.link_queue.setdefault(key, entry)
            else:
                now[key] = entry
        requests = list(self.link_checks(now))
        for request in requests:
            self.crawler.engine.crawl(request)
        return bool(requests)

    def on_idle(self) -> None:
        """When every page is crawled, check the links the crawl did not fetch itself."""
        if not self.broken_seeded:
            self.seed_known_broken()
        for queue in self.site_links.values():  # sites whose pages never all came back
            for key, entry in queue.items():
                self.link_queue.setdefault(key, entry)
        self.site_links.clear()
        requests = list(self.link_checks())
        if not requests:
            return
        assert self.crawler.engine is not None
        for request in requests:
            self.crawler.engine.crawl(request)
        raise DontCloseSpider

    def link_checks(
        self, queued: dict[str, tuple[SiteConfig, str, str, bool]] | None = None
    ) -> Iterator[scrapy.Request]:
        """Requests for the queued links: each once per run, skipping what needs no check."""
        if queued is None:
            queued, self.link_queue = self.link_queue, {}
        per_site: Counter[str] = getattr(self, "links_per_site", Counter())
        self.links_per_site = per_site
        for key, (site, url, found_on, on_home_page) in queued.items():
            if key in self.checked_links or key in self.requested:
                continue
            self.checked_links.add(key)
            state = self.context.state
            if url in state.links_ok_recently or url in state.links_failed_today:
                continue  # broken links are still re-checked daily, so a fixed one clears
            if self.read_before(site, key) or url_host(url) in self.context.sibling_hosts:
                continue
            if trap_reason(url):
                continue  # one calendar page links hundreds more: checking them is walking them
            crawl = site.effective_crawl(self.context.group.defaults)
            per_site[site.id] += 1
            if per_site[site.id] > crawl.max_links_per_site:
                if per_site[site.id] == crawl.max_links_per_site + 1:
                    detail = f"more than {crawl.max_links_per_site} links (max_links_per_site)"
                    add_note(self.crawler, Note(site.id, "max_links_per_site", detail, found_on))
                continue
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
        fault = None if ok else (classify_status(response.status) or Fault.BAD_REDIRECT)
        yield LinkItem(
            site_id=site.id,
            url=request.meta.get("redirect_urls", [request.url])[0],
            found_on=found_on,
            on_home_page=on_home_page,
            ok=ok,
            status=response.status,
            error=fault,
        )

    def link_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        info = request.meta["link_info"]
        fault = classify_exception(failure.value)
        detail = None
        if fault in UNREACHABLE_FROM_HERE or fault == Fault.UNVERIFIABLE:
            # Says nothing about the link, only about this network's reach: 无法验证.
            detail = "skip_host" if fault == Fault.UNVERIFIABLE else fault.value
            fault = Fault.UNVERIFIABLE
        yield LinkItem(
            site_id=request.meta["site_id"],
            url=request.meta.get("redirect_urls", [request.url])[0],
            found_on=info["found_on"],
            on_home_page=info["on_home_page"],
            ok=False,
            status=None,
            error=fault,
            detail=detail,
        )
