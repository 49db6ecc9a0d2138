"""Every Scrapy setting sitewatch uses, in one place, each with the reason for its value.

Project-specific settings carry the ``SITEWATCH_`` prefix.
"""

from __future__ import annotations

from typing import Any

from crawler.config import GroupConfig, SiteConfig
from crawler.config.checks import url_host
from crawler.limits import DNS_TIMEOUT, MAX_PAGE_BYTES, MAX_REDIRECTS, RETRY_AFTER_MAX
from crawler.render import render_settings

#: Requests per site are throttled by per-site download slots (DOWNLOAD_SLOTS below); the global
#: limit only bounds sockets and memory, so hundreds of sites crawl side by side.
CONCURRENT_REQUESTS = 128

#: Pages that could not be fetched are retried this often (5xx bursts, timeouts)…
RETRY_TIMES = 2
#: …waiting SITEWATCH_RETRY_BACKOFF × 2^attempt seconds before each new attempt.
SITEWATCH_RETRY_BACKOFF = 0.5
#: A Retry-After longer than this gives the request up until the next run (crawler.limits).
SITEWATCH_RETRY_AFTER_MAX = RETRY_AFTER_MAX

#: A re-crawl stops paginating a column after this many extra pages holding only known items.
SITEWATCH_INCREMENTAL_OVERLAP = 0

#: A link that checked OK within this many days is not checked again.
SITEWATCH_LINK_RECHECK_DAYS = 7

#: Links found on crawled pages are checked (crawler/extensions/linkcheck.py); off, none is.
SITEWATCH_LINK_CHECK = True

#: Government pages are small; a 10 MB "page" is a fault, not content.
DOWNLOAD_MAXSIZE = MAX_PAGE_BYTES

#: Items of one response are handled one at a time: the store pipeline is synchronous, so more
#: would not overlap anything, and Scrapy's default (100) starts 100 asyncio tasks per response
#: — measured at ~15 % of a 200-site crawl's CPU (bench/throughput.py).
CONCURRENT_ITEMS = 1

#: sitewatch's own extensions, and Scrapy's that it does not use (each costs a signal handler
#: per item or response).
EXTENSIONS = {
    "crawler.extensions.linkcheck.LinkCheck": 500,
    "scrapy.extensions.feedexport.FeedExporter": None,
    "scrapy.extensions.memdebug.MemoryDebugger": None,
    "scrapy.extensions.spiderstate.SpiderState": None,
    "scrapy.extensions.throttle.AutoThrottle": None,
}


def download_slots(group: GroupConfig, sites: list[SiteConfig]) -> dict[str, dict[str, Any]]:
    """One download slot per site, keyed by its home host, with its own concurrency and delay.

    Page requests, link checks of the site's pages and Scrapy's robots.txt requests all land
    in it, so the site never sees more than its concurrency nor requests closer than its delay.
    """
    slots: dict[str, dict[str, Any]] = {}
    for site in sites:
        crawl = site.effective_crawl(group.defaults)
        slots[url_host(site.home_url)] = {
            "concurrency": crawl.concurrency,
            "delay": crawl.delay,
            "jitter": 0,
        }
    return slots


def build_settings(
    group: GroupConfig, sites: list[SiteConfig], *, log_level: str = "WARNING"
) -> dict[str, Any]:
    """The Scrapy settings of one crawl of these sites."""
    return {
        "BOT_NAME": "sitewatch",
        "USER_AGENT": group.defaults.user_agent,
        # robots.txt is obeyed per request: sites with obey_robots false mark theirs.
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS": CONCURRENT_REQUESTS,
        "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENT_REQUESTS,
        "DOWNLOAD_SLOTS": download_slots(group, sites),
        "DOWNLOAD_DELAY": 0,
        "DOWNLOAD_TIMEOUT": group.defaults.timeout,
        "DOWNLOAD_MAXSIZE": DOWNLOAD_MAXSIZE,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_TIMES": RETRY_TIMES,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "SITEWATCH_RETRY_BACKOFF": SITEWATCH_RETRY_BACKOFF,
        "SITEWATCH_RETRY_AFTER_MAX": SITEWATCH_RETRY_AFTER_MAX,
        "SITEWATCH_INCREMENTAL_OVERLAP": SITEWATCH_INCREMENTAL_OVERLAP,
        "SITEWATCH_LINK_RECHECK_DAYS": SITEWATCH_LINK_RECHECK_DAYS,
        "SITEWATCH_LINK_CHECK": SITEWATCH_LINK_CHECK,
        "REDIRECT_MAX_TIMES": MAX_REDIRECTS,
        "COOKIES_ENABLED": False,
        # Names resolved once per crawl off the reactor thread, bounded in time, and connected
        # at the address the guard checked (crawler/resolver.py).
        "TWISTED_DNS_RESOLVER": "crawler.resolver.PinnedResolver",
        "DNS_TIMEOUT": DNS_TIMEOUT,
        "TELNETCONSOLE_ENABLED": False,
        # Breadth first: every site's home page and first list pages before deep pages.
        "DEPTH_PRIORITY": 1,
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawler.middlewares.BackoffRetryMiddleware": 550,
            # Our own guard knows each site's domains; Scrapy's offsite check does not.
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            "crawler.middlewares.GuardMiddleware": 50,
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawler.robots.CachedRobotsTxtMiddleware": 100,
            "crawler.middlewares.FetchLogMiddleware": 950,
            # Before Scrapy's meta-refresh check (580) reads response.text.
            "crawler.middlewares.CharsetMiddleware": 900,
        },
        "ITEM_PIPELINES": {"crawler.pipelines.StorePipeline": 100},
        "SPIDER_MIDDLEWARES": {"crawler.content.middleware.ContentScanMiddleware": 950},
        "CONCURRENT_ITEMS": CONCURRENT_ITEMS,
        "EXTENSIONS": EXTENSIONS,
        # The spider's callbacks are per-request closures (SiteLedger.tracked): this check
        # would read and ast-parse their source on every response (~4 % of a crawl's CPU).
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        "LOG_LEVEL": log_level,
        "LOGSTATS_INTERVAL": 0,
        # Script-drawn lists through Chromium, only when a site may need it (crawler/render.py).
        **render_settings(group, sites),
    }
