"""Unit tests for crawler.extract.detail.extract_detail."""

from __future__ import annotations

from datetime import date

from crawler.extract.detail import extract_detail

TODAY = date(2024, 6, 1)
URL = "http://www.example.gov.cn/xwzx/202403/t20240302_77.html"


def test_visible_date_beats_meta_and_url_and_all_are_kept() -> None:
    """Visible 发布日期 wins; meta and URL dates are kept apart in `dates`."""
    html = """<html><head><meta name="PubDate" content="2024-03-05 10:00">
    <meta name="Maketime" content="2024-05-01 08:00:00">
    <title>省局召开计量工作会议 - 示例省质量技术监督局</title></head><body>
    <div class="top">今天是2024年5月20日 星期一</div>
    <h1>省局召开计量工作会议</h1>
    <div class="info"><span alt="时间：2017-11-08">发布日期：2024-03-01</span>
    <span>来源：计量处</span></div><p>正文……2024年2月28日会议通过。</p></body></html>"""
    detail = extract_detail(html, URL, today=TODAY)
    assert detail.title == "省局召开计量工作会议"
    assert detail.date == date(2024, 3, 1)
    assert detail.date_source == "text"
    assert detail.source == "计量处"
    assert detail.dates == {
        "text": date(2024, 3, 1),
        "meta": date(2024, 3, 5),
        "url": date(2024, 3, 2),
    }


def test_meta_then_url_fallbacks() -> None:
    """Without a visible date the PubDate meta is used; without both, the URL date."""
    meta_only = (
        '<html><head><meta name="PubDate" content="2024-03-05"></head><body><p>x</p></body></html>'
    )
    detail = extract_detail(meta_only, URL, today=TODAY)
    assert (detail.date, detail.date_source) == (date(2024, 3, 5), "meta")
    detail = extract_detail("<html><body><p>正文</p></body></html>", URL, today=TODAY)
    assert (detail.date, detail.date_source) == (date(2024, 3, 2), "url")


def test_qualified_labels_are_not_publish_dates() -> None:
    """'留言时间', '成交日期' are other dates; a plain '时间：' after them is the publish date."""
    html = """<html><body><div class="side">留言时间：2024-05-01</div>
    <h2>采购结果公告</h2><p>成交日期：2024-02-01</p><p>时间：2024-02-03 09:00</p></body></html>"""
    assert extract_detail(html, "http://x.gov.cn/a.html", today=TODAY).date == date(2024, 2, 3)


def test_future_meta_is_rejected() -> None:
    """A PubDate in the future of the fetch clock is never returned."""
    html = '<html><head><meta name="PubDate" content="2030-01-01"></head><body></body></html>'
    detail = extract_detail(html, "http://x.gov.cn/a.html", today=TODAY)
    assert detail.date is None and detail.dates == {}


def test_title_split_by_br_and_empty_source() -> None:
    """A <br>-split heading joins without a space; an empty 来源 gives None."""
    html = """<html><head><title>关于印发《办法》的通知</title></head><body>
    <h1>关于印发<br>《办法》的通知</h1><p>日期：2024-01-02 来源： 分享：</p></body></html>"""
    detail = extract_detail(html, "http://x.gov.cn/a.html", today=TODAY)
    assert detail.title == "关于印发《办法》的通知"
    assert detail.source is None
    assert detail.date == date(2024, 1, 2)


def test_junk_does_not_crash() -> None:
    """Empty or non-HTML input gives an empty Detail."""
    detail = extract_detail("", "http://x.gov.cn/", today=TODAY)
    assert detail.date is None and detail.title == ""
