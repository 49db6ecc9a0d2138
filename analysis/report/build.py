"""The adapter from the metrics and the rule engine to the report context.

`build_context` reads a database through `analysis.metrics.compute_month` (this month and the
previous one) and `analysis.standards.engine.evaluate`; `context_from` is the pure mapping, so
it can be tested on hand-made metrics. Group-level figures are sums or ratios of the per-site
figures the metrics give; nothing is read from the database here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from analysis.metrics.model import MonthMetrics, SiteMonth
from analysis.report import wording
from analysis.report.areas import AREAS
from analysis.report.context import (
    AreaResult,
    AreaRule,
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
    MonitoringMethod,
    Outage,
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
from analysis.workdays import WorkdayCalendar, load_calendar
from crawler.categories import CATEGORY_NAMES, Category, UnitType

STALE_METRIC = "stale_columns"
BLANK_METRIC = "blank_columns"
COLUMN_METRICS = (STALE_METRIC, BLANK_METRIC)
LEVEL_ORDER = {"veto": 0, "deduction": 1, "warning": 2, "bonus": 3}
OUTCOME_ORDER = {"fail": 0, "warning": 1, "no_data": 2, "pass": 3}


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


def evidence_kind(raw: dict[str, Any], metric: str, no_data: bool = False) -> str:
    """What an engine evidence dict describes, from its keys (and the rule's metric)."""
    keys = set(raw)
    kinds = (
        (keys == {"more"}, "more"),
        ("finding_id" in keys, "content_finding"),
        ("due_on" in keys, "yearly_report"),
        (keys == {"url", "title", "published_on"}, "uninterpreted_policy"),
        ("check" in keys and "found" in keys, "page_check"),
        ("check" in keys and "searched" in keys, "search_check"),
        ("asked_on" in keys, "letter"),
        ("found_on" in keys, "link"),
        ("visits" in keys, "probe_rate"),
        ("failed_visits" in keys, "probe_run"),
        ("consultation_columns" in keys, "channel"),
        ("replied_letters" in keys, "latency"),
        ("gap_days" in keys, "date_gap"),
        ("pending" in keys, "reply_rate"),
        ("last_reply_on" in keys and "column" not in keys, "last_reply"),
        ("posts" in keys and "column" in keys, "column_posts"),
        ("column" in keys and no_data, "unextracted_column"),
        ("column" in keys and metric == BLANK_METRIC, "blank_column"),
        ("column" in keys and metric == "days_since_home_update", "home_update"),
        ("column" in keys, "stale_column"),
    )
    return next((kind for hit, kind in kinds if hit), "text")


def remaining(limit: float, operator: str, today: float) -> int:
    """Days until a value growing by one a day triggers `value <operator> limit`."""
    return int(limit + (1 if operator == ">" else 0) - today)


class EvidenceAdapter:
    """Engine evidence as report evidence: today's values, and how far an early warning's line
    is. The engine judges a look-ahead warning on projected values; the report shows today's."""

    def __init__(self, rules: dict[str, Any], as_of: date, calendar: WorkdayCalendar) -> None:
        self.rules = rules  # rule id -> profile Rule
        self.as_of = as_of
        self.calendar = calendar
        self.workdays: dict[date, int] = {}  # asked day -> working days to as_of

    def workdays_since(self, asked: date) -> int:
        """Working days from `asked` to the check date, counted once per day asked."""
        if asked not in self.workdays:
            self.workdays[asked] = self.calendar.workdays_between(asked, self.as_of)
        return self.workdays[asked]

    def of(self, raw: dict[str, Any], rule_id: str, outcome: str, value: float | None) -> Evidence:
        """One evidence dict of the engine as report evidence."""
        rule: Any = self.rules.get(rule_id)  # warned below implies a rule
        metric = rule.metric if rule else ""
        kind = evidence_kind(raw, metric, outcome == Outcome.NO_DATA.value)
        facts = dict(raw)
        warned = outcome == Outcome.WARNING.value and rule is not None
        if kind == "letter":
            self.letter_today(facts, rule if warned else None)
        elif kind == "stale_column" and facts.get("last_post_on"):
            facts["days"] = (self.as_of - date.fromisoformat(facts["last_post_on"][:10])).days
            if warned and facts.get("limit") is not None:
                facts["remaining_days"] = remaining(facts["limit"], ">", facts["days"])
        elif kind == "home_update":
            facts["at"] = self.as_of.isoformat()
            facts["days"] = None if finite(value) is None else int(value)  # type: ignore[arg-type]
            if warned and facts["days"] is not None:
                facts["remaining_days"] = remaining(rule.threshold, rule.operator, facts["days"])
        elif kind == "probe_rate" and warned and rule.warning is not None:
            facts["warning_line"] = rule.warning.threshold
            facts["threshold"] = rule.threshold
        return Evidence(kind, facts, str(raw.get("url") or ""))

    def letter_today(self, facts: dict[str, Any], rule: Any | None) -> None:
        """An unanswered letter's waiting time as of the check date. Only an early warning's
        evidence was measured on a later day (the look-ahead); a failure's is today's already."""
        facts["at"] = self.as_of.isoformat()
        if facts.get("replied_on") or rule is None:
            return
        asked = date.fromisoformat(str(facts["asked_on"])[:10])
        facts["days"] = (self.as_of - asked).days
        facts["workdays"] = self.workdays_since(asked)
        over = (rule.params or {}).get("over_days") if rule is not None else None
        if over is not None:
            facts["remaining_days"] = remaining(over, ">", facts["days"])


def overall_ranks(verdicts: Sequence[Any]) -> dict[str, int]:
    """Rank over the whole group by score, vetoed sites after the others (1 = best)."""
    key = {v.site_id: (bool(v.veto), -v.score) for v in verdicts}
    return {s: 1 + sum(other < mine for other in key.values()) for s, mine in key.items()}


def compliance_of(
    profile: Any,
    verdicts: Sequence[Any],
    as_of: date | None = None,
    calendar: WorkdayCalendar | None = None,
) -> Compliance:
    """The engine's verdicts as the compliance matrix and findings (fail, warning, no data)."""
    if profile is None:
        return Compliance("", 0.0, [], [], [])
    rules = [
        RuleInfo(r.id, r.title, r.metric, RuleLevel(r.level.value), r.citation)
        for r in profile.rules
    ]
    adapter = EvidenceAdapter(
        {r.id: r for r in profile.rules}, as_of or date.today(), calendar or load_calendar()
    )
    rank = overall_ranks(verdicts)
    sites, findings = [], []
    for order, verdict in enumerate(verdicts):
        unit = UnitType(verdict.unit_type) if verdict.unit_type else None
        outcomes = {r.id: Outcome(r.outcome.value) for r in verdict.rules}
        vetoes = [r.id for r in verdict.rules if r.level == "veto" and r.outcome.value == "fail"]
        sites.append(
            SiteCompliance(
                verdict.name, verdict.score, verdict.passed, vetoes, outcomes,
                rank[verdict.site_id], unit,
            )
        )  # fmt: skip
        for result in verdict.rules:
            if result.outcome.value not in ("fail", "warning", "no_data"):
                continue
            evidence = [
                adapter.of(e, result.id, result.outcome.value, result.value)
                for e in result.evidence
            ]
            findings.append(
                Finding(
                    verdict.name,
                    result.id,
                    Outcome(result.outcome.value),
                    finite(result.value),
                    finite(result.threshold),
                    evidence,
                    unit,
                    order,
                    result.note if result.outcome.value == "no_data" else "",
                )
            )
    return Compliance(profile.name, profile.pass_score, rules, sites, findings)


def column_rules(verdicts: Sequence[Any]) -> dict[tuple[str, str], str]:
    """(site id, column URL) -> the id of the rule the engine judged that column under.

    Taken from the engine's evidence (each stale or blank column it counted), the most severe
    rule first: a column counted by a veto rule and by a deduction rule is cited by the veto.
    """
    cited: dict[tuple[str, str], tuple[tuple[int, int], str]] = {}
    for verdict in verdicts:
        for result in verdict.rules:
            if result.metric not in COLUMN_METRICS:
                continue
            rank = (LEVEL_ORDER.get(result.level, 9), OUTCOME_ORDER.get(result.outcome.value, 9))
            for evidence in result.evidence:
                key = (verdict.site_id, str(evidence.get("url") or ""))
                if key[1] and (key not in cited or rank < cited[key][0]):
                    cited[key] = (rank, result.id)
    return {key: rule_id for key, (_rank, rule_id) in cited.items()}


def rule_for_column(profile: Any, metric: str, category: str) -> str:
    """The rule of `metric` whose categories name the column's category (a column the engine
    did not list, e.g. past its evidence limit), else the metric name."""
    if profile is None:
        return metric
    rules = [r for r in profile.rules if r.metric == metric]
    rules.sort(key=lambda r: LEVEL_ORDER.get(r.level.value, 9))
    for rule in rules:
        categories = (rule.params or {}).get("categories") or ()
        if not categories or category in categories:
            return str(rule.id)
    return metric


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
    outcomes = [set(s.outcomes.values()) for s in compliance.sites]
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
        sites_passed=sum(s.passed for s in compliance.sites),
        pass_rate=ratio(sum(s.passed for s in compliance.sites), len(compliance.sites)),
        sites_with_no_data=sum(Outcome.NO_DATA in o for o in outcomes),
        sites_warned=sum(Outcome.WARNING in o for o in outcomes),
        overdue_letters=sum(x.over_overdue_days for x in metrics.open_letters),
        outages=sum(s.availability.outages for s in metrics.sites),
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
            s.posts_per_week,
            s.longest_gap_days,
        )
        for s in metrics.sites
    ]


def column_issues_of(
    metrics: MonthMetrics,
    names: dict[str, str],
    verdicts: Sequence[Any] = (),
    profile: Any = None,
) -> list[ColumnIssue]:
    """Section 3: stale and blank columns with the rule the engine judged each under."""
    cited = column_rules(verdicts)
    issues = []
    for c in metrics.columns:
        if c.extraction != "ok":
            issues.append(extraction_issue(c, names))
            continue
        if not (c.blank or c.stale):
            continue
        metric = BLANK_METRIC if c.blank else STALE_METRIC
        rule_id = cited.get((c.site_id, c.url)) or rule_for_column(profile, metric, c.category)
        issues.append(
            ColumnIssue(
                names.get(c.site_id, c.site_id),
                c.column,
                c.url,
                Category(c.category),
                ColumnProblem.BLANK if c.blank else ColumnProblem.STALE,
                parse_day(c.last_post_on),
                c.days_since_update,
                c.stale_limit_days,
                rule_id,
            )
        )
    return issues


def extraction_issue(c: Any, names: dict[str, str]) -> ColumnIssue:
    """A column the crawl could not read (需渲染 / 抽取异常): listed, judged by no rule."""
    needs = c.extraction == "needs_render"
    problem = ColumnProblem.NEEDS_RENDER if needs else ColumnProblem.EXTRACTION
    return ColumnIssue(
        names.get(c.site_id, c.site_id),
        c.column,
        c.url,
        Category(c.category),
        problem,
        parse_day(c.last_post_on),
        c.days_since_update,
        None,
        "",
    )


def consultations_of(
    metrics: MonthMetrics, channels: dict[str, bool] | None = None
) -> list[ConsultationStats]:
    """Section 4: every site — letters received and replied this month, overdue letters of any
    month, and whether it has a consultation channel at all."""
    overdue: dict[str, int] = {}
    for letter in metrics.open_letters:
        if letter.over_overdue_days:
            overdue[letter.site_id] = overdue.get(letter.site_id, 0) + 1
    channels = channels or {}
    return [
        ConsultationStats(
            s.name,
            s.consultations_received,
            s.consultations_replied,
            s.consultations_pending,
            s.reply_rate,
            s.median_reply_workdays,
            None if s.max_reply_workdays is None else int(s.max_reply_workdays),
            overdue.get(s.site_id, 0),
            channels.get(s.site_id, True),
        )
        for s in metrics.sites
    ]


def outages_of(runs: list[dict[str, Any]], names: dict[str, str]) -> list[Outage]:
    """Section 5: each run of failed visits with its start, end, duration and, probed from
    several vantage points, where it was seen from."""
    from analysis.queries import seen_from

    out = []
    for run in runs:
        began = datetime.fromisoformat(run["began"])
        last = datetime.fromisoformat(run["last_failed"])
        ended = datetime.fromisoformat(run["ended"]) if run.get("ended") else None
        if ended is not None and ended <= last:
            ended = None  # the last visit of the window failed too: still down
        hours = ((ended or last) - began).total_seconds() / 3600
        vantages = tuple(seen_from(run.get("failed_from")))
        out.append(Outage(names.get(run["site_id"], run["site_id"]), began, ended,
                          int(run["visits"]), round(hours, 1), vantages))  # fmt: skip
    return out


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


def unverifiable_of(rows: list[dict[str, Any]], names: dict[str, str]) -> list[BrokenLink]:
    """Links that could not be checked from the monitoring network, with why; never deducted."""
    return [
        BrokenLink(
            names.get(r["site_id"], r["site_id"]),
            r["url"],
            r["found_on"],
            wording.unverifiable_state(r.get("detail")),
            bool(r["on_home_page"]),
            unverifiable=True,
        )
        for r in rows
    ]


def broken_links_of(metrics: MonthMetrics, names: dict[str, str]) -> list[BrokenLink]:
    """Section 5: every broken link, home-page ones first."""
    return [
        BrokenLink(
            names.get(b.site_id, b.site_id),
            b.url,
            b.found_on,
            wording.link_state(b.status, b.error),
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
    *,
    channels: dict[str, bool] | None = None,
    outage_runs: list[dict[str, Any]] | None = None,
    unverifiable: list[dict[str, Any]] | None = None,
    method: MonitoringMethod | None = None,
    calendar: WorkdayCalendar | None = None,
) -> ReportContext:
    """Map one month's metrics and verdicts onto the report context.

    `monitored`: a crawl or probe ran in the month, so even a month without a single post is
    a month to report on.
    """
    if not has_data(metrics, monitored):
        raise EmptyReportError(f"{metrics.month}: no monitoring data for this month")
    names = {s.site_id: s.name for s in metrics.sites}
    as_of = date.fromisoformat(metrics.as_of)
    compliance = compliance_of(profile, verdicts, as_of, calendar)
    return ReportContext(
        month=metrics.month,
        group_name=group_name,
        generated_at=generated_at,
        check_date=as_of,
        overview=replace(
            overview_of(metrics, previous, compliance, previous_failing),
            unverifiable_links=len(unverifiable or []),
        ),
        sites=site_updates(metrics, site_urls),
        column_issues=column_issues_of(metrics, names, verdicts, profile),
        consultations=consultations_of(metrics, channels),
        overdue_letters=overdue_of(metrics, names),
        availability=availability_of(metrics, site_urls),
        broken_links=broken_links_of(metrics, names) + unverifiable_of(unverifiable or [], names),
        compliance=compliance,
        trend=trend_of(metrics),
        weekly_posts=weekly_posts_of(metrics, names),
        reply_latencies_workdays=list(metrics.reply_workdays),
        outages=outages_of(outage_runs or [], names),
        method=method,
        areas=areas_of(compliance),
    )


def areas_of(compliance: Compliance) -> list[AreaResult]:
    """Each checklist area: its rules with the sites judged, failing, warned and without data,
    and their findings, from the engine's verdicts."""
    out = []
    for area in AREAS:
        rules = [r for r in compliance.rules if area.holds(r.metric)]
        ids = {r.rule_id for r in rules}
        tallies = []
        for rule in rules:
            seen = [s.outcomes.get(rule.rule_id) for s in compliance.sites]
            judged = sum(o in (Outcome.PASS, Outcome.WARNING, Outcome.FAIL) for o in seen)
            tallies.append(
                AreaRule(rule.rule_id, judged, seen.count(Outcome.FAIL),
                         seen.count(Outcome.WARNING), seen.count(Outcome.NO_DATA))
            )  # fmt: skip
        findings = [f for f in compliance.findings if f.rule_id in ids]
        out.append(AreaResult(area.key, tallies, findings))
    return out


def weekly_posts_of(metrics: MonthMetrics, names: dict[str, str]) -> WeeklyPosts:
    """Posts per site and week; weeks no site posted in (the period's ragged ends) left out."""
    weeks = metrics.heatmap.weeks
    counts = list(metrics.heatmap.counts.values())
    keep = [i for i in range(len(weeks)) if any(row[i] for row in counts)]
    return WeeklyPosts(
        [week_start(weeks[i]) for i in keep],
        [names[site_id] for site_id in metrics.heatmap.counts],
        [[row[i] for i in keep] for row in counts],
    )


def method_of(db: Any, metrics: MonthMetrics, calendar: WorkdayCalendar) -> MonitoringMethod:
    """Annex 3: runs, visits and the working-day calendar of the period."""
    from datetime import timedelta

    from analysis.queries import connect, runs_between

    start, end = date.fromisoformat(metrics.period_start), date.fromisoformat(metrics.period_end)
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    return MonitoringMethod(
        period_start=start,
        period_end=end,
        crawl_runs=runs_between(connect(db), start, end),
        probe_visits=sum(s.availability.visits for s in metrics.sites),
        probe_timeout_seconds=float(metrics.settings["probe_timeout_s"]),
        holidays=[d for d in days if d.weekday() < 5 and not calendar.is_workday(d)],
        makeup_workdays=[d for d in days if d.weekday() >= 5 and calendar.is_workday(d)],
        workdays=sum(calendar.is_workday(d) for d in days),
        overdue_days=int(metrics.settings["overdue_days"]),
        stale_days=dict(metrics.settings["stale_days"]),
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
    profile_path: str | Path | None = None,
    group_name: str = "",
    generated_at: datetime | None = None,
) -> ReportContext:
    """Compute the month (and the previous one) and check the standard; EmptyReportError if
    the database has nothing for the month."""
    from analysis.findings.report import with_workflow
    from analysis.findings.review import reviewed_verdicts
    from analysis.metrics import MonthSettings, compute_month
    from analysis.queries import (
        AnalysisError,
        connect,
        consultation_channels,
        probe_outage_runs,
        probe_params,
        runs_between,
        site_rows,
        sites_param,
        unverifiable_links,
    )
    from analysis.standards.profile import load_profile

    # One profile for every limit: the month's figures and the check agree (MonthSettings).
    profile = load_profile(profile_path) if profile_path else None
    settings = MonthSettings.from_profile(profile) if profile else None
    try:
        metrics = compute_month(db, month, settings=settings)
    except AnalysisError as exc:
        raise EmptyReportError(f"{month}: {exc}") from None
    try:
        previous: MonthMetrics | None = compute_month(
            db, previous_month(month), settings=settings, with_trends=False
        )
    except AnalysisError:
        previous = None
    start, end = date.fromisoformat(metrics.period_start), date.fromisoformat(metrics.period_end)
    conn = connect(db)
    monitored = runs_between(conn, start, end) > 0
    as_of = date.fromisoformat(metrics.as_of)
    calendar = load_calendar()
    # Findings reviewed as false positives or exempt do not count (analysis/findings).
    verdicts = reviewed_verdicts(db, profile, as_of, calendar=calendar) if profile else []
    urls = {row["id"]: row["home_url"] or "" for row in site_rows(conn)}
    sites = sites_param(s.site_id for s in metrics.sites)
    channels = {
        row["site_id"]: bool(row["columns"] or row["letters"])
        for row in consultation_channels(conn, sites)
    }
    timeout = float(metrics.settings["probe_timeout_s"])
    runs = probe_outage_runs(conn, probe_params(sites, start, end, timeout))
    cannot_check = unverifiable_links(conn, sites, start, end)
    context = context_from(
        metrics,
        previous,
        verdicts,
        profile,
        urls,
        group_name,
        generated_at or datetime.now(),
        monitored=monitored,
        channels=channels,
        outage_runs=runs,
        unverifiable=cannot_check,
        method=method_of(conn, metrics, calendar),
        calendar=calendar,
    )
    # Each counted finding's state and age, and the month's maintenance filings.
    return with_workflow(context, conn, as_of, start, end)
