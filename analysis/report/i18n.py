"""Chinese and English labels of the report: headings, table columns, enums, recommendations."""

from __future__ import annotations

from typing import Literal

from crawler.categories import CATEGORY_LABELS_ZH, UNIT_TYPE_LABELS_ZH, Category, UnitType

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

# key -> (zh, en)
LABELS: dict[str, tuple[str, str]] = {
    # document
    "title": ("网站群信息更新质量监测报告", "Website Group Update Quality Monitoring Report"),
    "month": ("监测月份", "Month"),
    "check_date": ("检查日期", "Check date"),
    "generated": ("生成时间", "Generated"),
    "standard": ("对照规范", "Standard"),
    "toc": ("目录", "Contents"),
    "toc_hint": ("(打开文档后按 F9 或右键“更新域”生成目录)", "(press F9 to update the table)"),
    "page": ("第 {page} 页", "Page {page}"),
    "none": ("无", "None"),
    "sort_hint": ("点击表头可排序", "Click a column header to sort"),
    # sections
    "s1": ("一、概述", "1. Overview"),
    "s2": ("二、各单位信息更新情况", "2. Updates by unit"),
    "s3": ("三、栏目更新", "3. Column updates"),
    "s4": ("四、互动回应", "4. Interaction and replies"),
    "s5": ("五、可用性与链接", "5. Availability and links"),
    "s6": ("六、对照建设规范", "6. Compliance with the construction standard"),
    "s7": ("七、趋势", "7. Trends"),
    "s8": ("八、问题清单与整改建议", "8. Problems and recommended actions"),
    "overdue_letters": ("逾期未答复留言", "Overdue letters"),
    "broken_link_list": ("失效链接", "Broken links"),
    "findings": ("不合格项及证据", "Failures and evidence"),
    "by_category": ("分类信息量", "Posts by category"),
    # overview figures
    "figure": ("指标", "Figure"),
    "this_month": ("本月", "This month"),
    "last_month": ("上月", "Last month"),
    "sites_monitored": ("监测网站数", "Sites monitored"),
    "posts": ("发布信息数", "Posts"),
    "consultations_received": ("收到咨询", "Consultations received"),
    "consultations_replied": ("已回复", "Replied"),
    "reply_rate": ("回复率", "Reply rate"),
    "median_latency": ("回复用时中位数(工作日)", "Median reply time (working days)"),
    "max_latency": ("最长回复用时(工作日)", "Longest reply time (working days)"),
    "availability": ("首页可用率", "Home-page availability"),
    "broken_links": ("失效链接数", "Broken links"),
    "sites_failing": ("未达标网站数", "Sites failing the standard"),
    "sites_vetoed": ("单项否决网站数", "Sites vetoed"),
    "category": ("类别", "Category"),
    # site tables
    "site": ("网站", "Site"),
    "unit_type": ("单位类型", "Unit type"),
    "posts_month": ("本月发布", "Posts this month"),
    "posts_previous": ("上月发布", "Posts last month"),
    "change": ("增减", "Change"),
    "last_update": ("最近更新", "Last update"),
    "days_since": ("未更新天数", "Days since"),
    "stale_columns": ("不更新栏目", "Stale columns"),
    "blank_columns": ("空白栏目", "Blank columns"),
    "rank": ("排名", "Rank"),
    # columns
    "column": ("栏目", "Column"),
    "problem": ("问题", "Problem"),
    "last_post": ("最近发布", "Last post"),
    "limit_days": ("时限(天)", "Limit (days)"),
    "rule": ("规则", "Rule"),
    "stale": ("不更新", "stale"),
    "blank": ("空白", "blank"),
    # consultations
    "received": ("收到", "Received"),
    "replied": ("已回复", "Replied"),
    "pending": ("待回复", "Pending"),
    "letter_title": ("留言标题", "Title"),
    "asked_on": ("留言日期", "Asked on"),
    "waiting": ("已等待(工作日)", "Waiting (working days)"),
    # availability
    "probes": ("访问次数", "Visits"),
    "failures": ("失败次数", "Failed"),
    "outages": ("中断次数", "Outages"),
    "broken_home": ("首页失效链接", "Broken on home page"),
    "broken_inner": ("其他页面失效链接", "Broken on inner pages"),
    "link": ("链接", "Link"),
    "found_on": ("所在页面", "Found on"),
    "status": ("状态", "Status"),
    "where": ("位置", "Where"),
    "home_page": ("首页", "home page"),
    "inner_page": ("其他页面", "inner page"),
    # compliance
    "score": ("得分", "Score"),
    "result": ("结论", "Result"),
    "passed": ("达标", "pass"),
    "failed": ("不达标", "fail"),
    "vetoes": ("否决项", "Vetoes"),
    "level": ("级别", "Level"),
    "value": ("实测值", "Value"),
    "threshold": ("阈值", "Threshold"),
    "evidence": ("证据", "Evidence"),
    "outcome": ("结果", "Outcome"),
    "pass_score": ("及格分", "Pass score"),
    # trend
    "trend_month": ("月份", "Month"),
    # actions
    "action": ("整改建议", "Recommended action"),
    "no_problems": ("本月未发现问题。", "No problems found this month."),
    # charts
    "chart_posts": ("各网站本月发布信息数", "Posts per site this month"),
    "chart_sample": ("（共 {total} 个网站，列出 {shown} 个）", " ({shown} of {total} sites)"),
    "chart_trend": ("近12个月趋势", "Twelve-month trend"),
    "chart_heatmap": ("各网站每周更新热力图", "Weekly updates per site"),
    "chart_latency": ("咨询回复用时分布", "Reply time distribution"),
    "chart_availability": ("各网站首页可用率", "Home-page availability per site"),
    "week_of": ("周起始", "Week of"),
    "workdays": ("工作日", "working days"),
    "letters": ("件数", "letters"),
    "summary": (
        "本月共监测 {sites} 个网站,发布信息 {posts} 条(上月 {posts_previous} 条);收到咨询 "
        "{received} 件,已回复 {replied} 件,回复率 {reply_rate};首页可用率 {availability};"
        "失效链接 {broken} 个;{failing} 个网站未达标,其中 {vetoed} 个单项否决。",
        "{sites} sites monitored, {posts} posts ({posts_previous} last month); {received} "
        "consultations received, {replied} replied, reply rate {reply_rate}; home-page "
        "availability {availability}; {broken} broken links; {failing} sites fail the standard, "
        "{vetoed} of them by a veto.",
    ),
    # empty
    "empty": ("{month} 没有监测数据,无法生成报告。", "No monitoring data for {month}."),
}

TREND_KEYS: dict[str, tuple[str, str]] = {
    "posts": LABELS["posts"],
    "consultations_received": LABELS["consultations_received"],
    "consultations_replied": LABELS["consultations_replied"],
    "reply_rate": LABELS["reply_rate"],
    "availability": LABELS["availability"],
    "broken_links": LABELS["broken_links"],
    "sites_failing": LABELS["sites_failing"],
}

CATEGORY_LABELS_EN: dict[Category, str] = {
    Category.NEWS: "News",
    Category.NOTICE: "Notices",
    Category.POLICY: "Policy documents",
    Category.DISCLOSURE: "Information disclosure",
    Category.BASIC_INFO: "Basic information",
    Category.PERSONNEL: "Personnel",
    Category.PLANNING: "Planning",
    Category.FINANCE: "Finance",
    Category.STATISTICS: "Statistics",
    Category.SERVICE: "Services",
    Category.CONSULTATION: "Consultation",
    Category.INTERVIEW: "Online interviews",
    Category.SURVEY: "Surveys",
    Category.OTHER: "Other",
}

UNIT_TYPE_LABELS_EN: dict[UnitType, str] = {
    UnitType.PROVINCE: "Provincial portal",
    UnitType.DEPARTMENT: "Departments",
    UnitType.CITY: "City bureaus",
    UnitType.COUNTY: "County bureaus",
    UnitType.AFFILIATED: "Affiliated units",
}

OUTCOME_LABELS: dict[str, tuple[str, str]] = {
    "pass": ("通过", "pass"),
    "warning": ("预警", "warning"),
    "fail": ("不通过", "fail"),
    "n/a": ("不适用", "n/a"),
}

LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "veto": ("单项否决", "veto"),
    "deduction": ("扣分", "deduction"),
    "warning": ("预警", "warning"),
    "bonus": ("加分", "bonus"),
}

# Recommendations by metric; a rule id in RULE_RECOMMENDATIONS overrides its metric's text.
METRIC_RECOMMENDATIONS: dict[str, tuple[str, str]] = {
    "home_failure_rate": (
        "排查服务器与网络故障,建立首页可用性监控,临时关停须按规定报备。",
        "Fix server and network faults, monitor the home page, register any planned shutdown.",
    ),
    "home_consecutive_failures": (
        "立即检查网站运行状态,恢复首页访问。",
        "Check the site now and restore the home page.",
    ),
    "days_since_home_update": (
        "首页栏目至少每两周更新,落实信息发布责任人。",
        "Update the home-page columns at least every two weeks; name who publishes.",
    ),
    "broken_links_home": (
        "修复或删除首页失效链接。",
        "Fix or remove the broken links on the home page.",
    ),
    "broken_links_inner": (
        "定期检查并修复其他页面的失效链接。",
        "Check and fix the broken links on inner pages regularly.",
    ),
    "stale_columns": (
        "按栏目时限及时更新;确无内容的栏目应合并或撤销。",
        "Update columns within their limits; merge or close columns with nothing to publish.",
    ),
    "blank_columns": (
        "补充空白栏目内容,或撤销无内容栏目。",
        "Fill blank columns or remove them.",
    ),
    "posts_in_period": (
        "加强信息报送,保证每月发布数量。",
        "Publish more regularly to reach the monthly volume.",
    ),
    "column_posts_in_period": (
        "加强该栏目的信息报送。",
        "Publish more in this column.",
    ),
    "column_days_since_update": (
        "按规定周期更新该栏目。",
        "Update this column on its required schedule.",
    ),
    "consultation_channel_missing": (
        "开设有效的在线咨询渠道(如局长信箱)。",
        "Open a working online consultation channel (e.g. a director's mailbox).",
    ),
    "consultations_unanswered_over_days": (
        "尽快答复逾期留言,建立留言办理督办机制。",
        "Answer the overdue letters now and track every letter to its reply.",
    ),
    "reply_rate": (
        "确保每条咨询都得到答复。",
        "Make sure every consultation gets a reply.",
    ),
    "replies_over_workdays": (
        "在规定的工作日内答复咨询。",
        "Reply within the required number of working days.",
    ),
    "reply_workdays_max": (
        "缩短最长答复用时。",
        "Shorten the longest reply times.",
    ),
    "reply_workdays_p90": (
        "缩短答复用时。",
        "Shorten reply times.",
    ),
    "days_since_last_reply": (
        "及时更新留言答复栏目。",
        "Keep the replies column up to date.",
    ),
    "suspicious_dates": (
        "核实发布日期,禁止倒签或篡改日期。",
        "Check publication dates; never back-date posts.",
    ),
}
RULE_RECOMMENDATIONS: dict[str, tuple[str, str]] = {}
GENERIC_RECOMMENDATION = ("对照规范要求整改。", "Correct the problem as the standard requires.")


def pick(pair: tuple[str, str], lang: Lang) -> str:
    """The text of a (zh, en) pair in the given language."""
    return pair[0] if lang == "zh" else pair[1]


def label(key: str, lang: Lang) -> str:
    """A fixed label of the report in the given language."""
    return pick(LABELS[key], lang)


def category_label(category: Category, lang: Lang) -> str:
    """The column category's name."""
    return CATEGORY_LABELS_ZH[category] if lang == "zh" else CATEGORY_LABELS_EN[category]


def unit_type_label(unit_type: UnitType, lang: Lang) -> str:
    """The unit type's name."""
    return UNIT_TYPE_LABELS_ZH[unit_type] if lang == "zh" else UNIT_TYPE_LABELS_EN[unit_type]


def outcome_label(outcome: str, lang: Lang) -> str:
    """pass / warning / fail / n/a in the given language."""
    return pick(OUTCOME_LABELS[outcome], lang)


def level_label(level: str, lang: Lang) -> str:
    """veto / deduction / warning / bonus in the given language."""
    return pick(LEVEL_LABELS[level], lang)


def trend_label(key: str, lang: Lang) -> str:
    """The name of a trend series; an unknown key shows as itself."""
    pair = TREND_KEYS.get(key)
    return pick(pair, lang) if pair else key


def recommendation(rule_id: str, metric: str, lang: Lang) -> str:
    """The recommended action for a failed rule: by rule id, else by metric, else generic."""
    pair = RULE_RECOMMENDATIONS.get(rule_id) or METRIC_RECOMMENDATIONS.get(metric)
    return pick(pair or GENERIC_RECOMMENDATION, lang)
