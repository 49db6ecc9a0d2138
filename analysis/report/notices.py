"""Rectification notices (整改通知), one per unit with problems: `render_notices(ctx, out_dir)`.

Each notice names the unit's result this month, its problems with their evidence, what each
requires, and carries the unit's rows of the problem list as its annex — the same sentences and
rows the monthly report shows (one renderer), filtered to the unit.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

from analysis.files import atomic_write
from analysis.report import fmt, narrative
from analysis.report.context import ReportContext, SiteUpdate
from analysis.report.docx import render_notice
from analysis.report.i18n import Lang, label
from analysis.report.tables import Part, Section, Table, problems_section

NOTICES_DIR = "notices"
SAFE_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def notice_file(site_id: str) -> str:
    """<site-id>.docx, the id kept to the characters a file name can safely hold."""
    return SAFE_FILE_NAME.sub("_", site_id) + ".docx"


def notice_text(ctx: ReportContext, site: SiteUpdate, rows: list[list], lang: Lang) -> Section:
    """The notice's paragraphs: addressee, result, problems, requirements."""
    comp = next((c for c in ctx.compliance.sites if c.site_name == site.name), None)
    name = fmt.clean_text(site.name)
    month = narrative.month_zh(ctx.month)
    result = ""
    if comp is not None:
        verdict = label("passed" if comp.passed else "failed", lang)
        result = f"得分 {fmt.fmt_number(comp.score)} 分，结论为{verdict}"
        if comp.vetoes:
            vetoes = "、".join(r.name if (r := ctx.rule(v)) else v for v in comp.vetoes)
            result += f"（触发单项否决：{vetoes}）"
        result += f"，在全部 {len(ctx.compliance.sites)} 个网站中排名第 {comp.rank}。"
    notes = [
        f"{name}：",
        f"{month}，信息中心对你单位网站（{fmt.clean_text(site.url)}）进行了监测，"
        f"本月发布信息 {site.posts} 条。{result}现将存在的问题通知如下。",
        label("notice_problems", lang),
    ]
    for i, row in enumerate(rows):
        severity, problem, details = row[1].text, row[4].text, row[5].text.replace("\n", "；")
        notes.append(f"{narrative.cn_index(i)}{problem}（{severity}）。{details}。")
    notes.append(label("notice_requirements", lang))
    advice = list(dict.fromkeys(row[6].text for row in rows))
    notes += [f"{narrative.cn_index(i)}{text}" for i, text in enumerate(advice)]
    notes.append(
        f"{narrative.cn_index(len(advice))}请于收到本通知后 10 个工作日内完成整改，"
        "并将整改情况书面报信息中心。信息中心将在下月监测中复核。"
    )
    title = f"关于{name}网站{month}监测问题的整改通知"
    if lang == "zh":
        notes = [fmt.full_width(n) for n in notes]
    return Section("notice", title, notes, part=Part.NOTICE)


def render_notices(ctx: ReportContext, out_dir: Path, lang: Lang = "zh") -> dict[str, Path]:
    """Write OUT/<month>/notices/<site-id>.docx for every unit with a problem; site id → path."""
    problems = problems_section(ctx, lang).tables[0]
    target = Path(out_dir) / ctx.month / NOTICES_DIR
    written: dict[str, Path] = {}
    for site in ctx.sites:
        rows = [row for row in problems.rows if row[3].text == fmt.clean_text(site.name)]
        if not rows:
            continue
        target.mkdir(parents=True, exist_ok=True)
        notice = notice_text(ctx, site, rows, lang)
        table = Table(problems.key, label("notice_annex", lang), problems.headers, rows)
        path = target / notice_file(site.site_id)
        written[site.site_id] = atomic_write(  # a temporary name, then renamed
            path,
            partial(render_notice, ctx, site.name, notice, table, lang),
        )
    return written
