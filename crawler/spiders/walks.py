"""A column's walk through its list pages, and the small page helpers the spider shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Response

from crawler.adapters import CmsAdapter
from crawler.config import SiteConfig
from crawler.extract.encoding import decode_html
from crawler.extraction import PageShape

CONSULTATION = "consultation"


@dataclass
class ColumnWalk:
    """One column's walk through its list pages during this run."""

    site: SiteConfig
    key: str
    name: str
    url: str
    category: str
    on_home_page: bool = False
    pages: int = 0
    known_pages: int = 0
    visited: set[str] = field(default_factory=set)
    seen_urls: list[str] = field(default_factory=list)
    adapter: CmsAdapter | None = None  # a CMS family's data pages replace the HTML pager
    rendered: bool = False  # pages come through the headless browser
    script_drawn: bool = False  # the list only scripts draw, and it was not rendered
    shape: PageShape | None = None  # the first list page (with items) as the extractor saw it

    @property
    def is_mailbox(self) -> bool:
        """Consultation columns hold letters, not posts."""
        return self.category == CONSULTATION


def column_candidate(site: SiteConfig, url: str, home_url: str) -> bool:
    """A navigation link that can be a column: inside the site's domains, and not another
    service on the home page's own host (a different port is an exit, not a column)."""
    if not site.allows_url(url):
        return False
    link, home = urlsplit(url), urlsplit(home_url)
    return link.hostname != home.hostname or link.port == home.port


def decoded(response: Response) -> str:
    """The response body as text, decoded the way real government sites need."""
    content_type = response.headers.get(b"Content-Type")
    header = content_type.decode("latin-1") if content_type else None
    text, _codec = decode_html(response.body, header)
    return text


@dataclass
class ListPage:
    """What reading one list page gave: its items and requests, in order, and the figures the
    column walk decides on (crawler/spiders/columns.py, `keep_walking`)."""

    output: list[Any] = field(default_factory=list)
    listed: int = 0  # entries on the page
    fresh: int = 0  # new or changed entries; 0 when the page ends in a known, unchanged one
    in_horizon: int = 0  # entries dated within the crawl horizon (or undated)
