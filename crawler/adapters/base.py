"""The adapter contract and registry (see crawler/adapters/__init__.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from lxml.html import HtmlElement

from crawler.extract.items import ListItem

ADAPTERS: list[type[CmsAdapter]] = []


@dataclass(frozen=True)
class AdapterPage:
    """One page of a column as an adapter reads it: items, where the list goes on, page count."""

    items: list[ListItem] = field(default_factory=list)
    next_url: str | None = None
    total_pages: int | None = None


class CmsAdapter:
    """One CMS family: detect it on a column page, then read its first page and data pages.

    `detect` returns an instance bound to that column (ids, page size), or None. An
    instance lives for one column walk, so it may remember what page one told it.
    """

    name: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        ADAPTERS.append(cls)

    @classmethod
    def detect(cls, tree: HtmlElement, page_url: str) -> CmsAdapter | None:
        """An adapter for this column page, or None when the page is not of this family."""
        raise NotImplementedError

    def first_page(self, tree: HtmlElement, page_url: str, today: date | None) -> AdapterPage:
        """What the column's own HTML page holds (embedded records) and the first data URL."""
        raise NotImplementedError

    def data_page(self, text: str, data_url: str, today: date | None) -> AdapterPage:
        """One data response (XML, JSON) of the family: its items and the next data URL."""
        raise NotImplementedError


def adapter_for(tree: HtmlElement, page_url: str) -> CmsAdapter | None:
    """The first registered adapter that recognises the page, or None."""
    for adapter in ADAPTERS:
        found = adapter.detect(tree, page_url)
        if found is not None:
            return found
    return None
