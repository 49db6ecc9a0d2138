"""Unit tests for crawler.extract.pagination.find_pagination."""

from __future__ import annotations

import pytest

from crawler.extract.pagination import PageView, find_pagination, forms
from crawler.extract.tree import parse_html

URL = "http://www.example.gov.cn/xwzx/tzgg/index.html"


def test_trs_create_page_html_first_page() -> None:
    """createPageHTML(5, 0, "index", "html"): page 0 is index.html, next is index_1.html."""
    html = '<div><script>createPageHTML(5, 0, "index", "html");</script></div>'
    result = find_pagination(html, URL)
    assert result.total_pages == 5
    assert result.next_url == "http://www.example.gov.cn/xwzx/tzgg/index_1.html"
    assert result.page_urls[0] == URL
    assert result.page_urls[-1] == "http://www.example.gov.cn/xwzx/tzgg/index_4.html"


def test_trs_create_page_html_last_page_has_no_next() -> None:
    """On the last page (current = total-1) there is no next page."""
    html = "<script>createPageHTML(3, 2, 'index', 'shtml');</script>"
    result = find_pagination(html, "http://x.gov.cn/a/index_2.shtml")
    assert result.total_pages == 3
    assert result.next_url is None


def test_next_and_last_links() -> None:
    """下一页 / 尾页 links give next URL and (0-based index_N) page count."""
    html = (
        '<div class="page"><a href="index_1.html">下一页</a> <a href="index_9.html">尾页</a></div>'
    )
    result = find_pagination(html, URL)
    assert result.next_url == "http://www.example.gov.cn/xwzx/tzgg/index_1.html"
    assert result.total_pages == 10


def test_query_parameter_paging() -> None:
    """?pageIndex=N pages: next increments the parameter until the 末页 number."""
    html = '<div>共 4 页 <a href="list.aspx?pageIndex=4">末页</a></div>'
    result = find_pagination(html, "http://x.gov.cn/list.aspx?cid=7&pageIndex=2")
    assert result.next_url == "http://x.gov.cn/list.aspx?cid=7&pageIndex=3"
    assert result.total_pages == 4
    last = find_pagination(html, "http://x.gov.cn/list.aspx?cid=7&pageIndex=4")
    assert last.next_url is None


def test_document_write_paging() -> None:
    """var countPage / currentPage scripts (document.write paging) are understood."""
    html = """<script>var currentPage = 1;var countPage = 3
    document.write("<a href=\\"index"+"_" + nextPage + "."+"html\\">下一页</a>");</script>"""
    result = find_pagination(html, "http://x.gov.cn/a/index_1.html")
    assert result.total_pages == 3
    assert result.next_url == "http://x.gov.cn/a/index_2.html"


def test_no_pagination() -> None:
    """A page without paging gives no next URL and no count."""
    result = find_pagination("<ul><li><a href='a.html'>一条</a></li></ul>", URL)
    assert result.next_url is None and result.total_pages is None


def test_junk_does_not_crash() -> None:
    """Arbitrary input is handled."""
    assert find_pagination("", URL).next_url is None
    assert find_pagination("\x00<script>createPageHTML(</script>", URL).next_url is None


# One test per form of crawler.extract.pagination.forms.FORMS, on the form function itself.


def view(html: str, url: str = URL) -> PageView:
    """A PageView of html at url."""
    return PageView(parse_html(html), url)


def test_form_six_arg_create_page_html_in_a_comment() -> None:
    """createPageHTML('page_div', total, current1, name, ext, records): page N is name_N.ext."""
    html = (
        "<ul><!--<li><a href='a.html'>一</a></li>"
        "<script>createPageHTML('page_div',10, 1,'zwgklist','shtml',200);</script>--></ul>"
    )
    first = forms.six_arg_create_page_html(view(html, "http://x.gov.cn/c/zwgklist.shtml"))
    assert first is not None and first.total_pages == 10
    assert first.next_url == "http://x.gov.cn/c/zwgklist_2.shtml"
    assert first.page_urls[-1] == "http://x.gov.cn/c/zwgklist_10.shtml"
    third = find_pagination(html.replace(" 1,", " 3,"), "http://x.gov.cn/c/zwgklist_3.shtml")
    assert third.next_url == "http://x.gov.cn/c/zwgklist_4.shtml"
    assert forms.six_arg_create_page_html(view("<p>none</p>")) is None


def test_form_trs_create_page_html() -> None:
    """TRS createPageHTML(total, current0, name, ext): page N+1 is name_N.ext."""
    page = forms.trs_create_page_html(view('<script>createPageHTML(4, 1, "index", "htm")</script>'))
    assert page is not None and (page.total_pages, page.form) == (4, "trs_create_page_html")
    assert page.next_url == "http://www.example.gov.cn/xwzx/tzgg/index_2.htm"


def test_form_count_page_script() -> None:
    """var countPage = N (document.write paging) without a name: the URL's own name."""
    page = forms.count_page_script(view("<script>var countPage = 7;</script>"))
    assert page is not None and page.total_pages == 7
    assert page.next_url == "http://www.example.gov.cn/xwzx/tzgg/index_1.html"


def test_form_empire_numbered_links_page_n_is_index_n() -> None:
    """EmpireCMS: index_2.html is page 2, so 尾页 index_57.html means 57 pages."""
    html = (
        '<div class="pagelist"><a title="Total record"><b>852</b></a> <b>1</b> '
        '<a href="index_2.html">2</a> <a href="index_3.html">3</a> '
        '<a href="index_2.html">下一页</a> <a href="index_57.html">尾页</a></div>'
    )
    page = forms.numbered_links(view(html))
    assert page is not None and page.total_pages == 57
    assert page.next_url == "http://www.example.gov.cn/xwzx/tzgg/index_2.html"


def test_form_trs_numbered_links_are_zero_based() -> None:
    """TRS links page 2 as index_1.html: 尾页 index_108.html means 109 pages."""
    html = (
        '<a href="index_1.html">2</a> <a href="index_1.html">下一页</a> '
        '<a href="index_108.html">尾页</a>'
    )
    page = forms.numbered_links(view(html))
    assert page is not None and page.total_pages == 109


def test_form_js_pager_total() -> None:
    """The page count only inside a JavaScript pager call or option object."""
    called = forms.js_pager_total(view("<script>showPager('pageBar', 23, 1);</script>"))
    assert called is not None and called.total_pages == 23 and called.next_url is None
    option = forms.js_pager_total(view("<script>laypage({cont: 'p', pages: 12, curr: 1})</script>"))
    assert option is not None and option.total_pages == 12
    # Three numbers (records, size, page) are ambiguous: no count is made up.
    assert forms.js_pager_total(view("<script>pager(852, 15, 1);</script>")) is None


def test_js_pager_count_completes_a_next_link() -> None:
    """A 下一页 link without a count takes the count from the script pager."""
    html = '<a href="list.aspx?page=2">下一页</a><script>initPager(1, 9)</script>'
    page = find_pagination(html, "http://x.gov.cn/list.aspx?page=1")
    assert (page.next_url, page.total_pages) == ("http://x.gov.cn/list.aspx?page=2", 9)


def test_form_aspnet_postback_is_not_followable() -> None:
    """__doPostBack pagers are reported as not followable, never guessed."""
    html = (
        "<span>共 6 页</span><a href=\"javascript:__doPostBack('ctl00$Pager','2')\">2</a>"
        "<a href=\"javascript:__doPostBack('ctl00$Pager','next')\">下一页</a>"
    )
    page = find_pagination(html, "http://x.gov.cn/list.aspx")
    assert (page.form, page.followable, page.next_url, page.total_pages) == (
        "aspnet_postback",
        False,
        None,
        6,
    )


def test_form_cms_families_name_their_adapter() -> None:
    """Hanweb jpage and gkmlpt pages say which adapter serves their list."""
    jpage = (
        '<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/'
        'dataproxy.jsp?page=1&columnid=9">]]></nextgroup></datastore></script>'
        "<script>var perPage = 15; totalRecord = 61;</script>"
    )
    found = find_pagination(jpage, "http://x.gov.cn/col/col9/index.html")
    assert (found.adapter, found.total_pages, found.next_url) == ("hanweb_jpage", 5, None)
    gk = find_pagination("<div id=app></div>", "http://x.gov.cn/gkmlpt/index")
    assert gk.adapter == "gkmlpt"


def test_form_record_counts() -> None:
    """articleCount / perPage of a JSON-rendered column, next via ?uid=&pageNum=2."""
    html = "<script>var c = {articleCount: 444}; params.perPage = '15'; var unitid = 38;</script>"
    page = forms.record_counts(view(html))
    assert page is not None and page.total_pages == 30
    assert page.next_url == "http://www.example.gov.cn/xwzx/tzgg/index.html?uid=38&pageNum=2"


def test_every_form_is_in_the_table() -> None:
    """The table lists each form once; the catch-all link forms come after the script forms."""
    names = [form.__name__ for form in forms.FORMS]
    assert len(names) == len(set(names))
    assert names.index("six_arg_create_page_html") < names.index("numbered_links")


@pytest.mark.parametrize(
    ("html", "total"),
    [
        ("<div>页次：1/57 每页20条</div>", 57),
        ("<div>共有 12 页</div>", 12),
        ("<div>总页数：8</div>", 8),
        ('<input type="hidden" id="totalPage" value="9"><div id="pager"></div>', 9),
    ],
)
def test_page_count_in_text_and_hidden_inputs(html: str, total: int) -> None:
    """Page counts written as 页次 1/N, 共有 N 页, 总页数, or kept in a hidden input."""
    assert find_pagination(html, URL).total_pages == total


@pytest.mark.parametrize(
    ("script", "total"),
    [
        ("pageNav.go(1, 57);", 57),
        ("kkpager.generPageHtml({pno: 1, total: 57, totalRecords: 852});", 57),
        ("$('#p').pagination(852, {items_per_page: 15, current_page: 0});", 57),
    ],
)
def test_known_script_pagers(script: str, total: int) -> None:
    """pageNav.go(current, total), kkpager and the jQuery pagination plugin."""
    found = forms.js_pager_total(view(f"<script>{script}</script>"))
    assert found is not None and found.total_pages == total


def test_last_link_counts_from_one_when_the_next_link_says_so() -> None:
    """On page one, 下一页 index_2.html means index_N is page N (尾页 index_9 → 9 pages)."""
    html = '<a href="index_2.html">下一页</a> <a href="index_9.html">尾页</a>'
    assert find_pagination(html, URL).total_pages == 9
    trs = '<a href="index_1.html">下一页</a> <a href="index_9.html">尾页</a>'
    assert find_pagination(trs, URL).total_pages == 10


def test_six_argument_pager_with_quoted_numbers() -> None:
    """Quoted numbers are read; a call without a page name still gives the count."""
    quoted = forms.six_arg_create_page_html(
        view("<script>createPageHTML('page_div','5','1','fg','shtml','89');</script>")
    )
    assert quoted is not None and quoted.total_pages == 5
    assert quoted.next_url == "http://www.example.gov.cn/xwzx/tzgg/fg_2.shtml"
    nameless = forms.six_arg_create_page_html(
        view("<script>createPageHTML('page_div','15','1','10','148');</script>")
    )
    assert nameless is not None and (nameless.total_pages, nameless.next_url) == (15, None)
