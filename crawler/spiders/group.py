"""The one generic spider: every site of the group in parallel, no per-site Python.

Per site: home page → columns (configured or discovered) → each column's list pages through
their pagination → detail pages of new posts → mailboxes and their letters; links on the way
are checked once per run. It never writes SQL: it yields items for the store pipeline.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date, timedelta
from typing import Any
from urllib.parse import urljoin

import scrapy
from lxml.html import HtmlElement
from parsel import Selector
from scrapy import signals
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.config import SiteConfig, slug_from_url
from crawler.config.checks import url_host
from crawler.extract.columns import ColumnLink, category_from_meta, discover_columns_from_tree
from crawler.extract.dates import date_from_url
from crawler.extract.detail import extract_detail_from_tree
from crawler.extract.items import ListItem
from crawler.extract.lists import ListOverrides
from crawler.extract.pagination import find_pagination_from_tree
from crawler.extract.tree import parse_html
from crawler.extraction import ColumnShapeItem
from crawler.faults import classify_exception, classify_status
from crawler.guards import trap_reason
from crawler.items import (
    ColumnDoneItem,
    ColumnItem,
    LinkItem,
    PostItem,
    ValidatorsItem,
)
from crawler.links import page_links_from_tree
from crawler.selectors import to_xpath
from crawler.spiders.linkcheck import LinkChecking
from crawler.spiders.mailbox import MailboxWalking
from crawler.spiders.sources import ListSources
from crawler.spiders.walks import CONSULTATION, ColumnWalk, column_candidate, decoded
from crawler.spiders.waves import SiteWaves, UrlKeys, WaveCrawling
from crawler.state import CrawlContext
from crawler.urls import url_key


class GroupSpider(LinkChecking, MailboxWalking, ListSources, WaveCrawling, scrapy.Spider):
    """Crawl every configured site of a website group into items."""

    name = "sitewatch"

    def __init__(self, context: CrawlContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context = context
        self.today: date = context.now.date()
        self.horizon: dict[str, date] = {}
        self.pending: dict[str, int] = {site.id: 0 for site in context.sites}
        self.checked_links = UrlKeys()
        self.link_queue: dict[str, tuple[SiteConfig, str, str, bool]] = {}
        self.requested = UrlKeys()
        # Column and home URLs per site: a list that links to them is navigation, not posts.
        self.nav_keys: dict[str, set[str]] = {}
        self.overlap = 0
        self.render_enabled = False  # the headless browser is set up (crawler/render.py)
        self.render_open: dict[str, int] = {}  # rendered pages in flight, per site
        # Sites enter in waves and leave with their state (crawler/spiders/waves.py).
        self.waves = SiteWaves(max(1, len(context.sites)))
        self.pages_done: set[str] = set()
        self.released: set[str] = set()
        self.site_links: dict[str, dict[str, tuple[SiteConfig, str, str, bool]]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> GroupSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.overlap = crawler.settings.getint("SITEWATCH_INCREMENTAL_OVERLAP", 0)
        spider.render_enabled = crawler.settings.getbool("SITEWATCH_RENDER", False)
        spider.set_wave_limit(crawler.settings)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    # -- requests -----------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        for site in self.context.sites:
            await self.waves.enter(site.id, self.stalled)
            crawl = site.effective_crawl(self.context.group.defaults)
            self.horizon[site.id] = self.today - timedelta(days=crawl.horizon_days)
            yield self.page_request(site, site.home_url, "home", self.parse_home)

    def page_request(
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
        self.pending[site.id] += 1
        self.requested.add(url_key(url))
        return scrapy.Request(
            url,
            callback=self.tracked(site, callback),
            errback=self.tracked(site, self.page_failed),
            cb_kwargs=cb_kwargs or {},
            headers=headers,
            dont_filter=True,
            priority=priority,
            meta={
                "site_id": site.id,
                "kind": kind,
                "download_slot": self.slot_of(site),
                "download_timeout": crawl.timeout,
                "dont_obey_robotstxt": not crawl.obey_robots,
                "handle_httpstatus_list": statuses,
                "page_url": url,
                **(extra_meta or {}),
            },
        )

    @staticmethod
    def slot_of(site: SiteConfig) -> str:
        """A site's download slot: its home host, which robots.txt requests share by default."""
        return url_host(site.home_url)

    def tracked(self, site: SiteConfig, handler: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a callback so the site is marked done when its last request is answered."""
        if inspect.isasyncgenfunction(handler):
            return self.tracked_async(site, handler)

        def run(*args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                result = handler(*args, **kwargs)
                if result is not None:
                    yield from result
            finally:
                # Pending until its output is all out: a request it yielded may be answered
                # first, and the site must not count as finished (and released) meanwhile.
                self.pending[site.id] -= 1
                self.mark_done_if_idle(site)

        run.__name__ = handler.__name__
        return run

    def tracked_async(self, site: SiteConfig, handler: Callable[..., Any]) -> Callable[..., Any]:
        """`tracked` for async callbacks (rendered pages close their browser page)."""

        async def run(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
            try:
                async for output in handler(*args, **kwargs):
                    yield output
            finally:
                self.pending[site.id] -= 1
                self.mark_done_if_idle(site)

        run.__name__ = handler.__name__
        return run

    def mark_done_if_idle(self, site: SiteConfig) -> None:
        """Mark the site done in the progress figures when no request of it is left."""
        if self.pending[site.id] == 0:
            progress = self.context.progress.sites[site.id]
            with self.context.progress.lock:
                progress.done = True
            self.site_finished(site)

    # -- home page ----------------------------------------------------------------------
    def parse_home(self, response: Response) -> Iterator[Any]:
        site = self.site_of(response)
        tree = parse_html(decoded(response))
        self.context.progress.sites[site.id].home_status = str(response.status)
        home_links = {url_key(u) for u in page_links_from_tree(tree, response.url)}
        navigation = discover_columns_from_tree(tree, response.url)
        walks = list(self.columns_of(site, navigation, response.url))
        walks = self.capped(site, walks, "max_columns", response.url)
        self.nav_keys[site.id] = (
            {url_key(site.home_url), url_key(response.url)}
            | {url_key(walk.url) for walk in walks}
            | {url_key(link.url) for link in navigation}
        )
        for walk in walks:
            walk.on_home_page = url_key(walk.url) in home_links
            yield self.column_item(walk)
        for walk in walks:
            yield self.list_request(walk, walk.url, first=True)
        self.queue_links(site, tree, response.url, on_home_page=True)

    @staticmethod
    def column_item(walk: ColumnWalk) -> ColumnItem:
        """The column as the store keeps it."""
        return ColumnItem(
            site_id=walk.site.id,
            key=walk.key,
            name=walk.name,
            url=walk.url,
            category=walk.category,
            source="config" if walk.site.columns else "discovered",
            on_home_page=walk.on_home_page,
        )

    def columns_of(
        self, site: SiteConfig, navigation: list[ColumnLink], home_url: str
    ) -> Iterator[ColumnWalk]:
        """The site's columns: configured ones, else those discovered in its navigation."""
        seen: set[str] = set()
        if site.columns:
            for column in site.columns:
                seen.add(url_key(column.url))
                yield ColumnWalk(site, column.id, column.name, column.url, column.category.value)
        else:
            for link in navigation:
                key = url_key(link.url)
                if (
                    key in seen
                    or not column_candidate(site, link.url, home_url)
                    or trap_reason(link.url)
                ):
                    continue
                seen.add(key)
                yield ColumnWalk(site, slug_from_url(link.url), link.name, link.url, link.category)
        for url in site.consultation_urls:
            if url_key(url) in seen:
                continue
            seen.add(url_key(url))
            yield ColumnWalk(site, slug_from_url(url), "在线咨询", url, CONSULTATION)

    # -- column lists -------------------------------------------------------------------
    def list_request(self, walk: ColumnWalk, url: str, *, first: bool) -> scrapy.Request:
        """Request one list page of a column; the first one conditionally when safe."""
        walk.visited.add(url_key(url))
        pending_details = (walk.site.id, walk.key) in self.context.state.columns_pending_details
        conditional = first and not self.walks_in_full(walk) and not pending_details
        kind = "consultation_list" if walk.is_mailbox else "list"
        if walk.rendered:
            return self.render_request(walk, url)
        return self.page_request(
            walk.site,
            url,
            kind,
            self.parse_list,
            cb_kwargs={"walk": walk},
            conditional=conditional,
            priority=5,
        )

    def parse_list(self, response: Response, walk: ColumnWalk) -> Iterator[Any]:
        site = walk.site
        walk.pages += 1
        if response.status == 304:
            if walk.is_mailbox:
                yield from self.recheck_letters(walk)
            yield ColumnDoneItem(site.id, walk.key, complete=False)
            return
        html = decoded(response)
        tree = parse_html(html)  # parsed once: list, pagination and links all read this tree
        if walk.pages == 1 and response.url != walk.url and response.meta.get("redirect_urls"):
            # The column moved (an /old/ link redirecting): record where it really is.
            walk.url = response.url
            yield self.column_item(walk)
        if walk.pages == 1 and walk.category == "other":
            meta_category = category_from_meta(html)
            if meta_category is not None:
                walk.category = meta_category.value
        data_url: str | None = None
        items: list[ListItem] = []
        if walk.is_mailbox:
            go_on = yield from self.mailbox_page(walk, tree, response.url)
        else:
            listing = self.read_list(walk, tree, response.url)
            if listing is None:  # drawn by scripts: fetched again through the browser
                yield self.render_request(walk, response.url, first=True)
                return
            items, data_url = listing
            go_on = yield from self.post_items(walk, items)
        self.queue_links(site, tree, response.url, on_home_page=False)
        if walk.pages == 1 and self.keeps_validators(walk):
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            yield ValidatorsItem(
                response.url,
                etag.decode("latin-1") if etag else None,
                modified.decode("latin-1") if modified else None,
            )
        if walk.adapter is not None:
            # An app page holds no item itself: its data pages are the list.
            next_url, ended_naturally = self.data_next(walk, data_url, go_on or not items)
            if next_url is not None:
                yield self.data_request(walk, next_url)
                return
        else:
            next_url, ended_naturally = self.next_page(walk, html, tree, response.url, go_on)
        if next_url is None:
            yield from self.finish_walk(walk, ended_naturally)
            return
        yield self.list_request(walk, next_url, first=False)

    def finish_walk(self, walk: ColumnWalk, complete: bool) -> Iterator[Any]:
        """The end of a column's walk: late letters, the page shape, the column done."""
        if walk.is_mailbox:
            yield from self.recheck_letters(walk)
        elif walk.shape is not None:
            yield ColumnShapeItem(walk.site.id, walk.key, walk.shape, walk.script_drawn)
        yield ColumnDoneItem(walk.site.id, walk.key, complete=complete, seen_urls=walk.seen_urls)

    def post_items(self, walk: ColumnWalk, items: list[ListItem]) -> Iterator[Any]:
        """Yield the posts of one list page (and detail requests); return whether to go on."""
        site = walk.site
        known = self.context.state.posts.setdefault(site.id, {})
        new_here = 0
        in_horizon = 0
        last_known = False
        nav = self.nav_keys.get(site.id, set())
        for item in items:
            key = url_key(item.url)
            if key in nav or trap_reason(item.url):
                continue
            walk.seen_urls.append(item.url)
            previous = known.get(key)
            last_known = previous is not None
            if previous is None:
                new_here += 1
            if item.date is None or item.date >= self.horizon[site.id]:
                in_horizon += 1
            yield PostItem(
                site_id=site.id,
                column_key=walk.key,
                url=item.url,
                title=item.title,
                published_on=item.date,
                date_source="list" if item.date else None,
                list_date=item.date,
                url_date=date_from_url(item.url, today=self.today),
            )
            wants_detail = previous is None or not previous.detail_done
            if wants_detail and site.allows_url(item.url) and key not in self.requested:
                yield self.page_request(
                    site,
                    item.url,
                    "detail",
                    self.parse_detail,
                    cb_kwargs={"walk": walk, "listed": item},
                )
        # Lists run newest first (pinned posts sit on top): once the page ends in a post we
        # knew, the pages behind it hold nothing new either.
        fresh = 0 if last_known else new_here
        return self.keep_walking(walk, bool(items), fresh, in_horizon)

    def walks_in_full(self, walk: ColumnWalk) -> bool:
        """--full, or a column an interrupted run left half-walked (see unfinished_columns)."""
        return self.context.full or (walk.site.id, walk.key) in self.context.state.columns_to_resume

    def keep_walking(self, walk: ColumnWalk, any_items: bool, fresh: int, in_horizon: int) -> bool:
        """Whether the walk may go on to the next page (incremental stop, horizon, empty page)."""
        if not any_items or in_horizon == 0:
            return False
        if self.walks_in_full(walk) or fresh:
            walk.known_pages = 0
            return True
        walk.known_pages += 1
        return walk.known_pages <= self.overlap

    def next_page(
        self, walk: ColumnWalk, html: str, tree: HtmlElement, page_url: str, go_on: bool
    ) -> tuple[str | None, bool]:
        """The next list page, or None and whether the pagination simply ran out.

        Only a walk that ran out by itself saw every post of the column, so only then may
        the posts it did not see be marked gone.
        """
        if not go_on:
            return None, False
        crawl = walk.site.effective_crawl(self.context.group.defaults)
        if walk.pages >= crawl.max_pages_per_column:
            return None, False
        overrides = self.overrides(walk.site)
        pagination = find_pagination_from_tree(tree, page_url)
        candidates = [pagination.next_url] if pagination.next_url else []
        if overrides and overrides.next_page:
            candidates = self.override_next(html, page_url, overrides.next_page) + candidates
        for url in candidates:
            if url_key(url) in walk.visited or not walk.site.allows_url(url) or trap_reason(url):
                continue
            return url, False
        # A pager that exists but cannot be followed by URL (ASP.NET postback) did not run out.
        return None, pagination.followable

    @staticmethod
    def override_next(html: str, page_url: str, selector: str) -> list[str]:
        """Next-page URLs from a per-site selector."""
        page = Selector(text=html)
        found = page.xpath(to_xpath(selector))  # read as `validate` reads it
        values = [str(v).strip() for v in found.getall()]
        hrefs = [
            Selector(text=v).xpath("//a/@href").get() if v.startswith("<") else v for v in values
        ]
        return [urljoin(page_url, h) for h in hrefs if h]

    def overrides(self, site: SiteConfig) -> ListOverrides | None:
        """The site's extraction overrides, when it has any."""
        if site.extract is None:
            return None
        return ListOverrides(
            list_item=site.extract.list_item,
            title=site.extract.title,
            date=site.extract.date,
            next_page=site.extract.next_page,
        )

    # -- detail pages -------------------------------------------------------------------
    def parse_detail(self, response: Response, walk: ColumnWalk, listed: Any) -> Iterator[Any]:
        site = walk.site
        tree = parse_html(decoded(response))
        detail = extract_detail_from_tree(tree, response.url, today=self.today)
        text_date = detail.dates.get("text")
        meta_date = detail.dates.get("meta")
        url_date = detail.dates.get("url") or date_from_url(listed.url, today=self.today)
        published = listed.date or text_date or meta_date or url_date
        if listed.date:
            source = "list"
        elif published is None:
            source = None
        else:
            source = {text_date: "text", meta_date: "meta", url_date: "url"}.get(published)
        yield PostItem(
            site_id=site.id,
            column_key=walk.key,
            url=listed.url,
            title=listed.title,
            published_on=published,
            date_source=source,
            list_date=listed.date,
            meta_date=meta_date,
            text_date=text_date,
            url_date=url_date,
            department=detail.source,
            from_detail=True,
        )
        self.queue_links(site, tree, response.url, on_home_page=False)

    # -- failures and link checks -------------------------------------------------------
    def page_failed(self, failure: Failure) -> Iterator[Any]:
        """A page of the site failed: record a broken link when a page linked to it."""
        request = failure.request  # type: ignore[attr-defined]
        site = self.context_site(request.meta["site_id"])
        kind = request.meta.get("kind")
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        error = classify_exception(failure.value) if response is None else classify_status(status)
        if kind == "home":
            self.context.progress.sites[site.id].home_status = error or "failed"
            return
        walk = request.cb_kwargs.get("walk")
        if kind in ("detail", "consultation_detail") and walk is not None:
            yield LinkItem(
                site_id=site.id,
                url=request.meta.get("page_url", request.url),
                found_on=walk.url,
                on_home_page=False,
                ok=False,
                status=status,
                error=error,
            )
        if kind in ("list", "consultation_list") and walk is not None:
            if request.meta.get("playwright"):
                self.render_open[site.id] = max(0, self.render_open.get(site.id, 1) - 1)
            yield ColumnDoneItem(site.id, walk.key, complete=False)

    # -- lookups ------------------------------------------------------------------------
    def site_of(self, response: Response) -> SiteConfig:
        """The configured site a response belongs to."""
        return self.context_site(response.meta["site_id"])

    def context_site(self, site_id: str) -> SiteConfig:
        """A site of this run by id."""
        return next(site for site in self.context.sites if site.id == site_id)
