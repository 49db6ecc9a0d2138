"""The report laid out as sections of tables, shared by the HTML, Word and Excel renderers.

Every cell keeps its raw value (a number stays a number, a date a date, for sorting and for
Excel) next to its display text; untrusted text is cleaned of XML-illegal characters here and
escaped by each renderer for its own format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from analysis.report import fmt
from analysis.report.context import (
    ColumnProblem,
    Outcome,
    ReportContext,
    SiteUpdate,
)
from analysis.report.i18n import (
    Lang,
    category_label,
    label,
    level_label,
    outcome_label,
    recommendation,
    trend_label,
    unit_type_label,
)
from crawler.categories import UnitType

CellValue = str | int | float | date | None

# Excel number formats, named by what they show.
XL_INT = "0"
XL_SIGNED = "+0;-0;0"
XL_PERCENT = "0.0%"
XL_DECIMAL = "0.0"
XL_NUMBER = "General"
XL_DATE = "yyyy-mm-dd"


@dataclass(frozen=True)
class Cell:
    """One table cell: raw value, display text, optional safe link and outcome class."""

    value: CellValue
    text: str
    url: str | None = None
    number_format: str | None = None
    outcome: str | None = None  # pass / warning / fail, for colouring


@dataclass(frozen=True)
class Table:
    """A table with a title, header labels and rows of cells."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class Section:
    """One numbered section of the report: heading, notes, tables and chart keys."""

    key: str
    heading: str
    notes: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)


def text(value: str, url: str | None = None) -> Cell:
    """A text cell from (possibly untrusted) text; the link is kept only when it is http(s)."""
    cleaned = fmt.clean_text(value)
    return Cell(cleaned, cleaned, fmt.safe_url(url))


def count(value: int | None) -> Cell:
    """A whole-number cell."""
    return Cell(value, fmt.fmt_int(value), number_format=XL_INT)


def change(value: int | None) -> Cell:
    """A signed change cell."""
    return Cell(value, fmt.fmt_change(value), number_format=XL_SIGNED)


def ratio(value: float | None) -> Cell:
    """A percentage cell holding the 0..1 ratio."""
    return Cell(value, fmt.fmt_ratio(value), number_format=XL_PERCENT)


def decimal(value: float | None) -> Cell:
    """A one-decimal cell."""
    return Cell(value, fmt.fmt_decimal(value), number_format=XL_DECIMAL)


def number(value: float | None) -> Cell:
    """A rule value or threshold cell."""
    return Cell(value, fmt.fmt_number(value), number_format=XL_NUMBER)


def day(value: date | None) -> Cell:
    """A date cell."""
    return Cell(value, fmt.fmt_date(value), number_format=XL_DATE)


def outcome_cell(outcome: Outcome, lang: Lang) -> Cell:
    """A pass / warning / fail cell, coloured by its outcome."""
    shown = outcome_label(outcome.value, lang)
    return Cell(shown, shown, outcome=outcome.value)


def summary_sentence(ctx: ReportContext, lang: Lang) -> str:
    """The overview in one sentence, from the overview figures."""
    o = ctx.overview
    return label("summary", lang).format(
        sites=o.sites_monitored,
        posts=o.posts,
        posts_previous=fmt.fmt_int(o.posts_previous),
        received=o.consultations_received,
        replied=o.consultations_replied,
        reply_rate=fmt.fmt_ratio(o.reply_rate),
        availability=fmt.fmt_ratio(o.availability),
        broken=o.broken_links,
        failing=o.sites_failing,
        vetoed=o.sites_vetoed,
    )


def overview_section(ctx: ReportContext, lang: Lang) -> Section:
    """Section 1: the month at a glance against the previous month."""
    o = ctx.overview
    rows: list[tuple[str, Cell, Cell]] = [
        ("sites_monitored", count(o.sites_monitored), count(o.sites_monitored_previous)),
        ("posts", count(o.posts), count(o.posts_previous)),
        (
            "consultations_received",
            count(o.consultations_received),
            count(o.consultations_received_previous),
        ),
        (
            "consultations_replied",
            count(o.consultations_replied),
            count(o.consultations_replied_previous),
        ),
        ("reply_rate", ratio(o.reply_rate), ratio(o.reply_rate_previous)),
        (
            "median_latency",
            decimal(o.median_latency_workdays),
            decimal(o.median_latency_workdays_previous),
        ),
        ("availability", ratio(o.availability), ratio(o.availability_previous)),
        ("broken_links", count(o.broken_links), count(o.broken_links_previous)),
        ("sites_failing", count(o.sites_failing), count(o.sites_failing_previous)),
        ("sites_vetoed", count(o.sites_vetoed), count(None)),
    ]
    summary = Table(
        "overview",
        label("s1", lang),
        [label("figure", lang), label("this_month", lang), label("last_month", lang)],
        [[text(label(key, lang)), now, before] for key, now, before in rows],
    )
    by_category = Table(
        "by_category",
        label("by_category", lang),
        [label("category", lang), label("this_month", lang), label("last_month", lang)],
        [
            [text(category_label(c.category, lang)), count(c.posts), count(c.posts_previous)]
            for c in o.posts_by_category
        ],
    )
    return Section("s1", label("s1", lang), [summary_sentence(ctx, lang)], [summary, by_category])


def site_row(site: SiteUpdate) -> list[Cell]:
    """One row of a section-2 table."""
    return [
        text(site.name, site.url),
        count(site.posts),
        count(site.posts_previous),
        change(site.change),
        day(site.last_update),
        count(site.days_since_update),
        count(site.stale_columns),
        count(site.blank_columns),
        count(site.rank),
    ]


def updates_section(ctx: ReportContext, lang: Lang) -> Section:
    """Section 2: one table per unit type, in the order of UnitType."""
    headers = [
        label(key, lang)
        for key in (
            "site",
            "posts_month",
            "posts_previous",
            "change",
            "last_update",
            "days_since",
            "stale_columns",
            "blank_columns",
            "rank",
        )
    ]
    tables = []
    for unit_type in UnitType:
        sites = [s for s in ctx.sites if s.unit_type == unit_type]
        if not sites:
            continue
        rows = [site_row(s) for s in sorted(sites, key=lambda s: s.rank)]
        tables.append(
            Table(f"sites_{unit_type.value}", unit_type_label(unit_type, lang), headers, rows)
        )
    return Section("s2", label("s2", lang), tables=tables, charts=["posts", "heatmap"])


def columns_section(ctx: ReportContext, lang: Lang) -> Section:
    """Section 3: stale and blank columns with the rule each breaks."""
    keys = ("site", "column", "category", "problem", "last_post", "days_since", "limit_days")
    headers = [label(k, lang) for k in (*keys, "rule")]
    rows = []
    for issue in ctx.column_issues:
        rule = ctx.rule(issue.rule_id)
        problem = "stale" if issue.problem == ColumnProblem.STALE else "blank"
        rows.append(
            [
                text(issue.site_name),
                text(issue.column_name, issue.column_url),
                text(category_label(issue.category, lang)),
                text(label(problem, lang)),
                day(issue.last_post),
                count(issue.days_since_post),
                count(issue.limit_days),
                text(rule.name if rule else issue.rule_id),
            ]
        )
    table = Table("columns", label("s3", lang), headers, rows)
    return Section("s3", label("s3", lang), tables=[table])


def consultations_section(ctx: ReportContext, lang: Lang) -> Section:
    """Section 4: per-site replies and the overdue letters."""
    keys = ("site", "received", "replied", "pending", "reply_rate", "median_latency")
    stats = Table(
        "consultations",
        label("s4", lang),
        [label(k, lang) for k in (*keys, "max_latency")],
        [
            [
                text(c.site_name),
                count(c.received),
                count(c.replied),
                count(c.pending),
                ratio(c.reply_rate),
                decimal(c.median_latency_workdays),
                count(c.max_latency_workdays),
            ]
            for c in ctx.consultations
        ],
    )
    overdue = Table(
        "overdue",
        label("overdue_letters", lang),
        [label(k, lang) for k in ("site", "letter_title", "asked_on", "waiting")],
        [
            [text(x.site_name), text(x.title, x.url), day(x.asked_on), count(x.waiting_workdays)]
            for x in ctx.overdue_letters
        ],
    )
    return Section("s4", label("s4", lang), tables=[stats, overdue], charts=["latency"])


def availability_section(ctx: ReportContext, lang: Lang) -> Section:
    """Section 5: availability per site and the broken links, in the order the metrics give."""
    keys = ("site", "probes", "failures", "availability", "outages", "broken_home")
    per_site = Table(
        "availability",
        label("s5", lang),
        [label(k, lang) for k in (*keys, "broken_inner")],
        [
            [
                text(a.site_name, a.url),
                count(a.probes),
                count(a.failures),
                ratio(a.availability),
                count(a.outages),
                count(a.broken_links_home),
                count(a.broken_links_inner),
            ]
            for a in ctx.availability
        ],
    )
    links = Table(
        "broken_links",
        label("broken_link_list", lang),
        [label(k, lang) for k in ("site", "link", "found_on", "status", "where")],
        [
            [
                text(b.site_name),
                text(b.url, b.url),
                text(b.found_on, b.found_on),
                text(b.status),
                text(label("home_page" if b.on_home_page else "inner_page", lang)),
            ]
            for b in ctx.broken_links
        ],
    )
    return Section("s5", label("s5", lang), tables=[per_site, links], charts=["availability"])


def compliance_section(ctx: ReportContext, lang: Lang) -> Section:
    """Section 6: the matrix site × rule, scores and vetoes, then each finding's evidence."""
    comp = ctx.compliance
    headers = [label(k, lang) for k in ("site", "score", "result", "vetoes")]
    headers += [rule.name for rule in comp.rules]
    matrix_rows = []
    for site in comp.sites:
        verdict = Outcome.PASS if site.passed else Outcome.FAIL
        shown = label("passed" if site.passed else "failed", lang)
        row = [
            text(site.site_name),
            number(site.score),
            Cell(shown, shown, outcome=verdict.value),
            # Rule titles, not ids: the report is read by people, the ids are for machines.
            text("、".join(rule.name if (rule := ctx.rule(v)) else v for v in site.vetoes)),
        ]
        for rule in comp.rules:
            outcome = site.outcomes.get(rule.rule_id, Outcome.NOT_APPLICABLE)
            row.append(outcome_cell(outcome, lang))
        matrix_rows.append(row)
    matrix = Table("compliance", label("s6", lang), [text(h).text for h in headers], matrix_rows)
    finding_rows = []
    for finding in comp.findings:
        rule = ctx.rule(finding.rule_id)
        lead = [
            text(finding.site_name),
            text(rule.name if rule else finding.rule_id),
            text(level_label(rule.level.value, lang) if rule else ""),
            outcome_cell(finding.outcome, lang),
            number(finding.value),
            number(finding.threshold),
        ]
        for evidence in finding.evidence or [None]:
            shown = text(evidence.text, evidence.url) if evidence else text("")
            finding_rows.append([*lead, shown])
    findings = Table(
        "findings",
        label("findings", lang),
        [label(k, lang) for k in ("site", "rule", "level", "outcome", "value", "threshold")]
        + [label("evidence", lang)],
        finding_rows,
    )
    note = f"{label('standard', lang)}: {fmt.clean_text(comp.standard_name)}; "
    note += f"{label('pass_score', lang)}: {fmt.fmt_number(comp.pass_score)}"
    return Section("s6", label("s6", lang), [note], [matrix, findings])


def trend_section(ctx: ReportContext, lang: Lang) -> Section:
    """Section 7: the twelve-month figures as a table beside the chart."""
    series = ctx.trend.series
    headers = [label("trend_month", lang)] + [trend_label(s.key, lang) for s in series]
    rows = []
    for i, month in enumerate(ctx.trend.months):
        row = [text(month)]
        for s in series:
            value = s.values[i] if i < len(s.values) else None
            row.append(ratio(value) if s.is_ratio else number(value))
        rows.append(row)
    table = Table("trend", label("s7", lang), headers, rows)
    return Section("s7", label("s7", lang), tables=[table], charts=["trend"])


def actions_section(ctx: ReportContext, lang: Lang) -> Section:
    """Section 8: per site, the action that follows from each failed or warned rule."""
    rows = []
    findings = sorted(ctx.compliance.findings, key=lambda f: (f.site_name, f.rule_id))
    for finding in findings:
        if finding.outcome not in (Outcome.FAIL, Outcome.WARNING):
            continue
        rule = ctx.rule(finding.rule_id)
        advice = recommendation(finding.rule_id, rule.metric if rule else "", lang)
        rows.append(
            [
                text(finding.site_name),
                text(rule.name if rule else finding.rule_id),
                outcome_cell(finding.outcome, lang),
                text(advice),
            ]
        )
    notes = [] if rows else [label("no_problems", lang)]
    headers = [label(k, lang) for k in ("site", "rule", "outcome", "action")]
    return Section(
        "s8", label("s8", lang), notes, [Table("actions", label("s8", lang), headers, rows)]
    )


SECTION_BUILDERS: tuple[Callable[[ReportContext, Lang], Section], ...] = (
    overview_section,
    updates_section,
    columns_section,
    consultations_section,
    availability_section,
    compliance_section,
    trend_section,
    actions_section,
)


def build_sections(ctx: ReportContext, lang: Lang) -> list[Section]:
    """The eight sections of the report in order."""
    return [build(ctx, lang) for build in SECTION_BUILDERS]
