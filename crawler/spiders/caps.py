"""Per-page and per-site caps of the crawl (CrawlSettings fields): a hostile page cannot make
the spider walk or check without bound, and a cap hit leaves a crawl note for the report."""

from __future__ import annotations

from typing import TypeVar

from scrapy.crawler import Crawler

from crawler.config import SiteConfig
from crawler.notes import Note, add_note
from crawler.state import CrawlContext

T = TypeVar("T")


class Caps:
    """Applies a site's caps; notes each cap hit once per (site, cap)."""

    def __init__(self, crawler: Crawler, context: CrawlContext) -> None:
        self.crawler = crawler
        self.context = context

    def take(self, site: SiteConfig, values: list[T], cap: str, url: str) -> list[T]:
        """The first `cap` values (a CrawlSettings field); a crawl note when some are dropped."""
        limit = getattr(site.effective_crawl(self.context.group.defaults), cap)
        if len(values) <= limit:
            return values
        self.note(site, cap, f"{len(values)} found, {limit} taken ({cap})", url)
        return values[:limit]

    def note(self, site: SiteConfig, cap: str, detail: str, url: str) -> None:
        """Leave the note that a cap was hit."""
        add_note(self.crawler, Note(site.id, cap, detail, url))
