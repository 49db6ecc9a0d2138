"""Test-side HTTP client and page parsing, written independently of the simulator's templates."""

from __future__ import annotations

import http.client
import os
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit

import lxml.html

ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
CHINESE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
SLASH_DATE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
SHORT_DATE = re.compile(r"\[(\d{2})-(\d{2})\]")
URL_YEAR = re.compile(r"/(20\d{2})(?:/|\d{2})")
TRS_PAGER_CALL = re.compile(r'createPageHTML\((\d+),\s*(\d+),\s*"(\w+)",\s*"(\w+)"\)')
META_CHARSET = re.compile(rb'charset=["\']?([\w-]+)', re.I)


def port_for(base: int) -> int:
    """A per-xdist-worker port, so the same module on two workers never binds twice."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return base + 1000 * int(worker.removeprefix("gw") or 0)


@dataclass
class Fetched:
    """One HTTP exchange."""

    status: int
    headers: dict[str, str]
    body: bytes


class Client:
    """Keep-alive HTTP/1.1 client over loopback, one connection per host:port."""

    def __init__(self, timeout: float = 10.0) -> None:
        self.timeout = timeout
        self._conns: dict[str, http.client.HTTPConnection] = {}

    def fetch(
        self, url: str, method: str = "GET", headers: dict[str, str] | None = None
    ) -> Fetched:
        """Send one request (reconnecting once if the server closed the connection)."""
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        for attempt in range(2):
            conn = self._conns.get(parts.netloc)
            if conn is None:
                conn = http.client.HTTPConnection(parts.netloc, timeout=self.timeout)
                self._conns[parts.netloc] = conn
            try:
                conn.request(method, target, headers=headers or {})
                response = conn.getresponse()
                body = response.read()
            except (http.client.HTTPException, ConnectionError):
                conn.close()
                del self._conns[parts.netloc]
                if attempt:
                    raise
                continue
            found = {k.lower(): v for k, v in response.getheaders()}
            if found.get("connection", "").lower() == "close":
                conn.close()
                del self._conns[parts.netloc]
            return Fetched(response.status, found, body)
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close every connection."""
        for conn in self._conns.values():
            conn.close()
        self._conns.clear()


def decode(body: bytes, headers: dict[str, str]) -> str:
    """Decode HTML by the header charset, else the meta charset; GBK family as GB18030."""
    label = None
    match = re.search(r"charset=([\w-]+)", headers.get("content-type", ""), re.I)
    if match:
        label = match.group(1)
    else:
        meta = META_CHARSET.search(body[:2048])
        label = meta.group(1).decode() if meta else "utf-8"
    if label.lower() in ("gbk", "gb2312", "gb18030"):
        label = "gb18030"
    return body.decode(label)


def find_date(text: str, url: str) -> date | None:
    """The first date written in text; [MM-DD] takes its year from the URL."""
    for pattern in (ISO_DATE, CHINESE_DATE, SLASH_DATE):
        match = pattern.search(text)
        if match:
            return date(*map(int, match.groups()))
    short = SHORT_DATE.search(text)
    year = URL_YEAR.search(urlsplit(url).path)
    if short and year:
        return date(int(year.group(1)), int(short.group(1)), int(short.group(2)))
    return None


def row_links(html: str, page_url: str) -> dict[str, str]:
    """Absolute URL -> text of the <li>/<tr> row holding the link, for every link in a row."""
    tree = lxml.html.fromstring(html)
    out: dict[str, str] = {}
    for anchor in tree.iter("a"):
        href = anchor.get("href")
        if not href or href.startswith("javascript"):
            continue
        row = anchor.getparent()
        while row is not None and row.tag not in ("li", "tr"):
            row = row.getparent()
        if row is not None:
            out[urljoin(page_url, href)] = row.text_content()
    return out


def next_pages(html: str, page_url: str) -> list[str]:
    """All list-page URLs of a column, given its first page (TRS script or 下一页 chains)."""
    call = TRS_PAGER_CALL.search(html)
    if call:
        total, _, name, ext = call.groups()
        return [
            urljoin(page_url, f"{name}.{ext}" if i == 0 else f"{name}_{i}.{ext}")
            for i in range(int(total))
        ]
    return []


def next_link(html: str, page_url: str) -> str | None:
    """The 下一页 link of a page, absolute, or None."""
    tree = lxml.html.fromstring(html)
    for anchor in tree.iter("a"):
        if anchor.text_content().strip() == "下一页" and anchor.get("href"):
            return urljoin(page_url, anchor.get("href"))
    return None


def list_pages(client: Client, first_url: str) -> list[tuple[str, str]]:
    """(url, html) of every page of a column or mailbox, following the site's pagination."""
    first = client.fetch(first_url)
    assert first.status == 200, (first_url, first.status)
    html = decode(first.body, first.headers)
    trs = next_pages(html, first_url)
    if trs:
        pages = [(first_url, html)]
        for url in trs[1:]:
            got = client.fetch(url)
            assert got.status == 200, (url, got.status)
            pages.append((url, decode(got.body, got.headers)))
        return pages
    pages, url = [(first_url, html)], next_link(html, first_url)
    while url is not None:
        assert len(pages) < 200, "runaway pagination"
        got = client.fetch(url)
        assert got.status == 200, (url, got.status)
        html = decode(got.body, got.headers)
        pages.append((url, html))
        url = next_link(html, url)
    return pages
