"""Columns (栏目) of a site from its home page navigation, with a category guessed from the name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from crawler.categories import Category
from crawler.extract.dates import date_from_url
from crawler.extract.items import title_text
from crawler.extract.patterns import FOOTER_HINT
from crawler.extract.tree import (
    class_id,
    document_base,
    meta_content,
    parse_html,
    resolve_url,
)

# (keywords, category) in priority order: the first table row with a keyword in the name wins.
CATEGORY_KEYWORDS: tuple[tuple[tuple[str, ...], Category], ...] = (
    (("信箱", "咨询", "留言", "互动", "问答", "建言"), Category.CONSULTATION),
    (("访谈",), Category.INTERVIEW),
    (("调查", "征集", "意见"), Category.SURVEY),
    (("信息公开",), Category.DISCLOSURE),
    (("通知公告", "公告", "公示", "通知"), Category.NOTICE),
    (("政策", "法规", "文件", "规章", "解读"), Category.POLICY),
    (("人事", "任免", "招聘", "招考"), Category.PERSONNEL),
    (("规划", "计划"), Category.PLANNING),
    (("财政", "预算", "决算", "三公", "采购"), Category.FINANCE),
    (("统计",), Category.STATISTICS),
    (("机构", "领导", "职能", "概况", "简介", "走进"), Category.BASIC_INFO),
    (("办事", "服务", "下载", "指南", "大厅"), Category.SERVICE),
    (("工作动态", "要闻", "动态", "新闻", "资讯", "快讯", "信息"), Category.NEWS),
)
# The CMS ColumnType meta (gov.cn template standard) names the column kind in Chinese.
ONCLICK_URL = re.compile(
    r"(?:window\.open|location\.href\s*=|window\.location(?:\.href)?\s*=|location\s*=|"
    r"location\.assign|location\.replace)\s*\(?\s*['\"]([^'\"]{1,500})['\"]"
)
HOME_NAMES = frozenset({"首页", "网站首页", "首 页", "返回首页", "主页", "home"})
SKIP_NAMES = re.compile(
    r"^(更多|more|详细|详情|>>|»|\+|查看更多|进入|点击|\[|【|★|·)", re.IGNORECASE
)
# Posts, letters and documents are not columns: dated file names, record ids, attachments.
DETAIL_URL = re.compile(
    r"/t\d{8}_\d+|/art_\d+_\d+|content_\d+|/art/\d{4}/|/\d{8,}\.\w{2,5}$|[?&](?:doc)?id=[\w-]{8,}"
    r"|detail|\.(?:pdf|docx?|xlsx?|jpg|png|gif|zip|rar)$",
    re.IGNORECASE,
)
MIN_NAME_CHARS = 2
MAX_NAME_CHARS = 12


@dataclass(frozen=True)
class ColumnLink:
    """A column found on a page: its name, absolute URL and guessed category."""

    name: str
    url: str
    category: Category


def category_for(name: str) -> Category:
    """Category of a column from keywords in its name (crawler.categories.Category)."""
    for keywords, category in CATEGORY_KEYWORDS:
        if any(keyword in name for keyword in keywords):
            return category
    return Category.OTHER


def category_from_meta(html: str) -> Category | None:
    """Category from a page's ColumnType meta, when the CMS writes one."""
    value = meta_content(parse_html(html), "ColumnType", "columntype")
    if not value:
        return None
    category = category_for(value)
    return None if category is Category.OTHER else category


def same_site(url: str, home: str) -> bool:
    """True when url is on the home page's host or one of its sub-domains' siblings."""
    host, home_host = urlsplit(url).hostname or "", urlsplit(home).hostname or ""
    if host == home_host:
        return True
    # www.x.gov.cn and xxgk.x.gov.cn belong to one site; bare IPs must match exactly.
    if host.replace(".", "").isdigit() or home_host.replace(".", "").isdigit():
        return False
    return host.split(".", 1)[-1] == home_host.split(".", 1)[-1] and host.count(".") >= 2


def is_home(url: str, page_url: str) -> bool:
    """True for links back to the page itself or to the site root."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    return url.rstrip("/") == page_url.rstrip("/") or (
        not parts.query and re.fullmatch(r"(/index\.\w{2,5})?", path) is not None
    )


def in_footer(el: HtmlElement) -> bool:
    """True when el sits inside a footer / friend-links block."""
    node: HtmlElement | None = el
    depth = 0
    while node is not None and depth < 8:
        if node.tag == "footer" or FOOTER_HINT.search(class_id(node)):
            return True
        node = node.getparent()
        depth += 1
    return False


def link_targets(tree: HtmlElement, base: str) -> list[tuple[HtmlElement, str | None]]:
    """Every navigable element with its raw target: <a href> and onclick window.open()/location."""
    targets: list[tuple[HtmlElement, str | None]] = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        onclick = el.get("onclick")
        if (
            el.tag == "a"
            and el.get("href")
            and not el.get("href", "").lower().startswith("javascript")
        ):
            targets.append((el, el.get("href")))
        elif onclick:
            match = ONCLICK_URL.search(onclick)
            if match:
                targets.append((el, match.group(1)))
    return targets


def discover_columns_from_tree(tree: HtmlElement, base_url: str) -> list[ColumnLink]:
    """Columns of a parsed page (see discover_columns)."""
    base = document_base(tree, base_url)
    columns: list[ColumnLink] = []
    seen: set[str] = set()
    for el, raw in link_targets(tree, base):
        url = resolve_url(base, raw)
        name = title_text(el).replace("\u3000", "").strip()
        if url is None or url in seen or not MIN_NAME_CHARS <= len(name) <= MAX_NAME_CHARS:
            continue
        if (
            name.lower() in HOME_NAMES
            or name.replace(" ", "") in HOME_NAMES
            or SKIP_NAMES.match(name)
        ):
            continue
        if any(ch.isdigit() for ch in name[:4]) or DETAIL_URL.search(url) or date_from_url(url):
            continue  # dated headlines and documents are posts, not columns
        if not same_site(url, base_url) or is_home(url, base_url) or in_footer(el):
            continue
        seen.add(url)
        columns.append(ColumnLink(name=name, url=url, category=category_for(name)))
    return columns


def discover_columns(html: str, base_url: str) -> list[ColumnLink]:
    """Columns linked from a page's navigation (anchors and onclick handlers), in page order."""
    return discover_columns_from_tree(parse_html(html), base_url)
