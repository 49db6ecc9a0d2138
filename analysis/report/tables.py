"""The report laid out as sections of tables, shared by the HTML, Word and Excel renderers.

Every cell keeps its raw value (a number stays a number, a date a date, for sorting and for
Excel) next to its display text; untrusted text is cleaned of XML-illegal characters here and
escaped by each renderer for its own format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from analysis.content.report import content_section
from analysis.findings.report import workflow_section
from analysis.report import fmt, narrative
from analysis.report.area_sections import annex_section, area_section
from analysis.report.areas import AREAS, area_of
from analysis.report.context import (
    ColumnProblem,
    Finding,
    MonitoringMethod,
    Outcome,
    ReportContext,
    RuleLevel,
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
from analysis.report.wording import evidence_text, no_data_reason, seen_from_text
from crawler import defaults
from crawler.categories import Category, UnitType

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


class Part:
    """Where a section belongs: the 通报's text, its annexes, or the detailed data (HTML, Excel)."""

    NOTICE = "notice"
    ANNEX = "annex"
    DETAIL = "detail"


@dataclass(frozen=True)
class Section:
    """One section of the report: heading, paragraphs, tables and chart keys."""

    key: str
    heading: str
    notes: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)
    part: str = Part.DETAIL


UNIT_ORDER = {unit: i for i, unit in enumerate(UnitType)}
SEVERITY = ("veto", "deduction", "warning", "no_data", "notice")
MAX_EVIDENCE_IN_LIST = 5  # evidence sentences per problem in annex 2 (the rest: the findings table)


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


def overview_rows(ctx: ReportContext) -> list[tuple[str, Cell, Cell]]:
    """The figures of the overview table: this month and last month."""
    o = ctx.overview
    return [
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
        ("overdue_total", count(o.overdue_letters), count(None)),
        ("availability", ratio(o.availability), ratio(o.availability_previous)),
        ("outages", count(o.outages), count(None)),
        ("broken_links", count(o.broken_links), count(o.broken_links_previous)),
        ("unverifiable_links", count(o.unverifiable_links), count(None)),
        ("sites_passed", count(o.sites_passed), count(None)),
        ("sites_failing", count(o.sites_failing), count(o.sites_failing_previous)),
        ("sites_vetoed", count(o.sites_vetoed), count(None)),
        ("sites_warned", count(o.sites_warned), count(None)),
        ("sites_no_data", count(o.sites_with_no_data), count(None)),
    ]


def notice_section(ctx: ReportContext, lang: Lang) -> Section:
    """The 通报's text: 一、总体情况, 二、存在的主要问题, 三、工作要求 as headed paragraphs."""
    notes = [label("n1", lang), *narrative.overall(ctx)]
    notes += [label("n2", lang), *narrative.problems(ctx, lang)]
    notes += [label("n3", lang), *narrative.requirements(ctx, lang)]
    if lang == "zh":
        notes = [fmt.full_width(note) for note in notes]
    return Section("notice", narrative.title(ctx), notes, part=Part.NOTICE)


def summary_row(ctx: ReportContext, site: SiteUpdate, lang: Lang) -> list[Cell]:
    """One site's row of annex 1."""
    consult = next((c for c in ctx.consultations if c.site_name == site.name), None)
    avail = next((a for a in ctx.availability if a.site_name == site.name), None)
    comp = next((c for c in ctx.compliance.sites if c.site_name == site.name), None)
    verdict = [text("")] * 4
    if comp is not None:
        shown = label("passed" if comp.passed else "failed", lang)
        outcome = Outcome.PASS if comp.passed else Outcome.FAIL
        vetoes = "、".join(r.name if (r := ctx.rule(v)) else v for v in comp.vetoes)
        verdict = [
            number(comp.score),
            Cell(shown, shown, outcome=outcome.value),
            text(vetoes or "—"),
            count(comp.rank),
        ]
    return [
        text(site.name, site.url),
        text(unit_type_label(site.unit_type, lang)),
        count(site.posts),
        count(site.posts_previous),
        decimal(site.posts_per_week),
        count(site.longest_gap_days),
        count(consult.received if consult else None),
        count(consult.replied if consult else None),
        count(consult.overdue if consult else None),
        ratio(avail.availability if avail else None),
        count(avail.broken_links_home + avail.broken_links_inner if avail else None),
        *verdict,
    ]


def summary_section(ctx: ReportContext, lang: Lang) -> Section:
    """附件 1: one row per site — updates, frequency, replies, availability, score, rank."""
    keys = (
        "site", "unit_type", "posts_month", "posts_previous", "posts_per_week", "longest_gap",
        "received", "replied", "overdue", "availability", "broken_links", "score", "result",
        "vetoes", "rank_overall",
    )  # fmt: skip
    sites = sorted(ctx.sites, key=lambda s: UNIT_ORDER[s.unit_type])
    rows = [summary_row(ctx, s, lang) for s in sites]
    o = ctx.overview
    rows.append(
        [
            text(label("total", lang)),
            text(label("sites_n", lang).format(n=o.sites_monitored)),
            count(o.posts),
            count(o.posts_previous),
            text(""),
            text(""),
            count(o.consultations_received),
            count(o.consultations_replied),
            count(o.overdue_letters),
            ratio(o.availability),
            count(o.broken_links),
            text(""),
            text(label("passed_count", lang).format(passed=o.sites_passed, failed=o.sites_failing)),
            text(""),
            text(""),
        ]
    )
    table = Table("summary", label("annex1", lang), [label(k, lang) for k in keys], rows)
    return Section("annex1", label("annex1", lang), tables=[table], part=Part.ANNEX)


def severity_of(finding: Finding, ctx: ReportContext) -> str:
    """veto / deduction / warning / no_data of a finding."""
    if finding.outcome is Outcome.NO_DATA:
        return "no_data"
    if finding.outcome is Outcome.WARNING:
        return "warning"
    rule = ctx.rule(finding.rule_id)
    return "veto" if rule and rule.level is RuleLevel.VETO else "deduction"


def finding_text(finding: Finding, lang: Lang) -> str:
    """The evidence of a finding as sentences, one a line (the first few)."""
    lines = [evidence_text(e, lang) for e in finding.evidence[:MAX_EVIDENCE_IN_LIST]]
    left = len(finding.evidence) - MAX_EVIDENCE_IN_LIST
    if left > 0:
        lines.append(label("and_more", lang).format(n=left))
    if finding.outcome is Outcome.NO_DATA:
        lines.insert(0, no_data_reason(finding.note, lang))
    if is_count_warning(finding):
        lines.insert(
            0,
            label("count_warning", lang).format(
                value=fmt.fmt_number(finding.value), threshold=fmt.fmt_number(finding.threshold)
            ),
        )
    return "\n".join(lines)


def is_count_warning(finding: Finding) -> bool:
    """A warning on a count of columns (blank or stale) below its line: say how far it is."""
    kinds = {e.kind for e in finding.evidence}
    return (
        finding.outcome is Outcome.WARNING
        and finding.value is not None
        and bool(finding.threshold)
        and bool(kinds)
        and kinds <= {"blank_column", "stale_column", "more"}
        and not any("remaining_days" in e.facts for e in finding.evidence)
    )


def problem_rows(ctx: ReportContext, lang: Lang) -> list[tuple[tuple, list[Cell]]]:
    """Every problem with its sort key: findings, then stale or blank columns no rule failed."""
    order = {s.name: i for i, s in enumerate(ctx.sites)}
    units = {s.name: s.unit_type for s in ctx.sites}
    rule_order = {r.rule_id: i for i, r in enumerate(ctx.compliance.rules)}
    out = []
    for f in ctx.compliance.findings:
        severity = severity_of(f, ctx)
        rule = ctx.rule(f.rule_id)
        unit = f.unit_type or units.get(f.site_name, UnitType.AFFILIATED)
        site = order.get(f.site_name, f.site_order)
        key = (SEVERITY.index(severity), UNIT_ORDER[unit], site, rule_order.get(f.rule_id, 0))
        action = recommendation(f.rule_id, rule.metric if rule else "", lang)
        if severity == "no_data":
            action = label("no_data_action", lang)
        out.append(
            (
                key,
                [
                    text(label(f"sev_{severity}", lang)),
                    text(unit_type_label(unit, lang)),
                    text(f.site_name),
                    text(rule.name if rule else f.rule_id),
                    text(finding_text(f, lang)),
                    text(action),
                ],
            )
        )
    for c in ctx.column_issues:
        if narrative.covered(ctx, c.site_name, c.rule_id):
            continue
        if c.problem not in (ColumnProblem.STALE, ColumnProblem.BLANK):
            continue  # not a finding about the site: section 3 lists it for a person to look
        unit = units.get(c.site_name, UnitType.AFFILIATED)
        key = (SEVERITY.index("notice"), UNIT_ORDER[unit], order.get(c.site_name, 0), 0)
        problem = "stale" if c.problem == ColumnProblem.STALE else "blank"
        rule = ctx.rule(c.rule_id)
        out.append(
            (
                key,
                [
                    text(label("sev_notice", lang)),
                    text(unit_type_label(unit, lang)),
                    text(c.site_name),
                    text(label(f"column_{problem}", lang)),
                    text(column_issue_text(c, lang), c.column_url),
                    text(recommendation(c.rule_id, rule.metric if rule else "", lang)),
                ],
            )
        )
    return out


def column_issue_text(c: object, lang: Lang) -> str:
    """A stale or blank column as a sentence."""
    from analysis.report.context import ColumnIssue, Evidence

    assert isinstance(c, ColumnIssue)
    if c.problem == ColumnProblem.BLANK:
        return evidence_text(Evidence("blank_column", {"column": c.column_name}), lang)
    facts = {
        "column": c.column_name,
        "last_post_on": c.last_post.isoformat() if c.last_post else None,
        "days": c.days_since_post,
        "limit": c.limit_days,
    }
    return evidence_text(Evidence("stale_column", facts), lang)


def problems_section(ctx: ReportContext, lang: Lang) -> Section:
    """附件 2: the problem list, ordered for action — severity, unit type, site."""
    rows = [row for _key, row in sorted(problem_rows(ctx, lang), key=lambda r: r[0])]
    numbered = [[count(i), *row] for i, row in enumerate(rows, start=1)]
    keys = ("number", "severity", "unit_type", "site", "problem", "details", "action")
    notes = [] if rows else [label("no_problems", lang)]
    table = Table("problems", label("annex2", lang), [label(k, lang) for k in keys], numbered)
    return Section("annex2", label("annex2", lang), notes, [table], part=Part.ANNEX)


def method_section(ctx: ReportContext, lang: Lang) -> Section:
    """附件 3: how the month was measured, the working-day calendar and every definition."""
    m = ctx.method
    notes = []
    if m is not None:
        notes.append(
            label("method_period", lang).format(
                start=m.period_start.isoformat(),
                end=m.period_end.isoformat(),
                check=ctx.check_date.isoformat(),
                runs=m.crawl_runs,
                visits=m.probe_visits,
                timeout=fmt.fmt_number(m.probe_timeout_seconds),
            )
        )
        holidays = "、".join(d.strftime("%m-%d") for d in m.holidays) or label("none", lang)
        makeup = "、".join(d.strftime("%m-%d") for d in m.makeup_workdays) or label("none", lang)
        notes.append(
            label("method_calendar", lang).format(
                workdays=m.workdays, holidays=holidays, makeup=makeup
            )
        )
    notes.append(
        label("method_standard", lang).format(
            standard=fmt.clean_text(ctx.compliance.standard_name) or label("none", lang),
            pass_score=fmt.fmt_number(ctx.compliance.pass_score),
        )
    )
    visits = Table(
        "visits",
        label("visits_table", lang),
        [label(k, lang) for k in ("site", "probes", "failures", "availability", "outages")],
        [
            [text(a.site_name), count(a.probes), count(a.failures), ratio(a.availability),
             count(a.outages)]
            for a in ctx.availability
        ],
    )  # fmt: skip
    definitions = Table(
        "definitions",
        label("definitions", lang),
        [label("figure", lang), label("definition", lang)],
        [[text(label(k, lang)), text(definition(k, m, lang))] for k in DEFINED],
    )
    return Section("annex3", label("annex3", lang), notes, [visits, definitions], part=Part.ANNEX)


def definition(key: str, method: MonitoringMethod | None, lang: Lang) -> str:
    """A figure's definition; the overdue and staleness ones quote the profile's limits."""
    text_ = label(f"def_{key}", lang)
    if key == "overdue":
        days = method.overdue_days if method else defaults.OVERDUE_DAYS
        return text_.format(overdue_days=days)
    if key == "stale_columns":
        stale = method.stale_days if method else {}
        unit = " 天" if lang == "zh" else " days"
        limits = ("、" if lang == "zh" else ", ").join(
            f"{category_label(Category(c), lang)} {d}{unit}" for c, d in stale.items()
        )
        return text_.format(limits=limits or label("none", lang))
    return text_


DEFINED = (
    "posts", "posts_per_week", "longest_gap", "consultations_received", "consultations_replied",
    "reply_rate", "median_latency", "overdue", "availability", "outages", "broken_links",
    "unverifiable_links", "stale_columns", "blank_columns", "score", "rank_overall", "no_data",
)  # fmt: skip


def overview_section(ctx: ReportContext, lang: Lang) -> Section:
    """The month at a glance against the previous month, and posts by category."""
    o = ctx.overview
    summary = Table(
        "overview",
        label("s1", lang),
        [label("figure", lang), label("this_month", lang), label("last_month", lang)],
        [[text(label(key, lang)), now, before] for key, now, before in overview_rows(ctx)],
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
    return Section("s1", label("s1", lang), [], [summary, by_category])


def site_row(site: SiteUpdate) -> list[Cell]:
    """One row of a section-2 table."""
    return [
        text(site.name, site.url),
        count(site.posts),
        count(site.posts_previous),
        change(site.change),
        decimal(site.posts_per_week),
        count(site.longest_gap_days),
        day(site.last_update),
        count(site.days_since_update),
        count(site.stale_columns),
        count(site.blank_columns),
        count(site.rank),
    ]


def updates_section(ctx: ReportContext, lang: Lang) -> Section:
    """One table per unit type, in the order of UnitType."""
    headers = [
        label(key, lang)
        for key in (
            "site", "posts_month", "posts_previous", "change", "posts_per_week", "longest_gap",
            "last_update", "days_since", "stale_columns", "blank_columns", "rank",
        )
    ]  # fmt: skip
    tables = []
    for unit_type in UnitType:
        sites = [s for s in ctx.sites if s.unit_type == unit_type]
        if not sites:
            continue
        rows = [site_row(s) for s in sorted(sites, key=lambda s: s.rank)]
        title = label("updates_of", lang).format(unit=unit_type_label(unit_type, lang))
        tables.append(Table(f"sites_{unit_type.value}", title, headers, rows))
    return Section("s2", label("s2", lang), tables=tables, charts=["posts", "heatmap"])


def columns_section(ctx: ReportContext, lang: Lang) -> Section:
    """Stale and blank columns with the rule the engine judged each under."""
    keys = ("site", "column", "category", "problem", "last_post", "days_since", "limit_days")
    headers = [label(k, lang) for k in (*keys, "rule")]
    rows = []
    for issue in ctx.column_issues:
        rule = ctx.rule(issue.rule_id)
        problem = issue.problem.value
        rows.append(
            [
                text(issue.site_name),
                text(issue.column_name, issue.column_url),
                text(category_label(issue.category, lang)),
                text(label(problem, lang)),
                day(issue.last_post),
                count(issue.days_since_post),
                count(issue.limit_days),
                text(rule.name if rule else label("no_rule", lang)),
            ]
        )
    table = Table("columns", label("s3", lang), headers, rows)
    return Section("s3", label("s3", lang), tables=[table])


def consultations_section(ctx: ReportContext, lang: Lang) -> Section:
    """Every site's letters, replies, overdue letters and channel; the overdue letters."""
    keys = ("site", "channel", "received", "replied", "pending", "reply_rate", "median_latency")
    stats = Table(
        "consultations",
        label("s4", lang),
        [label(k, lang) for k in (*keys, "max_latency", "overdue")],
        [
            [
                text(c.site_name),
                text(label("yes" if c.has_channel else "no_channel", lang)),
                count(c.received),
                count(c.replied),
                count(c.pending),
                ratio(c.reply_rate),
                decimal(c.median_latency_workdays),
                count(c.max_latency_workdays),
                count(c.overdue),
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
    notes = [label("replied_definition", lang)]
    return Section("s4", label("s4", lang), notes, [stats, overdue], charts=["latency"])


def outage_cell(value: object, lang: Lang) -> Cell:
    """A datetime of an outage, to the minute; an open end says so."""
    if value is None:
        shown = label("still_down", lang)
        return Cell(shown, shown)
    shown = value.strftime("%Y-%m-%d %H:%M")  # type: ignore[attr-defined]
    return Cell(value, shown, number_format="yyyy-mm-dd hh:mm")  # type: ignore[arg-type]


def outage_table(ctx: ReportContext, lang: Lang) -> Table:
    """Each outage; probed from several vantage points, also from where it was seen (a
    single-vantage group gets no such column)."""
    keys = ["site", "began", "ended", "failed_visits", "hours"]
    several = any(o.seen_from for o in ctx.outages)
    if several:
        keys.append("seen_from")
    body = []
    for o in ctx.outages:
        row = [text(o.site_name), outage_cell(o.began, lang), outage_cell(o.ended, lang),
               count(o.failed_visits), decimal(o.hours)]  # fmt: skip
        if several:
            row.append(text(seen_from_text(o.seen_from, lang) or "—"))
        body.append(row)
    return Table("outages", label("outage_list", lang), [label(k, lang) for k in keys], body)


def availability_section(ctx: ReportContext, lang: Lang) -> Section:
    """Availability per site, each outage, the broken links and the links not verifiable."""
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
    outages = outage_table(ctx, lang)

    def link_rows(unverifiable: bool) -> list[list[Cell]]:
        return [
            [
                text(b.site_name),
                text(b.url, b.url),
                text(b.found_on, b.found_on),
                text(b.status),
                text(label("home_page" if b.on_home_page else "inner_page", lang)),
            ]
            for b in ctx.broken_links
            if b.unverifiable == unverifiable
        ]

    headers = [label(k, lang) for k in ("site", "link", "found_on", "status", "where")]
    links = Table("broken_links", label("broken_link_list", lang), headers, link_rows(False))
    tables = [per_site, outages, links]
    unverifiable = link_rows(True)
    if unverifiable:
        tables.append(
            Table("unverifiable", label("unverifiable_list", lang), headers, unverifiable)
        )
    return Section("s5", label("s5", lang), [], tables, charts=["availability"])


def finding_rows(findings: list[Finding], ctx: ReportContext, lang: Lang) -> list[list[Cell]]:
    """One row per evidence sentence of each finding (a no-data finding first says why)."""
    out = []
    for finding in findings:
        rule = ctx.rule(finding.rule_id)
        lead = [
            text(finding.site_name),
            text(rule.name if rule else finding.rule_id),
            text(level_label(rule.level.value, lang) if rule else ""),
            outcome_cell(finding.outcome, lang),
        ]
        sentences = [evidence_text(e, lang) for e in finding.evidence]
        urls = [e.url for e in finding.evidence]
        if finding.outcome is Outcome.NO_DATA:
            sentences.insert(0, no_data_reason(finding.note, lang))
            urls.insert(0, "")
        for sentence, url in zip(sentences or [""], urls or [""], strict=False):
            out.append([*lead, text(sentence, url or None)])
    return out


def findings_table(
    key: str, title: str, findings: list[Finding], ctx: ReportContext, lang: Lang
) -> Table:
    """Findings with their evidence: site, rule, level, outcome, evidence sentence."""
    headers = [label(k, lang) for k in ("site", "rule", "level", "outcome", "evidence")]
    return Table(key, title, headers, finding_rows(findings, ctx, lang))


def compliance_section(ctx: ReportContext, lang: Lang) -> Section:
    """The matrix site × rule, scores and vetoes, then each finding's evidence."""
    comp = ctx.compliance
    headers = [label(k, lang) for k in ("site", "score", "rank_overall", "result", "vetoes")]
    headers += [rule.name for rule in comp.rules]
    matrix_rows = []
    for site in comp.sites:
        verdict = Outcome.PASS if site.passed else Outcome.FAIL
        shown = label("passed" if site.passed else "failed", lang)
        row = [
            text(site.site_name),
            number(site.score),
            count(site.rank),
            Cell(shown, shown, outcome=verdict.value),
            # Rule titles, not ids: the report is read by people, the ids are for machines.
            text("、".join(rule.name if (rule := ctx.rule(v)) else v for v in site.vetoes)),
        ]
        for rule in comp.rules:
            outcome = site.outcomes.get(rule.rule_id, Outcome.NOT_APPLICABLE)
            row.append(outcome_cell(outcome, lang))
        matrix_rows.append(row)
    matrix = Table("compliance", label("s6", lang), [text(h).text for h in headers], matrix_rows)
    # One place per finding: the checklist areas' findings are in their own sections.
    own = [f for f in comp.findings if not in_area_section(ctx, f.rule_id)]
    findings = findings_table("findings", label("findings", lang), own, ctx, lang)
    note = label("standard_note", lang).format(
        standard=fmt.clean_text(comp.standard_name), pass_score=fmt.fmt_number(comp.pass_score)
    )
    notes = [note]
    if len(own) < len(comp.findings):
        notes.append(label("area_findings_note", lang))
    return Section("s6", label("s6", lang), notes, [matrix, findings])


def in_area_section(ctx: ReportContext, rule_id: str) -> bool:
    """Whether the rule's findings are laid out in a checklist area's section."""
    rule = ctx.rule(rule_id)
    area = area_of(rule.metric) if rule else None
    return area is not None and not area.own_section


def trend_section(ctx: ReportContext, lang: Lang) -> Section:
    """The twelve-month figures as a table beside the chart."""
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
    return Section("s7", label("s7", lang), [label("trend_note", lang)], [table], ["trend"])


SECTION_BUILDERS: tuple[Callable[[ReportContext, Lang], Section], ...] = (
    notice_section,
    summary_section,
    problems_section,
    method_section,
    annex_section,
    overview_section,
    updates_section,
    columns_section,
    consultations_section,
    availability_section,
    compliance_section,
    workflow_section,
    content_section,
    # One section per checklist area of issue 15 (identity, search, services, ...).
    *(partial(area_section, area) for area in AREAS if not area.own_section),
    trend_section,
)


def build_sections(ctx: ReportContext, lang: Lang) -> list[Section]:
    """The 通报, its three annexes, then the detailed sections, in order."""
    return [build(ctx, lang) for build in SECTION_BUILDERS]
