"""Plain data of the simulated world: sites, columns, posts, letters and the fault plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from crawler.categories import Category, UnitType


class Family(StrEnum):
    """Which CMS a site's pages imitate; decides URL shapes and markup."""

    TRS = "trs"  # /gzdt/index_1.html, ./201205/t20120515_123.html, createPageHTML()
    HANWEB_LINKS = "hanweb_links"  # /col/col12/index_2.html with 下一页/尾页 links
    HANWEB_QUERY = "hanweb_query"  # /col/col12/index.html?pageIndex=2
    HANDMADE = "handmade"  # /xwdt/list_2.html tables


class DateStyle(StrEnum):
    """How a hand-made site shows dates in its lists."""

    ISO = "iso"  # 2012-05-15
    SHORT = "short"  # [05-15]  (year only from the URL)
    CHINESE = "chinese"  # 2012年5月15日
    SLASH = "slash"  # 2012/5/15
    URL_ONLY = "url_only"  # no date shown at all


class Rhythm(StrEnum):
    """How often a column gets new posts across the year."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    POLICY = "policy"
    DISCLOSURE = "disclosure"
    RARE = "rare"
    ARCHIVED = "archived"  # like RARE, but nothing since before the simulated year
    SERVICE = "service"
    STALE = "stale"
    BLANK = "blank"


@dataclass(frozen=True)
class Attachment:
    """A file linked from a detail page (served unless the broken_links fault removed it)."""

    path: str
    label: str


@dataclass
class Post:
    """One article in one column."""

    doc_id: int
    title: str
    published: datetime
    department: str
    body: list[str]
    path: str = ""
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def day(self) -> date:
        """The publication date shown everywhere."""
        return self.published.date()


@dataclass
class Column:
    """A column (栏目) with its posts, newest first."""

    name: str
    slug: str
    category: Category
    rhythm: Rhythm
    col_id: int
    path: str = ""
    stale_after: date | None = None  # last day a STALE column was still updated
    posts: list[Post] = field(default_factory=list)


@dataclass
class Letter:
    """A consultation letter (咨询/信箱) and its reply, if any."""

    letter_id: int
    title: str
    question: str
    asker: str
    asked: datetime
    replied: datetime | None
    reply_department: str
    reply_text: str
    path: str = ""


@dataclass(frozen=True)
class Outage:
    """A period [start, end) during which a whole site answers 503."""

    start: datetime
    end: datetime


@dataclass
class SiteFaults:
    """The per-site fault plan; every list stays empty when the fault is off."""

    broken_paths: list[str] = field(default_factory=list)  # linked, answer 404
    dead_port_urls: list[str] = field(default_factory=list)  # absolute, nothing listens
    outages: list[Outage] = field(default_factory=list)
    slow_paths: list[str] = field(default_factory=list)
    error_paths: dict[str, int] = field(default_factory=dict)  # path -> 500/502/503
    redirects: dict[str, str] = field(default_factory=dict)  # path -> next location path
    redirect_links: list[str] = field(default_factory=list)  # chain starts linked from pages
    trap_prefix: str | None = None
    wrong_charset: bool = False


@dataclass
class Site:
    """One website of the group, served on its own loopback address."""

    site_id: str
    name: str
    short_name: str
    unit_type: UnitType
    parent: str | None
    host: str
    port: int
    family: Family
    encoding: str  # "utf-8" or "gbk"
    charset_in_header: bool
    date_style: DateStyle
    page_size: int
    pubdate_meta: bool
    departments: list[str]
    columns: list[Column] = field(default_factory=list)
    mailbox_name: str | None = None
    mailbox_slug: str | None = None
    letters: list[Letter] = field(default_factory=list)
    robots_disallow: list[str] = field(default_factory=list)
    faults: SiteFaults = field(default_factory=SiteFaults)
    shape: str | None = None  # a list shape of simulator/shapes.py (extra sites only)
    template_switch: date | None = None  # lists in a new, unreadable template from this day
    content_errors: list[dict] = field(default_factory=list)  # simulator/content_cases.py
    yearly_report_url: str | None = None  # simulator/content_cases.py
    interpreted_policies: list[str] = field(default_factory=list)  # content_cases.py

    @property
    def base_url(self) -> str:
        """Scheme, host and port without the trailing slash."""
        return f"http://{self.host}:{self.port}"

    @property
    def home_url(self) -> str:
        """The home page URL."""
        return f"{self.base_url}/"

    def url(self, path: str) -> str:
        """Absolute URL of a site path."""
        return f"{self.base_url}{path}"
