"""Where a column's list comes from besides its HTML pager, for the group spider: a CMS
family's data pages (crawler/adapters) and pages rendered through the headless browser
(crawler/render.py); and the shape of the first page, for crawler/extraction.py."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import scrapy
from lxml.html import HtmlElement
from scrapy.http import Response

from crawler.adapters import adapter_for
from crawler.config import SiteConfig
from crawler.extract.items import ListItem
from crawler.extract.lists import ListOverrides, extract_list_from_tree
from crawler.extraction import page_shape
from crawler.render import needs_render, render_meta, render_mode
from crawler.spiders.walks import ColumnWalk, decoded
from crawler.urls import url_key

if TYPE_CHECKING:
    from datetime import date

    from crawler.state import CrawlContext


class ListSources:
    """Mixin of GroupSpider: read a column page through an adapter, the browser or as HTML."""

    context: CrawlContext
    today: date
    render_enabled: bool
    render_open: dict[str, int]

    # Provided by GroupSpider.
    def page_request(
        self, site: SiteConfig, url: str, kind: str, callback: Any, **kw: Any
    ) -> Any: ...  # pragma: no cover

    def post_items(
        self, walk: ColumnWalk, items: list[ListItem]
    ) -> Iterator[Any]: ...  # pragma: no cover

    def finish_walk(
        self, walk: ColumnWalk, complete: bool
    ) -> Iterator[Any]: ...  # pragma: no cover

    def parse_list(
        self, response: Response, walk: ColumnWalk
    ) -> Iterator[Any]: ...  # pragma: no cover

    def overrides(self, site: SiteConfig) -> ListOverrides | None: ...  # pragma: no cover

    def capped(
        self, site: SiteConfig, values: list[Any], cap: str, url: str
    ) -> list[Any]: ...  # pragma: no cover

    @staticmethod
    def keeps_validators(walk: ColumnWalk) -> bool:
        """Only a page that holds its own list may answer 304 for it next time (a script's
        shell or a CMS app page stays the same while its data changes)."""
        return walk.adapter is None and not walk.rendered and not walk.script_drawn

    def read_list(
        self, walk: ColumnWalk, tree: HtmlElement, page_url: str
    ) -> tuple[list[ListItem], str | None] | None:
        """A column page's items and, for a CMS adapter, its first data URL; None when the
        list only scripts draw and the page is to be rendered."""
        if walk.pages == 1 and not walk.rendered:
            fragment = walk.url.partition("#")[2]
            adapter = adapter_for(tree, f"{page_url}#{fragment}" if fragment else page_url)
            if adapter is not None:
                walk.adapter = adapter
                page = adapter.first_page(tree, page_url, self.today)
                self.note_shape(walk, tree, page.items, page_url, adapter.name)
                return page.items, page.next_url
        overrides = self.overrides(walk.site)
        items = extract_list_from_tree(tree, page_url, today=self.today, overrides=overrides)
        items = self.capped(walk.site, items, "max_items_per_page", page_url)
        first_plain = walk.pages == 1 and not walk.rendered
        if not items and first_plain and overrides is None and needs_render(tree):
            if self.can_render(walk):
                return None
            walk.script_drawn = True
        self.note_shape(walk, tree, items, page_url, "rendered" if walk.rendered else "html")
        return items, None

    @staticmethod
    def note_shape(
        walk: ColumnWalk, tree: HtmlElement | None, items: list[ListItem], url: str, via: str
    ) -> None:
        """Keep the shape of the walk's first page that holds items (else its first page)."""
        if walk.shape is None or (walk.shape.items == 0 and items):
            walk.shape = page_shape(tree, items, url, via)

    # -- CMS adapters -------------------------------------------------------------------
    def data_request(self, walk: ColumnWalk, url: str) -> scrapy.Request:
        """Request one data page (XML, JSON) of an adapter-walked column."""
        walk.visited.add(url_key(url))
        return self.page_request(
            walk.site,
            url,
            "list",
            self.parse_data,
            cb_kwargs={"walk": walk},
            priority=5,
            extra_meta={"cms_data": walk.adapter.name if walk.adapter else True},
        )

    def parse_data(self, response: Response, walk: ColumnWalk) -> Iterator[Any]:
        assert walk.adapter is not None
        walk.pages += 1
        page = walk.adapter.data_page(decoded(response), response.url, self.today)
        self.note_shape(walk, None, page.items, response.url, walk.adapter.name)
        go_on = yield from self.post_items(walk, page.items)
        next_url, ended_naturally = self.data_next(walk, page.next_url, go_on)
        if next_url is None:
            yield from self.finish_walk(walk, ended_naturally)
            return
        yield self.data_request(walk, next_url)

    def data_next(
        self, walk: ColumnWalk, next_url: str | None, go_on: bool
    ) -> tuple[str | None, bool]:
        """The adapter's next data page, or None and whether the data simply ran out.

        The adapter built the URL from the page's own configuration (its session-looking
        `sid` is a site id), so only the site's domains and the page limit apply.
        """
        if next_url is None:
            return None, go_on
        crawl = walk.site.effective_crawl(self.context.group.defaults)
        if not go_on or walk.pages >= crawl.max_pages_per_column:
            return None, False
        if url_key(next_url) in walk.visited or not walk.site.allows_url(next_url):
            return None, False
        return next_url, False

    # -- rendered lists -----------------------------------------------------------------
    def can_render(self, walk: ColumnWalk) -> bool:
        """Rendering is set up for this crawl and allowed for the column."""
        if not self.render_enabled:
            return False
        return render_mode(walk.site, self.context.group, walk.url) == "auto"

    def render_request(self, walk: ColumnWalk, url: str, *, first: bool = False) -> scrapy.Request:
        """Fetch a list page through the headless browser (page one again when `first`)."""
        if first:
            walk.rendered = True
            walk.pages = 0
        walk.visited.add(url_key(url))
        site_id = walk.site.id
        self.render_open[site_id] = self.render_open.get(site_id, 0) + 1
        return self.page_request(
            walk.site,
            url,
            "list",
            self.parse_rendered,
            cb_kwargs={"walk": walk},
            priority=5,
            extra_meta=render_meta(site_id),
        )

    async def parse_rendered(self, response: Response, walk: ColumnWalk) -> AsyncIterator[Any]:
        """A rendered list page: read as usual, then its browser page (and, when the site
        has no rendered page left, its browser context) closed."""
        page = response.meta.get("playwright_page")
        try:
            for output in self.parse_list(response, walk):
                yield output
        finally:
            await self.close_render_page(walk.site.id, page)

    async def close_render_page(self, site_id: str, page: Any) -> None:
        """Close a browser page; the site's context too once its last rendered page is done."""
        self.render_open[site_id] = max(0, self.render_open.get(site_id, 1) - 1)
        if page is None:
            return
        last = self.render_open[site_id] == 0
        await page.close()
        if last:
            await page.context.close()
