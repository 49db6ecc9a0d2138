"""Unit tests for crawler.extract.pagination.find_pagination."""

from __future__ import annotations

from crawler.extract.pagination import find_pagination

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
