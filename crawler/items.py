"""What the spider yields; the store pipeline turns each into rows. Plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class ColumnItem:
    """A column of a site, configured or discovered on its home page."""

    site_id: str
    key: str
    name: str
    url: str
    category: str
    source: str  # config | discovered
    on_home_page: bool


@dataclass
class PostItem:
    """A post seen on a list page, completed by its detail page when one was read."""

    site_id: str
    column_key: str
    url: str
    title: str
    published_on: date | None
    date_source: str | None = None
    list_date: date | None = None
    meta_date: date | None = None
    text_date: date | None = None
    url_date: date | None = None
    department: str | None = None
    from_detail: bool = False


@dataclass
class ConsultationItem:
    """A letter seen in a mailbox list, completed by its own page when one was read."""

    site_id: str
    column_key: str
    url: str | None
    title: str
    asked_on: date | None
    replied_on: date | None
    status: str | None
    from_detail: bool = False


@dataclass
class ColumnDoneItem:
    """The end of a column's walk: `complete` when its pagination ran out naturally."""

    site_id: str
    column_key: str
    complete: bool
    seen_urls: list[str] = field(default_factory=list)


@dataclass
class LinkItem:
    """The result of one link check."""

    site_id: str | None
    url: str
    found_on: str
    on_home_page: bool
    ok: bool
    status: int | None
    error: str | None
    detail: str | None = None  # why an unverifiable link could not be checked


@dataclass
class ValidatorsItem:
    """ETag / Last-Modified of a list page, stored once its items are stored."""

    url: str
    etag: str | None
    last_modified: str | None
