"""A column's walk through its list pages, for the group spider: each page read as HTML, through
a CMS adapter's data pages or the headless browser (crawler/spiders/sources.py), its entries read
as posts (crawler/spiders/posts.py) or letters (crawler/spiders/mailbox.py), then the next page
until the column ends, the horizon is passed or the pages hold nothing new."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin

import scrapy
from lxml.html import HtmlElement
from parsel import Selector
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.extract.columns import category_from_meta
from crawler.extract.pagination import find_pagination_from_tree
from crawler.extract.tree import parse_html
from crawler.extraction import ColumnShapeItem
from crawler.guards import trap_reason
from crawler.items import ColumnDoneItem, ColumnItem, ValidatorsItem
from crawler.selectors import to_xpath
from crawler.spiders.mailbox import MailboxReader
from crawler.spiders.posts import PostReader
from crawler.spiders.requests import PageRequests
from crawler.spiders.signals import announce_page
from crawler.spiders.sources import ListSources, keeps_validators, list_overrides, note_shape
from crawler.spiders.walks import ColumnWalk, ListPage, decoded
from crawler.state import CrawlContext
from crawler.urls import url_key


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


def override_next(html: str, page_url: str, selector: str) -> list[str]:
    """Next-page URLs from a per-site selector."""
    page = Selector(text=html)
    found = page.xpath(to_xpath(selector))  # read as `validate` reads it
    values = [str(v).strip() for v in found.getall()]
    hrefs = [Selector(text=v).xpath("//a/@href").get() if v.startswith("<") else v for v in values]
    return [urljoin(page_url, h) for h in hrefs if h]


def validators_item(response: Response) -> ValidatorsItem:
    """The page's ETag and Last-Modified, for a conditional request next time."""
    etag = response.headers.get(b"ETag")
    modified = response.headers.get(b"Last-Modified")
    return ValidatorsItem(
        response.url,
        etag.decode("latin-1") if etag else None,
        modified.decode("latin-1") if modified else None,
    )


class ColumnWalker:
    """Walks each column's list pages, one request after the other."""

    def __init__(
        self,
        crawler: Crawler,
        context: CrawlContext,
        requests: PageRequests,
        sources: ListSources,
        posts: PostReader,
        mailbox: MailboxReader,
    ) -> None:
        self.crawler = crawler
        self.context = context
        self.requests = requests
        self.sources = sources
        self.posts = posts
        self.mailbox = mailbox
        self.overlap = crawler.settings.getint("SITEWATCH_INCREMENTAL_OVERLAP", 0)

    # -- requests -----------------------------------------------------------------------
    def list_request(self, walk: ColumnWalk, url: str, *, first: bool) -> scrapy.Request:
        """Request one list page of a column; the first one conditionally when safe."""
        walk.visited.add(url_key(url))
        pending_details = (walk.site.id, walk.key) in self.context.state.columns_pending_details
        conditional = first and not self.walks_in_full(walk) and not pending_details
        kind = "consultation_list" if walk.is_mailbox else "list"
        if walk.rendered:
            return self.sources.render_request(walk, url, self.parse_rendered)
        return self.requests.page(
            walk.site,
            url,
            kind,
            self.parse_list,
            cb_kwargs={"walk": walk},
            conditional=conditional,
            priority=5,
        )

    # -- list pages ---------------------------------------------------------------------
    def parse_list(self, response: Response, walk: ColumnWalk) -> Iterator[Any]:
        """One list page: its entries, then the next page or the end of the walk."""
        site = walk.site
        walk.pages += 1
        if response.status == 304:
            if walk.is_mailbox:
                yield from self.mailbox.recheck_letters(walk)
            yield ColumnDoneItem(site.id, walk.key, complete=False)
            return
        html = decoded(response)
        tree = parse_html(html)  # parsed once: list, pagination and links all read this tree
        if walk.pages == 1 and response.url != walk.url and response.meta.get("redirect_urls"):
            # The column moved (an /old/ link redirecting): record where it really is.
            walk.url = response.url
            yield column_item(walk)
        if walk.pages == 1 and walk.category == "other":
            meta_category = category_from_meta(html)
            if meta_category is not None:
                walk.category = meta_category.value
        data_url: str | None = None
        if walk.is_mailbox:
            page = self.mailbox.list_page(walk, tree, response.url)
        else:
            listing = self.sources.read_list(walk, tree, response.url)
            if listing is None:  # drawn by scripts: fetched again through the browser
                yield self.sources.render_request(
                    walk, response.url, self.parse_rendered, first=True
                )
                return
            items, data_url = listing
            page = self.posts.list_page(walk, items)
        yield from page.output
        announce_page(self.crawler, site, tree, response.url, on_home_page=False)
        if walk.pages == 1 and keeps_validators(walk):
            yield validators_item(response)
        go_on = self.keep_walking(walk, page)
        if walk.adapter is not None:
            # An app page holds no item itself: its data pages are the list.
            next_url, ended = self.sources.data_next(walk, data_url, go_on or not page.listed)
            if next_url is not None:
                yield self.sources.data_request(walk, next_url, self.parse_data)
                return
        else:
            next_url, ended = self.next_page(walk, html, tree, response.url, go_on)
        if next_url is None:
            yield from self.finish_walk(walk, ended)
            return
        yield self.list_request(walk, next_url, first=False)

    def parse_data(self, response: Response, walk: ColumnWalk) -> Iterator[Any]:
        """One data page (XML, JSON) of an adapter-walked column."""
        assert walk.adapter is not None
        walk.pages += 1
        data = walk.adapter.data_page(decoded(response), response.url, self.sources.today)
        note_shape(walk, None, data.items, response.url, walk.adapter.name)
        page = self.posts.list_page(walk, data.items)
        yield from page.output
        next_url, ended = self.sources.data_next(walk, data.next_url, self.keep_walking(walk, page))
        if next_url is None:
            yield from self.finish_walk(walk, ended)
            return
        yield self.sources.data_request(walk, next_url, self.parse_data)

    async def parse_rendered(self, response: Response, walk: ColumnWalk) -> AsyncIterator[Any]:
        """A rendered list page: read as usual, then its browser page (and, when the site
        has no rendered page left, its browser context) closed."""
        page = response.meta.get("playwright_page")
        try:
            for output in self.parse_list(response, walk):
                yield output
        finally:
            await self.sources.close_render_page(walk.site.id, page)

    def finish_walk(self, walk: ColumnWalk, complete: bool) -> Iterator[Any]:
        """The end of a column's walk: late letters, the page shape, the column done.

        Only a walk that ran out by itself saw every post of the column (`complete`), so only
        then may the posts it did not see be marked gone.
        """
        if walk.is_mailbox:
            yield from self.mailbox.recheck_letters(walk)
        elif walk.shape is not None:
            yield ColumnShapeItem(walk.site.id, walk.key, walk.shape, walk.script_drawn)
        yield ColumnDoneItem(walk.site.id, walk.key, complete=complete, seen_urls=walk.seen_urls)

    # -- when to go on ------------------------------------------------------------------
    def walks_in_full(self, walk: ColumnWalk) -> bool:
        """--full, or a column an interrupted run left half-walked (see unfinished_columns)."""
        return self.context.full or (walk.site.id, walk.key) in self.context.state.columns_to_resume

    def keep_walking(self, walk: ColumnWalk, page: ListPage) -> bool:
        """Whether the walk may go on to the next page (incremental stop, horizon, empty page)."""
        if not page.listed or page.in_horizon == 0:
            return False
        if self.walks_in_full(walk) or page.fresh:
            walk.known_pages = 0
            return True
        walk.known_pages += 1
        return walk.known_pages <= self.overlap

    def next_page(
        self, walk: ColumnWalk, html: str, tree: HtmlElement, page_url: str, go_on: bool
    ) -> tuple[str | None, bool]:
        """The next list page, or None and whether the pagination simply ran out."""
        if not go_on:
            return None, False
        crawl = walk.site.effective_crawl(self.context.group.defaults)
        if walk.pages >= crawl.max_pages_per_column:
            return None, False
        overrides = list_overrides(walk.site)
        pagination = find_pagination_from_tree(tree, page_url)
        candidates = [pagination.next_url] if pagination.next_url else []
        if overrides and overrides.next_page:
            candidates = override_next(html, page_url, overrides.next_page) + candidates
        for url in candidates:
            if url_key(url) in walk.visited or not walk.site.allows_url(url) or trap_reason(url):
                continue
            return url, False
        # A pager that exists but cannot be followed by URL (ASP.NET postback) did not run out.
        return None, pagination.followable
