"""A page of a site that could not be fetched, for the group spider: the home page's fault in
the progress figures, a broken link where a list linked to the page, the column's walk ended."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from twisted.python.failure import Failure

from crawler.faults import classify_exception, classify_status
from crawler.items import ColumnDoneItem, LinkItem
from crawler.spiders.ledger import SiteLedger
from crawler.spiders.walks import ColumnWalk
from crawler.state import CrawlContext


class PageFailures:
    """The errback of every page request."""

    def __init__(self, context: CrawlContext, ledger: SiteLedger) -> None:
        self.context = context
        self.ledger = ledger

    def page_failed(self, failure: Failure) -> Iterator[Any]:
        """A page of the site failed: record a broken link when a page linked to it."""
        request = getattr(failure, "request")  # noqa: B009 - set by Scrapy, not typed
        site_id = request.meta["site_id"]
        kind = request.meta.get("kind")
        response = getattr(failure.value, "response", None)
        if response is None:
            status = None
            error = classify_exception(failure.value)
        else:
            status = response.status
            error = classify_status(status)
        if kind == "home":
            self.context.progress.sites[site_id].home_status = error or "failed"
            return
        walk = request.cb_kwargs.get("walk")
        if not isinstance(walk, ColumnWalk):
            return
        if kind in ("detail", "consultation_detail"):
            yield LinkItem(
                site_id=site_id,
                url=request.meta.get("page_url", request.url),
                found_on=walk.url,
                on_home_page=False,
                ok=False,
                status=status,
                error=error,
            )
        if kind in ("list", "consultation_list"):
            if request.meta.get("playwright"):
                self.ledger.render_closed(site_id)
            yield ColumnDoneItem(site_id, walk.key, complete=False)
