"""Pagination of list pages as a table of known pager forms (see forms.FORMS)."""

from __future__ import annotations

from dataclasses import replace

from lxml.html import HtmlElement

from crawler.extract.pagination.forms import FORMS, js_pager_total
from crawler.extract.pagination.model import PageView, Pagination
from crawler.extract.tree import parse_html, resolve_url

__all__ = ["FORMS", "PageView", "Pagination", "find_pagination", "find_pagination_from_tree"]


def from_selector(page: PageView, selector: str) -> Pagination:
    """The next page a per-site selector points at."""
    from crawler.extract.lists import select

    found = select(page.tree, selector)
    href = found[0].get("href") if found else None
    return Pagination(resolve_url(page.base, href), None, [], "selector")


def find_pagination_from_tree(
    tree: HtmlElement, url: str, *, next_page_selector: str | None = None
) -> Pagination:
    """Pagination of a parsed list page: the first known form that reads it.

    A form that finds the next page but no count takes the count a script pager shows.
    """
    page = PageView(tree, url)
    if next_page_selector:
        return from_selector(page, next_page_selector)
    for form in FORMS:
        found = form(page)
        if found is None:
            continue
        if found.total_pages is None and form is not js_pager_total:
            counted = js_pager_total(page)
            if counted is not None:
                found = replace(found, total_pages=counted.total_pages)
        return found
    return Pagination(next_url=None, total_pages=None, page_urls=[url])


def find_pagination(html: str, url: str) -> Pagination:
    """Next page, page count and page URLs of a list page (see forms.FORMS)."""
    return find_pagination_from_tree(parse_html(html), url)
