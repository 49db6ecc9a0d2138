"""Link checking as a Scrapy extension: links found on crawled pages, checked once per run.

The group spider announces each page it read (`page_read`) and each site whose page requests
are all answered (`site_pages_done`, crawler/spiders/signals.py). A site's links are checked
then, so they do not wait in memory for the end of the run; links into a site of the run still
being crawled wait for `spider_idle`, since that crawl may fetch them itself (a link the crawl
fetches, a new post, is never checked twice). While a site's checks are in flight the extension
holds the site and sends `site_work_done` when they are answered.

A HEAD request is tried first, a GET when the server mishandles HEAD. Links known to be broken
are re-checked at least once a month even when no page was re-read (incremental crawls skip
unchanged pages), until they work or disappear from the site: a link not on any page read this
run is let go when every page it was ever found on has been read in full this month (this run
or a completed earlier one) without it. Links that cannot be checked from here (no DNS answer,
no route, a host in `link_check.skip_hosts`) are recorded as unverifiable (无法验证), never as
broken. Per-page and per-site caps bound the checks a hostile page can cause; hitting one leaves
a crawl note. Figures of the run go to the crawler's stats under `sitewatch/linkcheck/…`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple, Self

import scrapy
from lxml.html import HtmlElement
from scrapy import signals as scrapy_signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.config import SiteConfig
from crawler.config.checks import host_in_domains, url_host
from crawler.faults import UNREACHABLE_FROM_HERE, Fault, classify_status
from crawler.guards import trap_reason
from crawler.items import LinkItem
from crawler.links import (
    HEAD_UNRELIABLE,
    DueLink,
    broken_links_to_recheck,
    link_ok,
    page_links_from_tree,
    pages_read_since,
)
from crawler.scrapy_faults import classify_exception
from crawler.spiders import signals
from crawler.spiders.caps import Caps
from crawler.spiders.group import GroupSpider
from crawler.spiders.waves import UrlKeys
from crawler.state import CrawlContext
from crawler.store import open_db
from crawler.urls import linked_url, url_key

STATS = "sitewatch/linkcheck"
LINK_STATUSES = [*range(400, 600)]  # delivered to the callback; redirects are still followed


class Link(NamedTuple):
    """A link to check, as found."""

    site: SiteConfig
    url: str
    found_on: str
    on_home_page: bool


class LinkCheck:
    """Queue, schedule and judge the run's link checks."""

    def __init__(self, crawler: Crawler, context: CrawlContext, requested: UrlKeys) -> None:
        self.crawler = crawler
        self.context = context
        self.requested = requested  # pages the crawl itself fetched: never checked as links
        self.caps = Caps(crawler, context)
        self.checked = UrlKeys()
        # Per site while its pages are crawled: its links, every link key on its pages read in
        # full, and those pages' keys (a site's entries go when its pages are done).
        self.site_links: dict[str, dict[str, Link]] = {}
        self.site_seen: dict[str, set[str]] = {}
        self.site_pages: dict[str, set[str]] = {}
        self.pages_done: set[str] = set()
        self.waiting: dict[str, Link] = {}  # links into sites still crawled: checked when idle
        self.per_site: Counter[str] = Counter()
        self.in_flight: Counter[str] = Counter()
        self.holding: set[str] = set()
        self.due, self.read_this_month = self.load_due()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        spider = crawler.spider
        if not crawler.settings.getbool("SITEWATCH_LINK_CHECK") or not isinstance(
            spider, GroupSpider
        ):
            raise NotConfigured
        extension = cls(crawler, spider.context, spider.requests.requested)
        crawler.signals.connect(extension.page_read, signal=signals.page_read)
        crawler.signals.connect(extension.site_pages_done, signal=signals.site_pages_done)
        crawler.signals.connect(extension.spider_idle, signal=scrapy_signals.spider_idle)
        crawler.signals.connect(extension.link_fetched, signal=signals.link_fetched)
        return extension

    # -- known-broken links -------------------------------------------------------------
    def load_due(self) -> tuple[dict[str, list[DueLink]], set[tuple[str, str]]]:
        """Links whose latest check failed before this month, per site; and which of the pages
        they were found on a completed crawl of this month read in full."""
        month_start = self.context.now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        site_ids = [site.id for site in self.context.sites]
        db = open_db(self.context.db_path, migrate_schema=False)
        try:
            due = broken_links_to_recheck(db.conn, site_ids, month_start)
            pages = {(link.site_id, page) for link in due for page in link.pages}
            read = pages_read_since(db.conn, pages, month_start)
        finally:
            db.conn.close()
        per_site: dict[str, list[DueLink]] = {}
        for link in due:
            per_site.setdefault(link.site_id, []).append(link)
        return per_site, {(site_id, url_key(url)) for site_id, url in read}

    def add_due(self, site: SiteConfig, links: dict[str, Link]) -> None:
        """Add the site's known-broken links to its links, unless gone from the site."""
        seen = self.site_seen.pop(site.id, set())
        read = self.site_pages.pop(site.id, set())
        for due in self.due.pop(site.id, []):
            key = url_key(due.url)
            if key not in seen and all(
                url_key(page) in read or (site.id, url_key(page)) in self.read_this_month
                for page in due.pages
            ):
                self.stat("gone")  # on none of the pages it was found on any more
                continue
            self.stat("due")
            links.setdefault(key, Link(site, due.url, due.found_on, due.on_home_page))

    # -- signals from the spider --------------------------------------------------------
    def page_read(
        self, site: SiteConfig, tree: HtmlElement, page_url: str, on_home_page: bool
    ) -> None:
        """Note each link of a page for checking once the site's pages are crawled."""
        found = page_links_from_tree(tree, page_url)
        links = self.caps.take(site, found, "max_links_per_page", page_url)
        external, _skip = site.link_check_for(self.context.group.link_check)
        queue = self.site_links.setdefault(site.id, {})
        seen = self.site_seen.setdefault(site.id, set())
        if len(links) == len(found):  # read in full: a link not on it is not on this page
            self.site_pages.setdefault(site.id, set()).add(url_key(page_url))
        for url in links:
            key = url_key(url)
            seen.add(key)
            if external == "skip" and not self.inside_group(url):
                continue
            if key not in queue:
                queue[key] = Link(site, url, page_url, on_home_page)

    def site_pages_done(self, site: SiteConfig) -> bool:
        """Check the site's links now; True (the site is held) when any check was sent."""
        self.pages_done.add(site.id)
        links = self.site_links.pop(site.id, {})
        self.add_due(site, links)
        now: dict[str, Link] = {}
        for key, link in links.items():
            owner = self.context.site_by_host.get(url_host(link.url))
            if owner is not None and owner != site.id and owner not in self.pages_done:
                self.waiting.setdefault(key, link)
            else:
                now[key] = link
        if not self.send(now):
            return False
        self.holding.add(site.id)
        return True

    def spider_idle(self) -> None:
        """Every page is crawled: check the links that waited, and those of sites whose pages
        never all came back."""
        for site in self.context.sites:
            if site.id in self.pages_done:
                continue
            links = self.site_links.pop(site.id, {})
            self.add_due(site, links)
            for key, link in links.items():
                self.waiting.setdefault(key, link)
        waiting, self.waiting = self.waiting, {}
        if self.send(waiting):
            raise DontCloseSpider

    # -- requests -----------------------------------------------------------------------
    def send(self, links: dict[str, Link]) -> bool:
        """Schedule the checks these links need; whether any was sent."""
        requests = list(self.checks(links))
        for request in requests:
            self.crawler.engine.crawl(request)
        return bool(requests)

    def checks(self, links: dict[str, Link]) -> Iterator[scrapy.Request]:
        """Requests for the links: each once per run, skipping what needs no check."""
        for key, link in links.items():
            if self.wanted(key, link):
                crawl = link.site.effective_crawl(self.context.group.defaults)
                yield self.request(link, "HEAD", crawl.timeout)

    def wanted(self, key: str, link: Link) -> bool:
        """Whether the link is checked now (True once per run at most): not read by the crawl,
        not known to work or to fail today, not a trap, within the site's cap."""
        if key in self.checked or key in self.requested:
            return False
        self.checked.add(key)
        state = self.context.state
        site, url = link.site, link.url
        if url in state.links_ok_recently or url in state.links_failed_today:
            return False  # broken links are still re-checked daily, so a fixed one clears
        if self.read_before(site, key) or url_host(url) in self.context.sibling_hosts:
            return False
        if trap_reason(url):
            return False  # one calendar page links hundreds more: checking them is walking them
        cap = site.effective_crawl(self.context.group.defaults).max_links_per_site
        self.per_site[site.id] += 1
        if self.per_site[site.id] > cap:
            if self.per_site[site.id] == cap + 1:
                detail = f"more than {cap} links (max_links_per_site)"
                self.caps.note(site, "max_links_per_site", detail, link.found_on)
            return False
        return True

    def link_fetched(self, site: SiteConfig, url: str, status: int) -> LinkItem | None:
        """Another part of the crawl fetched a link of the site's pages with GET (the content
        checks' attachments): its answer is the link's check, unless the link is not one to
        check or was checked already. The item to record, or None."""
        key = url_key(url)
        link = self.site_links.get(site.id, {}).get(key)
        if link is None or not self.wanted(key, link):
            return None
        self.stat("answered_elsewhere")
        return self.answer(link, url, status)

    def inside_group(self, url: str) -> bool:
        """True when a link points into one of the group's sites (not an external link)."""
        host = url_host(url)
        return host in self.context.site_by_host or any(
            host_in_domains(host, site.allowed_domains) for site in self.context.sites
        )

    def read_before(self, site: SiteConfig, key: str) -> bool:
        """A post or letter page this site served us in an earlier run: read, not just linked."""
        post = self.context.state.posts.get(site.id, {}).get(key)
        letter = self.context.state.letters.get(site.id, {}).get(key)
        return bool((post and post.detail_done) or (letter and letter.detail_done))

    def request(self, link: Link, method: str, timeout: float) -> scrapy.Request:
        """A HEAD (or fallback GET) request that checks one link, in its host's slot (a site's
        slot is its home host, so links into a site of the group share that site's slot)."""
        self.in_flight[link.site.id] += 1
        self.stat(f"requests/{method}")
        return scrapy.Request(
            link.url,
            method=method,
            callback=self.tracked(link, self.checked_response),
            errback=self.tracked(link, self.failed),
            cb_kwargs={"link": link},
            dont_filter=True,
            priority=-10,
            meta={
                "site_id": link.site.id,
                "kind": "link",
                "download_slot": url_host(link.url),
                "download_timeout": timeout,
                "dont_obey_robotstxt": True,
                "handle_httpstatus_list": LINK_STATUSES,
                "dont_retry": method == "HEAD",
                "link": link,
                "download_maxsize": 2 * 1024 * 1024,
            },
        )

    def tracked(self, link: Link, handler: Callable[..., Iterator[Any]]) -> Callable[..., Any]:
        """Wrap a callback so the site is let go once its last check is answered."""

        def run(*args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                yield from handler(*args, **kwargs)
            finally:
                self.answered(link.site.id)

        run.__name__ = handler.__name__
        return run

    def answered(self, site_id: str) -> None:
        """A check of the site is answered; the site is let go when none is left."""
        self.in_flight[site_id] -= 1
        if self.in_flight[site_id] > 0:
            return
        del self.in_flight[site_id]
        if site_id in self.holding:
            self.holding.discard(site_id)
            self.crawler.signals.send_catch_log(signals.site_work_done, site_id=site_id)

    # -- answers ------------------------------------------------------------------------
    def checked_response(self, response: Response, link: Link) -> Iterator[Any]:
        """A check answered: the link works or is broken (HEAD retried as GET when unreliable)."""
        request = response.request
        assert request is not None
        url = linked_url(request)
        if request.method == "HEAD" and response.status in HEAD_UNRELIABLE:
            crawl = link.site.effective_crawl(self.context.group.defaults)
            yield self.request(link._replace(url=url), "GET", crawl.timeout)
            return
        yield self.answer(link, url, response.status)

    def answer(self, link: Link, url: str, status: int) -> LinkItem:
        """The link works or is broken, as its HTTP status says."""
        ok = link_ok(status)
        fault = None if ok else (classify_status(status) or Fault.BAD_REDIRECT)
        self.stat("ok" if ok else "broken")
        return LinkItem(
            site_id=link.site.id,
            url=url,
            found_on=link.found_on,
            on_home_page=link.on_home_page,
            ok=ok,
            status=status,
            error=fault,
        )

    def failed(self, failure: Failure) -> Iterator[Any]:
        """A check got no answer: broken, or unverifiable when this network cannot tell."""
        request = getattr(failure, "request")  # noqa: B009 - set by Scrapy, not typed
        link: Link = request.meta["link"]
        fault = classify_exception(failure.value)
        detail = None
        if fault in UNREACHABLE_FROM_HERE or fault == Fault.UNVERIFIABLE:
            # Says nothing about the link, only about this network's reach: 无法验证.
            detail = "skip_host" if fault == Fault.UNVERIFIABLE else fault.value
            fault = Fault.UNVERIFIABLE
        self.stat("unverifiable" if fault == Fault.UNVERIFIABLE else "broken")
        yield LinkItem(
            site_id=link.site.id,
            url=linked_url(request),
            found_on=link.found_on,
            on_home_page=link.on_home_page,
            ok=False,
            status=None,
            error=fault,
            detail=detail,
        )

    def stat(self, name: str) -> None:
        """Count one event of the run's link checks in the crawler's stats."""
        self.crawler.stats.inc_value(f"{STATS}/{name}")
