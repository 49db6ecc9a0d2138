"""Which sites are being crawled and what each still has in flight, for the group spider.

A site enters through its wave (crawler/spiders/waves.py); each of its page requests is counted
until its callback's output is all out. When none is left the site's pages are done: the
extensions are told (`site_pages_done`), and once those holding it are done too
(`site_work_done`) its per-site state is released and its place goes to the next site. Run-wide
figures go to the crawler's stats under `sitewatch/sites/…`.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from scrapy.crawler import Crawler

from crawler.config import SiteConfig
from crawler.spiders import signals
from crawler.spiders.waves import SiteWaves, active_sites_limit
from crawler.state import CrawlContext

STATS = "sitewatch/sites"


class SiteLedger:
    """Page requests in flight per site; a site's end, hold and release."""

    def __init__(
        self, crawler: Crawler, context: CrawlContext, release: Callable[[str], None]
    ) -> None:
        self.crawler = crawler
        self.context = context
        self.release_state = release  # drops the site's state held by the spider's parts
        self.pending: dict[str, int] = {site.id: 0 for site in context.sites}
        self.held: dict[str, int] = {}  # receivers of site_pages_done still working on a site
        self.pages_done: set[str] = set()
        self.released: set[str] = set()
        self.render_open: dict[str, int] = {}  # pages open in the headless browser, per site
        self.waves = SiteWaves(self.wave_limit())
        crawler.signals.connect(self.work_done, signal=signals.site_work_done)

    def wave_limit(self) -> int:
        """The limit from SITEWATCH_ACTIVE_SITES when set, else from the crawl's concurrency."""
        settings = self.crawler.settings
        limit = settings.getint("SITEWATCH_ACTIVE_SITES", 0) or active_sites_limit(
            self.context.group.defaults,
            settings.getint("CONCURRENT_REQUESTS"),
            len(self.context.sites),
        )
        return max(1, limit)

    async def enter(self, site: SiteConfig) -> None:
        """Wait for the site's place in the current wave."""
        await self.waves.enter(site.id, self.stalled)
        self.stat("entered")

    def count(self, site: SiteConfig) -> None:
        """One more page request of the site is in flight."""
        self.pending[site.id] += 1

    def render_opened(self, site_id: str) -> None:
        """A page of the site is being fetched through the headless browser."""
        self.render_open[site_id] = self.render_open.get(site_id, 0) + 1

    def render_closed(self, site_id: str) -> bool:
        """A browser page of the site is done with; True when it was the site's last."""
        self.render_open[site_id] = max(0, self.render_open.get(site_id, 1) - 1)
        return self.render_open[site_id] == 0

    def tracked(self, site: SiteConfig, handler: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a callback so the site's count drops once its output is all out."""
        if inspect.isasyncgenfunction(handler):
            return self.tracked_async(site, handler)

        def run(*args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                result = handler(*args, **kwargs)
                if result is not None:
                    yield from result
            finally:
                # Pending until its output is all out: a request it yielded may be answered
                # first, and the site must not count as finished (and released) meanwhile.
                self.answered(site)

        run.__name__ = handler.__name__
        return run

    def tracked_async(self, site: SiteConfig, handler: Callable[..., Any]) -> Callable[..., Any]:
        """`tracked` for async callbacks (rendered pages close their browser page)."""

        async def run(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
            try:
                async for output in handler(*args, **kwargs):
                    yield output
            finally:
                self.answered(site)

        run.__name__ = handler.__name__
        return run

    def answered(self, site: SiteConfig) -> None:
        """A page request of the site is answered; its pages are done when none is left."""
        self.pending[site.id] -= 1
        if self.pending[site.id] == 0:
            progress = self.context.progress.sites[site.id]
            with self.context.progress.lock:
                progress.done = True
            self.pages_finished(site)

    def pages_finished(self, site: SiteConfig) -> None:
        """Tell the extensions (once); release the site unless one of them holds it."""
        if site.id in self.pages_done or site.id in self.released:
            return
        self.pages_done.add(site.id)
        self.stat("pages_done")
        answers = self.crawler.signals.send_catch_log(signals.site_pages_done, site=site)
        holds = sum(1 for _receiver, answer in answers if answer is True)
        if holds:
            self.held[site.id] = holds
            return  # released when the holders send site_work_done
        self.release(site.id)

    def work_done(self, site_id: str) -> None:
        """A holder of the site has nothing of it in flight any more."""
        if site_id not in self.held:
            return
        self.held[site_id] -= 1
        if self.held[site_id] <= 0:
            del self.held[site_id]
            self.release(site_id)

    def release(self, site_id: str) -> None:
        """Let the site go (once): its state is dropped and its place is the next site's."""
        if site_id in self.released:
            return
        self.released.add(site_id)
        self.render_open.pop(site_id, None)
        self.release_state(site_id)
        self.waves.leave(site_id)
        self.stat("released")

    def stalled(self) -> bool:
        """Nothing downloading, nothing scheduled, nothing being parsed."""
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)  # the engine's scheduler has no public handle
        scraper_idle = engine.scraper.slot is None or engine.scraper.slot.is_idle()
        scheduled = slot is not None and slot.scheduler.has_pending_requests()
        return not engine.downloader.active and scraper_idle and not scheduled

    def stat(self, name: str) -> None:
        """Count one event of the run in the crawler's stats."""
        self.crawler.stats.inc_value(f"{STATS}/{name}")
