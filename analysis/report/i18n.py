"""Chinese and English labels of the report: headings, table columns, enums, recommendations."""

from __future__ import annotations

from typing import Literal

from analysis.report.fmt import full_width
from analysis.standards.catalog import METRICS
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
    "page": ("第 {page} 页", "Page {page}"),
    "none": ("无", "None"),
    "sort_hint": ("点击表头可排序", "Click a column header to sort"),
    # the notice (通报) and its annexes
    "n1": ("一、总体情况", "1. Overall"),
    "n2": ("二、存在的主要问题", "2. Main problems"),
    "n3": ("三、工作要求", "3. Requirements"),
    "annex1": ("附件1  各单位监测结果汇总表", "Annex 1  Results by unit"),
    "annex2": ("附件2  问题清单", "Annex 2  Problem list"),
    "annex3": ("附件3  监测说明", "Annex 3  How the month was measured"),
    "details_part": ("附：详细数据", "Detailed data"),
    "total": ("合计", "Total"),
    "annexes": ("附件：", "Annexes: "),
    "notice": ("通报", "Notice"),
    "issuer": ("信息中心", "IT centre"),
    "sites_n": ("{n} 个网站", "{n} sites"),
    "count_warning": (
        "现有 {value} 个，达到 {threshold} 个将触发",
        "{value} now; triggers at {threshold}",
    ),
    "year_annex1": ("附件1  各类信息发布数量", "Annex 1  Posts by category"),
    "year_annex2": ("附件2  各单位全年监测情况", "Annex 2  The year by unit"),
    "year_months": ("各月发布数量", "Posts per month"),
    "failed_months": ("不达标月份", "Months failed"),
    "notice_problems": ("一、存在的问题", "1. Problems"),
    "notice_requirements": ("二、整改要求", "2. What to fix"),
    "notice_annex": ("附件  问题清单", "Annex  Problem list"),
    "passed_count": ("达标 {passed} 个，不达标 {failed} 个", "{passed} pass, {failed} fail"),
    "number": ("序号", "No."),
    "severity": ("性质", "Severity"),
    "details": ("情况说明", "Details"),
    "sev_veto": ("单项否决", "veto"),
    "sev_deduction": ("扣分", "deduction"),
    "sev_warning": ("预警", "warning"),
    "sev_no_data": ("无数据", "no data"),
    "sev_notice": ("提示", "notice"),
    "column_stale": ("栏目更新不及时", "Column not updated in time"),
    "column_blank": ("空白栏目", "Blank column"),
    "and_more": ("另有 {n} 条，见详细数据", "{n} more in the detailed data"),
    "no_data_action": (
        "核查监测配置和页面提取情况，恢复数据采集。",
        "Check the monitoring set-up and the extraction; restore data collection.",
    ),
    "no_rule": ("（未对应规则）", "(no rule)"),
    "method_period": (
        "监测期为 {start} 至 {end}，检查日为 {check}。本期共运行采集与可用性监测 {runs} 次，"
        "访问各网站首页 {visits} 次；首页超过 {timeout} 秒未打开即记为访问失败。"
        "信息发布数按信息页面所列发布日期统计，各栏目逐页采集并在以后的采集中增量更新。",
        "The period runs from {start} to {end}, checked on {check}: {runs} crawl and probe runs, "
        "{visits} home-page visits; a visit not answered within {timeout} s failed.",
    ),
    "method_calendar": (
        "答复用时按工作日计算：本期共有工作日 {workdays} 天，法定节假日 {holidays}，"
        "调休上班日 {makeup}。",
        "Reply times count working days: {workdays} in the period; public holidays {holidays}; "
        "make-up working days {makeup}.",
    ),
    "method_standard": (
        "对照规范为《{standard}》，及格分 {pass_score} 分；触发任一单项否决项即为不达标。",
        "Standard: {standard}; pass score {pass_score}; any veto fails the site.",
    ),
    "standard_note": (
        "对照规范：《{standard}》，及格分 {pass_score} 分。",
        "Standard: {standard}; pass score {pass_score}.",
    ),
    "visits_table": ("各网站首页访问次数", "Home-page visits per site"),
    "definitions": ("指标定义", "Definitions"),
    "definition": ("定义", "Definition"),
    "def_posts": (
        "监测期内发布日期在本月的信息条数（含期间发布后删除的）。",
        "Posts dated in the month, including ones removed later.",
    ),
    "def_posts_per_week": ("本月发布数 ÷ 本月天数 × 7。", "Posts of the month ÷ days × 7."),
    "def_longest_gap": (
        "相邻两个发布日之间最长的间隔天数（含最后一次发布至月末）。",
        "Longest gap in days between publication days, including the open gap to month end.",
    ),
    "def_consultations_received": ("本月提交的政务咨询留言件数。", "Letters asked in the month."),
    "def_consultations_replied": (
        "本月提交的留言中，截至检查日已答复的件数（概况表、汇总表均按此口径）。",
        "Letters asked in the month and answered by the check date.",
    ),
    "def_reply_rate": ("已答复 ÷ 收到咨询。", "Replied ÷ received."),
    "def_median_latency": (
        "本月提交并已答复的留言，提交至答复相隔的工作日数的中位数。",
        "Median working days from asking to answer of the month's answered letters.",
    ),
    "def_overdue": (  # {overdue_days}: the standard profile's limit (MonthSettings)
        "截至检查日超过 {overdue_days} 天仍未答复的留言（不限提交月份）。",
        "Letters of any month unanswered for more than {overdue_days} days on the check date.",
    ),
    "def_availability": ("首页访问成功次数 ÷ 访问次数。", "Successful home-page visits ÷ visits."),
    "def_outages": (
        "连续访问失败的次数段；自第一次失败至下一次成功访问为一次中断。",
        "Runs of failed visits, from the first failure to the next successful visit.",
    ),
    "def_broken_links": (
        "本期最后一次检查仍无法打开的链接（HTTP 错误或无法连接）。",
        "Links whose latest check in the period failed.",
    ),
    "def_unverifiable_links": (
        "从监测网络无法检查的链接（域名无法解析、网络不可达或按配置不检查），单列且不扣分。",
        "Links that cannot be checked from the monitoring network: listed apart, never deducted.",
    ),
    "def_stale_columns": (  # {limits}: the standard profile's limit per column category
        "超过对照规范更新时限未更新的栏目（{limits}）。",
        "Columns past the standard's update limit ({limits}).",
    ),
    "def_blank_columns": (
        "可以正常打开但没有任何信息的栏目。",
        "Columns that open but hold nothing.",
    ),
    "def_score": (
        "满分 100 分减去扣分项分值，加上加分项（有上限）。",
        "100 minus deductions plus capped bonus points.",
    ),
    "def_rank_overall": (
        "全部网站按得分排名，触发单项否决的网站排在其他网站之后。",
        "All sites ranked by score, vetoed sites after the others.",
    ),
    "def_no_data": (
        "监测期内没有可判断的数据（如没有首页访问记录、未提取到任何信息），不作达标判断，单独列出。",
        "Nothing to judge in the period (no visit, no post extracted): no verdict, listed apart.",
    ),
    # detailed sections
    "s1": ("概况", "Overview"),
    "s2": ("各单位信息更新情况", "Updates by unit"),
    "s3": ("栏目更新情况", "Column updates"),
    "s4": ("互动回应情况", "Interaction and replies"),
    "s5": ("可用性与链接", "Availability and links"),
    "s6": ("对照建设规范检查结果", "Compliance with the construction standard"),
    "s7": ("近12个月趋势", "Twelve-month trends"),
    "updates_of": ("信息更新情况（{unit}）", "Updates ({unit})"),
    "outage_list": ("首页访问中断记录", "Home-page outages"),
    "seen_from": ("从何处监测到", "Seen from"),
    "unverifiable_list": (
        "无法验证的链接（不扣分）",
        "Links that could not be checked (not deducted)",
    ),
    "began": ("开始时间", "Began"),
    "ended": ("恢复时间", "Ended"),
    "still_down": ("检查日仍未恢复", "still down"),
    "failed_visits": ("失败访问次数", "Failed visits"),
    "hours": ("持续时长（小时）", "Duration (hours)"),
    "channel": ("咨询渠道", "Channel"),
    "yes": ("有", "yes"),
    "no_channel": ("未发现", "none found"),
    "replied_definition": (
        "“已回复”为本月提交的留言中截至检查日已答复的件数；趋势表中的“当月答复件数”为当月"
        "作出的答复数（含以前月份提交的留言），两者口径不同。",
        "“Replied” counts the month's letters answered by the check date; the trend's "
        "“answers given” counts answers given in each month, whenever the letter was asked.",
    ),
    "trend_note": (
        "各月“当月答复件数”为当月作出的答复数，首页可用率无访问记录的月份显示为“—”。",
        "“Answers given” counts the answers given in each month; months without visits show —.",
    ),
    "overdue_letters": ("逾期未答复留言", "Overdue letters"),
    "broken_link_list": ("失效链接", "Broken links"),
    "findings": ("不合格项及证据", "Failures and evidence"),
    "area_findings_note": (
        "网站标识与页面标签、站内搜索、办事服务、政策解读、年度报表、HTTPS 与 IPv6 等专项检查的"
        "不合格项及证据列在各专项章节，下表不再重复。",
        "The findings of the checklist areas (identity and page tags, search, services, "
        "interpretation, yearly report, HTTPS and IPv6) are in their own sections, not repeated "
        "below.",
    ),
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
    "median_latency": ("回复用时中位数（工作日）", "Median reply time (working days)"),
    "max_latency": ("最长回复用时（工作日）", "Longest reply time (working days)"),
    "availability": ("首页可用率", "Home-page availability"),
    "broken_links": ("失效链接数", "Broken links"),
    "sites_failing": ("未达标网站数", "Sites failing the standard"),
    "sites_vetoed": ("单项否决网站数", "Sites vetoed"),
    "sites_passed": ("达标网站数", "Sites passing"),
    "sites_warned": ("有预警的网站数", "Sites with early warnings"),
    "sites_no_data": ("部分指标无数据的网站数", "Sites with rules lacking data"),
    "overdue_total": ("超过3个月未答复留言", "Letters unanswered over 3 months"),
    "overdue": ("逾期未答复", "Overdue"),
    "unverifiable_links": ("无法验证的链接数", "Links not verifiable"),
    "posts_per_week": ("周均发布", "Posts per week"),
    "longest_gap": ("最长间隔（天）", "Longest gap (days)"),
    "rank_overall": ("综合排名", "Overall rank"),
    "no_data": ("无数据", "No data"),
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
    "limit_days": ("时限（天）", "Limit (days)"),
    "rule": ("规则", "Rule"),
    "stale": ("不更新", "stale"),
    "blank": ("空白", "blank"),
    "needs_render": ("需渲染", "needs rendering"),
    "extraction_broken": ("抽取异常", "extraction broken"),
    # consultations
    "received": ("收到", "Received"),
    "replied": ("已回复", "Replied"),
    "pending": ("待回复", "Pending"),
    "letter_title": ("留言标题", "Title"),
    "asked_on": ("留言日期", "Asked on"),
    "waiting": ("已等待（工作日）", "Waiting (working days)"),
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
    # empty
    "empty": ("{month} 没有监测数据，无法生成报告。", "No monitoring data for {month}."),
}

TREND_KEYS: dict[str, tuple[str, str]] = {
    "posts": LABELS["posts"],
    "consultations_received": LABELS["consultations_received"],
    "consultations_replied": ("当月答复件数", "Answers given"),
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
    "no_data": ("无数据", "no data"),
    "n/a": ("不适用", "n/a"),
}

LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "veto": ("单项否决", "veto"),
    "deduction": ("扣分", "deduction"),
    "warning": ("预警", "warning"),
    "bonus": ("加分", "bonus"),
}

# Recommendations come from the metric registry (each metric class states its own); a rule
# id in RULE_RECOMMENDATIONS overrides its metric's text.
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
    registered = METRICS.get(metric)
    pair = RULE_RECOMMENDATIONS.get(rule_id) or (registered.recommendation if registered else None)
    text = pick(pair or GENERIC_RECOMMENDATION, lang)
    return full_width(text) if lang == "zh" else text
