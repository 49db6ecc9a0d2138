"""Posts of a column, for the group spider: the entries of a list page and their detail pages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.config import SiteConfig
from crawler.extract.dates import date_from_url
from crawler.extract.detail import extract_detail_from_tree
from crawler.extract.items import ListItem
from crawler.extract.tree import parse_html
from crawler.guards import trap_reason
from crawler.items import PostItem
from crawler.spiders.requests import PageRequests
from crawler.spiders.signals import announce_page
from crawler.spiders.walks import ColumnWalk, ListPage, decoded
from crawler.state import CrawlContext
from crawler.urls import url_key


class PostReader:
    """Reads posts off list pages and their detail pages; knows each site's navigation."""

    def __init__(self, crawler: Crawler, context: CrawlContext, requests: PageRequests) -> None:
        self.crawler = crawler
        self.context = context
        self.today: date = context.now.date()
        self.requests = requests
        self.horizon: dict[str, date] = {}
        # Column and home URLs per site: a list that links to them is navigation, not posts.
        self.nav_keys: dict[str, set[str]] = {}

    def begin(self, site: SiteConfig) -> None:
        """The site enters the crawl: posts older than its horizon end a walk."""
        crawl = site.effective_crawl(self.context.group.defaults)
        self.horizon[site.id] = self.today - timedelta(days=crawl.horizon_days)

    def forget(self, site_id: str) -> None:
        """The site left the crawl."""
        self.horizon.pop(site_id, None)
        self.nav_keys.pop(site_id, None)

    def list_page(self, walk: ColumnWalk, items: list[ListItem]) -> ListPage:
        """The posts of one list page, and detail requests for those not read yet."""
        site = walk.site
        known = self.context.state.posts.setdefault(site.id, {})
        page = ListPage(listed=len(items))
        new_here = 0
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
                page.in_horizon += 1
            page.output.append(self.listed_post(walk, item))
            wants_detail = previous is None or not previous.detail_done
            if wants_detail and site.allows_url(item.url) and key not in self.requests.requested:
                page.output.append(
                    self.requests.page(
                        site,
                        item.url,
                        "detail",
                        self.parse_detail,
                        cb_kwargs={"walk": walk, "listed": item},
                    )
                )
        # Lists run newest first (pinned posts sit on top): once the page ends in a post we
        # knew, the pages behind it hold nothing new either.
        page.fresh = 0 if last_known else new_here
        return page

    def listed_post(self, walk: ColumnWalk, item: ListItem) -> PostItem:
        """A post as its list shows it."""
        return PostItem(
            site_id=walk.site.id,
            column_key=walk.key,
            url=item.url,
            title=item.title,
            published_on=item.date,
            date_source="list" if item.date else None,
            list_date=item.date,
            url_date=date_from_url(item.url, today=self.today),
        )

    def parse_detail(self, response: Response, walk: ColumnWalk, listed: ListItem) -> list[Any]:
        """A post's detail page: its dates (list, text, meta, URL) and department."""
        site = walk.site
        tree = parse_html(decoded(response))
        detail = extract_detail_from_tree(tree, response.url, today=self.today)
        # The content checks scan the same parse and text (crawler/content/middleware.py).
        response.meta["page_tree"] = tree
        response.meta["page_text"] = detail.text
        text_date = detail.dates.get("text")
        meta_date = detail.dates.get("meta")
        url_date = detail.dates.get("url") or date_from_url(listed.url, today=self.today)
        published = listed.date or text_date or meta_date or url_date
        if listed.date:
            source: str | None = "list"
        elif published is None:
            source = None
        else:
            source = {text_date: "text", meta_date: "meta", url_date: "url"}.get(published)
        post = PostItem(
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
        announce_page(self.crawler, site, tree, response.url, on_home_page=False)
        return [post]
