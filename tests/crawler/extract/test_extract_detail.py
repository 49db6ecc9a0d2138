"""Unit tests for crawler.extract.detail.extract_detail."""

from __future__ import annotations

from datetime import date

from crawler.extract import classify_page
from crawler.extract.detail import Detail, extract_detail

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


def detail_of(body: str, head: str = "", url: str = "http://x.gov.cn/a/b.html") -> Detail:
    """extract_detail of a page made of head and body markup."""
    return extract_detail(f"<html><head>{head}</head><body>{body}</body></html>", url, today=TODAY)


RELATED = """<div class="related"><h3>相关新闻</h3><ul>
<li><a href="/a/1.html">研究所召开退休老同志情况通报会</a><span>2020年01月18日</span></li>
<li><a href="/a/2.html">研究所开展安全生产检查</a><span>2024年05月13日</span></li></ul></div>"""


def test_date_split_over_elements_beats_related_box() -> None:
    """<div class=day>21</div><div class=year>2024年02月</div> is the date, not related ones."""
    body = f"""<div class="left"><h5>研究所召开干部职工大会暨党风廉政建设大会</h5>
    <div class="data"><div class="day">21</div><div class="year">2024年02月</div></div>
    <div class="doc"><p>为贯彻落实省厅大会精神，2月19日下午，研究所召开大会。</p></div></div>
    <div class="right">{RELATED}</div><div class="footer">Copyright 2024</div>"""
    detail = detail_of(body, "<title>浙江省淡水水产研究所</title>")
    assert detail.title == "研究所召开干部职工大会暨党风廉政建设大会"
    assert detail.date == date(2024, 2, 21)


def test_unlabelled_meta_line_beats_labelled_event_dates() -> None:
    """'2024-03-03 15:54:07 来源:…' under the headline wins over 报名时间/培训时间 in the body."""
    body = """<h1>关于举办专业技术人员继续教育培训班的通知</h1>
    <p class="meta">2024-03-03 15:54:07 <span>来源:自治区文化和旅游厅</span> <span>阅读:</span></p>
    <div class="content"><p>一、报名时间：2024年3月7日-4月26日</p><p>培训时间：2024年3月8日</p>
    <p>自治区文化和旅游厅</p><p>2024年3月1日</p></div>"""
    detail = detail_of(body)
    assert detail.date == date(2024, 3, 3)
    assert detail.source == "自治区文化和旅游厅"


def test_date_after_source_beats_banner_clock() -> None:
    """'来源： 广西日报 2024-10-17 08:03' after the headline beats the banner's date."""
    body = """<div class="top">2024年5月20日 星期一</div><div class="banner">2024-05-20</div>
    <h1>全区春季农业生产现场会召开</h1><div class="info">来源： 广西日报 2024-05-17 08:03</div>
    <div class="content"><p>5月16日，全区春季农业生产现场会在南宁召开。</p></div>"""
    detail = detail_of(body, url="http://x.gov.cn/a/b.html")
    assert detail.date == date(2024, 5, 17)
    assert detail.source == "广西日报"


def test_event_page_with_only_start_and_end_takes_pubdate_meta() -> None:
    """Only 开始时间/结束时间 visible: the publish date is the PubDate meta."""
    body = """<h1>2024年全省计量技术比武活动</h1><p>开始时间：2024-05-10</p>
    <p>结束时间：2024-05-20</p><p>活动地点：省计量院</p>"""
    detail = detail_of(body, '<meta name="PubDate" content="2024-04-28 09:00">')
    assert (detail.date, detail.date_source) == (date(2024, 4, 28), "meta")


def test_title_is_the_heading_when_title_tag_is_the_site_name() -> None:
    """<title> holding only the site name: the headline comes from the heading."""
    body = """<div class="header"><h1>示例省市场监督管理局</h1></div>
    <h2>关于转发知识产权保护专项行动的通知</h2><p>发布时间：2023-08-28</p>"""
    detail = detail_of(body, "<title>示例省市场监督管理局</title>")
    assert detail.title == "关于转发知识产权保护专项行动的通知"


def test_title_without_site_part_and_column_part() -> None:
    """'标题 - 栏目 - 站点': the headline that matches the first part, not the whole."""
    head = "<title>省局召开计量工作会议 - 工作动态 - 示例省市场监督管理局</title>"
    body = "<div class='t'><h1>省局召开计量工作会议</h1><p>发布日期：2024-03-01</p></div>"
    assert detail_of(body, head).title == "省局召开计量工作会议"


def test_source_label_value_ends_at_the_next_label() -> None:
    """'来源： 访问量：199' shows no source; '来源： 来源：X' shows X."""
    empty = detail_of(
        "<h1>标题文字很长的一篇文章</h1><p>发布日期：2017-05-15 来源： 访问量：199</p>"
    )
    assert empty.source is None
    doubled = detail_of("<h1>标题文字很长的一篇文章</h1><p>来源： 来源：省文化和旅游厅</p>")
    assert doubled.source == "省文化和旅游厅"
    with_meta = detail_of(
        "<h1>标题文字很长的一篇文章</h1><p>来源： </p>",
        '<meta name="ContentSource" content="产业处">',
    )
    assert with_meta.source == "产业处"


def test_document_dates_in_notes_and_tables_lose_to_the_publish_date() -> None:
    """A bracketed adoption date and a 成文日期 cell lose to the labelled 发布日期."""
    body = """<table><tr><td>成文日期：2023-08-25</td></tr></table>
    <h1>关于批准调整国债余额限额的决议</h1>
    <p>（2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）</p>
    <p>发布日期：2007-08-20</p>"""
    assert detail_of(body).date == date(2007, 8, 20)


def test_weekday_after_a_labelled_date_is_not_a_clock() -> None:
    """'发布时间：2024年05月01日 星期三' is the publish date; '今天是…星期…' is a clock."""
    body = """<div class="top">今天是2024年5月20日 星期一</div><h1>关于开展计量宣传活动的通知</h1>
    <p>发布时间：2024年05月01日 星期三</p>"""
    assert detail_of(body).date == date(2024, 5, 1)


def test_site_name_first_or_last_in_title() -> None:
    """The site name before or after the title (with a column part) is not the headline."""
    body = "<h1>市政府召开常务会议研究部署重点工作</h1><p>发布时间：2024-05-01</p>"
    for title in (
        "某市人民政府门户网站 - 市政府召开常务会议研究部署重点工作",
        "市政府召开常务会议研究部署重点工作 - 政务要闻 - 某市人民政府门户网站",
    ):
        assert (
            detail_of(body, f"<title>{title}</title>").title == "市政府召开常务会议研究部署重点工作"
        )


def test_headline_with_box_words_and_neighbour_links() -> None:
    """A headline containing 推荐 is not a 推荐 box; the 上一篇 line's date is another article's."""
    body = """<div class="art"><h1>关于推荐2024年度优秀计量成果的通知</h1>
    <div class="info">2024-05-08 10:00 来源：计量处</div><div class="text"><p>各单位：……</p></div>
    <div class="sx">上一篇：<a href="/a/1.html">关于开展计量宣传的通知</a> 2024-05-20</div></div>"""
    assert detail_of(body).date == date(2024, 5, 8)


def test_article_inside_a_container_named_like_a_menu() -> None:
    """A class name like 'menu_con' on the container of the whole article is not navigation."""
    prose = "<p>" + "社区组织学生开展暑期教育活动，丰富假期生活。" * 20 + "</p>"
    body = f"""<div class="menu_con"><table><tr>
    <td class="NewsTitle">百丈社区开展学生暑期教育活动</td></tr>
    <tr><td>发布日期：2016-07-20 来源：春江镇 浏览次数：</td></tr>
    <tr><td>{prose}</td></tr></table></div>"""
    detail = detail_of(body, "<title>某区人民政府</title>")
    assert (detail.title, detail.date, detail.source) == (
        "百丈社区开展学生暑期教育活动",
        date(2016, 7, 20),
        "春江镇",
    )


def test_fallback_headline_is_the_heading_with_a_date_under_it() -> None:
    """With a generic <title>, the heading followed by the meta line beats body subheadings."""
    body = """<div class="art"><h2>关于开展2024年计量宣传活动的通知</h2>
    <p>2024-05-08 来源：计量处</p><div class="text"><h3>一、活动主题安排</h3><p>……</p>
    <h3>二、活动时间要求</h3><p>……</p></div></div>"""
    detail = detail_of(body, "<title>详细页面</title>")
    assert detail.title == "关于开展2024年计量宣传活动的通知"
    assert detail.date == date(2024, 5, 8)


def test_heading_holding_title_and_meta_line() -> None:
    """<h2>标题<small>2023-08-19 来源：解放日报</small></h2> without metas: title, date, source."""
    body = """<div class="Article"><h2 class="Article-title">第十届出版传媒论坛在沪召开
    <small class="Article-time">2023-08-19 <span>来源：解放日报</span></small>
    <div class="zihao">字号：<a href="#">大</a><a href="#">中</a><a href="#">小</a></div></h2>
    <div class="Article_content"><p>论坛近日在沪召开。</p></div></div>"""
    detail = detail_of(body, "<title>第十届出版传媒论坛在沪召开</title>")
    assert (detail.title, detail.date, detail.source) == (
        "第十届出版传媒论坛在沪召开",
        date(2023, 8, 19),
        "解放日报",
    )
    assert (
        classify_page(
            f"<html><head><title>第十届出版传媒论坛在沪召开</title></head><body>{body}</body></html>",
            "http://x.gov.cn/p.html",
        )
        == "detail"
    )
