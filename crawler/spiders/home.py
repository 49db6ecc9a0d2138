"""A site's home page, for the group spider: its columns (configured, else discovered in its
navigation, and its consultation mailboxes) and the first request of each column's walk."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.config import SiteConfig, slug_from_url
from crawler.extract.columns import ColumnLink, discover_columns_from_tree
from crawler.extract.tree import parse_html
from crawler.guards import trap_reason
from crawler.links import page_links_from_tree
from crawler.spiders.caps import Caps
from crawler.spiders.columns import ColumnWalker, column_item
from crawler.spiders.posts import PostReader
from crawler.spiders.signals import announce_page
from crawler.spiders.walks import CONSULTATION, ColumnWalk, column_candidate, decoded
from crawler.state import CrawlContext
from crawler.urls import url_key


def columns_of(
    site: SiteConfig, navigation: list[ColumnLink], home_url: str
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


class HomePage:
    """Reads a site's home page into its columns and starts their walks."""

    def __init__(
        self,
        crawler: Crawler,
        context: CrawlContext,
        caps: Caps,
        posts: PostReader,
        columns: ColumnWalker,
    ) -> None:
        self.crawler = crawler
        self.context = context
        self.caps = caps
        self.posts = posts
        self.columns = columns

    def parse_home(self, response: Response, site: SiteConfig) -> Iterator[Any]:
        """The columns as the store keeps them, then the first list page of each."""
        tree = parse_html(decoded(response))
        self.context.progress.sites[site.id].home_status = str(response.status)
        home_links = {url_key(u) for u in page_links_from_tree(tree, response.url)}
        navigation = discover_columns_from_tree(tree, response.url)
        walks = list(columns_of(site, navigation, response.url))
        walks = self.caps.take(site, walks, "max_columns", response.url)
        self.posts.nav_keys[site.id] = (
            {url_key(site.home_url), url_key(response.url)}
            | {url_key(walk.url) for walk in walks}
            | {url_key(link.url) for link in navigation}
        )
        for walk in walks:
            walk.on_home_page = url_key(walk.url) in home_links
            yield column_item(walk)
        for walk in walks:
            yield self.columns.list_request(walk, walk.url, first=True)
        announce_page(self.crawler, site, tree, response.url, on_home_page=True)
