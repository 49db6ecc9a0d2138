"""The figures of one month, as JSON-able dataclasses: what the report and `stats` print."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ColumnMonth:
    """One crawled column in the month."""

    site_id: str
    column_id: int
    column: str  # its name as shown on the site
    key: str
    url: str
    category: str
    on_home_page: bool
    posts: int
    posts_previous: int
    last_post_on: str | None  # newest dated post up to the as-of date
    days_since_update: int | None  # None: no dated post at all
    blank: bool  # crawled fine, holds no post (nor letter) at all
    stale: bool  # older than its category's limit in the profile (MonthSettings.stale_days)
    stale_limit_days: int | None
    # ok; broken (抽取异常: template changed) or needs_render (需渲染): neither blank nor stale
    extraction: str = "ok"
    stale_rule: str | None = None  # id of the profile rule whose limit it is past


@dataclass
class Availability:
    """Home-page probes of one site in the month."""

    visits: int = 0
    failures: int = 0
    failure_rate: float | None = None  # None: no visit
    longest_outage_hours: float | None = None  # None: no failed visit
    longest_failure_run: int = 0  # most failed visits in a row
    outages: int = 0  # runs of failed visits


@dataclass
class SiteMonth:
    """One site in the month."""

    site_id: str
    name: str
    unit_type: str
    parent: str | None
    posts: int
    posts_previous: int
    posts_change: int
    posts_by_category: dict[str, int]
    posts_per_week: float
    median_gap_days: float | None
    longest_gap_days: int | None
    last_post_on: str | None
    days_since_update: int | None
    columns: int
    stale_columns: int
    blank_columns: int
    consultations_received: int
    consultations_replied: int
    consultations_pending: int
    reply_rate: float | None
    median_reply_days: float | None
    median_reply_workdays: float | None
    p90_reply_workdays: float | None
    max_reply_workdays: float | None
    overdue_letters: int  # unanswered longer than the overdue limit (3 months)
    pending_over_limit: int  # unanswered longer than the reply limit in working days
    availability: Availability
    broken_links_home: int
    broken_links_inner: int

    @property
    def broken_links(self) -> int:
        """Broken links on home and inner pages."""
        return self.broken_links_home + self.broken_links_inner


@dataclass
class UnitTypeMonth:
    """Sites of one unit type (portal, departments, cities, affiliated units) together."""

    unit_type: str
    label: str
    sites: int
    posts: int
    posts_previous: int
    consultations_received: int
    consultations_replied: int
    reply_rate: float | None
    stale_columns: int
    blank_columns: int


@dataclass
class DepartmentMonth:
    """Posts of one posting department (来源) on one site."""

    site_id: str
    department: str | None
    posts: int


@dataclass
class OpenLetter:
    """A letter still unanswered on the as-of date and waiting longer than a limit."""

    site_id: str
    url: str | None
    title: str
    asked_on: str
    days_open: int
    workdays_open: int | None
    over_overdue_days: bool  # over the 3-month (overdue) limit


@dataclass
class BrokenLink:
    """A link whose latest check in the month failed."""

    site_id: str
    url: str
    found_on: str
    on_home_page: bool
    status: int | None
    error: str | None
    checked_at: str


@dataclass
class SuspiciousPost:
    """A post whose date sources disagree by more than the limit."""

    site_id: str
    url: str
    title: str
    published_on: str
    list_date: str | None
    meta_date: str | None
    text_date: str | None
    url_date: str | None
    first_seen_on: str | None  # None for baseline posts (not judged on first-seen time)
    gap_days: int


@dataclass
class Trends:
    """Twelve months ending with the report month; lists align with `months`."""

    months: list[str]
    posts: dict[str, list[int]] = field(default_factory=dict)
    replied: dict[str, list[int]] = field(default_factory=dict)
    median_reply_workdays: dict[str, list[float | None]] = field(default_factory=dict)
    visits: dict[str, list[int]] = field(default_factory=dict)
    failure_rate: dict[str, list[float | None]] = field(default_factory=dict)


@dataclass
class HeatMap:
    """Posts per site and ISO week of the month (weeks touching the period)."""

    weeks: list[str]
    counts: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class MonthMetrics:
    """Every figure of one month's report."""

    month: str
    as_of: str
    period_start: str
    period_end: str
    previous_start: str
    previous_end: str
    sites: list[SiteMonth]
    columns: list[ColumnMonth]
    unit_types: list[UnitTypeMonth]
    departments: list[DepartmentMonth]
    posts_by_category: dict[str, int]
    open_letters: list[OpenLetter]
    broken_links: list[BrokenLink]
    suspicious_posts: list[SuspiciousPost]
    trends: Trends
    heatmap: HeatMap
    settings: dict[str, Any] = field(default_factory=dict)
    # The whole group's letters asked in the period: median reply time and each letter's.
    median_reply_workdays: float | None = None
    reply_workdays: list[int] = field(default_factory=list)

    def site(self, site_id: str) -> SiteMonth:
        """The figures of one site (KeyError when absent)."""
        for site in self.sites:
            if site.site_id == site_id:
                return site
        raise KeyError(site_id)

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON-able data."""
        data = asdict(self)
        for site, raw in zip(self.sites, data["sites"], strict=True):
            raw["broken_links"] = site.broken_links
        return data
