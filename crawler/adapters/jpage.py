"""Hanweb (大汉) jpage: records embedded as XML, further pages from dataproxy.jsp.

A column page embeds its first records as ``<script type="text/xml"><datastore>`` with each
``<record>`` an HTML fragment in CDATA, and names the data proxy (``/module/web/jpage/
dataproxy.jsp?page=N&webid=…&columnid=…&unitid=…``) in ``<nextgroup>`` or its jpage() call,
with ``perPage`` and ``totalRecord``. The proxy answers page N as the same XML with
``<totalrecord>`` and ``<totalpage>``.
"""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from urllib.parse import urljoin

from lxml.html import HtmlElement

from crawler.adapters.base import AdapterPage, CmsAdapter
from crawler.adapters.records import (
    items_from_fragments,
    pages_for,
    query_int,
    script_text,
    with_query,
)

RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
PROXY_URL = re.compile(r"(/[\w/.-]{0,80}?dataproxy\.jsp\?[^\"'<>\s\]]{1,600})", re.I)
PER_PAGE = re.compile(r"\bperPage\W{0,4}(\d{1,4})", re.I)
TOTAL_RECORD = re.compile(r"\btotalRecord\W{0,4}(\d{1,7})", re.I)
TOTAL_PAGE_XML = re.compile(r"<totalpage>\s*(\d{1,6})\s*</totalpage>", re.I)
TOTAL_RECORD_XML = re.compile(r"<totalrecord>\s*(\d{1,7})\s*</totalrecord>", re.I)


def datastore_of(tree: HtmlElement) -> str | None:
    """The embedded <datastore> XML of a jpage column, or None."""
    for script in tree.iter("script"):
        text = script.text or ""
        if "xml" in (script.get("type") or "").lower() and "<datastore" in text.lower():
            return text
    return None


def first_int(pattern: re.Pattern[str], text: str) -> int | None:
    """The first integer a pattern captures in text, or None."""
    match = pattern.search(text)
    return int(match.group(1)) if match else None


class HanwebJpage(CmsAdapter):
    """Hanweb jpage columns (政府网站集约化平台 of many provinces)."""

    name = "hanweb_jpage"

    def __init__(self, proxy_url: str | None, per_page: int | None, records: int | None) -> None:
        self.proxy_url = proxy_url
        self.per_page = per_page
        self.records = records

    @classmethod
    def detect(cls, tree: HtmlElement, page_url: str) -> HanwebJpage | None:
        store = datastore_of(tree)
        scripts = script_text(tree)
        proxy = PROXY_URL.search(store or "") or PROXY_URL.search(scripts)
        if store is None and proxy is None:
            return None
        proxy_url = urljoin(page_url, unescape(proxy.group(1))) if proxy else None
        return cls(proxy_url, first_int(PER_PAGE, scripts), first_int(TOTAL_RECORD, scripts))

    def page_url(self, number: int) -> str | None:
        """The data proxy URL of 1-based page `number`."""
        if self.proxy_url is None:
            return None
        if query_int(self.proxy_url, "startrecord") is not None and self.per_page:
            start = (number - 1) * self.per_page + 1
            return with_query(
                self.proxy_url,
                startrecord=start,
                endrecord=start + self.per_page - 1,
                perpage=self.per_page,
            )
        return with_query(self.proxy_url, page=number)

    def first_page(self, tree: HtmlElement, page_url: str, today: date | None) -> AdapterPage:
        fragments = RECORD.findall(datastore_of(tree) or "")
        items = items_from_fragments(fragments, page_url, today)
        total = pages_for(self.records, self.per_page)
        shown = pages_for(len(fragments), self.per_page) or 1
        more = total is None or shown < total
        next_url = self.page_url(shown + 1) if fragments and more else None
        return AdapterPage(items, next_url, total)

    def data_page(self, text: str, data_url: str, today: date | None) -> AdapterPage:
        fragments = RECORD.findall(text)
        items = items_from_fragments(fragments, data_url, today)
        records = first_int(TOTAL_RECORD_XML, text)
        total = first_int(TOTAL_PAGE_XML, text) or pages_for(records, self.per_page)
        current = query_int(data_url, "page")
        if current is None and self.per_page:
            start = query_int(data_url, "startrecord") or 1
            current = (start - 1) // self.per_page + 1
        more = bool(fragments) and current is not None and total is not None and current < total
        return AdapterPage(items, self.page_url(current + 1) if more and current else None, total)
