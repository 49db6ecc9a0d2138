"""The known pager forms of Chinese government CMSs, each a small pure function.

A form reads a `PageView` and returns a `Pagination` when the page uses that form, else
None. `FORMS` lists them in the order they are tried: script pagers first (they are exact),
then CMS families served by an adapter, then pagers that cannot be followed, then links.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawler.extract.pagination.model import (
    MAX_PAGE_URLS,
    PageView,
    Pagination,
    numbered_pages,
    walk_pages,
)

Q = r"['\"]"
# createPageHTML(total, current0, "index", "html") — TRS WCM; current is 0-based and
# page N+1 is index_N.html.
TRS_CALL = re.compile(
    rf"createPageHTML\s*\(\s*(\d{{1,6}})\s*,\s*(\d{{1,6}})\s*,\s*{Q}([\w.-]{{1,60}}){Q}\s*,"
    rf"\s*{Q}(\w{{1,10}}){Q}"
)
# createPageHTML('page_div', total, current1, 'name', 'ext', records) — provincial
# platforms; current is 1-based and page N is name_N.ext.
SIX_ARG_CALL = re.compile(
    rf"createPageHTML\s*\(\s*{Q}[\w-]{{1,40}}{Q}\s*,\s*{Q}?(\d{{1,6}}){Q}?\s*,\s*{Q}?(\d{{1,6}}){Q}?\s*,"
    rf"\s*{Q}([A-Za-z_][\w.-]{{0,59}}){Q}\s*,\s*{Q}([A-Za-z]\w{{0,9}}){Q}"
)
# The same call without a usable name ('page_div','15','1','10','148'): the count only.
DIV_FIRST_CALL = re.compile(
    rf"createPageHTML\s*\(\s*{Q}[\w-]{{1,40}}{Q}\s*,\s*{Q}?(\d{{1,6}}){Q}?\s*,"
)
# document.write paging: var currentPage = 0; var countPage = 2 (0-based, TRS naming).
COUNT_PAGE = re.compile(
    r"\b(?:countPage|pageCount|totalPage|totalPages|page_count)\s*=\s*(\d{1,6})"
)
CURRENT_PAGE = re.compile(r"\b(?:currentPage|curPage|pageIndex|current_page)\s*=\s*(\d{1,6})")
# Paging scripts build names by concatenation: "index"+"_" + n + "."+"html".
SCRIPT_PAGE_NAME = re.compile(r"\b(index|list|default)(?=[\"'+\s]{0,8}[._])")
SCRIPT_PAGE_EXT = re.compile(r"[\"'.](s?html?)\b")
# A pager configured in an object literal: {pageCount: 57}, {pages: 57, curr: 1}.
PAGER_OPTION = re.compile(
    r"\b(?:pageCount|pagecount|totalPage|totalpage|totalPages|pageTotal|pages|page_count|"
    r"countPage|allPage)\s*:\s*['\"]?(\d{1,6})\b"
)
# A pager call with page numbers among its arguments: pager('div', 57, 1, 'index', 'html').
PAGER_CALL = re.compile(
    r"(?<![\w$.])([\w$.]{0,40}?(?:page|Page|pager|Pager|paging|Paging|fenye|Fenye)[\w$.]{0,20})"
    r"\s*\(([^()]{1,200})\)"
)
# kkpager: generPageHtml({pno: 1, total: 57, totalRecords: 852}) — total counts pages.
KKPAGER_TOTAL = re.compile(r"generPageHtml\s*\(\s*\{[^{}]{0,400}?\btotal\s*:\s*['\"]?(\d{1,6})\b")
# jQuery pagination plugin: $(…).pagination(852, {items_per_page: 15, …}).
JQUERY_PAGINATION = re.compile(
    r"\.pagination\(\s*(\d{1,7})\s*,\s*\{[^{}]{0,400}?items_per_page\s*:\s*['\"]?(\d{1,4})"
)
INT_ARG = re.compile(r"^\s*['\"]?(\d{1,6})['\"]?\s*$")
# Hanweb jpage / JSON-rendered columns: records and page size in script variables.
PER_PAGE = re.compile(r"\bperPage\W{0,4}(\d{1,4})")
TOTAL_RECORDS = re.compile(r"\b(?:articleCount|totalRecord|totalCount|recordCount)\W{0,4}(\d{1,7})")
UNIT_ID = re.compile(r"\bunitid\W{0,4}(\d{1,12})", re.IGNORECASE)
JPAGE_MARKER = re.compile(r"/module/web/jpage/dataproxy\.jsp|<datastore", re.IGNORECASE)
GKMLPT_MARKER = "/gkmlpt/"
POSTBACK = re.compile(r"__doPostBack\s*\(", re.IGNORECASE)
TOTAL_PAGES_TEXT = re.compile(
    r"共(?:计|有)?\s*(\d{1,6})\s*页|\d{1,6}\s*/\s*(\d{1,6})\s*页"
    r"|页次\s*[:：]?\s*\d{1,6}\s*/\s*(\d{1,6})|(?:总页数|页数)\s*[:：]\s*(\d{1,6})"
)
# Page data kept in hidden inputs for a script pager: <input type=hidden id=totalPage value=9>.
COUNT_INPUT = re.compile(r"^(?:totalpages?|pagecount|pagetotal|countpage|allpage)$", re.I)
NEXT_TEXT = re.compile(r"^(下一页|下页|后一页|next|>|›|»|>>)$", re.IGNORECASE)
LAST_TEXT = re.compile(r"^(尾页|末页|最后一页|last|»|>>\|)$", re.IGNORECASE)
PAGE_PARAMS = ("pageindex", "page", "pageno", "pagenum", "currentpage", "curpage", "p", "pn")
NUMBERED_FILE = re.compile(r"^(.*?)[_-](\d{1,6})(\.[a-z]{2,5})$", re.IGNORECASE)
PAGE_FILE = re.compile(r"^([a-z]{2,20})(?:_(\d{1,6}))?\.(s?html?)$", re.IGNORECASE)
TEXT_TAIL_CHARS = 20_000


def trs_create_page_html(page: PageView) -> Pagination | None:
    """TRS WCM: createPageHTML(total, current0, name, ext); page N+1 is name_N.ext."""
    for script in page.scripts:
        match = TRS_CALL.search(script)
        if match and int(match.group(1)) > 0:
            total, index0 = int(match.group(1)), int(match.group(2))
            pages = numbered_pages(page.base, match.group(3), match.group(4), total, 1)
            return walk_pages(pages, index0, total, "trs_create_page_html")
    return None


def six_arg_create_page_html(page: PageView) -> Pagination | None:
    """createPageHTML('page_div', total, current1, name, ext, records); page N is name_N.ext."""
    for script in page.scripts:
        match = SIX_ARG_CALL.search(script)
        if match and int(match.group(1)) > 0:
            total, current = int(match.group(1)), int(match.group(2))
            pages = numbered_pages(page.base, match.group(3), match.group(4), total, 2)
            return walk_pages(pages, current - 1, total, "six_arg_create_page_html")
    for script in page.scripts:
        counted = DIV_FIRST_CALL.search(script)
        if counted and int(counted.group(1)) > 0:
            return Pagination(None, int(counted.group(1)), [page.url], "six_arg_create_page_html")
    return None


def page_name_of(url: str) -> tuple[str, str] | None:
    """(name, ext) of a TRS-style list URL like …/index.html or …/index_3.html."""
    filename = urlsplit(url).path.rsplit("/", 1)[-1] or "index.html"
    match = PAGE_FILE.match(filename)
    return (match.group(1), match.group(3)) if match else None


def count_page_script(page: PageView) -> Pagination | None:
    """document.write paging: var countPage = N; var currentPage = i (0-based, TRS names)."""
    for script in page.scripts:
        count = COUNT_PAGE.search(script)
        if count is None:
            continue
        total = int(count.group(1))
        current = CURRENT_PAGE.search(script)
        index0 = int(current.group(1)) if current else 0
        name_ext = page_name_of(page.url)
        name, ext = SCRIPT_PAGE_NAME.search(script), SCRIPT_PAGE_EXT.search(script)
        if name and ext:
            name_ext = (name.group(1), ext.group(1))
        if name_ext is None or total <= 0:
            return Pagination(None, total or None, [], "count_page_script")
        pages = numbered_pages(page.base, name_ext[0], name_ext[1], total, 1)
        return walk_pages(pages, index0, total, "count_page_script")
    return None


def current_page_number(url: str) -> int:
    """1-based number of the page at url as most pagers count it (index.html is page 1)."""
    number = page_number_of(url)
    return number if number else 1


def int_args(args: str) -> list[int]:
    """The integer arguments (bare or quoted) of a call's argument list."""
    found = [INT_ARG.match(arg) for arg in args.split(",")]
    return [int(m.group(1)) for m in found if m]


def js_pager_total(page: PageView) -> Pagination | None:
    """The page count only inside a JavaScript pager: {pageCount: N}, a hidden totalPage input,
    or pager(…, N, current, …).

    A call counts when its integer arguments are exactly the page count and the current page
    (which the URL says); record counts or sizes among them make it ambiguous, so it is left.
    """
    kkpager = KKPAGER_TOTAL.search(page.script_text)
    if kkpager and int(kkpager.group(1)) > 0:
        return Pagination(None, int(kkpager.group(1)), [page.url], "js_pager_kkpager")
    plugin = JQUERY_PAGINATION.search(page.script_text)
    if plugin and int(plugin.group(2)) > 0:
        total = max(1, -(-int(plugin.group(1)) // int(plugin.group(2))))
        return Pagination(None, total, [page.url], "js_pager_plugin")
    option = PAGER_OPTION.search(page.script_text)
    if option and int(option.group(1)) > 0:
        return Pagination(None, int(option.group(1)), [page.url], "js_pager_option")
    for field in page.tree.iter("input"):
        name = field.get("id") or field.get("name") or ""
        value = (field.get("value") or "").strip()
        if COUNT_INPUT.match(name) and value.isdigit() and int(value) > 0:
            return Pagination(None, int(value), [page.url], "js_pager_input")
    current = current_page_number(page.url)
    for match in PAGER_CALL.finditer(page.script_text):
        if "createPageHTML" in match.group(1):
            continue
        numbers = int_args(match.group(2))
        if len(numbers) == 2 and current in numbers and max(numbers) >= current:
            total = max(numbers) if numbers.count(current) == 1 else current
            return Pagination(None, total, [page.url], "js_pager_call")
    return None


def hanweb_jpage(page: PageView) -> Pagination | None:
    """Hanweb jpage columns: the list comes from dataproxy.jsp XML (adapter hanweb_jpage)."""
    if not JPAGE_MARKER.search(page.script_text):
        return None
    return Pagination(
        None, record_pages(page.script_text), [page.url], "hanweb_jpage", True, "hanweb_jpage"
    )


def gkmlpt(page: PageView) -> Pagination | None:
    """Guangdong's gkmlpt directory: an app page whose list is a JSON API (adapter gkmlpt)."""
    sources = [s.get("src") or "" for s in page.tree.iter("script")]
    if GKMLPT_MARKER not in urlsplit(page.url).path and not any(
        GKMLPT_MARKER in s for s in sources
    ):
        return None
    return Pagination(None, None, [page.url], "gkmlpt", True, "gkmlpt")


def record_pages(scripts: str) -> int | None:
    """ceil(records / perPage) from script variables, when both are there."""
    per_page, records = PER_PAGE.search(scripts), TOTAL_RECORDS.search(scripts)
    if per_page is None or records is None or int(per_page.group(1)) == 0:
        return None
    return -(-int(records.group(1)) // int(per_page.group(1)))


def record_counts(page: PageView) -> Pagination | None:
    """A JSON-rendered column: ceil(records / perPage) pages, next via ?uid=&pageNum=."""
    total = record_pages(page.script_text)
    if total is None:
        return None
    unit = UNIT_ID.search(page.script_text)
    next_url = None
    if unit and total > 1:
        next_url = urljoin(page.url, f"?uid={unit.group(1)}&pageNum=2")
    return Pagination(next_url, total, [page.url], "record_counts")


def aspnet_postback(page: PageView) -> Pagination | None:
    """ASP.NET __doPostBack pagers: pages exist but only a form post reaches them.

    Reported as not followable (with the count when the text shows it), never guessed.
    """
    pager_links = [
        raw
        for text, _url, raw in page.links
        if POSTBACK.search(raw)
        and (text.isdigit() or NEXT_TEXT.match(text) or LAST_TEXT.match(text))
    ]
    if not pager_links:
        return None
    return Pagination(None, total_from_text(page), [page.url], "aspnet_postback", False)


def total_from_text(page: PageView) -> int | None:
    """Page count written in the text: 共 N 页, 共计 N 页, 1/N 页."""
    text = page.text
    match = TOTAL_PAGES_TEXT.search(text[-TEXT_TAIL_CHARS:]) or TOTAL_PAGES_TEXT.search(
        text[:TEXT_TAIL_CHARS]
    )
    return int(next(g for g in match.groups() if g)) if match else None


def page_number_of(url: str) -> int | None:
    """Number in a page URL: index_3.html → 3, ?page=3 → 3 (the form decides what it counts)."""
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if key.lower() in PAGE_PARAMS and value.isdigit():
            return int(value)
    match = NUMBERED_FILE.match(parts.path.rsplit("/", 1)[-1])
    return int(match.group(2)) if match else None


def number_offset(page: PageView) -> int | None:
    """URL number minus shown number over the numbered pager links (TRS -1, EmpireCMS 0)."""
    offsets = Counter(
        number - int(text)
        for text, url, _raw in page.links
        if url and text.isdigit() and int(text) > 1 and (number := page_number_of(url)) is not None
    )
    if not offsets:
        return None
    offset, votes = offsets.most_common(1)[0]
    return offset if votes * 2 > sum(offsets.values()) else None


def first_link(page: PageView, pattern: re.Pattern[str]) -> str | None:
    """URL of the first short link whose text matches pattern."""
    return next((url for text, url, _raw in page.links if url and pattern.match(text)), None)


def numbered_links(page: PageView) -> Pagination | None:
    """Numbered pager links (1 2 3 … 尾页): how URLs count pages is read off the links.

    EmpireCMS links page 2 as index_2.html (offset 0), TRS as index_1.html (offset -1).
    """
    offset = number_offset(page)
    if offset is None:
        return None
    last_url = first_link(page, LAST_TEXT)
    last_number = page_number_of(last_url) if last_url else None
    shown = [int(t) for t, url, _r in page.links if url and t.isdigit() and int(t) < 100_000]
    total = total_from_text(page)
    if total is None and last_number is not None:
        total = last_number - offset
    if total is None:
        total = max([*shown, current_page_number(page.url)])
    next_url = first_link(page, NEXT_TEXT)
    return Pagination(next_url, total, [u for u in (page.url, next_url) if u], "numbered_links")


def next_by_query(url: str, last: int | None) -> str | None:
    """The next page of a ?page=N URL, when a last-page number shows there is one."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    for i, (key, value) in enumerate(query):
        if key.lower() in PAGE_PARAMS and value.isdigit():
            if last is None or int(value) >= last:
                return None
            query[i] = (key, str(int(value) + 1))
            return urlunsplit(parts._replace(query=urlencode(query)))
    return None


def file_offset(url: str, next_url: str | None) -> int:
    """Pages beyond a file number: 1 for TRS (index_1 is page 2), 0 where index_2 is page 2.

    Only the first page tells (its 下一页 names page 2); elsewhere TRS, the common case.
    """
    next_number = page_number_of(next_url) if next_url else None
    if page_number_of(url) is None and next_number == 2:
        return 0
    return 1


def next_last_links(page: PageView) -> Pagination | None:
    """下一页 / 尾页 links and 共 N 页 text; a ?page=N URL steps on while pages remain.

    Without a numbered link to tell, a 尾页 index_N.html is read the TRS way (0-based).
    """
    next_url, last_url = first_link(page, NEXT_TEXT), first_link(page, LAST_TEXT)
    total = total_from_text(page)
    if last_url is not None and total is None:
        number = page_number_of(last_url)
        if number is not None:
            numbered = NUMBERED_FILE.match(last_url.rsplit("/", 1)[-1])
            total = number + file_offset(page.url, next_url) if numbered else number
    if next_url is None:
        last = page_number_of(last_url) if last_url else total
        next_url = next_by_query(page.url, last)
    if next_url is None and total is None:
        return None
    pages = [u for u in (page.url, next_url) if u][:MAX_PAGE_URLS]
    return Pagination(next_url, total, pages, "next_last_links")


Form = Callable[[PageView], Pagination | None]
FORMS: tuple[Form, ...] = (
    trs_create_page_html,
    six_arg_create_page_html,
    count_page_script,
    hanweb_jpage,
    gkmlpt,
    record_counts,
    aspnet_postback,
    numbered_links,
    next_last_links,
    js_pager_total,
)
