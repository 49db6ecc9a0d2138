# ruff: noqa: E501  (page fixtures keep the real one-line record markup)
"""CMS adapters on hand-written pages in the shapes real Hanweb and gkmlpt sites serve."""

from __future__ import annotations

import json
from datetime import date

from crawler.adapters import ADAPTERS, adapter_for
from crawler.adapters.gkmlpt import Gkmlpt
from crawler.adapters.jpage import HanwebJpage
from crawler.extract.tree import parse_html

TODAY = date(2024, 6, 30)
COLUMN = "https://www.example.gov.cn/col/col1234/index.html"

JPAGE_PAGE = """<html><body><div class="main"><div id="4321">
<script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&amp;webid=3&amp;path=/&amp;columnid=1234&amp;unitid=4321&amp;permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[
<li><a href="/art/2024/6/3/art_1234_901.html" target="_blank" title="关于开展安全生产检查的通知">关于开展安全生产检查的通知</a><span>2024-06-03</span></li>
]]></record>
<record><![CDATA[
<li><a href="/art/2024/5/28/art_1234_880.html" target="_blank" title="全市质量工作会议召开">全市质量工作会议召开</a><span>2024-05-28</span></li>
]]></record>
<record><![CDATA[
<li><a href="/art/2024/5/20/art_1234_861.html" target="_blank" title="计量器具检定工作部署">计量器具检定工作部署</a><span>2024-05-20</span></li>
]]></record>
</recordset></datastore></script></div>
<script src="/module/web/jpage/jpage.js"></script>
<script>$(function(){$('#4321').jpage({dataStore: dataStore, perPage: 3, totalRecord: 8,
 proxyUrl: '/module/web/jpage/dataproxy.jsp'});});</script>
</div></body></html>"""

JPAGE_DATA = """<?xml version="1.0" encoding="UTF-8"?>
<datastore><totalrecord>8</totalrecord><totalpage>3</totalpage><recordset>
<record><![CDATA[<li><a href="/art/2024/5/10/art_1234_850.html">标准化工作要点</a><span>2024-05-10</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2024/4/30/art_1234_842.html">特种设备安全月活动</a><span>2024-04-30</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2024/4/2/art_1234_800.html">质量提升行动方案印发</a><span>2024-04-02</span></li>]]></record>
</recordset></datastore>"""

GKMLPT_PAGE = """<html><head><title>政府信息公开</title></head><body><div id="app"></div>
<script>window._CONFIG = {SID: '755031', DOMAIN: 'https://www.example.gov.cn'};</script>
<script src="/gkmlpt/gkml/pc/js/app.js"></script></body></html>"""


def test_registry_holds_both_families_and_ignores_plain_pages() -> None:
    assert {HanwebJpage, Gkmlpt} <= set(ADAPTERS)
    plain = parse_html("<html><body><ul><li><a href='/a.html'>一条新闻标题在此</a> 2024-01-02</li>"
                       "</ul><script>var x = 1;</script></body></html>")  # fmt: skip
    assert adapter_for(plain, COLUMN) is None


def test_jpage_reads_embedded_records_and_pages_through_the_proxy() -> None:
    adapter = adapter_for(parse_html(JPAGE_PAGE), COLUMN)
    assert isinstance(adapter, HanwebJpage)
    first = adapter.first_page(parse_html(JPAGE_PAGE), COLUMN, TODAY)
    assert [(i.title, i.date) for i in first.items] == [
        ("关于开展安全生产检查的通知", date(2024, 6, 3)),
        ("全市质量工作会议召开", date(2024, 5, 28)),
        ("计量器具检定工作部署", date(2024, 5, 20)),
    ]
    assert first.items[0].url == "https://www.example.gov.cn/art/2024/6/3/art_1234_901.html"
    assert first.total_pages == 3  # ceil(8 / 3)
    assert first.next_url is not None and "page=2" in first.next_url
    assert "columnid=1234" in first.next_url and "unitid=4321" in first.next_url
    second = adapter.data_page(JPAGE_DATA, first.next_url, TODAY)
    assert [i.date for i in second.items] == [
        date(2024, 5, 10),
        date(2024, 4, 30),
        date(2024, 4, 2),
    ]
    assert second.total_pages == 3 and second.next_url and "page=3" in second.next_url
    last = adapter.data_page(JPAGE_DATA, second.next_url, TODAY)
    assert last.next_url is None


def test_gkmlpt_builds_the_api_url_and_reads_articles() -> None:
    url = "https://www.example.gov.cn/gkmlpt/index#721"
    adapter = adapter_for(parse_html(GKMLPT_PAGE), url)
    assert isinstance(adapter, Gkmlpt)
    first = adapter.first_page(parse_html(GKMLPT_PAGE), url, TODAY)
    assert first.items == []
    assert first.next_url == "https://www.example.gov.cn/gkmlpt/api/all/721?page=1&sid=755031"
    articles = [
        {"id": 9, "title": "关于印发年度工作要点的通知", "url": "https://www.example.gov.cn/gkmlpt/"
         "content/0/9/post_9.html", "created_at": "2024-06-18 16:25:04"},
        # Only an epoch: 2024-06-01 00:30 in Beijing is still May 31 in UTC.
        {"id": 8, "title": "政策解读：质量强市", "post_url": "/gkmlpt/content/0/8/post_8.html",
         "first_publish_time": 1717173000},
        {"id": 7, "title": "", "url": "/gkmlpt/content/0/7/post_7.html"},
    ]  # fmt: skip
    page = adapter.data_page(json.dumps({"total": 5, "articles": articles}), first.next_url, TODAY)
    assert [(i.title, i.date) for i in page.items] == [
        ("关于印发年度工作要点的通知", date(2024, 6, 18)),
        ("政策解读：质量强市", date(2024, 6, 1)),
    ]
    assert page.items[1].url == "https://www.example.gov.cn/gkmlpt/content/0/8/post_8.html"
    assert page.total_pages == 2 and page.next_url and "page=2" in page.next_url
    tail = adapter.data_page(
        json.dumps({"total": 5, "articles": articles[:2]}), page.next_url, TODAY
    )
    assert tail.next_url is None  # page 2 of ceil(5 / 3)


def test_gkmlpt_needs_its_site_id_and_survives_bad_json() -> None:
    no_sid = GKMLPT_PAGE.replace("SID: '755031', ", "")
    assert adapter_for(parse_html(no_sid), "https://www.example.gov.cn/gkmlpt/index") is None
    adapter = Gkmlpt("https://www.example.gov.cn/gkmlpt/api/all/0?page=1&sid=1")
    assert adapter.data_page("<html>error</html>", adapter.api_url, TODAY).items == []
    assert adapter.data_page("[1, 2]", adapter.api_url, TODAY).next_url is None
