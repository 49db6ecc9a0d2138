"""Which kind of page this is: home, list, detail, mailbox list, single letter, or other."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from crawler.extract.consultations import (
    ASKED_LABEL,
    CONSULTATION_HINT,
    REPLIED_LABEL,
    REPLY_CONTENT_LABEL,
    extract_consultation_list_from_tree,
)
from crawler.extract.detail import META_DATE_NAMES, PUBLISH_LABEL, SOURCE_LABEL
from crawler.extract.items import ListItem
from crawler.extract.lists import extract_list_from_tree
from crawler.extract.tree import meta_content, page_title, parse_html, visible_text

PageType = Literal["home", "list", "detail", "consultation_list", "consultation_detail", "other"]

HOME_PATH = re.compile(r"^/?(?:(?:index|default|main|home)\.\w{2,5})?$", re.IGNORECASE)
DETAIL_URL = re.compile(
    r"/t\d{8}_\d+|/art/\d{4}/|/art_\d+_\d+|content_\d+|/content/|detail|/\d{12,}\.s?html?$"
    r"|/\d{6}/\d{5,}\.s?html?$|[?&](?:doc|article|info|news)?id=",
    re.IGNORECASE,
)
LIST_URL = re.compile(r"/(?:index|list|zwgklist)(?:_\d+)?\.\w{2,5}$|/col/col\d+/|/$", re.IGNORECASE)
# Pages with this much paragraph text are articles, whatever else they hold.
ARTICLE_TEXT_CHARS = 200
MIN_LIST_ITEMS = 4


def is_home_url(url: str) -> bool:
    """True for a site's root URL (/, /index.html, /default.aspx)."""
    parts = urlsplit(url)
    return not parts.query and HOME_PATH.match(parts.path) is not None


def paragraph_text_length(tree: HtmlElement) -> int:
    """Characters of text in <p> elements outside links (article body evidence)."""
    total = 0
    for para in tree.iter("p"):
        link_chars = sum(len(visible_text(a)) for a in para.iter("a"))
        total += max(0, len(visible_text(para)) - link_chars)
        if total >= ARTICLE_TEXT_CHARS:
            break
    return total


def looks_like_detail(tree: HtmlElement, url: str, text: str) -> bool:
    """Detail evidence: article metas, a detail-style URL with a date label, or article text."""
    if meta_content(tree, "ArticleTitle", *META_DATE_NAMES):
        return True
    labelled = bool(PUBLISH_LABEL.search(text) or SOURCE_LABEL.search(text))
    if DETAIL_URL.search(url) and not LIST_URL.search(url):
        return True
    return labelled and paragraph_text_length(tree) >= ARTICLE_TEXT_CHARS


def consultation_type(tree: HtmlElement, url: str, text: str) -> PageType | None:
    """'consultation_list' / 'consultation_detail' for mailbox pages, else None."""
    # The hint must be in the URL or title: home pages carry mailbox blocks too.
    if not CONSULTATION_HINT.search(f"{url} {page_title(tree)}"):
        return None
    letters = extract_consultation_list_from_tree(tree, url)
    if sum(1 for letter in letters if letter.status is not None) >= 2:
        return "consultation_list"
    if ASKED_LABEL.search(text) and (
        REPLIED_LABEL.search(text) or REPLY_CONTENT_LABEL.search(text)
    ):
        return "consultation_detail"
    return None


def is_dated_list(items: list[ListItem]) -> bool:
    """True when a main list is long enough and mostly dated to be a column page."""
    dated = sum(1 for item in items if item.date is not None)
    return len(items) >= MIN_LIST_ITEMS and dated * 2 >= len(items)


def classify_page_tree(
    tree: HtmlElement,
    url: str,
    *,
    items: list[ListItem] | None = None,
    today: date | None = None,
) -> PageType:
    """Page type of a parsed page; pass the main list if already extracted to save work."""
    if is_home_url(url):
        return "home"
    text = visible_text(next(tree.iter("body"), tree))
    consultation = consultation_type(tree, url, text)
    if consultation is not None:
        return consultation
    if looks_like_detail(tree, url, text):
        return "detail"
    if items is None:
        items = extract_list_from_tree(tree, url, today=today)
    if is_dated_list(items):
        return "list"
    if sum(1 for _ in tree.iter("a")) >= 5:
        return "home"
    return "other"


def classify_page(html: str, url: str) -> PageType:
    """'home'|'list'|'detail'|'consultation_list'|'consultation_detail'|'other'."""
    return classify_page_tree(parse_html(html), url)
