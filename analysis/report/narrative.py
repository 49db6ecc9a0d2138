"""The 通报's text — 一、总体情况, 二、存在的主要问题, 三、工作要求 — from the context's figures.

Every number here is a figure of the context (the same the annex tables show), formatted, never
recomputed. Chinese sentences use full-width punctuation.
"""

from __future__ import annotations

from collections.abc import Iterable

from analysis.report import fmt
from analysis.report.context import Finding, Outcome, ReportContext, RuleInfo, RuleLevel
from analysis.report.i18n import Lang, recommendation
from analysis.report.wording import evidence_text, no_data_reason

MAX_NAMED_SITES = 6  # sites named in one problem paragraph before "等 N 个网站"
CN_NUMBERS = "一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (1 ≤ n ≤ 999), as in 公文 numbering."""
    if not 1 <= n <= 999:
        raise ValueError(f"cn_number takes 1..999, not {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    text = f"{CN_NUMBERS[hundreds - 1]}百" if hundreds else ""
    if tens:
        text += "" if tens == 1 and not hundreds else CN_NUMBERS[tens - 1]
        text += "十"
    elif hundreds and ones:
        text += "零"
    return text + (CN_NUMBERS[ones - 1] if ones else "")


def cn_index(i: int) -> str:
    """（一）, （二）, … （二十一） for the i-th (0-based) item."""
    return f"（{cn_number(i + 1)}）"


def month_zh(month: str) -> str:
    """2012-12 → 2012年12月."""
    year, mon = month.split("-")
    return f"{year}年{int(mon)}月"


def change_zh(now: int, before: int | None, unit: str) -> str:
    """`较上月（178 条）减少 14 条` or an empty string when last month is not known."""
    if before is None:
        return ""
    if now == before:
        return f"，与上月持平（{before} {unit}）"
    word = "增加" if now > before else "减少"
    return f"，较上月（{before} {unit}）{word} {abs(now - before)} {unit}"


def names_zh(names: Iterable[str]) -> str:
    """Site names joined with 、, shortened to the first few and a count."""
    unique = list(dict.fromkeys(fmt.clean_text(n) for n in names))
    if len(unique) <= MAX_NAMED_SITES:
        return "、".join(unique)
    return "、".join(unique[:MAX_NAMED_SITES]) + f"等 {len(unique)} 个网站"


def overall(ctx: ReportContext) -> list[str]:
    """一、总体情况: sites, pass rate, posts, replies, availability, changes from last month."""
    o = ctx.overview
    passed, failing = o.sites_passed, o.sites_failing
    judged = ctx.compliance.sites
    first = (
        f"{month_zh(ctx.month)}，信息中心对{fmt.clean_text(ctx.group_name)}"
        f"的 {o.sites_monitored} 个网站进行了监测（检查日 {ctx.check_date.isoformat()}）。"
    )
    if judged:
        rate = fmt.fmt_ratio(o.pass_rate)
        first += (
            f"对照《{fmt.clean_text(ctx.compliance.standard_name)}》，达标 {passed} 个，"
            f"达标率 {rate}；不达标 {failing} 个，其中单项否决 {o.sites_vetoed} 个"
        )
        if o.sites_failing_previous is not None:
            first += f"（上月不达标 {o.sites_failing_previous} 个）"
        first += f"；{o.sites_warned} 个网站有预警事项"
        if o.sites_with_no_data:
            first += f"，{o.sites_with_no_data} 个网站部分指标无数据（见附件 3）"
        first += "。"
    posts = f"本月各网站共发布信息 {o.posts} 条{change_zh(o.posts, o.posts_previous, '条')}。"
    letters = (
        f"本月收到网民咨询 {o.consultations_received} 件，截至检查日已答复 "
        f"{o.consultations_replied} 件，答复率 {fmt.fmt_ratio(o.reply_rate)}"
        if o.consultations_received
        else "本月未收到网民咨询"
    )
    if o.median_latency_workdays is not None:
        letters += f"，答复用时中位数 {fmt.fmt_decimal(o.median_latency_workdays)} 个工作日"
    if o.consultations_received_previous is not None:
        letters += f"（上月收到 {o.consultations_received_previous} 件）"
    letters += f"；超过 3 个月未答复的留言 {o.overdue_letters} 件。"
    avail = (
        f"首页可用率 {fmt.fmt_ratio(o.availability)}"
        if o.availability is not None
        else "本月没有首页访问记录，未能监测首页可用性"
    )
    if o.availability_previous is not None:
        avail += f"（上月 {fmt.fmt_ratio(o.availability_previous)}）"
    avail += f"，首页访问中断 {o.outages} 次；发现失效链接 {o.broken_links} 个"
    if o.unverifiable_links:
        avail += f"，另有 {o.unverifiable_links} 个链接无法验证（不扣分）"
    avail += "。"
    return [first, posts + letters + avail]


def worst(findings: list[Finding], rule: RuleInfo) -> Finding:
    """The finding to quote: the highest value for most rules (the most letters, columns …)."""
    return max(findings, key=lambda f: (f.value or 0.0, len(f.evidence)))


def problems(ctx: ReportContext, lang: Lang = "zh") -> list[str]:
    """二、存在的主要问题: one paragraph per rule failed or warned, naming units and the worst."""
    paragraphs: list[str] = []
    groups = [g for g in grouped(ctx) if g[1] is not Outcome.NO_DATA]
    for i, (rule, outcome, findings) in enumerate(groups):
        count = len({f.site_name for f in findings})
        kind = {
            Outcome.FAIL: "单项否决" if rule.level is RuleLevel.VETO else "扣分",
            Outcome.WARNING: "预警",
            Outcome.NO_DATA: "无数据",
        }[outcome]
        names = names_zh(f.site_name for f in findings)
        text = f"{cn_index(i)}{fmt.clean_text(rule.name)}（{kind}）。涉及{names}"
        if count > 1 and count <= MAX_NAMED_SITES:
            text += f"，共 {count} 个网站"
        example = worst(findings, rule)
        if example.evidence:
            quoted = evidence_text(example.evidence[0], lang)
            text += f"，如{fmt.clean_text(example.site_name)}：{quoted}"
        paragraphs.append(text + "。")
    by_reason: dict[str, list[Finding]] = {}
    for finding in ctx.compliance.findings:
        if finding.outcome is Outcome.NO_DATA:
            by_reason.setdefault(finding.note, []).append(finding)
    for note, findings in by_reason.items():
        names = names_zh(f.site_name for f in findings)
        rules = "、".join(
            dict.fromkeys(r.name for f in findings if (r := ctx.rule(f.rule_id)) is not None)
        )
        paragraphs.append(
            f"{cn_index(len(paragraphs))}部分指标无数据（{fmt.clean_text(rules)}）。"
            f"涉及{names}：{no_data_reason(note, lang)}。"
        )
    stale = [c for c in ctx.column_issues if not covered(ctx, c.site_name, c.rule_id)]
    if stale:
        sites = names_zh(c.site_name for c in stale)
        paragraphs.append(
            f"{cn_index(len(paragraphs))}栏目更新不及时（提示）。{sites}有 {len(stale)} 个栏目"
            "超过更新时限或无内容，尚未达到否决或扣分标准，详见附件 2。"
        )
    if not paragraphs:
        paragraphs.append("本月未发现不达标或预警事项。")
    return paragraphs


def covered(ctx: ReportContext, site_name: str, rule_id: str) -> bool:
    """True when the site has a finding (fail or warning) under that rule."""
    return any(
        f.site_name == site_name and f.rule_id == rule_id and f.outcome is not Outcome.NO_DATA
        for f in ctx.compliance.findings
    )


def grouped(ctx: ReportContext) -> list[tuple[RuleInfo, Outcome, list[Finding]]]:
    """Findings by (rule, outcome): vetoes, deductions, warnings, then no data."""
    groups: dict[tuple[str, Outcome], list[Finding]] = {}
    for finding in ctx.compliance.findings:
        groups.setdefault((finding.rule_id, finding.outcome), []).append(finding)
    rules = {r.rule_id: (i, r) for i, r in enumerate(ctx.compliance.rules)}

    def order(key: tuple[str, Outcome]) -> tuple[int, int]:
        rule_id, outcome = key
        index, rule = rules[rule_id]
        if outcome is Outcome.FAIL:
            return (0 if rule.level is RuleLevel.VETO else 1, index)
        return (2 if outcome is Outcome.WARNING else 3, index)

    return [
        (rules[rule_id][1], outcome, groups[(rule_id, outcome)])
        for rule_id, outcome in sorted((k for k in groups if k[0] in rules), key=order)
    ]


def requirements(ctx: ReportContext, lang: Lang = "zh") -> list[str]:
    """三、工作要求: what each kind of problem requires, with the rule's citation."""
    paragraphs: list[str] = []
    seen: set[str] = set()
    for rule, outcome, _findings in grouped(ctx):
        if rule.rule_id in seen or outcome is Outcome.NO_DATA:
            continue
        seen.add(rule.rule_id)
        advice = recommendation(rule.rule_id, rule.metric, lang).rstrip("。")
        cite = f"（依据：{fmt.clean_text(rule.citation)}）" if rule.citation else ""
        paragraphs.append(
            f"{cn_index(len(paragraphs))}{fmt.clean_text(rule.name)}：{advice}{cite}。"
        )
    if any(f.outcome is Outcome.NO_DATA for f in ctx.compliance.findings):
        paragraphs.append(
            f"{cn_index(len(paragraphs))}无数据事项：信息中心核查监测配置与页面提取情况，"
            "相关单位配合确认栏目地址。"
        )
    paragraphs.append(
        f"{cn_index(len(paragraphs))}请各单位对照附件 2 问题清单逐项整改，"
        "整改完成后将整改情况报信息中心；信息中心将在下月监测中复核。"
    )
    return paragraphs


def title(ctx: ReportContext) -> str:
    """The 通报's title."""
    return f"关于{month_zh(ctx.month)}{fmt.clean_text(ctx.group_name)}信息更新质量监测情况的通报"
