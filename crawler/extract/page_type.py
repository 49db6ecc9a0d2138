"""Which kind of page this is, read from the page: home, list, detail, mailbox, or other.

The URL only breaks ties: a detail page served at `/` is a detail page, and a home page
at `/portal/index.shtml` whose first block is a dated news list is a home page.
"""

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
from crawler.extract.detail import META_DATE_NAMES
from crawler.extract.headline import MIN_MATCH, find_headline
from crawler.extract.items import ListItem
from crawler.extract.lists import Candidate, list_candidates, main_list, separate_dated_lists
from crawler.extract.pagination import find_pagination_from_tree
from crawler.extract.patterns import PUBLISH_LABEL, SOURCE_LABEL
from crawler.extract.tree import (
    clean_ws,
    document_base,
    meta_content,
    page_title,
    parse_html,
    resolve_url,
    visible_text,
)

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
# Column names are short (通知公告, 政策解读); article titles are longer.
ARTICLE_TITLE_CHARS = 10
# A home page shows several separate dated blocks (news, notices, policies, …), none of
# which holds most of the page's dated items; a column page has one main list.
PAGER_WORDS = re.compile(r"上一页|下一页|尾页|末页|上页|下页")
HOME_LINK_TEXTS = frozenset({"首页", "网站首页", "主页", "门户首页"})
HOME_BLOCKS = 3
HOME_BLOCK_ITEMS = 3
HOME_MAIN_SHARE = 0.5


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


def has_article_metas(tree: HtmlElement) -> bool:
    """True when the page carries an article's metadata (ArticleTitle, PubDate, …)."""
    return bool(meta_content(tree, "ArticleTitle", *META_DATE_NAMES))


def looks_like_detail(tree: HtmlElement, url: str, text: str) -> bool:
    """Detail evidence: article metas, a detail-style URL, or labelled article text."""
    if has_article_metas(tree):
        return True
    if DETAIL_URL.search(url) and not LIST_URL.search(url):
        return True
    labelled = bool(PUBLISH_LABEL.search(text) or SOURCE_LABEL.search(text))
    if not labelled:
        return False
    return paragraph_text_length(tree) >= ARTICLE_TEXT_CHARS or has_article_headline(tree)


def has_article_headline(tree: HtmlElement) -> bool:
    """True when a heading matching the page's title reads like an article's (not a column's)."""
    headline = find_headline(tree)
    return (
        headline.element is not None
        and headline.similarity >= MIN_MATCH
        and len(headline.title) >= ARTICLE_TITLE_CHARS
    )


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


def in_pager(anchor: HtmlElement) -> bool:
    """True when a link sits among pager links (上一页, 下一页, 尾页)."""
    node = anchor.getparent()
    for _ in range(3):
        if node is None:
            return False
        if PAGER_WORDS.search(visible_text(node)[:400]):
            return True
        node = node.getparent()
    return False


def links_home_to_itself(tree: HtmlElement, url: str) -> bool:
    """True when the page's 首页 link points at the page itself: it is the home page."""
    base = document_base(tree, url)
    here = url.split("#", 1)[0].rstrip("/")
    for anchor in tree.iter("a"):
        if clean_ws(anchor.text_content()).replace(" ", "") in HOME_LINK_TEXTS:
            if in_pager(anchor):
                continue  # 首页 of a pager is the list's first page
            target = resolve_url(base, anchor.get("href"))
            if target is not None and target.rstrip("/") == here:
                return True
    return False


def is_paged(tree: HtmlElement, url: str) -> bool:
    """True when a known pager form reads the page (a short column is still a column)."""
    return find_pagination_from_tree(tree, url).form is not None


def looks_like_home(tree: HtmlElement, url: str, candidates: list[Candidate]) -> bool:
    """Several separate dated blocks, none dominant, and no pager: a home (portal) page."""
    blocks = separate_dated_lists(candidates, HOME_BLOCK_ITEMS)
    if len(blocks) < HOME_BLOCKS:
        return False
    sizes = [sum(1 for item in block.items if item.date is not None) for block in blocks]
    if max(sizes) > HOME_MAIN_SHARE * sum(sizes):
        return False
    pager = find_pagination_from_tree(tree, url)
    return pager.next_url is None and not pager.total_pages


def classify_page_tree(
    tree: HtmlElement,
    url: str,
    *,
    items: list[ListItem] | None = None,
    candidates: list[Candidate] | None = None,
    today: date | None = None,
) -> PageType:
    """Page type of a parsed page; pass the list candidates if already computed."""
    text = visible_text(next(tree.iter("body"), tree))
    consultation = consultation_type(tree, url, text)
    if consultation is not None:
        return consultation
    if candidates is None:
        candidates = list_candidates(tree, url, today=today)
    if items is None:
        items = main_list(candidates, document_base(tree, url))
    home_url = is_home_url(url)
    # At a home address only article metadata says "detail": portals carry labels and text.
    if has_article_metas(tree) or (not home_url and looks_like_detail(tree, url, text)):
        return "detail"
    if home_url or links_home_to_itself(tree, url) or looks_like_home(tree, url, candidates):
        return "home"
    if is_dated_list(items) or (items and is_paged(tree, url)):
        return "list"
    if sum(1 for _ in tree.iter("a")) >= 5:
        return "home"
    return "other"


def classify_page(html: str, url: str) -> PageType:
    """'home'|'list'|'detail'|'consultation_list'|'consultation_detail'|'other'."""
    return classify_page_tree(parse_html(html), url)
