"""Site search (站内搜索): find the home page's search form and a recent post to look for.

The check asks the site's own search for the first words of a post the home page lists and
expects the result page to link that post. Pure functions; the middleware sends the request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from lxml.html import HtmlElement

from crawler.extract.tree import raw_visible_text, resolve_url
from crawler.urls import url_key

QUERY_CHARS = 8  # the first characters of the title are the query
MIN_TITLE_CHARS = 8
TEXT_INPUTS = ("text", "search", "")
SEARCH_WORDS = re.compile(r"search|sou|query|keyword|检索|搜索|查询", re.IGNORECASE)
ARTICLE_PATH = re.compile(r"\d.*\.(?:s?html?|jsp|aspx?|php)$", re.IGNORECASE)
PLACEHOLDER_VALUES = re.compile(r"请输入|关键字|关键词|搜索")


@dataclass(frozen=True)
class SearchForm:
    """A search form: where it goes, the text field's name, the other fields' values, and its
    method (only GET forms are tried: posting to a site is not a monitor's business)."""

    action: str
    field: str
    hidden: tuple[tuple[str, str], ...] = ()
    method: str = "get"


def find_search_form(tree: HtmlElement, base_url: str) -> SearchForm | None:
    """The page's search form: a form with one text field, named or aimed like a search."""
    for form in tree.iter("form"):
        inputs = list(form.iter("input"))
        texts = [
            i for i in inputs if (i.get("type") or "").lower() in TEXT_INPUTS and i.get("name")
        ]
        if len(texts) != 1:
            continue
        described = " ".join(
            [form.get("action") or "", form.get("name") or "", form.get("id") or "",
             form.get("class") or "", texts[0].get("name") or "", texts[0].get("value") or ""]
        )  # fmt: skip
        if not SEARCH_WORDS.search(described) and not PLACEHOLDER_VALUES.search(described):
            continue
        action = resolve_url(base_url, form.get("action") or base_url) or base_url
        hidden = tuple(
            (i.get("name") or "", i.get("value") or "")
            for i in inputs
            if (i.get("type") or "").lower() == "hidden" and i.get("name")
        )
        method = (form.get("method") or "get").lower()
        return SearchForm(action, texts[0].get("name") or "", hidden, method)
    return None


def sample_post(tree: HtmlElement, base_url: str, home_host: str) -> tuple[str, str] | None:
    """(title, url) of the first article the page links on its own host, title long enough."""
    for anchor in tree.iter("a"):
        url = resolve_url(base_url, anchor.get("href"))
        if url is None or urlsplit(url).hostname != home_host:
            continue
        if not ARTICLE_PATH.search(urlsplit(url).path):
            continue
        title = (anchor.get("title") or raw_visible_text(anchor)).strip().removesuffix("...")
        if len(title) >= MIN_TITLE_CHARS:
            return title, url
    return None


def search_url(form: SearchForm, words: str) -> str:
    """The GET URL of the form with the words in its text field (UTF-8)."""
    parts = urlsplit(form.action)
    query = urlencode([*form.hidden, (form.field, words)])
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))


def lists_post(tree: HtmlElement, base_url: str, post_url: str) -> bool:
    """Whether a result page links the post."""
    wanted = url_key(post_url)
    for anchor in tree.iter("a"):
        url = resolve_url(base_url, anchor.get("href"))
        if url is not None and url_key(url) == wanted:
            return True
    return False
