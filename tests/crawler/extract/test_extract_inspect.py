"""inspect_page: the stable JSON shape, page types, and robustness."""

from __future__ import annotations

import json
from datetime import date

import pytest

from crawler.extract import classify_page, inspect_page

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
