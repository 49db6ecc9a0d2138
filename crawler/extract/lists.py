"""Find a page's main repeated list of (link, date) items, ignoring navigation and sidebars."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from crawler.extract.columns import same_site
from crawler.extract.dates import list_date
from crawler.extract.items import ListItem, item_from_record, items_from_flat, link_title
from crawler.extract.patterns import NAV_HINT, SECONDARY_HEADING
from crawler.extract.script_lists import script_lists
from crawler.extract.tree import (
    class_id,
    document_base,
    parse_html,
    resolve_url,
    text_head,
    visible_text,
)
from crawler.selectors import to_xpath

__all__ = ["ListItem", "ListOverrides", "extract_list", "extract_list_from_tree", "select"]

RECORD_TAGS = frozenset(
    {"li", "tr", "dd", "dt", "div", "p", "dl", "ul", "table", "span", "h3", "h4"}
)
SKIP_CONTAINERS = frozenset({"script", "style", "head", "select", "noscript", "template", "option"})
# Containers whose same-class siblings may be one list split in blocks (groups of five).
BLOCK_CONTAINERS = frozenset({"ul", "ol", "div", "table", "tbody", "dl"})
# A date written in the element after a record is short ("2024-05-01", "[05-01]").
SIBLING_DATE_CHARS = 40
# A heading is read from the first characters of the element before a list.
HEADING_CHARS = 40
# A candidate in navigation/footer keeps this share of its score.
SECONDARY_FACTOR = 0.3
# An undated list must lead mostly to the site's own pages to be posts (not friendly links).
MIN_HOST_SHARE = 0.8
# Lists found in comments or scripts count a little less than the live DOM.
HIDDEN_SOURCE_FACTOR = 0.6
ANCESTOR_CHECK_DEPTH = 6
MAX_COMMENT_CHARS = 1_000_000
IDEAL_TITLE_CHARS = 14
MIN_ITEMS = 2


@dataclass(frozen=True)
class ListOverrides:
    """Per-site selectors used instead of heuristics: CSS, or XPath if it starts with / ./ or (."""

    list_item: str | None = None
    title: str | None = None
    date: str | None = None
    next_page: str | None = None


def select(el: HtmlElement, selector: str) -> list[HtmlElement]:
    """Elements matching a CSS or XPath selector under el; ValueError on a bad selector (read
    exactly as `validate` reads it: `crawler.selectors.to_xpath`)."""
    try:
        found = el.xpath(to_xpath(selector))
    except (etree.XPathError, ValueError) as exc:
        raise ValueError(f"invalid selector {selector!r}: {exc}") from exc
    return [node for node in found if isinstance(node, HtmlElement)]


def items_from_overrides(
    tree: HtmlElement, base: str, page_url: str, overrides: ListOverrides, today: date | None
) -> list[ListItem]:
    """List items picked by the per-site selectors instead of the heuristics."""
    assert overrides.list_item is not None
    items: list[ListItem] = []
    for record in select(tree, overrides.list_item):
        item = item_from_record(record, base, today, page_url)
        if overrides.title:
            title_el = next(iter(select(record, overrides.title)), None)
            if title_el is not None:
                anchor = title_el if title_el.tag == "a" else next(title_el.iter("a"), None)
                url = resolve_url(base, anchor.get("href")) if anchor is not None else None
                url = url or (item.url if item else None)
                title = link_title(anchor) if anchor is not None else visible_text(title_el)
                if url and title:
                    item = ListItem(title, url, item.date if item else None)
        if item is not None and overrides.date:
            date_el = next(iter(select(record, overrides.date)), None)
            when = (
                list_date(visible_text(date_el), item_url=item.url, page_url=page_url, today=today)
                if (date_el is not None)
                else None
            )
            item = ListItem(item.title, item.url, when)
        if item is not None:
            items.append(item)
    return items


def in_secondary_area(container: HtmlElement) -> bool:
    """True when the container or a near ancestor is navigation/footer or under a side heading."""
    node: HtmlElement | None = container
    for _ in range(ANCESTOR_CHECK_DEPTH):
        if node is None or not isinstance(node.tag, str):
            break
        if node.tag in ("nav", "footer", "header") or NAV_HINT.search(class_id(node)):
            return True
        previous = node.getprevious()
        if previous is not None and isinstance(previous.tag, str):
            heading = text_head(previous, HEADING_CHARS)
            if heading and SECONDARY_HEADING.search(heading):
                return True
        node = node.getparent()
    return False


def score_items(items: list[ListItem]) -> float:
    """How much a candidate looks like the main post list: size × date coverage × title length."""
    if not items:
        return 0.0
    dated = sum(1 for item in items if item.date is not None)
    # A column with a single post is common (basic-info columns); one dated item may be a list.
    if len(items) < MIN_ITEMS and dated < len(items):
        return 0.0
    mean_title = sum(len(item.title) for item in items) / len(items)
    distinct = len({item.url for item in items}) / len(items)
    length_factor = min(1.0, mean_title / IDEAL_TITLE_CHARS)
    # Undated links next to dated ones are mostly noise (breadcrumbs, "more" links); in a list
    # where nothing is dated they are all there is.
    undated_weight = 0.25 if dated == 0 else 0.05
    return (dated + undated_weight * (len(items) - dated)) * length_factor * distinct


def host_share(items: list[ListItem], base: str) -> float:
    """Share of items on the page's own host: a list of other sites is a link farm."""
    if not items:
        return 0.0
    host = urlsplit(base).hostname
    return sum(1 for item in items if urlsplit(item.url).hostname == host) / len(items)


@dataclass(frozen=True)
class Candidate:
    """One candidate main list: its items, its score and where on the page it was found."""

    score: float
    items: list[ListItem]
    where: str
    secondary: bool = False


def records_of(parent: HtmlElement) -> dict[tuple[str, str], list[HtmlElement]]:
    """parent's record-like children grouped by (tag, class): one group per repeated shape."""
    groups: dict[tuple[str, str], list[HtmlElement]] = {}
    for child in parent:
        if isinstance(child.tag, str) and child.tag in RECORD_TAGS:
            groups.setdefault((child.tag, ""), []).append(child)
    return groups


def is_item_group(records: list[HtmlElement], items: list[ListItem]) -> bool:
    """True when records read as one list: enough items, few multi-link blocks among them."""
    if len(records) < MIN_ITEMS:
        return len(items) == 1 and items[0].date is not None
    # Too many non-item records (each a block of many links) means a layout container.
    return len(items) >= MIN_ITEMS and len(items) * 2 >= len(records) - records_without_links(
        records
    )


def split_blocks(parent: HtmlElement) -> list[list[HtmlElement]]:
    """Records of sibling blocks that form one list (a template writing groups of five).

    Blocks qualify when they share tag and class and each holds records of one tag; their
    records are read as one list, in page order.
    """
    blocks: dict[tuple[str, str], list[HtmlElement]] = {}
    for child in parent:
        if isinstance(child.tag, str) and child.tag in BLOCK_CONTAINERS:
            blocks.setdefault((child.tag, child.get("class", "")), []).append(child)
    merged: list[list[HtmlElement]] = []
    for group in blocks.values():
        if len(group) < 2:
            continue
        inner_tags = {next((c.tag for c in block if isinstance(c.tag, str)), "") for block in group}
        if len(inner_tags) != 1 or inner_tags & {"", "a"}:
            continue
        tag = inner_tags.pop()
        records = [c for block in group for c in block if c.tag == tag]
        if len(records) > len(group):
            merged.append(records)
    return merged


def record_item(
    record: HtmlElement, base: str, today: date | None, page_url: str
) -> ListItem | None:
    """One record's item; an undated one takes the date of a link-less next sibling
    (<dt><a>…</a></dt><dd>2024-05-01</dd>, <td>…</td> pairs written as siblings)."""
    item = item_from_record(record, base, today, page_url)
    if item is None or item.date is not None:
        return item
    sibling = record.getnext()
    if sibling is None or not isinstance(sibling.tag, str) or sibling.tag == record.tag:
        return item
    if next(sibling.iter("a"), None) is not None:
        return item
    text = visible_text(sibling)[:SIBLING_DATE_CHARS]
    when = list_date(text, item_url=item.url, page_url=page_url, today=today) if text else None
    return ListItem(item.title, item.url, when) if when else item


def group_candidates(
    parent: HtmlElement, base: str, today: date | None, page_url: str
) -> list[list[ListItem]]:
    """Candidate lists from parent's same-tag children (one item per child record)."""
    candidates: list[list[ListItem]] = []
    groups = list(records_of(parent).values()) + split_blocks(parent)
    for records in groups:
        items = [item for r in records if (item := record_item(r, base, today, page_url))]
        if is_item_group(records, items):
            candidates.append(items)
    direct_links = sum(1 for child in parent if child.tag == "a")
    if direct_links >= MIN_ITEMS:
        candidates.append(items_from_flat(parent, base, today, page_url))
    return candidates


def records_without_links(records: list[HtmlElement]) -> int:
    """Count of spacer records (no link at all), which do not argue against a list."""
    return sum(1 for record in records if next(record.iter("a"), None) is None)


def describe(el: HtmlElement) -> str:
    """Short CSS-like name of an element for --explain: tag#id.class."""
    name = el.tag if isinstance(el.tag, str) else "?"
    if el.get("id"):
        name += "#" + el.get("id", "")
    if el.get("class"):
        name += "." + ".".join(el.get("class", "").split()[:2])
    return name


def candidates_in(
    root: HtmlElement, base: str, today: date | None, page_url: str, factor: float, origin: str
) -> list[Candidate]:
    """Every candidate list under root, scored and weighted by factor."""
    found: list[Candidate] = []
    for parent in root.iter():
        if not isinstance(parent.tag, str) or parent.tag in SKIP_CONTAINERS or len(parent) == 0:
            continue
        secondary = in_secondary_area(parent)
        penalty = SECONDARY_FACTOR if secondary else 1.0
        for items in group_candidates(parent, base, today, page_url):
            score = score_items(items) * penalty * factor * (0.5 + 0.5 * host_share(items, base))
            if score > 0:
                found.append(Candidate(score, items, f"{origin} {describe(parent)}", secondary))
    return found


def comment_roots(tree: HtmlElement) -> list[HtmlElement]:
    """Commented-out markup that holds links (lists rendered client-side from a comment)."""
    roots: list[HtmlElement] = []
    for comment in tree.iter(etree.Comment):
        text = comment.text or ""
        if "href" not in text or len(text) > MAX_COMMENT_CHARS:
            continue
        wrapper = parse_html(f"<div>{text}</div>")
        roots.append(wrapper)
    return roots


def dedupe(items: list[ListItem]) -> list[ListItem]:
    """Drop repeated (url, title) pairs, keeping page order."""
    seen: set[tuple[str, str]] = set()
    unique: list[ListItem] = []
    for item in items:
        key = (item.url, item.title)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def is_post_list(candidate: Candidate, base: str) -> bool:
    """False for what only looks like a list on a blank column: links without a single date
    that sit in navigation/footer, or that lead mostly off the site (friendly links)."""
    if any(item.date is not None for item in candidate.items):
        return True
    on_site = sum(1 for item in candidate.items if same_site(item.url, base))
    return not candidate.secondary and on_site >= MIN_HOST_SHARE * len(candidate.items)


def list_candidates(
    tree: HtmlElement, base_url: str, *, today: date | None = None
) -> list[Candidate]:
    """Every candidate main list of a page, best first (what `inspect --explain` shows)."""
    base = document_base(tree, base_url)
    found = candidates_in(tree, base, today, base_url, 1.0, "page")
    for root in comment_roots(tree):
        found += candidates_in(root, base, today, base_url, HIDDEN_SOURCE_FACTOR, "comment")
    for items in script_lists(tree, base, today):
        score = score_items(items) * HIDDEN_SOURCE_FACTOR
        if score > 0:
            found.append(Candidate(score, items, "script JSON"))
    return sorted(found, key=lambda c: -c.score)


def extract_list_from_tree(
    tree: HtmlElement,
    base_url: str,
    *,
    today: date | None = None,
    overrides: ListOverrides | None = None,
) -> list[ListItem]:
    """The main list of a parsed page (see extract_list); [] for a blank column."""
    base = document_base(tree, base_url)
    if overrides is not None and overrides.list_item:
        return dedupe(items_from_overrides(tree, base, base_url, overrides, today))
    return main_list(list_candidates(tree, base_url, today=today), base)


def main_list(candidates: list[Candidate], base: str) -> list[ListItem]:
    """The items of the best candidate, or [] when the page is a blank column."""
    if not candidates or not is_post_list(candidates[0], base):
        return []
    return dedupe(candidates[0].items)


def separate_dated_lists(candidates: list[Candidate], min_dated: int) -> list[Candidate]:
    """Candidates with at least min_dated dated items that share no item with a better one."""
    seen: set[str] = set()
    separate: list[Candidate] = []
    for candidate in candidates:
        urls = {item.url for item in candidate.items if item.date is not None}
        if len(urls) < min_dated or urls & seen:
            continue
        seen |= urls
        separate.append(candidate)
    return separate


def extract_list(
    html: str,
    base_url: str,
    *,
    today: date | None = None,
    overrides: ListOverrides | None = None,
) -> list[ListItem]:
    """The page's main repeated list of (title, absolute url, date) items, in page order."""
    return extract_list_from_tree(parse_html(html), base_url, today=today, overrides=overrides)
