"""The report's section of each checklist area (analysis/report/areas.py): what the group's
standard checks in the area, how many sites each rule judged and failed, then the findings with
their evidence sentences. It lays out `ReportContext.areas` (grouped in build.areas_of) and
computes nothing. Registered in analysis/report/tables.SECTION_BUILDERS, one per area."""

from __future__ import annotations

from typing import TYPE_CHECKING

from analysis.report.areas import AREAS, Area
from analysis.report.fmt import clean_text
from analysis.report.i18n import label, level_label, pick

if TYPE_CHECKING:
    from analysis.report.context import AreaResult, ReportContext
    from analysis.report.i18n import Lang
    from analysis.report.tables import Section, Table

WORDS: dict[str, tuple[str, str]] = {
    "no_rule": (
        "所采用的规范未设本项检查，本月未作判断。",
        "The standard in use has no rule in this area: nothing was judged.",
    ),
    "clean": (
        "本月检查的网站均未发现本项问题。",
        "No site checked this month shows a problem in this area.",
    ),
    "found": (
        "本月共有 {sites} 个网站存在本项问题或预警，详见下表；无数据的检查另行注明原因。",
        "{sites} site(s) show a problem or warning in this area (table below); "
        "checks without data say why.",
    ),
    "no_data_only": (
        "本项部分检查没有可用数据，原因见下表。",
        "Some checks of this area have no data; the table below says why.",
    ),
    "rules": ("{heading}检查情况", "{heading}: checks"),
    "problems": ("{heading}发现的问题", "{heading}: findings"),
    "annex": ("附件4  专项检查情况", "Annex 4  Checks by area"),
    "annex_note": (
        "下表列出各专项检查所用规则及检查结果，存在问题的网站及证据见附件2问题清单。",
        "The rules of each area and how the sites fared; the sites with problems and the "
        "evidence are in annex 2.",
    ),
    "area": ("检查领域", "Area"),
    "not_checked": ("未设此项检查", "no rule in the standard"),
    "citation": ("依据", "Citation"),
    "judged": ("检查网站数", "Sites checked"),
    "failing": ("不通过", "Failing"),
    "warned": ("预警", "Warned"),
}


def word(key: str, lang: Lang) -> str:
    """This section's wording in the report's language."""
    return pick(WORDS[key], lang)


def area_result(ctx: ReportContext, area: Area) -> AreaResult | None:
    """The context's figures of this area (None for a context built without areas)."""
    return next((a for a in ctx.areas if a.key == area.key), None)


def rules_table(area: Area, result: AreaResult, ctx: ReportContext, lang: Lang) -> Table:
    """Each rule of the area: level, citation, sites judged, failing, warned, without data."""
    from analysis.report.tables import Table, count, text

    keys = ("judged", "failing", "warned")
    headers = [label("rule", lang), label("level", lang), word("citation", lang)]
    headers += [word(k, lang) for k in keys] + [label("no_data", lang)]
    rows = []
    for tally in result.rules:
        rule = ctx.rule(tally.rule_id)
        rows.append(
            [
                text(rule.name if rule else tally.rule_id),
                text(level_label(rule.level.value, lang) if rule else ""),
                text(rule.citation if rule else ""),
                count(tally.judged),
                count(tally.failing),
                count(tally.warned),
                count(tally.no_data),
            ]
        )
    title = word("rules", lang).format(heading=pick(area.heading, lang))
    return Table(f"{area.key}_rules", title, headers, rows)


def summary(result: AreaResult, lang: Lang) -> str:
    """The section's sentence: no rule, nothing found, or how many sites show problems."""
    from analysis.report.context import Outcome

    if not result.rules:
        return word("no_rule", lang)
    flagged = {f.site_name for f in result.findings if f.outcome is not Outcome.NO_DATA}
    if flagged:
        return word("found", lang).format(sites=len(flagged))
    return word("no_data_only", lang) if result.findings else word("clean", lang)


def annex_section(ctx: ReportContext, lang: Lang) -> Section:
    """附件4: each area's rules with the sites checked, failing, warned and without data (an
    area the standard does not check says so)."""
    from analysis.report.tables import Part, Section, Table, count, text

    headers = [word("area", lang), label("rule", lang), label("level", lang)]
    headers += [word(k, lang) for k in ("citation", "judged", "failing", "warned")]
    headers.append(label("no_data", lang))
    rows = []
    for area in AREAS:
        result = area_result(ctx, area)
        name = text(pick(area.heading, lang))
        if result is None or not result.rules:
            rows.append([name, text(word("not_checked", lang)), *(text("") for _ in range(2)),
                         *(count(None) for _ in range(4))])  # fmt: skip
            continue
        for tally in result.rules:
            rule = ctx.rule(tally.rule_id)
            rows.append(
                [
                    name,
                    text(rule.name if rule else tally.rule_id),
                    text(level_label(rule.level.value, lang) if rule else ""),
                    text(rule.citation if rule else ""),
                    count(tally.judged),
                    count(tally.failing),
                    count(tally.warned),
                    count(tally.no_data),
                ]
            )
    table = Table("areas", word("annex", lang), headers, rows)
    notes = [word("annex_note", lang)]
    return Section("annex4", word("annex", lang), notes, [table], part=Part.ANNEX)


def area_section(area: Area, ctx: ReportContext, lang: Lang) -> Section:
    """One area's section: a sentence, the rules table and the findings with evidence."""
    from analysis.report.tables import Section, findings_table

    heading = clean_text(pick(area.heading, lang))
    result = area_result(ctx, area)
    if result is None or not result.rules:
        return Section(f"area_{area.key}", heading, [word("no_rule", lang)])
    tables = [rules_table(area, result, ctx, lang)]
    if result.findings:
        title = word("problems", lang).format(heading=heading)
        tables.append(findings_table(f"{area.key}_findings", title, result.findings, ctx, lang))
    return Section(f"area_{area.key}", heading, [summary(result, lang)], tables)
