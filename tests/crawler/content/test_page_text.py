"""The page text the content checks scan: a detail page's text as the crawl's detail reader
took it (no second walk of the page), the same as the content checks take it themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.content.text import page_text
from crawler.extract.detail import extract_detail_from_tree
from crawler.extract.encoding import decode_html
from crawler.extract.tree import parse_html

ROOT = Path(__file__).parents[3]
PAGES = ROOT.parent / "shared" / "fixtures" / "real-pages"


def test_blocks_are_set_apart_and_hidden_text_left_out() -> None:
    tree = parse_html(
        "<html><body><div>a<!--注释-->b<script>x()</script>t<p>段</p>z<span>行<br>内</span>"
        "<style>p{}</style><select><option>选项</option></select>尾</div></body></html>"
    )
    # Read by hand: div, p and br are blocks (a space each side), span is not; tails always
    # stay; runs of whitespace are one space.
    assert page_text(tree) == " abt 段 z行 内尾 "


def test_page_text_starts_with_the_listed_title() -> None:
    tree = parse_html("<html><body><p>正文</p></body></html>")
    assert page_text(tree, "标题") == "标题\n 正文 "


def test_text_taken_by_the_detail_reader_is_the_text_scanned() -> None:
    pages = sorted(PAGES.glob("*.html"))
    if not pages:
        pytest.skip(f"{PAGES}: the shared real pages are not here")
    for page in pages:
        html, _codec = decode_html(page.read_bytes(), None)
        detail = extract_detail_from_tree(parse_html(html), "http://example.org/a.html")
        # A fresh parse: the detail reader must not have changed what the tree shows.
        assert page_text(parse_html(html), "题", detail.text) == page_text(parse_html(html), "题")
        assert detail.text.strip(), page.name
