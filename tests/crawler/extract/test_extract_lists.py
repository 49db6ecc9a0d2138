"""Unit tests for crawler.extract.lists on small hand-written pages."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.extract.lists import ListItem, ListOverrides, extract_list

TODAY = date(2024, 6, 1)
BASE = "http://www.example.gov.cn/xwzx/gzdt/index.html"

PAGE = """<html><body>
<div class="nav"><ul>
 <li><a href="/">首页</a></li><li><a href="/xwzx/">新闻中心</a></li>
 <li><a href="/zwgk/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li>
</ul></div>
<div class="main"><ul class="list">
 <li><a href="./202405/t20240520_1.html">省局召开全省计量工作会议部署下半年重点任务</a>
  <span>2024-05-20</span></li>
 <li><a href="./202405/t20240513_2.html"
    title="关于开展2024年度产品质量监督抽查工作的通知全文">关于开展2024年度产品质量监督抽查...</a>
  <span>[05-13]</span></li>
 <li><a href="./202404/t20240428_3.html">关于印发<br>《标准化工作要点》的通知</a>
  <span>2024年4月28日</span></li>
 <li><a href="./202404/t20240402_4.html">省局开展特种设备安全大检查活动</a>
  <span>2024/04/02</span></li>
</ul></div>
<div class="yqlj"><h3>友情链接</h3><ul>
 <li><a href="http://www.gov.cn/">中国政府网</a> 2024-05-30</li>
 <li><a href="http://www.samr.gov.cn/">国家市场监督管理总局</a> 2024-05-30</li>
</ul></div>
<div class="footer"><a href="/gywm/">关于我们</a> <a href="/wzdt/">网站地图</a></div>
</body></html>"""

EXPECTED = [
    ListItem("省局召开全省计量工作会议部署下半年重点任务",
             "http://www.example.gov.cn/xwzx/gzdt/202405/t20240520_1.html", date(2024, 5, 20)),
    ListItem("关于开展2024年度产品质量监督抽查工作的通知全文",
             "http://www.example.gov.cn/xwzx/gzdt/202405/t20240513_2.html", date(2024, 5, 13)),
    ListItem("关于印发《标准化工作要点》的通知",
             "http://www.example.gov.cn/xwzx/gzdt/202404/t20240428_3.html", date(2024, 4, 28)),
    ListItem("省局开展特种设备安全大检查活动",
             "http://www.example.gov.cn/xwzx/gzdt/202404/t20240402_4.html", date(2024, 4, 2)),
]  # fmt: skip


def test_main_list_found_and_sidebars_ignored() -> None:
    """The dated post list wins over nav, friend links and footer; order is page order."""
    assert extract_list(PAGE, BASE, today=TODAY) == EXPECTED


def test_month_day_year_from_item_url() -> None:
    """'[12-28]' takes its year from the item's /202312/ folder, not from today."""
    html = """<ul>
      <li><a href="/a/202312/t20231228_9.html">年终总结会议召开情况通报</a><span>[12-28]</span></li>
      <li><a href="/a/202401/t20240105_8.html">新年第一次局务会议召开情况</a>
        <span>[01-05]</span></li>
    </ul>"""
    items = extract_list(html, BASE, today=TODAY)
    assert [i.date for i in items] == [date(2023, 12, 28), date(2024, 1, 5)]


def test_future_dates_are_dropped_not_guessed() -> None:
    """An item dated after today keeps date None."""
    html = """<ul>
      <li><a href="/a/1.html">关于未来活动安排的预告通知</a><span>2030-01-01</span></li>
      <li><a href="/a/2.html">关于近期工作安排的重要通知</a><span>2024-01-01</span></li>
    </ul>"""
    items = extract_list(html, BASE, today=TODAY)
    assert [i.date for i in items] == [None, date(2024, 1, 1)]


def test_table_rows_with_date_cells() -> None:
    """Table lists (one <tr> per post, date in the last <td>) work."""
    rows = "".join(
        f'<tr><td>·</td><td><a href="show.jsp?id={n}">质量技术监督工作简报第{n}期内容</a></td>'
        f"<td>2023-0{n}-1{n}</td></tr>"
        for n in range(1, 6)
    )
    items = extract_list(f"<table>{rows}</table>", "http://x.gov.cn/list.jsp", today=TODAY)
    assert [i.url for i in items] == [f"http://x.gov.cn/show.jsp?id={n}" for n in range(1, 6)]
    assert items[2].date == date(2023, 3, 13)


def test_flat_list_of_links_and_spans() -> None:
    """A container of <a> links separated by spans and <br> is a list too."""
    html = """<div class="box">
      <a href="/n/1.html">全省质监系统开展质量月活动</a><span>2023-09-01</span><br>
      <a href="/n/2.html">省局举办标准化知识培训班</a><span>2023-08-15</span><br>
      <a href="/n/3.html">省局召开党风廉政建设工作会</a><span>2023-08-02</span><br>
    </div>"""
    items = extract_list(html, "http://x.gov.cn/", today=TODAY)
    assert [(i.url, i.date) for i in items] == [
        ("http://x.gov.cn/n/1.html", date(2023, 9, 1)),
        ("http://x.gov.cn/n/2.html", date(2023, 8, 15)),
        ("http://x.gov.cn/n/3.html", date(2023, 8, 2)),
    ]


def test_list_inside_comment_and_json_script() -> None:
    """Lists held only in an HTML comment or a JSON script variable are found."""
    comment = """<ul class="l"><!--
      <li><a href="/c/1.shtml">关于做好年度统计工作的通知</a><b>2023-03-01</b></li>
      <li><a href="/c/2.shtml">关于开展计量器具检定的通知</a><b>2023-02-01</b></li>
    --></ul>"""
    assert [i.date for i in extract_list(comment, "http://x.gov.cn/", today=TODAY)] == [
        date(2023, 3, 1),
        date(2023, 2, 1),
    ]
    script = """<div id="list"></div><script>var listData = { articleList: [
      {"title": "<p>关于做好年度统计工作的通知</p>", "pubDate": "2023-03-01 10:00",
       "urls": "{\\"pc\\":\\"/c/content_1.html\\"}"},
      {"title": "关于开展计量器具检定的通知", "pubDate": "2023-02-01 09:00",
       "url": "/c/content_2.html"}
    ]};</script>"""
    items = extract_list(script, "http://x.gov.cn/col/", today=TODAY)
    assert items == [
        ListItem(
            "关于做好年度统计工作的通知", "http://x.gov.cn/c/content_1.html", date(2023, 3, 1)
        ),
        ListItem(
            "关于开展计量器具检定的通知", "http://x.gov.cn/c/content_2.html", date(2023, 2, 1)
        ),
    ]


def test_overrides_css_and_xpath() -> None:
    """Per-site selectors replace the heuristics (CSS and XPath)."""
    css = ListOverrides(list_item="div.yqlj li")
    assert [i.title for i in extract_list(PAGE, BASE, today=TODAY, overrides=css)] == [
        "中国政府网",
        "国家市场监督管理总局",
    ]
    xpath = ListOverrides(list_item="//ul[@class='list']/li", date="./span")
    items = extract_list(PAGE, BASE, today=TODAY, overrides=xpath)
    assert [i.date for i in items] == [e.date for e in EXPECTED]


def test_bad_override_selector_raises_value_error() -> None:
    """A broken selector in a site config is reported, not swallowed."""
    with pytest.raises(ValueError, match="invalid selector"):
        extract_list(PAGE, BASE, overrides=ListOverrides(list_item="li[[["))


@pytest.mark.parametrize(
    "junk",
    ["", " ", "plain text, no html", "<", "<<<>>>", "\x00\x01\x02", "<a href='x'>", "�" * 50],
)
def test_never_crashes(junk: str) -> None:
    """Arbitrary input gives a list (usually empty), never an exception."""
    assert isinstance(extract_list(junk, BASE, today=TODAY), list)


def test_list_split_in_sibling_blocks_is_one_list() -> None:
    """A template writing groups of five <ul> blocks: all items, in page order, as one list."""
    groups = []
    for block in range(3):
        rows = "".join(
            f'<li><a href="/a/{block * 5 + i}.html">第{block * 5 + i}条工作动态的标题文字</a>'
            f"<span>2024-05-{20 - block * 5 - i:02d}</span></li>"
            for i in range(5)
        )
        groups.append(f'<ul class="list_ul">{rows}</ul>')
    html = f'<html><body><div class="list">{"".join(groups)}</div></body></html>'
    items = extract_list(html, BASE, today=TODAY)
    assert [item.url for item in items] == [
        f"http://www.example.gov.cn/a/{n}.html" for n in range(15)
    ]
    assert items[-1].date == date(2024, 5, 6)


def test_blank_column_with_only_friendly_links_is_blank() -> None:
    """A column page with no posts shows only navigation and friendly links: no items."""
    html = """<html><body>
    <div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/xwzx/">新闻中心</a></li>
      <li><a href="/zwgk/">政务公开</a></li></ul></div>
    <div class="main"><h2>通知公告</h2><p>暂无信息</p></div>
    <div class="links"><ul><li><a href="http://www.gov.cn/">中国政府网</a></li>
      <li><a href="http://www.other-province.gov.cn/">兄弟省政府网站</a></li>
      <li><a href="http://www.city.gov.cn/">某市人民政府门户网站</a></li></ul></div>
    <ul class="outer"><li><a href="http://a.gov.cn/">其他部门网站一</a></li>
      <li><a href="http://b.gov.cn/">其他部门网站二</a></li>
      <li><a href="http://c.gov.cn/">其他部门网站三</a></li></ul>
    </body></html>"""
    assert extract_list(html, BASE, today=TODAY) == []


def test_undated_on_site_list_is_kept() -> None:
    """An undated list of the site's own posts is still the list (dates come from details)."""
    html = """<html><body><ul class="list">
    <li><a href="/a/1.html">关于做好年度计量工作的通知</a></li>
    <li><a href="/a/2.html">关于开展产品质量抽查的通知</a></li>
    <li><a href="/a/3.html">关于印发标准化工作要点的通知</a></li></ul></body></html>"""
    assert len(extract_list(html, BASE, today=TODAY)) == 3


def test_month_day_dates_get_one_year_through_every_path() -> None:
    """Issue 12: a month-day date gets the same year by heuristics and by override selectors."""
    html = """<html><body><ul class="list">
    <li><a href="/a/1.html">关于做好年度计量工作的通知</a><span>12-20</span></li>
    <li><a href="/a/2.html">关于开展产品质量抽查的通知</a><span>01-05</span></li>
    </ul></body></html>"""
    today = date(2025, 1, 10)
    heuristic = extract_list(html, BASE, today=today)
    override = extract_list(
        html, BASE, today=today, overrides=ListOverrides(list_item="ul.list li", date="span")
    )
    assert [i.date for i in heuristic] == [date(2024, 12, 20), date(2025, 1, 5)]
    assert [i.date for i in override] == [i.date for i in heuristic]


def test_date_in_the_element_after_the_record() -> None:
    """<dt><a>title</a></dt><dd>date</dd>: the date of a link-less next sibling is the item's."""
    rows = "".join(
        f'<dt><a href="/a/{n}.html">关于第{n}批计量器具检定工作的通知</a></dt><dd>2024-05-0{n}</dd>'
        for n in range(1, 5)
    )
    items = extract_list(f"<html><body><dl>{rows}</dl></body></html>", BASE, today=TODAY)
    assert [i.date for i in items] == [date(2024, 5, n) for n in range(1, 5)]


def test_card_links_with_the_date_inside_the_link() -> None:
    """<a><span>title</span><em>2024-05-01</em></a>: the date is the item's, not the title's."""
    rows = "".join(
        f'<li><a href="/a/{n}.html"><span class="t">关于第{n}批计量器具检定工作的通知</span>'
        f'<em class="d">2024-05-0{n}</em></a></li>'
        for n in range(1, 5)
    )
    items = extract_list(f"<html><body><ul>{rows}</ul></body></html>", BASE, today=TODAY)
    assert items[0] == ListItem(
        "关于第1批计量器具检定工作的通知", "http://www.example.gov.cn/a/1.html", date(2024, 5, 1)
    )
    assert len(items) == 4


def test_undated_list_on_a_sibling_subdomain_is_kept() -> None:
    """An undated list whose posts live on xxgk.<site> is the site's, not friendly links."""
    html = """<html><body><ul class="list">
    <li><a href="http://xxgk.example.gov.cn/a/1.html">关于做好年度计量工作的通知</a></li>
    <li><a href="http://xxgk.example.gov.cn/a/2.html">关于开展产品质量抽查的通知</a></li>
    <li><a href="http://xxgk.example.gov.cn/a/3.html">关于印发标准化工作要点的通知</a></li>
    </ul></body></html>"""
    assert len(extract_list(html, BASE, today=TODAY)) == 3
