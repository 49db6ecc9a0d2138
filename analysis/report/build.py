"""The adapter from the metrics and the rule engine to the report context.

`build_context` reads a database through `analysis.metrics.compute_month` (this month and the
previous one) and `analysis.standards.engine.evaluate`; `context_from` is the pure mapping, so
it can be tested on hand-made metrics. Group-level figures are sums or ratios of the per-site
figures the metrics give; nothing is read from the database here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from analysis.metrics.model import MonthMetrics, SiteMonth
from analysis.report.context import (
    AvailabilityStats,
    BrokenLink,
    CategoryCount,
    ColumnIssue,
    ColumnProblem,
    Compliance,
    ConsultationStats,
    EmptyReportError,
    Evidence,
    Finding,
    Outcome,
    OverdueLetter,
    Overview,
    ReportContext,
    RuleInfo,
    RuleLevel,
    SiteCompliance,
    SiteUpdate,
    Trend,
    TrendSeries,
    WeeklyPosts,
)
from crawler.categories import CATEGORY_NAMES, Category, UnitType

STALE_METRIC = "stale_columns"
BLANK_METRIC = "blank_columns"


def ratio(part: float, whole: float) -> float | None:
    """part / whole, None when whole is 0."""
    return part / whole if whole else None


def finite(value: float | None) -> float | None:
    """The value, or None for 'never' (infinity) and NaN."""
    return None if value is None or not math.isfinite(value) else value


def parse_day(value: str | None) -> date | None:
    """An ISO date (or datetime) string as a date."""
    return date.fromisoformat(value[:10]) if value else None


def week_start(label: str) -> date:
    """The Monday of an ISO week label like 2012-W49."""
    year, week = label.split("-W")
    return date.fromisocalendar(int(year), int(week), 1)


def previous_month(month: str) -> str:
    """YYYY-MM of the month before."""
    year, mon = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if mon == 1 else f"{year}-{mon - 1:02d}"


def has_data(metrics: MonthMetrics, monitored: bool = False) -> bool:
    """True when the month was monitored (a crawl or probe run) or holds a post, probe or letter."""
    return bool(metrics.sites) and (
        monitored
        or any(s.posts or s.availability.visits or s.consultations_received for s in metrics.sites)
    )


def group_availability(metrics: MonthMetrics | None) -> float | None:
    """Share of successful home-page visits over all sites."""
    if metrics is None:
        return None
    visits = sum(s.availability.visits for s in metrics.sites)
    failures = sum(s.availability.failures for s in metrics.sites)
    return None if not visits else 1 - failures / visits


def site_availability(site: SiteMonth) -> float | None:
    """1 − failure rate, None without visits."""
    rate = site.availability.failure_rate
    return None if rate is None else 1 - rate


def ranks(sites: list[SiteMonth]) -> dict[str, int]:
    """Rank by posts within each unit type (1 = most; ties share a rank)."""
    out: dict[str, int] = {}
    for unit in {s.unit_type for s in sites}:
        own = sorted((s for s in sites if s.unit_type == unit), key=lambda s: -s.posts)
        for site in own:
            out[site.site_id] = 1 + sum(other.posts > site.posts for other in own)
    return out


def evidence_of(raw: dict[str, Any]) -> Evidence:
    """One evidence dict of the engine as a text and an optional URL."""
    if set(raw) == {"more"}:
        return Evidence(f"… +{raw['more']}")
    url = str(raw.get("url") or "")
    text = "; ".join(f"{key}: {value}" for key, value in raw.items() if key != "url")
    return Evidence(text or url, url)


def compliance_of(profile: Any, verdicts: Sequence[Any]) -> Compliance:
    """The engine's verdicts as the compliance matrix and findings."""
    if profile is None:
        return Compliance("", 0.0, [], [], [])
    rules = [RuleInfo(r.id, r.title, r.metric, RuleLevel(r.level.value)) for r in profile.rules]
    sites, findings = [], []
    for verdict in verdicts:
        outcomes = {r.id: Outcome(r.outcome.value) for r in verdict.rules}
        vetoes = [r.id for r in verdict.rules if r.level == "veto" and r.outcome.value == "fail"]
        sites.append(SiteCompliance(verdict.name, verdict.score, verdict.passed, vetoes, outcomes))
        for result in verdict.rules:
            if result.outcome.value not in ("fail", "warning"):
                continue
            findings.append(
                Finding(
                    verdict.name,
                    result.id,
                    Outcome(result.outcome.value),
                    finite(result.value),
                    finite(result.threshold),
                    [evidence_of(e) for e in result.evidence],
                )
            )
    return Compliance(profile.name, profile.pass_score, rules, sites, findings)


def rule_for(metric: str, rules: list[RuleInfo]) -> str:
    """The id of the first rule testing `metric`, else the metric name."""
    return next((r.rule_id for r in rules if r.metric == metric), metric)


def previous_overview(previous: MonthMetrics | None) -> dict[str, Any]:
    """The previous month's overview figures, when that month was computed."""
    if previous is None:
        return {}
    received = sum(s.consultations_received for s in previous.sites)
    replied = sum(s.consultations_replied for s in previous.sites)
    return {
        "sites_monitored_previous": len(previous.sites),
        "consultations_received_previous": received,
        "consultations_replied_previous": replied,
        "reply_rate_previous": ratio(replied, received),
        "median_latency_workdays_previous": previous.median_reply_workdays,
    }


def overview_of(
    metrics: MonthMetrics,
    previous: MonthMetrics | None,
    compliance: Compliance,
    previous_failing: int | None,
) -> Overview:
    """Section 1: group totals of this month and the previous one."""
    received = sum(s.consultations_received for s in metrics.sites)
    replied = sum(s.consultations_replied for s in metrics.sites)
    before_cats = previous.posts_by_category if previous else {}
    return Overview(
        sites_monitored=len(metrics.sites),
        posts=sum(s.posts for s in metrics.sites),
        posts_previous=sum(s.posts_previous for s in metrics.sites),
        posts_by_category=[
            CategoryCount(Category(c), n, before_cats.get(c) if previous else None)
            for c, n in metrics.posts_by_category.items()
            if c in CATEGORY_NAMES
        ],
        consultations_received=received,
        consultations_replied=replied,
        reply_rate=ratio(replied, received),
        median_latency_workdays=metrics.median_reply_workdays,
        availability=group_availability(metrics),
        availability_previous=group_availability(previous),
        broken_links=len(metrics.broken_links),
        broken_links_previous=len(previous.broken_links) if previous else None,
        sites_failing=sum(not s.passed for s in compliance.sites),
        sites_failing_previous=previous_failing,
        sites_vetoed=sum(bool(s.vetoes) for s in compliance.sites),
        **previous_overview(previous),
    )


def site_updates(metrics: MonthMetrics, site_urls: dict[str, str]) -> list[SiteUpdate]:
    """Section 2: each site's update figures with its rank."""
    rank = ranks(metrics.sites)
    return [
        SiteUpdate(
            s.site_id,
            s.name,
            site_urls.get(s.site_id, ""),
            UnitType(s.unit_type),
            s.posts,
            s.posts_previous,
            s.posts_change,
            parse_day(s.last_post_on),
            s.days_since_update,
            s.stale_columns,
            s.blank_columns,
            rank[s.site_id],
        )
        for s in metrics.sites
    ]


def column_issues_of(
    metrics: MonthMetrics, names: dict[str, str], compliance: Compliance
) -> list[ColumnIssue]:
    """Section 3: stale and blank columns with the rule they break."""
    return [
        ColumnIssue(
            names.get(c.site_id, c.site_id),
            c.column,
            c.url,
            Category(c.category),
            ColumnProblem.BLANK if c.blank else ColumnProblem.STALE,
            parse_day(c.last_post_on),
            c.days_since_update,
            c.stale_limit_days,
            rule_for(BLANK_METRIC if c.blank else STALE_METRIC, compliance.rules),
        )
        for c in metrics.columns
        if c.blank or c.stale
    ]


def consultations_of(metrics: MonthMetrics) -> list[ConsultationStats]:
    """Section 4: per-site letters and reply times."""
    return [
        ConsultationStats(
            s.name,
            s.consultations_received,
            s.consultations_replied,
            s.consultations_pending,
            s.reply_rate,
            s.median_reply_workdays,
            None if s.max_reply_workdays is None else int(s.max_reply_workdays),
        )
        for s in metrics.sites
        if s.consultations_received or s.consultations_pending
    ]


def overdue_of(metrics: MonthMetrics, names: dict[str, str]) -> list[OverdueLetter]:
    """Section 4: letters left unanswered past the overdue limit."""
    return [
        OverdueLetter(
            names.get(x.site_id, x.site_id),
            x.title,
            x.url or "",
            date.fromisoformat(x.asked_on[:10]),
            x.workdays_open,
        )
        for x in metrics.open_letters
        if x.over_overdue_days
    ]


def availability_of(metrics: MonthMetrics, site_urls: dict[str, str]) -> list[AvailabilityStats]:
    """Section 5: availability and broken-link counts per site, worst first."""
    worst_first = sorted(metrics.sites, key=lambda s: site_availability(s) or 2.0)
    return [
        AvailabilityStats(
            s.name,
            site_urls.get(s.site_id, ""),
            s.availability.visits,
            s.availability.failures,
            site_availability(s),
            s.availability.outages,
            s.broken_links_home,
            s.broken_links_inner,
        )
        for s in worst_first
    ]


def broken_links_of(metrics: MonthMetrics, names: dict[str, str]) -> list[BrokenLink]:
    """Section 5: every broken link, home-page ones first."""
    return [
        BrokenLink(
            names.get(b.site_id, b.site_id),
            b.url,
            b.found_on,
            str(b.status) if b.status is not None else (b.error or ""),
            b.on_home_page,
        )
        for b in sorted(metrics.broken_links, key=lambda b: (not b.on_home_page, b.site_id))
    ]


def context_from(
    metrics: MonthMetrics,
    previous: MonthMetrics | None,
    verdicts: Sequence[Any],
    profile: Any,
    site_urls: dict[str, str],
    group_name: str,
    generated_at: datetime,
    previous_failing: int | None = None,
    monitored: bool = False,
) -> ReportContext:
    """Map one month's metrics and verdicts onto the report context.

    `monitored`: a crawl or probe ran in the month, so even a month without a single post is
    a month to report on.
    """
    if not has_data(metrics, monitored):
        raise EmptyReportError(f"{metrics.month}: no monitoring data for this month")
    names = {s.site_id: s.name for s in metrics.sites}
    compliance = compliance_of(profile, verdicts)
    return ReportContext(
        month=metrics.month,
        group_name=group_name,
        generated_at=generated_at,
        check_date=date.fromisoformat(metrics.as_of),
        overview=overview_of(metrics, previous, compliance, previous_failing),
        sites=site_updates(metrics, site_urls),
        column_issues=column_issues_of(metrics, names, compliance),
        consultations=consultations_of(metrics),
        overdue_letters=overdue_of(metrics, names),
        availability=availability_of(metrics, site_urls),
        broken_links=broken_links_of(metrics, names),
        compliance=compliance,
        trend=trend_of(metrics),
        weekly_posts=WeeklyPosts(
            [week_start(w) for w in metrics.heatmap.weeks],
            [names[site_id] for site_id in metrics.heatmap.counts],
            list(metrics.heatmap.counts.values()),
        ),
        reply_latencies_workdays=list(metrics.reply_workdays),
    )


def trend_of(metrics: MonthMetrics) -> Trend:
    """Group totals per month from the per-site trend series."""
    t = metrics.trends
    n = len(t.months)
    posts = [sum(series[i] for series in t.posts.values()) for i in range(n)]
    replied = [sum(series[i] for series in t.replied.values()) for i in range(n)]
    availability: list[float | None] = []
    for i in range(n):
        visits = sum(t.visits[site][i] for site in t.visits)
        failed = sum(
            (t.failure_rate[site][i] or 0.0) * t.visits[site][i] for site in t.failure_rate
        )
        availability.append(None if not visits else 1 - failed / visits)
    return Trend(
        list(t.months),
        [
            TrendSeries("posts", list(posts)),
            TrendSeries("consultations_replied", list(replied)),
            TrendSeries("availability", availability, is_ratio=True),
        ],
    )


def build_context(
    db: str | Path,
    month: str,
    profile_path: Path | None = None,
    group_name: str = "",
    generated_at: datetime | None = None,
) -> ReportContext:
    """Compute the month (and the previous one) and check the standard; EmptyReportError if
    the database has nothing for the month."""
    from analysis.findings.review import reviewed_verdicts
    from analysis.metrics import compute_month
    from analysis.queries import AnalysisError, connect, runs_between, site_rows
    from analysis.standards.profile import load_profile

    try:
        metrics = compute_month(db, month)
    except AnalysisError as exc:
        raise EmptyReportError(f"{month}: {exc}") from None
    try:
        previous: MonthMetrics | None = compute_month(db, previous_month(month), with_trends=False)
    except AnalysisError:
        previous = None
    start, end = date.fromisoformat(metrics.period_start), date.fromisoformat(metrics.period_end)
    monitored = runs_between(connect(db), start, end) > 0
    profile = load_profile(profile_path) if profile_path else None
    as_of = date.fromisoformat(metrics.as_of)
    # Findings reviewed as false positives or exempt do not count (analysis/findings).
    verdicts = reviewed_verdicts(db, profile, as_of) if profile else []
    urls = {row["id"]: row["home_url"] or "" for row in site_rows(connect(db))}
    return context_from(
        metrics,
        previous,
        verdicts,
        profile,
        urls,
        group_name,
        generated_at or datetime.now(),
        monitored=monitored,
    )
