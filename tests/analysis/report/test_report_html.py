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
    "一、概述",
    "二、各单位信息更新情况",
    "三、栏目更新",
    "四、互动回应",
    "五、可用性与链接",
    "六、对照建设规范",
    "七、趋势",
    "八、问题清单与整改建议",
]
HEADINGS_EN = [
    "1. Overview",
    "2. Updates by unit",
    "3. Column updates",
    "4. Interaction and replies",
    "5. Availability and links",
    "6. Compliance with the construction standard",
    "7. Trends",
    "8. Problems and recommended actions",
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


def test_eight_section_headings_in_chinese_and_english(rendered: dict) -> None:
    assert [h.text_content() for h in page(rendered, "zh").iter("h2")] == HEADINGS_ZH
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
        "回复用时中位数(工作日)": (o.median_latency_workdays, None),
        "首页可用率": (o.availability, o.availability_previous),
        "失效链接数": (o.broken_links, o.broken_links_previous),
        "未达标网站数": (o.sites_failing, o.sites_failing_previous),
        "单项否决网站数": (o.sites_vetoed, None),
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
        numbers = [num(c) for c in row[1:4]] + [num(c) for c in row[5:]]
        assert numbers == [
            site.posts,
            site.posts_previous,
            site.change,
            site.days_since_update,
            site.stale_columns,
            site.blank_columns,
            site.rank,
        ]
        shown_date = row[4][0] or None
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
        assert [num(x) for x in row[1:]] == [
            c.received,
            c.replied,
            c.pending,
            c.reply_rate,
            c.median_latency_workdays,
            c.max_latency_workdays,
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
    assert [r[3][1] for r in rows(doc, "broken_links")] == ["404", "timeout", "500"]
    trend = rows(doc, "trend")
    assert [r[0][1] for r in trend] == context.trend.months
    for i, row in enumerate(trend):
        assert [num(c) for c in row[1:]] == [s.values[i] for s in context.trend.series]


def test_compliance_matrix_and_findings(rendered: dict, context: ReportContext) -> None:
    doc = page(rendered)
    table = doc.get_element_by_id("t-compliance")
    headers = [th.text_content() for th in table.iter("th")]
    assert headers[4:] == [r.name for r in context.compliance.rules]
    matrix = rows(doc, "compliance")
    city2 = row_for(matrix, CITY2)
    assert num(city2[1]) == 42.5 and city2[2][1] == "不达标"
    assert city2[3][1] == "互动回应差"  # the veto rule named by its title, not its id
    assert [c[1] for c in city2[4:]] == ["不通过", "通过", "预警", "不通过", "不通过"]
    fail_cells = table.xpath(".//td[contains(@class, 'o-fail')]")
    assert len(fail_cells) == 4  # three failed rules and the 不达标 verdict of 宝鸡
    findings = rows(doc, "findings")
    # one row per evidence item, a finding without evidence still gets one row
    assert len(findings) == 2 + 1 + 1 + 1
    assert [(r[4][1], r[5][1]) for r in findings if r[1][1] == "站点无法访问"] == [
        ("0.05", "0.05"),
        ("0.0097", "0.03"),
    ]


def test_actions_follow_failed_rules(rendered: dict) -> None:
    actions = rows(page(rendered), "actions")
    assert [(r[0][1], r[1][1]) for r in actions] == [
        (CITY2, "首页链接不可用"),
        (CITY2, "互动回应差"),
        (CITY2, "站点无法访问"),
        (CITY, "站点无法访问"),
    ]
    advice = row_for(actions, CITY)[3][1]
    assert advice == "排查服务器与网络故障,建立首页可用性监控,临时关停须按规定报备。"
    en = rows(page(rendered, "en"), "actions")
    assert "Answer the overdue letters now" in " ".join(r[3][1] for r in en)


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
