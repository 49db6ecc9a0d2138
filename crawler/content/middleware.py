"""Content checks at crawl time: a spider middleware that scans each detail page it sees.

After the spider has handled a detail page, the page's listed title and visible text are
scanned (`ContentScanner`) and the findings stored in `content_findings`. Links of the page to
.docx/.xlsx/.pdf files on the site's own domains are fetched once (in the site's download slot,
size-capped) and their text scanned too. A 办事指南's downloads on the site's domains are
fetched the same way and judged (non-empty, the right type); its other links — online
application, files elsewhere — are judged when the spider closes (crawler/content/service_links.py)
from the link check's results, fetching only what nothing covered. Stats go under
`sitewatch/content/`.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals as scrapy_signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread
from twisted.python.failure import Failure

from crawler.content.dictionaries import ContentFileError
from crawler.content.identity import article_problems, home_problems
from crawler.content.rules import content_config, rules_for_group
from crawler.content.scanner import ContentFinding, ContentScanner
from crawler.content.search import (
    QUERY_CHARS,
    find_search_form,
    lists_post,
    sample_post,
    search_url,
)
from crawler.content.service_links import (
    UNJUDGED,
    PendingLink,
    dead,
    file_finding,
    judge_pending,
    record_link,
)
from crawler.content.services import (
    ATTACHMENT,
    ServiceLink,
    is_service_guide,
    missing_elements,
    service_links,
)
from crawler.content.store import PageRef, record_batch, replace_findings
from crawler.content.text import (
    MAX_ATTACHMENT_BYTES,
    attachment_hrefs,
    attachment_kind,
    attachment_text,
    page_text,
)
from crawler.extract.tree import parse_html, resolve_url
from crawler.faults import Fault
from crawler.items import LinkItem
from crawler.scrapy_faults import classify_exception
from crawler.settings import SITEWATCH_LINK_RECHECK_DAYS
from crawler.spiders import signals
from crawler.spiders.walks import decoded
from crawler.store import open_db
from crawler.urls import linked_url, url_key

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.config import SiteConfig
    from crawler.spiders.ledger import SiteLedger
    from crawler.state import CrawlContext

logger = logging.getLogger(__name__)
STATS = "sitewatch/content"
IDENTITY_CHECKS = (
    "site_code_missing",
    "site_code_mismatch",
    "icp_missing",
    "police_record_missing",
    "party_mark_missing",
    "error_report_missing",
)
SERVICE_CHECK = "service_elements_missing"
SEARCH_CHECKS = ("search_missing", "search_broken")
ATTACHMENTS_PER_PAGE = 5  # a page listing dozens of files is a download area, not a notice
# Findings are written this many at a time (one commit each); replacing a page's current state
# (identity, search, a guide's links) and the end of the crawl write what waits first.
BATCH_ROWS = 500


def as_findings(problems: list[tuple[str, str, str]]) -> list[ContentFinding]:
    """Identity and tag problems as findings (facts, not errors a person confirms)."""
    return [ContentFinding(check, term, hint, "suspected", "", 0) for check, term, hint in problems]


def search_finding(check: str, suggestion: str) -> ContentFinding:
    """The site search is missing or broken (a fact of the site now)."""
    return ContentFinding(check, "站内搜索", suggestion, "suspected", "", 0)


def search_broken(words: str, post_url: str) -> ContentFinding:
    """The search for a listed post's first words did not list it."""
    return search_finding("search_broken", f"“{words}” → {post_url}")


class ContentScanMiddleware:
    """Scan detail pages and their cheap attachments for content errors (错敏信息)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.scanner: ContentScanner | None = None
        self.conn: sqlite3.Connection | None = None
        self.attachments = False
        self.identity = False
        self.requested: set[str] = set()
        self.service_links = False
        self.pending_links: list[PendingLink] = []
        self.batch: list[tuple[PageRef, list[ContentFinding], datetime]] = []
        self.batch_rows = 0
        crawler.signals.connect(self.spider_opened, signal=scrapy_signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=scrapy_signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ContentScanMiddleware:
        if not crawler.settings.getbool("SITEWATCH_CONTENT_CHECKS", True):
            raise NotConfigured("content checks switched off")
        return cls(crawler)

    @property
    def context(self) -> CrawlContext:
        return self.crawler.spider.context  # type: ignore[union-attr]

    def spider_opened(self, spider: Any) -> None:
        config = content_config(self.context.group)
        if not config.enabled:
            return
        try:
            rules = rules_for_group(self.context.group)
        except ContentFileError as exc:
            # The crawl itself must go on; the run's note and the log say why nothing was scanned.
            logger.error("content checks off for this run: %s", exc)
            self._stat("file_error")
            return
        self.scanner = ContentScanner(rules)
        self.attachments = config.attachments
        self.identity = config.identity
        self.service_links = config.service_links
        self.conn = open_db(self.context.db_path, migrate_schema=False).conn

    def spider_closed(self, spider: Any) -> Any:
        if self.conn is not None:
            self._flush()
            self.conn.close()
            self.conn = None
        if not self.pending_links:
            return None
        # After the link check and the pipelines are done: their results are in the database.
        # In a thread, so the guarded fetches run on their own event loop; Scrapy waits for it.
        return deferToThread(self.judge_service_links)

    def judge_service_links(self) -> None:
        """The post-crawl pass over the guides' links the crawl did not download itself."""
        context = self.context
        conn = open_db(context.db_path, migrate_schema=False).conn
        try:
            reused, fetched = judge_pending(
                conn,
                self.pending_links,
                since=context.now - timedelta(days=SITEWATCH_LINK_RECHECK_DAYS),
                run_id=context.run_id,
                now=context.clock(),
            )
        except Exception:  # the crawl's results stand; the log says why these were not judged
            logger.exception("service guide links not judged")
            return
        finally:
            conn.close()
        self._stat("service_links_reused", reused)
        self._stat("service_links_fetched", fetched)

    def _stat(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"{STATS}/{key}", count)

    # -- spider output ------------------------------------------------------------------
    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        site = self.hold(response)
        try:
            yield from result
            yield from self.after_page(response)
        finally:
            self.let_go(site)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        site = self.hold(response)
        try:
            async for item in result:
                yield item
            for item in self.after_page(response):
                yield item
        finally:
            self.let_go(site)

    @property
    def ledger(self) -> SiteLedger:
        return self.crawler.spider.ledger  # type: ignore[union-attr]

    def hold(self, response: Response) -> SiteConfig | None:
        """Count a detail page's content work as one more request of its site, so the site's
        pages are not done (and its links not checked) before its attachments are asked for:
        the link check takes their answers instead of fetching them again."""
        downloads = self.attachments or self.service_links
        if self.scanner is None or not downloads or response.meta.get("kind") != "detail":
            return None
        site = self.context.site_by_id.get(response.meta.get("site_id", ""))
        if site is not None:
            self.ledger.count(site)
        return site

    def let_go(self, site: SiteConfig | None) -> None:
        if site is not None:
            self.ledger.answered(site)

    def after_page(self, response: Response) -> Iterator[scrapy.Request]:
        """Scan a detail page (text and tags) and a home page (identity); yield attachments."""
        kind = response.meta.get("kind")
        if self.scanner is None or kind not in ("detail", "home") or response.status != 200:
            return
        if kind == "home":
            yield from self.home_page(response)
            return
        listed = response.request.cb_kwargs.get("listed") if response.request else None
        title = getattr(listed, "title", None)
        day = getattr(listed, "date", None) or self.context.now.date()
        page = PageRef(
            site_id=response.meta["site_id"],
            url=response.meta.get("page_url", response.url),
            title=title,
            day=day,
        )
        tree = response.meta.get("page_tree")  # the spider's parse of the page, when it kept it
        if tree is None:
            tree = parse_html(decoded(response))
        text = page_text(tree, title, response.meta.get("page_text"))
        self._scan(page, text, day)
        walk = response.request.cb_kwargs.get("walk") if response.request else None
        guide = is_service_guide(title, getattr(walk, "category", None))
        if guide:
            self._service_guide(page, text)
        if self.identity:
            problems = as_findings(article_problems(tree, getattr(listed, "date", None)))
            if problems:  # an article is read once: nothing earlier to replace
                self._record(page, problems)
        downloads: set[str] = set()
        if guide and self.service_links:
            yield from self.guide_links(response, tree, page, downloads)
        if self.attachments:
            yield from self.attachment_requests(response, tree, page, downloads)

    def _scan(self, page: PageRef, text: str, day: date) -> None:
        assert self.scanner is not None and self.conn is not None
        findings = self.scanner.scan(text, day)
        self._stat("pages")
        if findings:
            self._stat("findings", len(findings))
            self._record(page, findings)

    def _record(self, page: PageRef, findings: list[ContentFinding]) -> None:
        """Queue a page's findings; written in batches (`BATCH_ROWS`)."""
        self.batch.append((page, findings, self.context.clock()))
        self.batch_rows += len(findings)
        if self.batch_rows >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        """Write the queued findings in one transaction."""
        if self.batch and self.conn is not None:
            record_batch(self.conn, self.batch, run_id=self.context.run_id)
        self.batch, self.batch_rows = [], 0

    def _service_guide(self, page: PageRef, text: str) -> None:
        """A 办事指南 without its required elements (a person confirms: labels vary)."""
        assert self.conn is not None
        self._stat("service_guides")
        missing = missing_elements(text)
        if missing:
            finding = ContentFinding(SERVICE_CHECK, "、".join(missing), "", "suspected", "", 0)
            self._record(page, [finding])

    def home_page(self, response: Response) -> Iterator[scrapy.Request]:
        """The site's identity as its home page shows it now; a search for a listed post."""
        if not self.identity:
            return
        page = PageRef(response.meta["site_id"], response.meta.get("page_url", response.url))
        tree = parse_html(decoded(response))
        self._replace(page, IDENTITY_CHECKS, as_findings(home_problems(tree)))
        form = find_search_form(tree, response.url)
        sample = sample_post(tree, response.url, urlsplit(response.url).hostname or "")
        if form is None:
            self._replace(page, SEARCH_CHECKS, [search_finding("search_missing", "")])
        elif sample is not None and form.method == "get":
            title, post_url = sample
            words = title[:QUERY_CHARS]
            yield scrapy.Request(
                search_url(form, words),
                callback=self.parse_search,
                errback=self.search_failed,
                dont_filter=True,
                meta={
                    "site_id": page.site_id,
                    "kind": "search",
                    "download_slot": response.meta.get("download_slot"),
                    "content_page": page,
                    "search_for": (words, post_url),
                },
            )

    def parse_search(self, response: Response) -> list[Any]:
        """The result page must link the post searched for."""
        page: PageRef = response.meta["content_page"]
        words, post_url = response.meta["search_for"]
        tree = parse_html(decoded(response))
        found = [] if lists_post(tree, response.url, post_url) else [search_broken(words, post_url)]
        self._replace(page, SEARCH_CHECKS, found)
        return []

    def search_failed(self, failure: Failure) -> list[Any]:
        """A search that does not answer is broken; one robots.txt forbids is not judged."""
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(IgnoreRequest):
            return []
        words, post_url = request.meta["search_for"]
        self._replace(request.meta["content_page"], SEARCH_CHECKS, [search_broken(words, post_url)])
        return []

    def _replace(self, page: PageRef, kinds: tuple[str, ...], found: list[ContentFinding]) -> None:
        assert self.conn is not None
        self._flush()
        self._stat("identity_pages")
        replace_findings(
            self.conn, page, kinds, found, now=self.context.clock(), run_id=self.context.run_id
        )

    # -- attachments --------------------------------------------------------------------
    def guide_links(
        self, response: Response, tree: Any, page: PageRef, downloads: set[str]
    ) -> Iterator[scrapy.Request]:
        """A guide's downloads on the site's domains are fetched now (their text is scanned on
        the way); its other links wait for the link check (judged when the spider closes)."""
        site = self.site_config(page.site_id)
        crawl = site.effective_crawl(self.context.group.defaults)
        for link in service_links(tree, response.url):
            key = url_key(link.url)
            downloads.add(key)  # judged here, never downloaded again for its text
            if link.role == ATTACHMENT and site.allows_url(link.url):
                if key not in self.requested:
                    self.requested.add(key)
                    yield self.attachment_request(response, page, link.url, link)
                continue
            self.pending_links.append(
                PendingLink(page, link, site, crawl.timeout, crawl.user_agent)
            )

    def site_config(self, site_id: str) -> SiteConfig:
        """The crawl's configuration of a site."""
        return self.context.site_by_id[site_id]

    def attachment_requests(
        self, response: Response, tree: Any, page: PageRef, skip: set[str]
    ) -> Iterator[Any]:
        """GET requests for the page's .docx/.xlsx/.pdf links on the site's own domains (not
        those a guide's check already asked for)."""
        site = self.site_config(page.site_id)
        count = 0
        every = attachment_kind(response.url) is not None  # "?page=2" keeps a .pdf page's path
        for href in attachment_hrefs(tree, every):
            url = resolve_url(response.url, href)
            if url is None or attachment_kind(url) is None or not site.allows_url(url):
                continue
            key = url_key(url)
            if key in self.requested or key in skip or count >= ATTACHMENTS_PER_PAGE:
                continue
            self.requested.add(key)
            count += 1
            yield self.attachment_request(response, page, url, None)

    def attachment_request(
        self, response: Response, page: PageRef, url: str, link: ServiceLink | None
    ) -> scrapy.Request:
        """One attachment download in the site's slot, size-capped; `link` when it is a guide's
        file to judge."""
        site = self.site_config(page.site_id)
        crawl = site.effective_crawl(self.context.group.defaults)
        self.ledger.count(site)  # the site's pages are done only once its attachments are
        return scrapy.Request(
            url,
            callback=self.ledger.tracked(site, self.parse_attachment),
            errback=self.ledger.tracked(site, self.attachment_failed),
            dont_filter=True,
            headers={"User-Agent": crawl.user_agent},
            meta={
                "site_id": site.id,
                "kind": "attachment",
                "download_slot": response.meta.get("download_slot"),
                "download_timeout": crawl.timeout,
                "download_maxsize": MAX_ATTACHMENT_BYTES,
                "dont_obey_robotstxt": not crawl.obey_robots,
                "content_page": page,
                "service_link": link,
            },
        )

    async def parse_attachment(self, response: Response) -> AsyncIterator[Any]:
        """Scan an attachment's text as part of the page that links it (the text is read in a
        thread: pdftotext must not hold up the crawl); its answer is the link's check."""
        page: PageRef = response.meta["content_page"]
        link: ServiceLink | None = response.meta.get("service_link")
        for item in self.link_answer(response.request, response.status):
            yield item
        if link is not None and self.conn is not None:
            content_type = response.headers.get(b"Content-Type")
            kind_header = content_type.decode("latin-1") if content_type else None
            finding = file_finding(link, kind_header, response.body)
            self._flush()
            record_link(
                self.conn, page, link, finding, now=self.context.clock(), run_id=self.context.run_id
            )
            self._stat("service_files")
        kind = attachment_kind(response.url)
        if self.scanner is None or kind is None:
            return
        text = await maybe_deferred_to_future(deferToThread(attachment_text, response.body, kind))
        self._stat("attachments")
        attachment = PageRef(page.site_id, page.url, page.title, page.day, response.url)
        self._scan(attachment, text, page.day or self.context.now.date())

    def link_answer(self, request: scrapy.Request | None, status: int) -> list[Any]:
        """The link check's record of this download as the link's check (none when it is not
        a link it checks, or checked already)."""
        if request is None:
            return []
        site = self.site_config(request.meta["site_id"])
        answers = self.crawler.signals.send_catch_log(
            signals.link_fetched, site=site, url=linked_url(request), status=status
        )
        return [answer for _receiver, answer in answers if isinstance(answer, LinkItem)]

    def attachment_failed(self, failure: Failure) -> list[Any]:
        """A missing attachment is the link checker's business, not a content finding — except
        a 办事指南's download, which must work (服务不实用). An HTTP answer is the link's check;
        without one (no connection, too large to read here) the link check tries itself."""
        self._stat("attachment_failed")
        request = failure.request  # type: ignore[attr-defined]
        link: ServiceLink | None = request.meta.get("service_link")
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        checked = self.link_answer(request, status) if status is not None else []
        if link is None or self.conn is None:
            return checked
        fault = None if response is not None else classify_exception(failure.value)
        if fault in UNJUDGED:
            return checked  # 无法验证 from here, refused by robots.txt, or larger than read here
        finding = dead(link, status, fault.value if isinstance(fault, Fault) else None)
        page: PageRef = request.meta["content_page"]
        self._flush()
        record_link(
            self.conn, page, link, finding, now=self.context.clock(), run_id=self.context.run_id
        )
        return checked
