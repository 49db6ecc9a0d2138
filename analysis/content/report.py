"""The report's content-check section: every finding the content rules cite, with its review.

It lays out the evidence the rule engine already gave the compliance findings (rules on the
content metrics); it computes nothing. Registered in analysis/report/tables.SECTION_BUILDERS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.report.context import ReportContext
    from analysis.report.i18n import Lang
    from analysis.report.tables import Section

CONTENT_METRICS = frozenset(
    {
        "content_serious_errors",
        "content_pending_review",
        "content_suspected_errors",
        "personal_data_exposed",
        "service_guides_incomplete",
    }
)
WORDS: dict[str, tuple[str, str]] = {
    "heading": ("内容检查（错敏信息）", "Content checks"),
    "table": ("内容检查发现", "Content findings"),
    "none": ("本月未发现错敏信息。", "No content errors were found."),
    "note": (
        "机器发现的问题须人工核实：状态为“待确认”的严重问题不计入否决，经 sitewatch findings "
        "confirm 确认后才计入；标为“误报”的不再列出。个人信息已做遮盖处理。",
        "Machine findings need a person: serious ones still 待确认 do not veto until confirmed "
        "with sitewatch findings confirm; 误报 ones are not listed. Personal numbers are masked.",
    ),
    "site": ("站点", "Site"),
    "id": ("编号", "ID"),
    "page": ("页面", "Page"),
    "check": ("问题类别", "Check"),
    "term": ("发现内容", "Found"),
    "suggestion": ("建议", "Suggestion"),
    "severity": ("程度", "Severity"),
    "review": ("状态", "Review"),
    "snippet": ("上下文", "Context"),
}


def word(key: str, lang: Lang) -> str:
    """This section's wording in the report's language."""
    zh, en = WORDS[key]
    return zh if lang == "zh" else en


def content_rows(ctx: ReportContext) -> list[tuple[str, dict[str, Any], str]]:
    """(site name, evidence facts, url) of each cited finding once, in site order."""
    seen: set[Any] = set()
    rows = []
    findings = sorted(ctx.compliance.findings, key=lambda f: (f.site_order, f.site_name))
    for finding in findings:
        rule = ctx.rule(finding.rule_id)
        if rule is None or rule.metric not in CONTENT_METRICS:
            continue
        for evidence in finding.evidence:
            key = evidence.facts.get("finding_id")
            if key is None or key in seen:
                continue
            seen.add(key)
            rows.append((finding.site_name, evidence.facts, evidence.url))
    return rows


def content_section(ctx: ReportContext, lang: Lang) -> Section:
    """Section: the content findings with page, term, suggestion, severity and review."""
    from analysis.report.tables import Section, Table, text

    keys = ("site", "id", "page", "check", "term", "suggestion", "severity", "review", "snippet")
    rows = [
        [
            text(site),
            text(str(facts.get("finding_id", ""))),
            text(facts.get("title") or url, url),
            text(facts.get("check") or ""),
            text(facts.get("term") or ""),
            text(facts.get("suggestion") or ""),
            text(facts.get("severity") or ""),
            text(facts.get("review") or ""),
            text(facts.get("snippet") or ""),
        ]
        for site, facts, url in content_rows(ctx)
    ]
    notes = [word("note", lang)] if rows else [word("none", lang)]
    table = Table("content", word("table", lang), [word(k, lang) for k in keys], rows)
    return Section("content", word("heading", lang), notes, [table] if rows else [])
