"""The one generic spider: every site of the group in parallel, no per-site Python.

Per site: home page → columns (configured or discovered) → each column's list pages through
their pagination → detail pages of new posts → mailboxes and their letters. It never writes
SQL: it yields items for the store pipeline. The spider only composes its parts:

- `SiteLedger` (ledger.py): sites enter in waves, page requests in flight per site, a site's
  end and release; run-wide counters in the crawler's stats (`sitewatch/sites/…`);
- `PageRequests` (requests.py) and `PageFailures` (failures.py): every page request and its
  errback;
- `HomePage` (home.py), `ColumnWalker` (columns.py) with `ListSources` (sources.py),
  `PostReader` (posts.py) and `MailboxReader` (mailbox.py): the walks.

Links found on the pages are checked by an extension (crawler/extensions/linkcheck.py), told
through the signals of crawler/spiders/signals.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Self

import scrapy
from scrapy.crawler import Crawler

from crawler.spiders.caps import Caps
from crawler.spiders.columns import ColumnWalker
from crawler.spiders.failures import PageFailures
from crawler.spiders.home import HomePage
from crawler.spiders.ledger import SiteLedger
from crawler.spiders.mailbox import MailboxReader
from crawler.spiders.posts import PostReader
from crawler.spiders.requests import PageRequests
from crawler.spiders.sources import ListSources
from crawler.state import CrawlContext


class GroupSpider(scrapy.Spider):
    """Crawl every configured site of a website group into items."""

    name = "sitewatch"

    def __init__(self, context: CrawlContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context = context

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.compose(crawler)
        return spider

    def compose(self, crawler: Crawler) -> None:
        """Build the spider's parts for this crawl."""
        context = self.context
        self.ledger = SiteLedger(crawler, context, self.release)
        failures = PageFailures(context, self.ledger)
        requests = PageRequests(crawler, context, self.ledger, failures.page_failed)
        caps = Caps(crawler, context)
        render = crawler.settings.getbool("SITEWATCH_RENDER", False)
        sources = ListSources(context, requests, self.ledger, caps, render_enabled=render)
        self.posts = PostReader(crawler, context, requests)
        mailbox = MailboxReader(context, requests)
        columns = ColumnWalker(crawler, context, requests, sources, self.posts, mailbox)
        self.home = HomePage(crawler, context, caps, self.posts, columns)
        self.requests = requests

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for site in self.context.sites:
            await self.ledger.enter(site)
            self.posts.begin(site)
            yield self.requests.page(
                site, site.home_url, "home", self.home.parse_home, cb_kwargs={"site": site}
            )

    def release(self, site_id: str) -> None:
        """The site left the crawl: drop what the run kept of it."""
        self.posts.forget(site_id)
        self.context.state.posts.pop(site_id, None)
        self.context.state.letters.pop(site_id, None)
