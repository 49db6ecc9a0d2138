"""Pagination of list pages: TRS createPageHTML scripts, 下一页/尾页 links, page-number URLs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml.html import HtmlElement

from crawler.extract.tree import clean_ws, document_base, parse_html, resolve_url, visible_text

# createPageHTML(total, current, "index", "html") — TRS WCM, current is 0-based;
# createPageHTML('page_div', total, current, 'name', 'ext', records) — provincial platforms,
# current is 1-based.
CREATE_PAGE_HTML = re.compile(
    r"createPageHTML\s*\(\s*(?:['\"]([\w-]{1,40})['\"]\s*,\s*)?(\d{1,6})\s*,\s*(\d{1,6})\s*,"
    r"\s*['\"]([\w.-]{1,60})['\"]\s*,\s*['\"](\w{1,10})['\"]"
)
# document.write paging: var currentPage = 0; var countPage = 2
COUNT_PAGE = re.compile(
    r"\b(?:countPage|pageCount|totalPage|totalPages|page_count)\s*=\s*(\d{1,6})"
)
CURRENT_PAGE = re.compile(r"\b(?:currentPage|curPage|pageIndex|current_page)\s*=\s*(\d{1,6})")
# Paging scripts build names by concatenation: "index"+"_" + n + "."+"html".
SCRIPT_PAGE_NAME = re.compile(r"\b(index|list|default)(?=[\"'+\s]{0,8}[._])")
SCRIPT_PAGE_EXT = re.compile(r"[\"'.](s?html?)\b")
# Hanweb jpage / JSON-rendered columns: records and page size in script variables.
PER_PAGE = re.compile(r"\bperPage\W{0,4}(\d{1,4})")
TOTAL_RECORDS = re.compile(r"\b(?:articleCount|totalRecord|totalCount|recordCount)\W{0,4}(\d{1,7})")
UNIT_ID = re.compile(r"\bunitid\W{0,4}(\d{1,12})", re.IGNORECASE)
TOTAL_PAGES_TEXT = re.compile(
    r"共\s*(\d{1,6})\s*页|共计\s*(\d{1,6})\s*页|\d{1,6}\s*/\s*(\d{1,6})\s*页"
)
NEXT_TEXT = re.compile(r"^(下一页|下页|后一页|next|>|›|»|>>)$", re.IGNORECASE)
LAST_TEXT = re.compile(r"^(尾页|末页|最后一页|last|»|>>\|)$", re.IGNORECASE)
PAGE_PARAMS = ("pageindex", "page", "pageno", "pagenum", "currentpage", "curpage", "p", "pn")
NUMBERED_FILE = re.compile(r"^(.*?)[_-](\d{1,6})(\.[a-z]{2,5})$", re.IGNORECASE)
MAX_PAGE_URLS = 500


@dataclass(frozen=True)
class Pagination:
    """Where a list continues: the next page, the page count and every known page URL."""

    next_url: str | None
    total_pages: int | None
    page_urls: list[str] = field(default_factory=list)


def trs_page_url(base: str, name: str, ext: str, index0: int) -> str:
    """URL of 0-based page index0 in TRS naming: index.html, index_1.html, …"""
    filename = f"{name}.{ext}" if index0 == 0 else f"{name}_{index0}.{ext}"
    return urljoin(base, filename)


def from_create_page_html(script: str, base: str) -> Pagination | None:
    """Pagination from a createPageHTML(...) call in script text."""
    match = CREATE_PAGE_HTML.search(script)
    if match is None:
        return None
    div_id, total_s, current_s, name, ext = match.groups()
    total, current = int(total_s), int(current_s)
    if total <= 0:
        return None
    # The 6-argument variant (leading div id) counts pages from 1, TRS WCM from 0.
    index0 = current - 1 if div_id else current
    count = min(total, MAX_PAGE_URLS)
    pages = [trs_page_url(base, name, ext, i) for i in range(count)]
    next_url = pages[index0 + 1] if 0 <= index0 + 1 < count else None
    return Pagination(next_url=next_url, total_pages=total, page_urls=pages)


def page_name_of(url: str) -> tuple[str, str] | None:
    """(name, ext) of a TRS-style list URL like …/index.html or …/index_3.html."""
    path = urlsplit(url).path
    filename = path.rsplit("/", 1)[-1] or "index.html"
    match = re.match(r"^([a-z]{2,20})(?:_\d{1,6})?\.(s?html?)$", filename, re.IGNORECASE)
    return (match.group(1), match.group(2)) if match else None


def from_count_script(script: str, base: str, url: str) -> Pagination | None:
    """Pagination from document.write paging: var countPage = N; var currentPage = i (0-based)."""
    count_match = COUNT_PAGE.search(script)
    if count_match is None:
        return None
    total = int(count_match.group(1))
    current_match = CURRENT_PAGE.search(script)
    index0 = int(current_match.group(1)) if current_match else 0
    name_ext = page_name_of(url)
    name_match = SCRIPT_PAGE_NAME.search(script)
    ext_match = SCRIPT_PAGE_EXT.search(script)
    if name_match and ext_match:
        name_ext = (name_match.group(1), ext_match.group(1))
    if name_ext is None or total <= 0:
        return Pagination(next_url=None, total_pages=total or None, page_urls=[])
    count = min(total, MAX_PAGE_URLS)
    pages = [trs_page_url(base, name_ext[0], name_ext[1], i) for i in range(count)]
    next_url = pages[index0 + 1] if 0 <= index0 + 1 < count else None
    return Pagination(next_url=next_url, total_pages=total, page_urls=pages)


def from_record_counts(scripts: str, url: str) -> Pagination | None:
    """Pagination of a JSON-rendered column: ceil(records / perPage), next via ?uid=&pageNum=."""
    per_page, records = PER_PAGE.search(scripts), TOTAL_RECORDS.search(scripts)
    if per_page is None or records is None or int(per_page.group(1)) == 0:
        return None
    total = -(-int(records.group(1)) // int(per_page.group(1)))
    unit = UNIT_ID.search(scripts)
    next_url = None
    if unit and total > 1:
        next_url = urljoin(url, f"?uid={unit.group(1)}&pageNum=2")
    return Pagination(next_url=next_url, total_pages=total, page_urls=[url])


def script_texts(tree: HtmlElement) -> list[str]:
    """Inline script bodies plus commented-out markup (paging calls hide in both)."""
    texts = [s.text for s in tree.iter("script") if s.text and not s.get("src")]
    texts += [c.text for c in tree.iter(etree.Comment) if c.text and "PageHTML" in c.text]
    return texts


def link_pagination(tree: HtmlElement, base: str) -> tuple[str | None, str | None]:
    """(next URL, last URL) from 下一页 / 尾页 links."""
    next_url: str | None = None
    last_url: str | None = None
    for anchor in tree.iter("a"):
        text = clean_ws(anchor.text_content()).replace(" ", "")
        if not text or len(text) > 6:
            continue
        if next_url is None and NEXT_TEXT.match(text):
            next_url = resolve_url(base, anchor.get("href"))
        elif last_url is None and LAST_TEXT.match(text):
            last_url = resolve_url(base, anchor.get("href"))
    return next_url, last_url


def page_number_of(url: str) -> int | None:
    """Page number in a URL: index_3.html → 3 (0-based TRS index), ?page=3 → 3."""
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if key.lower() in PAGE_PARAMS and value.isdigit():
            return int(value)
    match = NUMBERED_FILE.match(parts.path.rsplit("/", 1)[-1])
    return int(match.group(2)) if match else None


def next_by_query(url: str, last_url: str | None, total: int | None) -> str | None:
    """The next page of a ?page=N style URL, when a last-page link or a page count shows one.

    Without either there is no evidence of a next page: guessing would walk into 404s.
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    for i, (key, value) in enumerate(query):
        if key.lower() in PAGE_PARAMS and value.isdigit():
            last = page_number_of(last_url) if last_url else total
            if last is None or int(value) >= last:
                return None
            query[i] = (key, str(int(value) + 1))
            return urlunsplit(parts._replace(query=urlencode(query)))
    return None


def total_from_text(tree: HtmlElement) -> int | None:
    """Page count written in the text: 共 N 页, 共计 N 页, 1/N 页."""
    text = visible_text(tree)
    match = TOTAL_PAGES_TEXT.search(text[-20000:]) or TOTAL_PAGES_TEXT.search(text[:20000])
    if match is None:
        return None
    return int(next(g for g in match.groups() if g))


def find_pagination_from_tree(
    tree: HtmlElement, url: str, *, next_page_selector: str | None = None
) -> Pagination:
    """Pagination of a parsed list page (see find_pagination)."""
    base = document_base(tree, url)
    if next_page_selector:
        from crawler.extract.lists import select

        found = select(tree, next_page_selector)
        href = found[0].get("href") if found else None
        return Pagination(next_url=resolve_url(base, href), total_pages=None, page_urls=[])
    for script in script_texts(tree):
        result = from_create_page_html(script, base) or from_count_script(script, base, url)
        if result is not None:
            return result
    counted = from_record_counts("\n".join(script_texts(tree))[:2_000_000], url)
    if counted is not None:
        return counted
    next_url, last_url = link_pagination(tree, base)
    total = total_from_text(tree)
    if last_url is not None and total is None:
        last_number = page_number_of(last_url)
        # TRS index_N.html is 0-based (index_1 is page 2); ?page=N is 1-based.
        if last_number is not None:
            total = (
                last_number + 1 if NUMBERED_FILE.match(last_url.rsplit("/", 1)[-1]) else last_number
            )
    if next_url is None:
        next_url = next_by_query(url, last_url, total)
    pages = [u for u in (url, next_url) if u]
    return Pagination(next_url=next_url, total_pages=total, page_urls=pages if next_url else [url])


def find_pagination(html: str, url: str) -> Pagination:
    """Next page, page count and page URLs of a list page (scripts, 下一页/尾页 links, ?page=N)."""
    return find_pagination_from_tree(parse_html(html), url)
