"""Sites enter a crawl in waves, so memory follows the crawl's concurrency, not the group's size.

A site's requests, its walks and its queued link checks live only while the site is crawled:
`GroupSpider.start()` admits the next site only while fewer than `limit` sites are active; a site
with no page request left has its links checked, and once those are answered too its per-site
state is released and its place goes to the next site. The limit is `SITES_IN_FLIGHT_FACTOR`
times what the downloader keeps in flight divided by what one site keeps in flight, so sites
starting (one home page) or ending (a last detail page) never leave the downloader short of work.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections.abc import Callable
from heapq import merge

from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

from crawler.config import CrawlSettings
from crawler.limits import SITES_IN_FLIGHT_FACTOR

#: While the start loop waits, it looks this often whether the crawl stalled (see SiteWaves).
STALL_CHECK_S = 5.0
#: URL keys kept as strings before UrlKeys folds them into its array of hashes.
LIVE_KEYS = 50_000


def active_sites_limit(defaults: CrawlSettings, concurrent_requests: int, n_sites: int) -> int:
    """Sites crawled side by side: enough to keep `concurrent_requests` in flight.

    A site with a delay sends one request per delay whatever its concurrency, so it counts as
    one request in flight.
    """
    per_site = defaults.concurrency if defaults.delay == 0 else 1
    wanted = math.ceil(SITES_IN_FLIGHT_FACTOR * concurrent_requests / max(1, per_site))
    return max(1, min(n_sites, wanted))


class SiteWaves:
    """The sites being crawled now; `enter` waits for a free place, `leave` frees one."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.active: set[str] = set()
        self.waiter: Deferred[None] | None = None

    async def enter(self, site_id: str, stalled: Callable[[], bool]) -> None:
        """Wait until fewer than `limit` sites are active, then count this one in.

        `stalled` tells when nothing is in flight at all: a site whose request was dropped
        without an answer would otherwise hold its place forever and the crawl never end, so
        the active sites are then let go.
        """
        while len(self.active) >= self.limit:
            waiter: Deferred[None] = Deferred()
            self.waiter = waiter
            timer = call_later(STALL_CHECK_S, self.wake)
            await maybe_deferred_to_future(waiter)
            timer.cancel()  # a no-op when it already fired
            if len(self.active) >= self.limit and stalled():
                self.active.clear()
        self.active.add(site_id)

    def leave(self, site_id: str) -> None:
        """The site has no request left: its place goes to the next site."""
        self.active.discard(site_id)
        self.wake()

    def wake(self) -> None:
        """Let the waiting start loop look again."""
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.called:
            waiter.callback(None)


class UrlKeys:
    """The run-wide set of URL keys (pages requested, links checked), at 8 bytes a key.

    A set of strings costs ~130 bytes a key, ~50 KB a site, and is never emptied during a run: at
    thousands of sites it was what still grew with the group. Keys are added as strings and, past
    `LIVE_KEYS`, folded into a sorted array of their 64-bit hashes (`hash` is stable within the
    process; two of a million keys colliding has odds near 1e-8).
    """

    def __init__(self, live_limit: int = LIVE_KEYS) -> None:
        self.live: set[str] = set()
        self.folded = array("q")
        self.live_limit = live_limit

    def add(self, key: str) -> None:
        """Count the key in."""
        self.live.add(key)
        if len(self.live) >= self.live_limit:
            # Merged as streams: a set or list of every folded hash as Python ints cost ~60 MB
            # for a moment at 400,000 keys, the peak of a whole 2000-site crawl.
            fresh = sorted({hash(k) for k in self.live})
            self.folded = array("q", merge(self.folded, fresh))
            self.live = set()

    def __contains__(self, key: object) -> bool:
        if key in self.live:
            return True
        if not isinstance(key, str) or not self.folded:
            return False
        wanted = hash(key)
        at = bisect_left(self.folded, wanted)
        return at < len(self.folded) and self.folded[at] == wanted

    def __len__(self) -> int:
        return len(self.live) + len(self.folded)
