"""What the group spider tells the crawl's extensions (crawler/extensions), as Scrapy signals.

The spider knows nothing of link checking: it says which pages of a site it read and when a
site has no page request left; the link check extension (crawler/extensions/linkcheck.py)
listens. A receiver of `site_pages_done` that starts more requests for the site returns True
and sends `site_work_done` once they are all answered: the site's state is released then.
The content checks (crawler/content/middleware.py) hand the link check the answers of the
attachments they downloaded (`link_fetched`), so no link is fetched twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement
    from scrapy.crawler import Crawler

    from crawler.config import SiteConfig

#: A page of a site was read: `site` (SiteConfig), `tree` (parsed page), `page_url`,
#: `on_home_page` (bool).
page_read = object()
#: Every page request of a site is answered: `site`. Receivers return True to hold the site.
site_pages_done = object()
#: A receiver that held a site has nothing of it in flight any more: `site_id`.
site_work_done = object()
#: A part of the crawl other than the link check fetched a link of the site's pages with GET
#: (the content checks read attachments): `site`, `url` (as linked), `status`. The link check
#: answers with the LinkItem that records this as the link's check, so it is not fetched
#: twice; or None.
link_fetched = object()


def announce_page(
    crawler: Crawler, site: SiteConfig, tree: HtmlElement, page_url: str, on_home_page: bool
) -> None:
    """Tell the extensions that a page of the site was read (its links are theirs to check)."""
    crawler.signals.send_catch_log(
        page_read, site=site, tree=tree, page_url=page_url, on_home_page=on_home_page
    )
