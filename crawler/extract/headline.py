"""An article's headline: the element that best matches <title>/ArticleTitle minus the site name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from lxml.html import HtmlElement

from crawler.extract.dates import FULL_DATE
from crawler.extract.items import dates_inside, text_without, title_text
from crawler.extract.patterns import HIDDEN_STYLE, OUTSIDE_ARTICLE, SITE_NAME, TITLE_CLASS
from crawler.extract.textmap import TextMap
from crawler.extract.tree import class_id, clean_ws, is_content_block, meta_content, page_title

# Separators between a title and its column/site parts: "标题 - 栏目 - 站点", "标题_站点".
# A hyphen between digits ("2022-2025年") is part of the title, not a separator.
TITLE_SEPARATOR = re.compile(r"\s*(?:__|[|｜—–]+|(?<!\d)[-_](?!\d)|\s[-_]\s)\s*")
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
SPACES = re.compile(r"[\s\u3000]+")
MIN_TITLE_CHARS = 4
MAX_TITLE_CHARS = 200
# Below this similarity to the page's own title a heading is not the headline.
MIN_MATCH = 0.6
MIN_FALLBACK_CHARS = 5
TITLE_LIKE_CHARS = 8
DATE_AFTER_CHARS = 150
CJK = re.compile(r"[\u4e00-\u9fff]")
EXACT_MATCH = 0.95
PREFIX_MATCH = 0.8
PREFIX_MIN_CHARS = 8
# What may follow the title inside its heading: the meta line (a date, 来源, 发布时间 …).
META_REST = re.compile(r"^[(（\[【]?(?:(?:19|20)\d\d|发布|来源|时间|日期|作者|浏览|字号|编辑)")
ANCESTOR_STEPS = 4
KEY_CHARS = 6


@dataclass(frozen=True)
class Headline:
    """The article title and the element showing it (None when only metadata had it)."""

    title: str
    element: HtmlElement | None
    similarity: float


def squeeze(text: str) -> str:
    """Text without any whitespace (titles differ only in spacing between CJK characters)."""
    return SPACES.sub("", text)


def is_site_name(part: str, site: str) -> bool:
    """True for a title part that names the site ('…人民政府门户网站', the SiteName meta)."""
    part = part.strip()
    return bool(part) and (part == site or SITE_NAME.search(part) is not None)


def without_site_tail(title: str, site: str) -> str:
    """'标题 - 栏目 - 某市人民政府门户网站' → '标题 - 栏目': trailing site-name parts dropped."""
    while True:
        separators = list(TITLE_SEPARATOR.finditer(title))
        if not separators or not is_site_name(title[separators[-1].end() :], site):
            return title.strip()
        title = title[: separators[-1].start()]


def title_hints(tree: HtmlElement) -> list[str]:
    """What the page says its title is: ArticleTitle/og:title, else <title> and its parts.

    Site-name parts are dropped; of the rest, the title without them, its first part
    ("标题_栏目_站点") and the whole <title> are tried.
    """
    site = meta_content(tree, "SiteName", "og:site_name") or ""
    meta = meta_content(tree, "ArticleTitle", "og:title")
    if meta and len(squeeze(meta)) >= MIN_TITLE_CHARS:
        # The page names its article: the <title> (often the site name alone) adds nothing.
        return [without_site_tail(clean_ws(meta), site)]
    tag_title = page_title(tree)
    if not tag_title:
        return []
    stripped = without_site_tail(tag_title, site)
    parts = [p for p in TITLE_SEPARATOR.split(stripped) if p and not is_site_name(p, site)]
    first = parts[0] if parts else stripped
    hints: list[str] = []
    for hint in (stripped, first, tag_title):
        if len(squeeze(hint)) >= MIN_TITLE_CHARS and hint not in hints:
            hints.append(hint)
    return hints


def similarity(text: str, hint: str) -> float:
    """How well a heading's text matches a title hint (1.0 = same text up to spacing)."""
    a, b = squeeze(text), squeeze(hint)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if a.startswith(b) and len(b) >= PREFIX_MIN_CHARS and META_REST.match(a[len(b) :]):
        # A heading that holds the title and then its meta line (date, 来源) inside it.
        return max(len(b) / len(a), PREFIX_MATCH)
    if a in b or b in a:
        return min(len(a), len(b)) / max(len(a), len(b))
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def outside_article(el: HtmlElement) -> bool:
    """True when el sits in navigation, a banner, the footer or a link."""
    node: HtmlElement | None = el
    while node is not None and isinstance(node.tag, str) and node.tag not in ("body", "html"):
        if node.tag in ("a", "nav", "footer", "title"):
            return True
        if OUTSIDE_ARTICLE.search(class_id(node)) and not is_content_block(node):
            return True
        if HIDDEN_STYLE.search(node.get("style") or "") or node.get("hidden") is not None:
            return True  # a hidden copy (share text, mobile block) is not what a person reads
        node = node.getparent()
    return False


def elements_holding(body: HtmlElement, key: str) -> list[HtmlElement]:
    """Elements whose own text (text or a child's tail) holds key, and their near ancestors."""
    found: list[HtmlElement] = []
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "title"):
            continue
        own = (el.text or "") + "".join(c.tail or "" for c in el)
        if key not in squeeze(own):
            continue
        node: HtmlElement | None = el
        for _ in range(ANCESTOR_STEPS):
            if node is None or node.tag in ("body", "html"):
                break
            found.append(node)
            node = node.getparent()
    return found


def is_heading(el: HtmlElement | None) -> bool:
    """True for an <h1>…<h6> element."""
    return el is not None and el.tag in HEADING_TAGS


def best_match(body: HtmlElement, hints: list[str]) -> tuple[float, HtmlElement | None, str, str]:
    """The element whose text best matches a hint: (similarity, element, its text, the hint)."""
    best: tuple[float, HtmlElement | None, str, str] = (0.0, None, "", "")
    seen: set[int] = set()
    for hint in hints:
        key = squeeze(hint)[:KEY_CHARS]
        if len(key) < MIN_TITLE_CHARS:
            continue
        for el in elements_holding(body, key):
            if id(el) in seen:
                continue
            seen.add(id(el))
            text = title_text(el)
            if not MIN_TITLE_CHARS <= len(text) <= MAX_TITLE_CHARS or outside_article(el):
                continue
            score, matched = max((similarity(text, h), h) for h in hints)
            # Ties go to a heading tag, then to the first (innermost) element found.
            if (score, el.tag in HEADING_TAGS) > (best[0], is_heading(best[1])):
                best = (score, el, text, matched)
    return best


def heading_weight(el: HtmlElement) -> float:
    """How much an element's tag says "headline": h1 most, then h2…h6, then title classes."""
    if el.tag in HEADING_TAGS:
        return 3.0 - 0.5 * min(3, HEADING_TAGS.index(el.tag))
    return 1.5 if TITLE_CLASS.search(class_id(el)) else 0.0


def reads_like_title(text: str, site: str) -> bool:
    """A title has words: not the site's name, not a date, not a label ending in a colon."""
    squeezed = squeeze(text)
    if not MIN_FALLBACK_CHARS <= len(text) <= MAX_TITLE_CHARS // 2 or squeezed in site:
        return False
    if squeezed.endswith((":", "：")) or (FULL_DATE.search(squeezed[:16]) and len(squeezed) < 20):
        return False
    return (
        len(CJK.findall(squeezed)) >= MIN_FALLBACK_CHARS or len(squeezed) >= 2 * MIN_FALLBACK_CHARS
    )


def fallback_heading(
    body: HtmlElement, site_title: str, tmap: TextMap | None
) -> HtmlElement | None:
    """The best heading in the article area when nothing matches the page's title.

    Scored by tag (h1 > h2 > … > a title class), a title's length, and a date right after it
    (the meta line under a headline); ties go to the first on the page.
    """
    site = squeeze(site_title)
    best: tuple[float, HtmlElement | None] = (0.0, None)
    for el in body.iter(*HEADING_TAGS, "div", "td", "p", "span", "strong"):
        weight = heading_weight(el)
        if weight == 0.0:
            continue
        # A title block holding the heading and its meta line: the heading inside is it.
        if any(inner is not el for inner in el.iter(*HEADING_TAGS)):
            continue
        text = title_text(el)
        if not reads_like_title(text, site) or outside_article(el):
            continue
        score = weight + (1.0 if len(text) >= TITLE_LIKE_CHARS else 0.0)
        span = tmap.span(el) if tmap is not None else None
        after = ""  # the text right under the element
        if tmap is not None and span is not None:
            after = tmap.text[span[1] : span[1] + DATE_AFTER_CHARS]
        if FULL_DATE.search(after):
            score += 2.0
        if score > best[0]:
            best = (score, el)
    return best[1]


def find_headline(tree: HtmlElement, tmap: TextMap | None = None) -> Headline:
    """The article's headline: best match for the page's title, else its best heading.

    `tmap` (the body's text map) lets the fallback prefer a heading with a date under it.
    """
    body = next(tree.iter("body"), tree)
    hints = title_hints(tree)
    score, element, text, hint = best_match(body, hints)
    meta = meta_content(tree, "ArticleTitle", "og:title")
    if element is not None and score >= MIN_MATCH:
        # The headline as shown, unless it differs from the article's own metadata title
        # (a date or a subtitle printed inside the heading), or holds the title and more.
        shown = text
        if score < EXACT_MATCH:
            shown = (
                clean_ws(meta)
                if meta
                else hint
                if squeeze(text).startswith(squeeze(hint))
                else text
            )
        return Headline(shown, element, score)
    if meta:
        return Headline(clean_ws(meta), None, 0.0)
    heading = fallback_heading(body, page_title(tree), tmap)
    if heading is not None:
        inner = dates_inside(heading)  # a date printed inside the heading is not the title's
        text = text_without(heading, inner) if inner else title_text(heading)
        return Headline(text, heading, 0.0)
    return Headline(hints[0] if hints else "", None, 0.0)
