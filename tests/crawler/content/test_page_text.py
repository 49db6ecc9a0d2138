"""The page text the content checks scan: taken in one flat walk, the same as the crawler's
recursive visible-text reader gives."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from crawler.content.text import page_text, walked_text
from crawler.extract.encoding import decode_html
from crawler.extract.tree import parse_html, raw_visible_text

ROOT = Path(__file__).parents[3]
PAGES = ROOT.parent / "shared" / "fixtures" / "real-pages"


def test_blocks_are_set_apart_and_hidden_text_left_out() -> None:
    body = lxml.html.fragment_fromstring(
        "<div>a<!--注释-->b<script>x()</script>t<p>段</p>z<span>行<br>内</span>"
        "<style>p{}</style><select><option>选项</option></select>尾</div>"
    )
    # Read by hand: p and br are blocks (a space each side), span is not; tails always stay.
    assert walked_text(body) == "abt 段 z行  内尾"


def test_page_text_starts_with_the_listed_title() -> None:
    tree = parse_html("<html><body><p>正文</p></body></html>")
    assert page_text(tree, "标题") == "标题\n 正文 "


def test_real_pages_read_the_same_as_the_recursive_reader() -> None:
    pages = sorted(PAGES.glob("*.html"))
    if not pages:
        pytest.skip(f"{PAGES}: the shared real pages are not here")
    for page in pages:
        html, _codec = decode_html(page.read_bytes(), None)
        tree = parse_html(html)
        body = next(tree.iter("body"), tree)
        assert walked_text(body) == raw_visible_text(body), page.name
