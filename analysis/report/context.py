"""The report context: every figure the monthly report shows, already computed by the metrics.

The renderers (HTML, Word, Excel, charts) only format and lay out what is here; they never
compute a figure. Crawled text (site names, titles, URLs, evidence) is untrusted and each
renderer escapes it for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from crawler import defaults
from crawler.categories import Category, UnitType


class EmptyReportError(Exception):
    """The month has no monitored data, so there is no report to write."""


class Outcome(StrEnum):
    """How one site fares against one rule of the standard."""

    PASS = "pass"
    WARNING = "warning"
    FAIL = "fail"
    NO_DATA = "no_data"  # nothing measured (no probe, no post extracted): no verdict
    NOT_APPLICABLE = "n/a"


class RuleLevel(StrEnum):
    """What a triggered rule does (mirrors analysis.standards.profile.Level)."""

    VETO = "veto"
    DEDUCTION = "deduction"
    WARNING = "warning"
    BONUS = "bonus"


class ColumnProblem(StrEnum):
    """Why a column is listed in section 3."""

    STALE = "stale"
    BLANK = "blank"
    NEEDS_RENDER = "needs_render"  # 需渲染: the list only scripts draw, not rendered
    EXTRACTION = "extraction_broken"  # 抽取异常: the page no longer reads as before


@dataclass(frozen=True)
class CategoryCount:
    """Posts of one column category this month and last month."""

    category: Category
    posts: int
    posts_previous: int | None


@dataclass(frozen=True)
class Overview:
    """Section 1: the month at a glance, with the previous month's figures where known."""

    sites_monitored: int
    posts: int
    posts_previous: int | None
    posts_by_category: list[CategoryCount]
    consultations_received: int
    consultations_replied: int
    reply_rate: float | None  # 0..1; None when nothing was received
    median_latency_workdays: float | None
    availability: float | None  # 0..1 share of successful home-page visits
    availability_previous: float | None
    broken_links: int
    broken_links_previous: int | None
    sites_failing: int  # sites that fail the standard (veto or score below pass)
    sites_failing_previous: int | None
    sites_vetoed: int
    # The previous month's figures where the metrics give them (None: not known).
    sites_monitored_previous: int | None = None
    consultations_received_previous: int | None = None
    consultations_replied_previous: int | None = None
    reply_rate_previous: float | None = None
    median_latency_workdays_previous: float | None = None
    sites_passed: int = 0
    pass_rate: float | None = None  # sites passing / sites judged
    sites_with_no_data: int = 0  # sites with at least one rule without data
    sites_warned: int = 0  # sites with at least one early warning
    overdue_letters: int = 0  # letters unanswered past the overdue limit on the check date
    outages: int = 0
    unverifiable_links: int = 0


@dataclass(frozen=True)
class SiteUpdate:
    """Section 2: one site's update figures."""

    site_id: str
    name: str
    url: str
    unit_type: UnitType
    posts: int
    posts_previous: int | None
    change: int | None  # posts - posts_previous, from the metrics
    last_update: date | None
    days_since_update: int | None
    stale_columns: int
    blank_columns: int
    rank: int  # 1 = most posts within its unit type
    posts_per_week: float | None = None
    longest_gap_days: int | None = None


@dataclass(frozen=True)
class ColumnIssue:
    """Section 3: one stale or blank column and the rule it breaks."""

    site_name: str
    column_name: str
    column_url: str
    category: Category
    problem: ColumnProblem
    last_post: date | None
    days_since_post: int | None
    limit_days: int | None
    rule_id: str


@dataclass(frozen=True)
class ConsultationStats:
    """Section 4: one site's government-consultation figures."""

    site_name: str
    received: int
    replied: int
    pending: int
    reply_rate: float | None
    median_latency_workdays: float | None
    max_latency_workdays: int | None
    overdue: int = 0  # letters (any month) unanswered past the overdue limit
    has_channel: bool = True  # a consultation column or a letter was found


@dataclass(frozen=True)
class OverdueLetter:
    """Section 4: a consultation left unanswered past the limit."""

    site_name: str
    title: str
    url: str
    asked_on: date
    waiting_workdays: int | None  # None when the calendar could not count it


@dataclass(frozen=True)
class AvailabilityStats:
    """Section 5: one site's home-page availability and broken links."""

    site_name: str
    url: str
    probes: int
    failures: int
    availability: float | None
    outages: int  # runs of consecutive failed visits
    broken_links_home: int
    broken_links_inner: int


@dataclass(frozen=True)
class BrokenLink:
    """Section 5: one link whose latest check failed."""

    site_name: str
    url: str
    found_on: str
    status: str  # HTTP status or error name, as recorded
    on_home_page: bool
    unverifiable: bool = False  # could not be checked from here: reported apart, never deducted


@dataclass(frozen=True)
class Outage:
    """Section 5: one run of failed home-page visits."""

    site_name: str
    began: datetime
    ended: datetime | None  # the next successful visit; None while still down
    failed_visits: int
    hours: float
    # The vantage points that saw it down, when probed from several (issue 17); empty with one.
    seen_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleInfo:
    """A rule of the standard profile, as the compliance matrix heads it."""

    rule_id: str
    name: str
    metric: str
    level: RuleLevel
    citation: str = ""


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence behind a finding: what kind of fact, its figures, and a URL.

    `facts` holds the figures as measured (today's values, also for an early warning whose
    rule looked ahead); `analysis.report.wording` turns them into one sentence per language.
    """

    kind: str  # letter | column | blank_column | link | probe_rate | probe_run | ... | text
    facts: dict[str, Any] = field(default_factory=dict)
    url: str = ""


@dataclass(frozen=True)
class Finding:
    """Section 6/8: a rule a site fails or is warned about, with its evidence."""

    site_name: str
    rule_id: str
    outcome: Outcome
    value: float | None
    threshold: float | None
    evidence: list[Evidence] = field(default_factory=list)
    unit_type: UnitType | None = None
    site_order: int = 0  # the site's place in the group's configuration
    note: str = ""  # why there is no data (no_data findings)


@dataclass(frozen=True)
class SiteCompliance:
    """Section 6: one row of the compliance matrix."""

    site_name: str
    score: float
    passed: bool
    vetoes: list[str]  # rule ids of triggered veto rules
    outcomes: dict[str, Outcome]  # rule id -> outcome
    rank: int = 0  # 1 = best score over the whole group (vetoed sites after the rest)
    unit_type: UnitType | None = None


@dataclass(frozen=True)
class Compliance:
    """Section 6: the standard, the matrix site × rule and the findings."""

    standard_name: str
    pass_score: float
    rules: list[RuleInfo]
    sites: list[SiteCompliance]
    findings: list[Finding]


@dataclass(frozen=True)
class AreaRule:
    """A rule of a checklist area (analysis/report/areas.py) over the group: how many sites it
    judged and how they fared."""

    rule_id: str
    judged: int  # sites with a verdict (pass, warning or fail)
    failing: int
    warned: int
    no_data: int


@dataclass(frozen=True)
class AreaResult:
    """One checklist area's section: its rules and their findings (fail, warning, no data)."""

    key: str  # analysis.report.areas.Area.key
    rules: list[AreaRule]
    findings: list[Finding]


@dataclass(frozen=True)
class TrendSeries:
    """Section 7: one figure over the trend months; the key names its i18n label."""

    key: str  # posts | consultations_received | reply_rate | availability | ...
    values: list[float | None]
    is_ratio: bool = False


@dataclass(frozen=True)
class Trend:
    """Section 7: twelve months of group-level figures."""

    months: list[str]  # "YYYY-MM", oldest first
    series: list[TrendSeries]


@dataclass(frozen=True)
class WeeklyPosts:
    """Posts per site per week of the month, for the update heat map."""

    week_starts: list[date]
    site_names: list[str]
    counts: list[list[int]]  # [site][week]


@dataclass(frozen=True)
class MonitoringMethod:
    """Annex 3: how the month was measured."""

    period_start: date
    period_end: date
    crawl_runs: int
    probe_visits: int
    probe_timeout_seconds: float
    holidays: list[date]  # public holidays inside the period
    makeup_workdays: list[date]  # weekend days worked inside the period
    workdays: int
    # The standard profile's limits the definitions quote (analysis.metrics.MonthSettings).
    overdue_days: int = defaults.OVERDUE_DAYS
    stale_days: dict[str, int] = field(default_factory=dict)  # category -> days


@dataclass(frozen=True)
class ReportContext:
    """Everything the monthly report shows."""

    month: str  # "YYYY-MM"
    group_name: str
    generated_at: datetime
    check_date: date
    overview: Overview
    sites: list[SiteUpdate]
    column_issues: list[ColumnIssue]
    consultations: list[ConsultationStats]
    overdue_letters: list[OverdueLetter]
    availability: list[AvailabilityStats]
    broken_links: list[BrokenLink]
    compliance: Compliance
    trend: Trend
    weekly_posts: WeeklyPosts
    reply_latencies_workdays: list[int]  # one value per reply given this month
    outages: list[Outage] = field(default_factory=list)
    method: MonitoringMethod | None = None
    # The rectification workflow (analysis/findings/report.py): each counted finding's state and
    # age, and the maintenance filings touching the month.
    workflow: list[Any] = field(default_factory=list)
    filings: list[Any] = field(default_factory=list)
    # The checklist areas of issue 15 (identity, search, services, ...), in areas.AREAS order.
    areas: list[AreaResult] = field(default_factory=list)

    def is_empty(self) -> bool:
        """True when nothing was monitored this month."""
        return self.overview.sites_monitored == 0 or not self.sites

    def rule(self, rule_id: str) -> RuleInfo | None:
        """The rule with this id, or None."""
        return next((r for r in self.compliance.rules if r.rule_id == rule_id), None)
