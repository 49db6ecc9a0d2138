"""Article (detail) pages: title, publish date (visible, meta and URL kept apart) and source."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from lxml.html import HtmlElement

from crawler.extract.dates import FULL_DATE, date_from_url, full_dates, parse_datetime_value
from crawler.extract.items import title_text
from crawler.extract.tree import (
    class_id,
    clean_ws,
    meta_content,
    page_title,
    parse_html,
    visible_text,
)

# "发布日期：2012-05-15", "发布时间: 2012年5月15日": the strongest visible evidence.
PUBLISH_LABEL = re.compile(r"(?:发布|发稿|公开|发表|上传)(?:日期|时间)\s*[:：]?\s*")
# Generic "日期：" / "时间：" labels; a qualifying word before them (留言时间, 成交日期)
# disqualifies the label.
GENERIC_LABEL = re.compile(r"(?:日期|时间)\s*[:：]\s*")
DISQUALIFYING_PREFIX = re.compile(
    r"(留言|来信|回复|答复|提问|受理|办理|履约|成交|开标|截止|报名|会议|评审|签订|成文|打印|"
    r"生成|修改|更新|开始|结束|有效|实施|采购|公告|浏览|访问|提交|咨询|当前|今天)\s*$"
)
DATE_CLASS = re.compile(r"pub_?time|pub_?date|publish|release|fbsj|fbrq|(?:^|[\s_-])(?:time|date)")
TITLE_SUFFIX = re.compile(r"\s*(?:[-_|｜—–]+|__)\s*[^-_|｜—–]{2,40}$")
SOURCE_LABEL = re.compile(r"(?:信息来源|文章来源|稿件来源|内容来源|来源)\s*[:：]\s*")
SOURCE_STOP = re.compile(r"\s|[|｜【\[]|(?:作者|时间|日期|发布|浏览|点击|字号)")
META_DATE_NAMES = (
    "PubDate", "publishdate", "pubdate", "firstpublishedtime", "article:published_time",
    "og:release_date", "dc.date.issued", "dcterms.issued", "dc.date", "publish_date",
    "publication_date", "datePublished",
)  # fmt: skip
TITLE_CLASS = re.compile(r"title|biaoti|bt\b|headline|tit\b")
# How far after the title an unlabelled date may sit and still be the publish date.
NEAR_TITLE_CHARS = 400
DATE_WINDOW_CHARS = 40


@dataclass(frozen=True)
class Detail:
    """What a detail page says about itself; `dates` keeps each source's date apart."""

    title: str
    date: date | None
    date_source: str | None
    source: str | None
    dates: dict[str, date] = field(default_factory=dict)


def labelled_date(text: str, label: re.Pattern[str], today: date | None) -> date | None:
    """First date right after a label in text, skipping labels with a disqualifying prefix."""
    for match in label.finditer(text):
        if DISQUALIFYING_PREFIX.search(text[max(0, match.start() - 6) : match.start()]):
            continue
        found = full_dates(text[match.end() : match.end() + DATE_WINDOW_CHARS], today)
        if found:
            return found[0]
    return None


def date_from_date_elements(body: HtmlElement, today: date | None) -> date | None:
    """Date from an element whose class/id names it (span#pubTime, div.pubDate, …)."""
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "meta"):
            continue
        if not DATE_CLASS.search(class_id(el)):
            continue
        text = visible_text(el)
        if len(text) > 80:
            continue
        found = full_dates(text, today)
        if found:
            return found[0]
    return None


def date_near_title(text: str, title: str, today: date | None) -> date | None:
    """First date shortly after an occurrence of the title in the page text."""
    needle = title[:12]
    if len(needle) < 4:
        return None
    start = text.find(needle)
    tries = 0
    while start >= 0 and tries < 5:
        window = text[start + len(needle) : start + len(needle) + NEAR_TITLE_CHARS]
        found = full_dates(window, today)
        if found:
            return found[0]
        start = text.find(needle, start + 1)
        tries += 1
    return None


def visible_date(tree: HtmlElement, title: str, today: date | None) -> date | None:
    """The publish date shown on the page, strongest evidence first."""
    body = next(tree.iter("body"), tree)
    text = visible_text(body)
    return (
        labelled_date(text, PUBLISH_LABEL, today)
        or date_from_date_elements(body, today)
        or labelled_date(text, GENERIC_LABEL, today)
        or date_near_title(text, title, today)
    )


def meta_date(tree: HtmlElement, today: date | None) -> date | None:
    """Publish date from the PubDate / published_time family of metas (not Maketime)."""
    value = meta_content(tree, *META_DATE_NAMES)
    return parse_datetime_value(value, today) if value else None


def strip_site_suffix(title: str) -> str:
    """'Article - Site name' → 'Article'."""
    stripped = TITLE_SUFFIX.sub("", title)
    return stripped if len(stripped) >= 4 else title


def heading_title(tree: HtmlElement, hint: str) -> str | None:
    """The page heading that matches the <title> (h1/h2 or a *title* element), else first h1."""
    first_heading: tuple[str, str] | None = None
    matching: list[str] = []
    key = hint[:8]
    for el in tree.iter("h1", "h2", "h3", "div", "p", "span", "td", "strong"):
        if el.tag not in ("h1", "h2", "h3") and not TITLE_CLASS.search(class_id(el)):
            continue
        text = title_text(el)
        if not 4 <= len(text) <= 200:
            continue
        if key and key in text.replace(" ", ""):
            matching.append(text)
        elif first_heading is None or (el.tag == "h1" and first_heading[0] != "h1"):
            first_heading = (el.tag, text)
    # An info block (title + 来源 + date) also contains the title: the shortest match is it.
    if matching:
        return min(matching, key=len)
    return first_heading[1] if first_heading else None


def detail_title(tree: HtmlElement) -> str:
    """Article title: ArticleTitle meta, the heading matching <title>, or <title> without suffix."""
    meta_title = meta_content(tree, "ArticleTitle", "og:title", "title")
    if meta_title:
        return clean_ws(meta_title)
    tag_title = strip_site_suffix(page_title(tree))
    heading = heading_title(tree, tag_title.replace(" ", ""))
    if heading and (not tag_title or len(tag_title) < 6 or heading[:6] in tag_title):
        return heading
    return tag_title or heading or ""


def visible_source(tree: HtmlElement) -> str | None:
    """The 来源 shown on the page ('来源：新华社'), or None if absent or empty."""
    body = next(tree.iter("body"), tree)
    text = visible_text(body)
    for match in SOURCE_LABEL.finditer(text):
        rest = text[match.end() : match.end() + 60]
        value = SOURCE_STOP.split(rest, maxsplit=1)[0]
        # "来源：" left empty is followed by the next label ("分享："), not by a source.
        if value and not FULL_DATE.match(value) and not value.endswith((":", "：")):
            return value
    return None


def extract_detail_from_tree(tree: HtmlElement, url: str, *, today: date | None = None) -> Detail:
    """Detail data of a parsed article page (see extract_detail)."""
    title = detail_title(tree)
    dates: dict[str, date] = {}
    shown = visible_date(tree, title, today)
    if shown is not None:
        dates["text"] = shown
    in_meta = meta_date(tree, today)
    if in_meta is not None:
        dates["meta"] = in_meta
    in_url = date_from_url(url, today)
    if in_url is not None:
        dates["url"] = in_url
    # Visible text wins: metas are often the page-generation time, URLs the upload day.
    source_key = next((k for k in ("text", "meta", "url") if k in dates), None)
    source = visible_source(tree) or meta_content(tree, "ContentSource", "source")
    return Detail(
        title=title,
        date=dates[source_key] if source_key else None,
        date_source=source_key,
        source=source or None,
        dates=dates,
    )


def extract_detail(html: str, url: str, *, today: date | None = None) -> Detail:
    """Title, publish date (text > meta > URL), 来源 and every date source of an article page."""
    return extract_detail_from_tree(parse_html(html), url, today=today)
