"""The store pipeline: every item the spider yields becomes rows, committed as it arrives."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import DropItem

from crawler.extraction import ColumnShapeItem, record_shape
from crawler.faults import Fault
from crawler.items import (
    ColumnDoneItem,
    ColumnItem,
    ConsultationItem,
    LinkItem,
    PostItem,
    ValidatorsItem,
)
from crawler.notes import storage_failed
from crawler.store import ConsultationRecord, PostRecord, Store, open_db

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.state import CrawlContext


class StorePipeline:
    """Upsert posts, letters, columns, link checks; keep the live figures up to date.

    Each item is its own small transaction, so a crash loses at most the item in flight. A
    failed write (disk full, file too large) stops the crawl: see `crawler.notes.storage_failed`.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.store: Store | None = None
        self.column_ids: dict[tuple[str, str], int] = {}
        self.baseline_columns: set[int] = set()
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        self.store = Store(open_db(self.context.db_path, migrate_schema=False))

    def spider_closed(self, spider: Any) -> None:
        if self.store is not None:
            self.store.conn.close()
            self.store = None

    @property
    def context(self) -> CrawlContext:
        return self.crawler.spider.context  # type: ignore[union-attr]

    def process_item(self, item: Any, spider: Any = None) -> Any:
        store = self.store
        assert store is not None
        handlers: dict[type, Callable[[Any, Any], None]] = {
            ColumnItem: self._column,
            PostItem: self._post,
            ConsultationItem: self._letter,
            ColumnDoneItem: self._column_done,
            LinkItem: self._link,
            ValidatorsItem: self._validators,
            ColumnShapeItem: self._column_shape,
        }
        handler = handlers[type(item)]
        try:
            handler(store, item)
        except sqlite3.Error as exc:
            storage_failed(self.crawler, exc)
            raise DropItem(f"not stored: {exc}") from None
        return item

    def _column(self, store: Store, item: ColumnItem) -> None:
        column_id = store.upsert_column(
            site_id=item.site_id,
            key=item.key,
            name=item.name,
            url=item.url,
            category=item.category,
            source=item.source,
            on_home_page=item.on_home_page,
        )
        self.column_ids[(item.site_id, item.key)] = column_id
        if store.column_is_new(column_id):
            self.baseline_columns.add(column_id)

    def _post(self, store: Store, item: PostItem) -> None:
        column_id = self.column_ids.get((item.site_id, item.column_key))
        record = PostRecord(
            site_id=item.site_id,
            column_id=column_id,
            url=item.url,
            title=item.title,
            published_on=item.published_on,
            date_source=item.date_source,
            list_date=item.list_date,
            meta_date=item.meta_date,
            text_date=item.text_date,
            url_date=item.url_date,
            department=item.department,
            detail_fetched=item.from_detail,
        )
        new = store.upsert_post(
            record,
            now=self.context.clock(),
            run_id=self.context.run_id,
            baseline=column_id in self.baseline_columns,
        )
        progress = self.context.progress
        site = progress.sites.get(item.site_id)
        if site is None:
            return
        with progress.lock:
            if new:
                site.new_posts += 1
            elif not item.from_detail:
                site.known_posts += 1

    def _letter(self, store: Store, item: ConsultationItem) -> None:
        record = ConsultationRecord(
            site_id=item.site_id,
            column_id=self.column_ids.get((item.site_id, item.column_key)),
            url=item.url,
            title=item.title,
            asked_on=item.asked_on,
            replied_on=item.replied_on,
            status=item.status,
            detail_fetched=item.from_detail,
        )
        new = store.upsert_consultation(record, now=self.context.clock())
        site = self.context.progress.sites.get(item.site_id)
        if new and site is not None:
            with self.context.progress.lock:
                site.letters += 1

    def _column_done(self, store: Store, item: ColumnDoneItem) -> None:
        column_id = self.column_ids.get((item.site_id, item.column_key))
        if column_id is None:
            return
        now = self.context.clock()
        if item.complete:
            store.mark_gone(column_id, item.seen_urls, now)
        store.mark_column_crawled(column_id, now)

    def _link(self, store: Store, item: LinkItem) -> None:
        store.record_link(
            run_id=self.context.run_id,
            site_id=item.site_id,
            url=item.url,
            found_on=item.found_on,
            on_home_page=item.on_home_page,
            ok=item.ok,
            status=item.status,
            error=item.error,
            checked_at=self.context.clock(),
            detail=item.detail,
        )
        site = self.context.progress.sites.get(item.site_id or "")
        if not item.ok and item.error != Fault.UNVERIFIABLE and site is not None:
            with self.context.progress.lock:
                site.links_broken += 1

    def _column_shape(self, store: Store, item: ColumnShapeItem) -> None:
        column_id = self.column_ids.get((item.site_id, item.column_key))
        if column_id is not None:
            record_shape(store.conn, column_id, item.shape, item.script_drawn, self.context.clock())

    def _validators(self, store: Store, item: ValidatorsItem) -> None:
        store.save_validators(item.url, item.etag, item.last_modified, self.context.clock())
