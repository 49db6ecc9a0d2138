"""robots.txt obeyed as Scrapy does, but fetched at most once a day per host across runs.

A daily incremental crawl otherwise spends one request per site on an unchanged robots.txt.
Scrapy's RobotsTxtMiddleware keeps parsers per netloc in `_parsers` and parses bodies in
`_parse_robots`; this subclass seeds the first from the database and saves from the second.
Those are Scrapy internals (checked against Scrapy 2.19); the same-day re-crawl test in
`tests/e2e/test_crawl_incremental.py` counts robots.txt fetches and fails if they change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request, Response
from scrapy.utils.misc import build_from_crawler

from crawler.store import Store, open_db

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class CachedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Obey robots.txt; reuse bodies fetched within the last day, store fresh ones."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    def spider_opened(self, spider: Any) -> None:
        """Seed the parsers with the day's cached robots.txt bodies."""
        for netloc, body in spider.context.state.robots.items():
            self._parsers[netloc] = build_from_crawler(self._parserimpl, self.crawler, body)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        await super()._parse_robots(response, netloc, request)
        # Only a real answer is worth remembering; errors are retried by the next run.
        if response.status < 500:
            context = self.crawler.spider.context  # type: ignore[union-attr]
            store = Store(open_db(context.db_path, migrate_schema=False))
            try:
                store.save_robots(netloc, response.status, response.body, context.clock())
            finally:
                store.conn.close()
