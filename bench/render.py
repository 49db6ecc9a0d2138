"""Cost of a rendered list page against a plain one, both through Scrapy on the same machine.

Starts the simulator with its shape sites, then one Scrapy crawl that first fetches N plain
list pages (the EmpireCMS site's, static HTML) and then N list pages of the render-only site
through scrapy-playwright and Debian's Chromium (the crawler's own render settings: at most
two pages per context, images/fonts/media aborted, wait for the network to go idle). Both
phases run with the same concurrency; the ratio is rendered seconds per page over plain.

    .venv/bin/python bench/render.py [--pages 30] [--port 18960]

Last line: {"bench": "render", "plain_s_per_page": …, "rendered_s_per_page": …, "ratio": …}.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# This folder holds bench/incremental.py, which would shadow Twisted's `incremental` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import scrapy  # noqa: E402
from scrapy.crawler import CrawlerProcess  # noqa: E402
from sw_shapes import SHAPES_OPTION, shape_sites  # noqa: E402
from sw_testing import simulator  # noqa: E402

from crawler.render import (  # noqa: E402
    ABORTED_TYPES,
    GOTO_KWARGS,
    MAX_CONTEXTS,
    MAX_PAGES_PER_CONTEXT,
    chromium_path,
)

CONCURRENCY = 2


def list_urls(site: dict[str, Any], count: int, query_pages: bool) -> list[str]:
    """`count` list page URLs of a site, cycling over its columns and their pages."""
    urls: list[str] = []
    for column in site["columns"]:
        pages = max(1, -(-len(column["posts"]) // site["page_size"]))
        for page in range(1, pages + 1):
            if query_pages:
                urls.append(f"{column['url']}?page={page}")
            elif page == 1:
                urls.append(column["url"])
            else:
                urls.append(column["url"].replace("index.html", f"index_{page}.html"))
    return (urls * (count // max(1, len(urls)) + 1))[:count]


class RenderBench(scrapy.Spider):
    """Plain pages first, then rendered ones; times each phase."""

    name = "render_bench"

    def __init__(self, plain: list[str], rendered: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plain, self.rendered = plain, rendered
        self.marks: dict[str, float] = {}
        self.links: dict[str, int] = {"plain": 0, "rendered": 0}
        self.left = len(plain)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.marks["plain_start"] = time.monotonic()
        for url in self.plain:
            yield scrapy.Request(url, self.parse_plain, dont_filter=True)

    def parse_plain(self, response: Any) -> Iterator[scrapy.Request]:
        self.links["plain"] += len(response.css("a::attr(href)").getall())
        self.left -= 1
        if self.left:
            return
        self.marks["plain_end"] = self.marks["rendered_start"] = time.monotonic()
        self.left = len(self.rendered)
        for url in self.rendered:
            meta = {"playwright": True, "playwright_context": "bench",
                    "playwright_page_goto_kwargs": dict(GOTO_KWARGS)}  # fmt: skip
            yield scrapy.Request(url, self.parse_rendered, dont_filter=True, meta=meta)

    def parse_rendered(self, response: Any) -> None:
        self.links["rendered"] += len(response.css("ul.news a::attr(href)").getall())
        self.left -= 1
        if not self.left:
            self.marks["rendered_end"] = time.monotonic()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--port", type=int, default=18960)
    args = parser.parse_args()
    executable = chromium_path()
    if executable is None:
        sys.exit("no Chromium found (apt install chromium)")
    with simulator(args.port, today="2012-12-31", faults="none", extra=SHAPES_OPTION) as sim:
        sites = {site["shape"]: site for site in shape_sites(sim.truth())}
        plain = list_urls(sites["empire"], args.pages, query_pages=False)
        rendered = list_urls(sites["render"], args.pages, query_pages=True)
        handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
        process = CrawlerProcess(
            {
                "LOG_LEVEL": "ERROR",
                "CONCURRENT_REQUESTS": CONCURRENCY,
                "ROBOTSTXT_OBEY": False,
                "TELNETCONSOLE_ENABLED": False,
                "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
                "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": executable, "headless": True},
                "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": MAX_PAGES_PER_CONTEXT,
                "PLAYWRIGHT_MAX_CONTEXTS": MAX_CONTEXTS,
                "PLAYWRIGHT_ABORT_REQUEST": lambda r: r.resource_type in ABORTED_TYPES,
            }
        )
        crawler = process.create_crawler(RenderBench)
        process.crawl(crawler, plain=plain, rendered=rendered)
        process.start()
    spider = crawler.spider
    assert spider is not None
    marks = spider.marks
    plain_s = (marks["plain_end"] - marks["plain_start"]) / len(plain)
    rendered_s = (marks["rendered_end"] - marks["rendered_start"]) / len(rendered)
    links = spider.links
    print(
        f"plain list pages:    {len(plain)}, {plain_s * 1000:.1f} ms/page, {links['plain']} links"
    )
    print(
        f"rendered list pages: {len(rendered)}, {rendered_s * 1000:.1f} ms/page,"
        f" {links['rendered']} list links drawn by scripts"
    )
    print(f"ratio rendered/plain: {rendered_s / plain_s:.1f}")
    summary = {
        "bench": "render",
        "pages": args.pages,
        "concurrency": CONCURRENCY,
        "plain_s_per_page": round(plain_s, 4),
        "rendered_s_per_page": round(rendered_s, 4),
        "ratio": round(rendered_s / plain_s, 1),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
