"""Where a column's list comes from besides its HTML pager, for the group spider: a CMS
family's data pages (crawler/adapters) and pages rendered through the headless browser
(crawler/render.py); and the shape of the first page, for crawler/extraction.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import scrapy
from lxml.html import HtmlElement

from crawler.adapters import adapter_for
from crawler.config import SiteConfig
from crawler.extract.items import ListItem
from crawler.extract.lists import ListOverrides, extract_list_from_tree
from crawler.extraction import page_shape
from crawler.render import needs_render, render_meta, render_mode
from crawler.spiders.caps import Caps
from crawler.spiders.ledger import SiteLedger
from crawler.spiders.requests import PageRequests
from crawler.spiders.walks import ColumnWalk
from crawler.state import CrawlContext
from crawler.urls import url_key


def list_overrides(site: SiteConfig) -> ListOverrides | None:
    """The site's extraction overrides, when it has any."""
    if site.extract is None:
        return None
    return ListOverrides(
        list_item=site.extract.list_item,
        title=site.extract.title,
        date=site.extract.date,
        next_page=site.extract.next_page,
    )


def keeps_validators(walk: ColumnWalk) -> bool:
    """Only a page that holds its own list may answer 304 for it next time (a script's shell
    or a CMS app page stays the same while its data changes)."""
    return walk.adapter is None and not walk.rendered and not walk.script_drawn


def note_shape(
    walk: ColumnWalk, tree: HtmlElement | None, items: list[ListItem], url: str, via: str
) -> None:
    """Keep the shape of the walk's first page that holds items (else its first page)."""
    if walk.shape is None or (walk.shape.items == 0 and items):
        walk.shape = page_shape(tree, items, url, via)


class ListSources:
    """Reads a column page through an adapter, the browser or as HTML."""

    def __init__(
        self,
        context: CrawlContext,
        requests: PageRequests,
        ledger: SiteLedger,
        caps: Caps,
        *,
        render_enabled: bool,
    ) -> None:
        self.context = context
        self.today: date = context.now.date()
        self.requests = requests
        self.ledger = ledger
        self.caps = caps
        self.render_enabled = render_enabled  # the headless browser is set up for this crawl

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
                note_shape(walk, tree, page.items, page_url, adapter.name)
                return page.items, page.next_url
        overrides = list_overrides(walk.site)
        items = extract_list_from_tree(tree, page_url, today=self.today, overrides=overrides)
        items = self.caps.take(walk.site, items, "max_items_per_page", page_url)
        first_plain = walk.pages == 1 and not walk.rendered
        if not items and first_plain and overrides is None and needs_render(tree):
            if self.can_render(walk):
                return None
            walk.script_drawn = True
        note_shape(walk, tree, items, page_url, "rendered" if walk.rendered else "html")
        return items, None

    # -- CMS adapters -------------------------------------------------------------------
    def data_request(
        self, walk: ColumnWalk, url: str, callback: Callable[..., Any]
    ) -> scrapy.Request:
        """Request one data page (XML, JSON) of an adapter-walked column."""
        walk.visited.add(url_key(url))
        return self.requests.page(
            walk.site,
            url,
            "list",
            callback,
            cb_kwargs={"walk": walk},
            priority=5,
            extra_meta={"cms_data": walk.adapter.name if walk.adapter else True},
        )

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

    def render_request(
        self, walk: ColumnWalk, url: str, callback: Callable[..., Any], *, first: bool = False
    ) -> scrapy.Request:
        """Fetch a list page through the headless browser (page one again when `first`)."""
        if first:
            walk.rendered = True
            walk.pages = 0
        walk.visited.add(url_key(url))
        site_id = walk.site.id
        self.ledger.render_opened(site_id)
        return self.requests.page(
            walk.site,
            url,
            "list",
            callback,
            cb_kwargs={"walk": walk},
            priority=5,
            extra_meta=render_meta(site_id),
        )

    async def close_render_page(self, site_id: str, page: Any) -> None:
        """Close a browser page; the site's context too once its last rendered page is done."""
        last = self.ledger.render_closed(site_id)
        if page is None:
            return
        await page.close()
        if last:
            await page.context.close()
