"""What a pager form reads off a list page, and the page view every form reads from."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlElement

from crawler.extract.tree import clean_ws, document_base, resolve_url, visible_text

# Scripts and comments past this size are libraries or archives, not a pager.
MAX_SCRIPT_CHARS = 2_000_000
MAX_PAGE_URLS = 500


@dataclass(frozen=True)
class Pagination:
    """Where a list continues: the next page, the page count and every known page URL.

    `form` names the pager form that read it. `followable` is False for pagers that exist
    but cannot be walked by URL (ASP.NET postbacks): the walk reports them instead of
    guessing. `adapter` names a CMS family (``hanweb_jpage``, ``gkmlpt``) whose list comes
    from the family's data API: the spider hands such a column to that adapter.
    """

    next_url: str | None
    total_pages: int | None
    page_urls: list[str] = field(default_factory=list)
    form: str | None = None
    followable: bool = True
    adapter: str | None = None


@dataclass
class PageView:
    """One parsed list page as the pager forms see it (each part computed once, on demand)."""

    tree: HtmlElement
    url: str

    @cached_property
    def base(self) -> str:
        """Base URL for relative links."""
        return document_base(self.tree, self.url)

    @cached_property
    def scripts(self) -> list[str]:
        """Inline script bodies plus commented-out markup (pager calls hide in both)."""
        texts = [s.text for s in self.tree.iter("script") if s.text and not s.get("src")]
        texts += [c.text for c in self.tree.iter(etree.Comment) if c.text and "Page" in c.text]
        return [t[:MAX_SCRIPT_CHARS] for t in texts]

    @cached_property
    def script_text(self) -> str:
        """All scripts joined, bounded."""
        return "\n".join(self.scripts)[:MAX_SCRIPT_CHARS]

    @cached_property
    def text(self) -> str:
        """Visible text of the page."""
        return visible_text(self.tree)

    @cached_property
    def links(self) -> list[tuple[str, str | None, str]]:
        """Every short-text link as (text without spaces, absolute URL or None, raw href)."""
        found: list[tuple[str, str | None, str]] = []
        for anchor in self.tree.iter("a"):
            text = clean_ws(anchor.text_content()).replace(" ", "")
            if not text or len(text) > 8:
                continue
            href = anchor.get("href") or ""
            found.append((text, resolve_url(self.base, href), href))
        return found


def numbered_pages(base: str, name: str, ext: str, total: int, first_suffix: int) -> list[str]:
    """URLs of pages 1..total: name.ext, then name_<first_suffix>.ext, name_<first_suffix+1>…"""
    count = min(total, MAX_PAGE_URLS)
    pages = [urljoin(base, f"{name}.{ext}")]
    pages += [urljoin(base, f"{name}_{first_suffix + i}.{ext}") for i in range(count - 1)]
    return pages


def walk_pages(pages: list[str], index0: int, total: int, form: str) -> Pagination:
    """Pagination of page index0 (0-based) among pages."""
    next_url = pages[index0 + 1] if 0 <= index0 + 1 < len(pages) else None
    return Pagination(next_url=next_url, total_pages=total, page_urls=pages, form=form)
