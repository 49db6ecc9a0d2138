"""inspect_page: the stable JSON shape, page types, and robustness."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crawler.extract import classify_page, inspect_page
from crawler.extract.inspect import explain_page

TODAY = date(2024, 6, 1)
KEYS = {"page_type", "items", "pagination", "detail", "consultations", "columns"}

LIST_PAGE = (
    """<html><head><meta charset="gbk"><title>通知公告</title></head><body>
<ul class="list">"""
    + "".join(
        f'<li><a href="./2024050{n}/t2024050{n}_{n}.html">关于开展第{n}批计量器具检定工作的通知</a>'
        f"<span>2024-05-0{n}</span></li>"
        for n in range(1, 7)
    )
    + """</ul><script>createPageHTML(4, 0, "index", "html");</script></body></html>"""
)


def test_list_page_shape() -> None:
    """A GBK list page gives items, pagination and the exact key set, JSON-serialisable."""
    result = inspect_page(LIST_PAGE.encode("gbk"), "http://x.gov.cn/tzgg/index.html", today=TODAY)
    assert set(result) == KEYS
    assert result["page_type"] == "list"
    assert result["items"][0] == {
        "title": "关于开展第1批计量器具检定工作的通知",
        "url": "http://x.gov.cn/tzgg/20240501/t20240501_1.html",
        "date": "2024-05-01",
    }
    assert len(result["items"]) == 6
    assert result["pagination"] == {
        "next": "http://x.gov.cn/tzgg/index_1.html",
        "total_pages": 4,
        "form": "trs_create_page_html",
        "followable": True,
        "adapter": None,
    }
    assert result["detail"] is None and result["consultations"] == [] and result["columns"] == []
    json.dumps(result)


def test_detail_page_shape() -> None:
    """A detail page fills `detail` only."""
    html = """<html><head><meta name="ArticleTitle" content="关于计量工作的通知">
    <meta name="PubDate" content="2024-03-05 10:00"></head>
    <body><h1>关于计量工作的通知</h1><p>发布时间：2024-03-04 来源：计量处</p></body></html>"""
    result = inspect_page(html.encode(), "http://x.gov.cn/a/t20240304_1.html", today=TODAY)
    assert result["page_type"] == "detail"
    assert result["detail"] == {
        "title": "关于计量工作的通知",
        "date": "2024-03-04",
        "source": "计量处",
    }
    assert result["items"] == []


def test_home_page_columns() -> None:
    """The site root is a home page; its navigation becomes columns."""
    html = """<html><body><div class="nav"><a href="/gzdt/">工作动态</a>
    <a href="/tzgg/">通知公告</a></div></body></html>"""
    result = inspect_page(html.encode(), "http://x.gov.cn/", today=TODAY)
    assert result["page_type"] == "home"
    assert result["columns"] == [
        {"name": "工作动态", "url": "http://x.gov.cn/gzdt/", "category": "news"},
        {"name": "通知公告", "url": "http://x.gov.cn/tzgg/", "category": "notice"},
    ]


def test_classify_other() -> None:
    """A page with nothing recognisable is 'other'."""
    assert (
        classify_page("<html><body><p>404 Not Found</p></body></html>", "http://x.gov.cn/a/b")
        == "other"
    )


@pytest.mark.parametrize("body", [b"", b"\x00\xff\xfe junk", b"<html", "中文".encode("utf-16")])
def test_junk_bytes(body: bytes) -> None:
    """Any bytes give the full key set."""
    assert set(inspect_page(body, "http://x.gov.cn/a", today=TODAY)) == KEYS


def test_detail_page_at_the_site_root_is_a_detail_page() -> None:
    """Page type comes from the page: an article served at / is a detail page."""
    html = """<html><head><meta name="ArticleTitle" content="省局召开计量工作会议">
    <title>省局召开计量工作会议</title></head><body><h1>省局召开计量工作会议</h1>
    <p>发布日期：2024-03-01 来源：计量处</p><p>会议正文……</p></body></html>"""
    result = inspect_page(html.encode(), "http://x.gov.cn/", today=TODAY)
    assert result["page_type"] == "detail"
    assert result["detail"]["date"] == "2024-03-01"


def news_block(name: str, slug: str, count: int) -> str:
    """A home page block: a heading and a short dated list."""
    rows = "".join(
        f'<li><a href="/{slug}/202405/t202405{10 + n}_{n}.html">{name}第{n}条信息的标题文字</a>'
        f"<span>05-{10 + n}</span></li>"
        for n in range(count)
    )
    return f'<div class="block"><h3>{name}</h3><ul class="newsList">{rows}</ul></div>'


HOME_WITH_NEWS_FIRST = (
    """<html><head><title>某市人民政府</title></head><body>
<div class="sidenav"><ul><li><a href="#page2">新闻资讯</a></li><li><a href="#page3">政务公开</a>
</li><li><a href="#page4">政务服务</a></li></ul></div>"""
    + news_block("今日要闻", "jryw", 9)
    + """<div class="mainNav"><ul><li><a href="/portal/index.shtml">首页</a></li>
<li><a href="/portal/szf/szf.shtml">市政府</a></li>
<li><a href="/portal/zwgk/zwgk.shtml">政务公开</a></li>
<li><a href="/portal/hdjl/hdjl.shtml">互动交流</a></li></ul></div>"""
    + news_block("政务动态", "zwdt", 6)
    + news_block("通知公告", "tzgg", 6)
    + news_block("政策解读", "zcjd", 5)
    + "</body></html>"
)


def test_home_page_opening_with_a_news_list_reads_its_navigation() -> None:
    """A home page (not at /) whose first block is a dated list, after a #anchor side menu."""
    result = inspect_page(
        HOME_WITH_NEWS_FIRST.encode(), "http://x.gov.cn/portal/index.shtml", today=TODAY
    )
    assert result["page_type"] == "home"
    urls = [column["url"] for column in result["columns"]]
    for path in ("szf/szf.shtml", "zwgk/zwgk.shtml", "hdjl/hdjl.shtml"):
        assert f"http://x.gov.cn/portal/{path}" in urls


def test_column_page_with_sidebars_stays_a_list() -> None:
    """One main list with a pager and small side lists is a column page, not a home page."""
    html = (
        "<html><body>"
        + news_block("通知公告", "tzgg", 15)
        + news_block("热点", "rd", 3)
        + news_block("推荐", "tj", 3)
        + '<div class="page"><a href="index_1.html">下一页</a></div></body></html>'
    )
    result = inspect_page(html.encode(), "http://x.gov.cn/tzgg/index.html", today=TODAY)
    assert result["page_type"] == "list"
    assert len(result["items"]) == 15


def test_explain_shows_scored_candidates() -> None:
    """explain_page: candidate lists and detail dates with their scores and reasons."""
    why = explain_page(LIST_PAGE.encode("gbk"), "http://x.gov.cn/tzgg/index.html", today=TODAY)
    assert why["lists"][0]["chosen"] and why["lists"][0]["items"] == 6
    assert why["pagination_form"] == "trs_create_page_html"
    html = """<html><head><title>关于举办专业技术人员培训班的通知_通知公告</title></head><body>
    <h1>关于举办专业技术人员培训班的通知</h1><p class="meta">2024-03-03 来源：厅办公室</p>
    <p>报名时间：2024年3月7日</p></body></html>"""
    dates = explain_page(html.encode(), "http://x.gov.cn/a/562718.htm", today=TODAY)["dates"]
    assert dates[0]["date"] == "2024-03-03" and "meta line" in dates[0]["reasons"]
    assert dates[-1]["date"] == "2024-03-07" and "other label" in dates[-1]["reasons"]


def test_page_whose_home_link_points_at_itself_is_the_home_page() -> None:
    """A 首页 link to the page's own address makes it the home page, even with one dated list."""
    html = (
        '<html><body><div class="nav"><a href="/portal/index.shtml">首页</a>'
        '<a href="/portal/zwgk/">政务公开</a><a href="/portal/hdjl/">互动交流</a></div>'
        + news_block("今日要闻", "jryw", 8)
        + "</body></html>"
    )
    result = inspect_page(html.encode(), "http://x.gov.cn/portal/index.shtml", today=TODAY)
    assert result["page_type"] == "home"
    column_page = inspect_page(html.encode(), "http://x.gov.cn/portal/jryw/", today=TODAY)
    assert column_page["page_type"] == "list"


def test_inspect_command_explain_prints_scores(tmp_path: Path) -> None:
    """`sitewatch inspect FILE --explain` prints the scored candidate lists and dates."""
    from click.testing import CliRunner

    from sitewatch.commands.inspect_cmd import inspect_command

    page = tmp_path / "detail.html"
    page.write_text(
        "<html><head><title>关于举办专业技术人员培训班的通知_通知公告</title></head><body>"
        "<h1>关于举办专业技术人员培训班的通知</h1><p>2024-03-03 来源：厅办公室</p>"
        "<p>报名时间：2024年3月7日</p></body></html>",
        encoding="utf-8",
    )
    args = [str(page), "--url", "http://x.gov.cn/tzgg/562718.htm", "--today", "2024-06-01"]
    result = CliRunner().invoke(inspect_command, [*args, "--explain"])
    assert result.exit_code == 0, result.output
    assert "2024-03-03" in result.output and "in the line with the source" in result.output
    assert "label of another date" in result.output
