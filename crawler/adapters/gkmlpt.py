"""Guangdong's 政府信息公开目录 (gkmlpt): an empty app page, the list from a JSON API.

The page ``…/gkmlpt/index`` (a category as ``#<id>``) sets ``window._CONFIG = {SID: '…'}``;
the app fetches ``…/gkmlpt/api/all/<category>?page=N&sid=<SID>``, which answers
``{"total": records, "articles": [{"title", "url", "created_at", …}]}``.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from crawler.adapters.base import AdapterPage, CmsAdapter
from crawler.adapters.records import pages_for, query_int, script_text, with_query
from crawler.extract.dates import is_plausible, parse_date
from crawler.extract.items import ListItem
from crawler.extract.tree import clean_ws, resolve_url

SID = re.compile(r"\bSID\W{0,4}(\d{1,12})")
CATEGORY = re.compile(r"#(\d{1,12})$")
MARKER = "/gkmlpt/"
DATE_KEYS = ("created_at", "publish_time", "first_publish_time", "date", "display_publish_time")
URL_KEYS = ("url", "post_url", "link")
BEIJING = timedelta(hours=8)
MAX_ARTICLES = 2000


def article_date(article: dict[str, object], today: date | None) -> date | None:
    """An article's date: a date string, else an epoch (seconds or ms) in Beijing time."""
    for key in DATE_KEYS:
        value = article.get(key)
        if isinstance(value, str) and value.strip():
            found = parse_date(value, today=today)
            if found is not None:
                return found
        if isinstance(value, int | float) and value > 0:
            seconds = value / 1000 if value > 10**11 else value
            day = (datetime.fromtimestamp(seconds, tz=UTC) + BEIJING).date()
            if is_plausible(day, today):
                return day
    return None


def article_item(article: object, base: str, today: date | None) -> ListItem | None:
    """One list item from an API article, or None without a title and a link."""
    if not isinstance(article, dict):
        return None
    title = article.get("title")
    raw_url = next((article[k] for k in URL_KEYS if isinstance(article.get(k), str)), None)
    url = resolve_url(base, raw_url)
    if not isinstance(title, str) or not clean_ws(title) or url is None:
        return None
    return ListItem(title=clean_ws(title), url=url, date=article_date(article, today))


class Gkmlpt(CmsAdapter):
    """Guangdong's provincial disclosure directory platform."""

    name = "gkmlpt"

    def __init__(self, api_url: str) -> None:
        self.api_url = api_url
        self.per_page: int | None = None

    @classmethod
    def detect(cls, tree: HtmlElement, page_url: str) -> Gkmlpt | None:
        sources = [s.get("src") or "" for s in tree.iter("script")]
        if MARKER not in urlsplit(page_url).path and not any(MARKER in s for s in sources):
            return None
        sid = SID.search(script_text(tree))
        if sid is None:
            return None
        path = urlsplit(page_url).path
        prefix = path[: path.index(MARKER)] if MARKER in path else ""
        category = CATEGORY.search(page_url)
        number = category.group(1) if category else "0"
        api = f"{prefix}{MARKER}api/all/{number}?page=1&sid={sid.group(1)}"
        return cls(urljoin(page_url, api))

    def first_page(self, tree: HtmlElement, page_url: str, today: date | None) -> AdapterPage:
        return AdapterPage([], self.api_url, None)

    def data_page(self, text: str, data_url: str, today: date | None) -> AdapterPage:
        try:
            data = json.loads(text)
        except ValueError:
            return AdapterPage()
        if not isinstance(data, dict):
            return AdapterPage()
        articles = data.get("articles") or data.get("data") or []
        if not isinstance(articles, list):
            return AdapterPage()
        items = [i for a in articles[:MAX_ARTICLES] if (i := article_item(a, data_url, today))]
        if self.per_page is None and articles:
            self.per_page = len(articles)
        total_records = data.get("total")
        total = pages_for(total_records if isinstance(total_records, int) else None, self.per_page)
        page = query_int(data_url, "page") or 1
        more = bool(articles) and total is not None and page < total
        next_url = with_query(data_url, page=page + 1) if more else None
        return AdapterPage(items, next_url, total)
