"""The HTML report: structure, self-containment, every figure back out of the tables, escaping."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from lxml import html as lxml_html
from report_sample import CITY, CITY2, FORMULA_TITLE, HOSTILE_SITE, JS_URL, PORTAL, XSS_TITLE

from analysis.report.context import ReportContext

HEADINGS_ZH = [
    "一、总体情况",
    "二、存在的主要问题",
    "三、工作要求",
    "附件1  各单位监测结果汇总表",
    "附件2  问题清单",
    "附件3  监测说明",
    "附件4  专项检查情况",
    "附：详细数据",
    "概况",
    "各单位信息更新情况",
    "栏目更新情况",
    "互动回应情况",
    "可用性与链接",
    "对照建设规范检查结果",
    "问题整改与维护报备",
    "内容检查（错敏信息）",
    "网站标识与页面标签",
    "站内搜索",
    "办事服务",
    "政策解读",
    "政府网站工作年度报表",
    "HTTPS 与 IPv6 支持",
    "近12个月趋势",
]
HEADINGS_EN = [
    "1. Overall",
    "2. Main problems",
    "3. Requirements",
    "Annex 1  Results by unit",
    "Annex 2  Problem list",
    "Annex 3  How the month was measured",
    "Annex 4  Checks by area",
    "Detailed data",
    "Overview",
    "Updates by unit",
    "Column updates",
    "Interaction and replies",
    "Availability and links",
    "Compliance with the construction standard",
    "Rectification and maintenance filings",
    "Content checks",
    "Site identity and page tags",
    "Site search",
    "Online services",
    "Policy interpretation",
    "Yearly work report",
    "HTTPS and IPv6",
    "Twelve-month trends",
]
Row = list[tuple[str, str]]  # (data-value, shown text) per cell


def page(rendered: dict[str, dict[str, Path]], lang: str = "zh") -> lxml_html.HtmlElement:
    """The parsed HTML report."""
    return lxml_html.fromstring(rendered[lang]["html"].read_bytes())


def rows(doc: lxml_html.HtmlElement, key: str) -> list[Row]:
    """The body rows of table `key` as (data-value, text) pairs."""
    table = doc.get_element_by_id(f"t-{key}")
    return [
        [(td.get("data-value"), td.text_content()) for td in tr.findall("td")]
        for tr in table.find("tbody").findall("tr")
    ]


def row_for(table: list[Row], first: str) -> Row:
    """The one row whose first cell shows `first`."""
    found = [row for row in table if row[0][1] == first]
    assert len(found) == 1, (first, table)
    return found[0]


def num(cell: tuple[str, str]) -> float | None:
    """A numeric data-value back as a number (None for the missing mark)."""
    return None if cell[0] == "" else float(cell[0])


def test_notice_annexes_and_detail_headings(rendered: dict) -> None:
    assert [h.text_content() for h in page(rendered, "zh").iter("h2")] == HEADINGS_ZH
    assert page(rendered).xpath("//h1")[0].text_content() == (
        "关于2012年12月陕西省质监系统网站群信息更新质量监测情况的通报"
    )
    assert [h.text_content() for h in page(rendered, "en").iter("h2")] == HEADINGS_EN
    assert page(rendered, "zh").get("lang") == "zh-CN"


def test_self_contained_no_external_assets(rendered: dict) -> None:
    doc = page(rendered)
    assert not doc.xpath("//link"), "no <link> (stylesheets, icons, preloads)"
    assert all(s.get("src") is None for s in doc.iter("script"))
    for img in doc.iter("img"):
        assert img.get("src").startswith("data:image/png;base64,")
    assert len(list(doc.iter("img"))) == 5
    table_links = {a for a in doc.xpath("//table//a/@href")}
    for href in doc.xpath("//@href | //@src"):
        if href.startswith(("http:", "https:", "//")):
            assert href in table_links, href
    for href in doc.xpath("//a/@href"):
        assert href.startswith(("#", "http://", "https://")), href
    assert "font-src data:" in doc.xpath("//meta[@http-equiv]/@content")[0]
    assert re.search(r"url\(data:font/woff;base64,", rendered["zh"]["html"].read_text("utf-8"))


def test_responsive_printable_and_sortable(rendered: dict) -> None:
    text = rendered["zh"]["html"].read_text("utf-8")
    assert 'name="viewport"' in text
    assert "@media print" in text and "overflow-x: auto" in text
    assert "@page wide { size: A4 landscape" in text
    wide = page(rendered).xpath("//section[contains(@class, 'wide')]/@id")
    assert "annex1" in wide and "s6" in wide  # the summary table and the compliance matrix
    doc = page(rendered)
    assert doc.xpath("//table[contains(@class, 'sortable')]")
    assert "addEventListener" in doc.xpath("//script")[0].text


def test_overview_figures_equal_the_context(rendered: dict, context: ReportContext) -> None:
    o = context.overview
    table = rows(page(rendered), "overview")
    expect = {
        "监测网站数": (o.sites_monitored, None),
        "发布信息数": (o.posts, o.posts_previous),
        "收到咨询": (o.consultations_received, None),
        "已回复": (o.consultations_replied, None),
        "回复率": (o.reply_rate, None),
        "回复用时中位数（工作日）": (o.median_latency_workdays, None),
        "超过3个月未答复留言": (o.overdue_letters, None),
        "首页可用率": (o.availability, o.availability_previous),
        "中断次数": (o.outages, None),
        "失效链接数": (o.broken_links, o.broken_links_previous),
        "无法验证的链接数": (o.unverifiable_links, None),
        "达标网站数": (o.sites_passed, None),
        "未达标网站数": (o.sites_failing, o.sites_failing_previous),
        "单项否决网站数": (o.sites_vetoed, None),
        "有预警的网站数": (o.sites_warned, None),
        "部分指标无数据的网站数": (o.sites_with_no_data, None),
    }
    assert len(table) == len(expect)
    for name, (now, before) in expect.items():
        row = row_for(table, name)
        assert (num(row[1]), num(row[2])) == (now, before), name
    assert row_for(table, "回复率")[1][1] == "91.3%"
    assert row_for(table, "首页可用率")[2][1] == "99.2%"
    by_category = rows(page(rendered), "by_category")
    assert [(r[0][1], num(r[1]), num(r[2])) for r in by_category] == [
        ("工作动态", 75, 70),
        ("通知公告", 41, 36),
        ("政策文件", 15, None),
    ]


def test_site_tables_by_unit_type(rendered: dict, context: ReportContext) -> None:
    doc = page(rendered)
    assert [t.get("data-key") for t in doc.xpath("//section[@id='s2']//table")] == [
        "sites_province",
        "sites_department",
        "sites_city",
        "sites_affiliated",
    ]
    for site in context.sites:
        row = row_for(rows(doc, f"sites_{site.unit_type.value}"), site.name)
        numbers = [num(c) for c in row[1:6]] + [num(c) for c in row[7:]]
        assert numbers == [
            site.posts,
            site.posts_previous,
            site.change,
            site.posts_per_week,
            site.longest_gap_days,
            site.days_since_update,
            site.stale_columns,
            site.blank_columns,
            site.rank,
        ]
        shown_date = row[6][0] or None
        assert shown_date == (site.last_update.isoformat() if site.last_update else None)
    assert row_for(rows(doc, "sites_department"), "办公室")[3][1] == "-3"
    assert row_for(rows(doc, "sites_city"), CITY)[3][1] == "+9"


def test_sections_3_to_7_figures_equal_the_context(rendered: dict, context: ReportContext) -> None:
    doc = page(rendered)
    columns = rows(doc, "columns")
    assert [(r[1][1], r[4][0], num(r[5]), num(r[6])) for r in columns] == [
        ("通知公告", "2012-05-02", 243, 180),
        (XSS_TITLE, "", None, None),
    ]
    for c in context.consultations:
        row = row_for(rows(doc, "consultations"), c.site_name)
        assert row[1][1] == ("有" if c.has_channel else "未发现")
        assert [num(x) for x in row[2:]] == [
            c.received,
            c.replied,
            c.pending,
            c.reply_rate,
            c.median_latency_workdays,
            c.max_latency_workdays,
            c.overdue,
        ]
    overdue = rows(doc, "overdue")
    assert [(r[1][1], r[2][0], num(r[3])) for r in overdue] == [
        (FORMULA_TITLE, "2012-08-06", 98),
        (XSS_TITLE, "2012-09-03", 79),
    ]
    availability = rows(doc, "availability")
    assert [r[0][1] for r in availability] == [CITY2, CITY, PORTAL], "worst first, as given"
    for a in context.availability:
        row = row_for(availability, a.site_name)
        assert [num(x) for x in row[1:]] == [
            a.probes,
            a.failures,
            a.availability,
            a.outages,
            a.broken_links_home,
            a.broken_links_inner,
        ]
    assert [r[3][1] for r in rows(doc, "broken_links")] == [
        "HTTP 404 页面不存在",
        "超时",
        "HTTP 500 服务器内部错误",
    ]
    outages = rows(doc, "outages")
    assert [(r[0][1], r[1][1], r[2][1], num(r[3]), num(r[4])) for r in outages] == [
        (CITY2, "2012-12-03 02:00", "2012-12-03 09:00", 7, 7.0),
        (CITY2, "2012-12-30 22:00", "检查日仍未恢复", 6, 5.0),
    ]
    trend = rows(doc, "trend")
    assert [r[0][1] for r in trend] == context.trend.months
    for i, row in enumerate(trend):
        assert [num(c) for c in row[1:]] == [s.values[i] for s in context.trend.series]


def test_compliance_matrix_and_findings(rendered: dict, context: ReportContext) -> None:
    doc = page(rendered)
    table = doc.get_element_by_id("t-compliance")
    headers = [th.text_content() for th in table.iter("th")]
    assert headers[5:] == [r.name for r in context.compliance.rules]
    matrix = rows(doc, "compliance")
    city2 = row_for(matrix, CITY2)
    assert num(city2[1]) == 42.5 and city2[3][1] == "不达标"
    assert city2[4][1] == "互动回应差"  # the veto rule named by its title, not its id
    assert [c[1] for c in city2[5:]] == ["不通过", "通过", "预警", "不通过", "不通过"]
    fail_cells = table.xpath(".//td[contains(@class, 'o-fail')]")
    assert len(fail_cells) == 4  # three failed rules and the 不达标 verdict of 宝鸡
    findings = rows(doc, "findings")
    # one row per evidence sentence, a finding without evidence still gets one row, and a
    # finding without data leads with the reason
    assert len(findings) == 2 + 1 + 1 + 1 + 2
    evidence = [r[4][1] for r in findings]
    assert "自 2012-12-25 起访问首页 620 次，失败 31 次，失败率 5.0%" in evidence
    assert (
        f"留言《{FORMULA_TITLE}》于 2012-08-06 提交，截至 12-31 已 147 天（98 个工作日）未答复"
        in evidence
    )
    no_data = [r for r in findings if r[3][1] == "无数据"]
    assert [r[0][1] for r in no_data] == [PORTAL, PORTAL]
    assert no_data[0][4][1].startswith("未从该网站各栏目提取到任何信息")


def test_problem_list_ordered_by_severity_unit_type_and_site(rendered: dict) -> None:
    problems = rows(page(rendered), "problems")
    assert [(r[1][1], r[2][1], r[3][1], r[4][1]) for r in problems] == [
        ("单项否决", "市局", CITY2, "站点无法访问"),
        ("单项否决", "市局", CITY2, "互动回应差"),
        ("扣分", "市局", CITY2, "首页链接不可用"),
        ("预警", "市局", CITY, "站点无法访问"),
        ("无数据", "省局门户", PORTAL, "网站不更新"),
        ("提示", "市局", CITY2, "栏目更新不及时"),
        ("提示", "市局", CITY2, "空白栏目"),
    ]
    assert [num(r[0]) for r in problems] == list(range(1, 8))
    advice = problems[0][6][1]
    assert advice == "排查服务器与网络故障，建立首页可用性监控，临时关停须按规定报备。"
    en = rows(page(rendered, "en"), "problems")
    assert "Answer the overdue letters now" in " ".join(r[6][1] for r in en)


def test_notice_text_quotes_the_annex_figures(rendered: dict, context: ReportContext) -> None:
    text = " ".join(p.text_content() for p in page(rendered).xpath("//section[@id='notice']/p"))
    o = context.overview
    assert f"的 {o.sites_monitored} 个网站进行了监测" in text
    assert f"共发布信息 {o.posts} 条，较上月（{o.posts_previous} 条）增加 13 条" in text
    assert f"收到网民咨询 {o.consultations_received} 件" in text
    assert "达标 1 个，达标率 33.3%；不达标 2 个，其中单项否决 1 个" in text
    total = row_for(rows(page(rendered), "summary"), "合计")
    assert (num(total[2]), num(total[6]), num(total[7])) == (
        o.posts,
        o.consultations_received,
        o.consultations_replied,
    )
    assert not re.search(r"[\u4e00-\u9fff][,;:()]", text), "half-width punctuation in Chinese"


def test_hostile_text_is_shown_as_text_never_markup(rendered: dict) -> None:
    raw = rendered["zh"]["html"].read_text("utf-8")
    assert "<script>alert(1)</script>" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert "<b>计量院</b>" not in raw
    doc = page(rendered)
    assert len(doc.xpath("//script")) == 1  # only the sorter
    assert not doc.xpath("//table//b")
    shown = [td.text_content() for td in doc.iter("td")]
    assert XSS_TITLE in shown and HOSTILE_SITE in shown and FORMULA_TITLE in shown
    assert JS_URL in shown  # the javascript: URL shows as text ...
    assert not [h for h in doc.xpath("//@href") if "javascript" in h.lower()]  # ... never a link
    xss_cells = [td for td in doc.iter("td") if td.text_content() == XSS_TITLE]
    assert xss_cells and all(not td.findall("a") for td in xss_cells)
    assert row_for(rows(doc, "sites_city"), CITY2)[0][1] == CITY2
    assert not doc.xpath("//table[@data-key='sites_city']//a[text()='宝鸡市质监局']")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dates_in_header(rendered: dict, lang: str) -> None:
    text = page(rendered, lang).xpath("//p[@class='meta']")[0].text_content()
    assert "2012-12" in text and date(2012, 12, 31).isoformat() in text
