"""A page's visible text with, for every character, the element that shows it.

Detail extraction scores each date and label by where it sits (under the headline, in the
block holding 来源, inside a link or the footer); this map ties text offsets to elements.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from crawler.extract.tree import BLOCK_TAGS, SKIPPED_TEXT_TAGS, WHITESPACE


@dataclass
class TextMap:
    """Visible text of a subtree; pieces[i] starts at starts[i] and is shown by owners[i]."""

    text: str = ""
    starts: list[int] = field(default_factory=list)
    owners: list[HtmlElement] = field(default_factory=list)
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)
    # lxml hands out one proxy per node only while a reference to it lives: keeping every
    # element referenced keeps id(element) stable for the `spans` lookup.
    elements: list[HtmlElement] = field(default_factory=list)

    def piece_at(self, offset: int) -> int:
        """Index of the text piece holding offset."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def owner_at(self, offset: int) -> HtmlElement:
        """The element whose own text holds offset."""
        return self.owners[self.piece_at(offset)]

    def piece_text(self, index: int) -> str:
        """Text of one piece."""
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[index] : end]

    def span(self, el: HtmlElement) -> tuple[int, int] | None:
        """(start, end) offsets of el's text in the map, if el shows any text."""
        return self.spans.get(id(el))


def build_text_map(root: HtmlElement) -> TextMap:
    """The visible text of root (scripts, styles and comments left out), mapped to elements."""
    result = TextMap()
    chunks: list[str] = []
    length = 0

    def add(text: str, owner: HtmlElement) -> None:
        nonlocal length
        text = WHITESPACE.sub(" ", text.replace("\xa0", " "))
        if not text or (text == " " and chunks and chunks[-1].endswith(" ")):
            return
        result.starts.append(length)
        result.owners.append(owner)
        chunks.append(text)
        length += len(text)

    def walk(el: HtmlElement) -> None:
        start = length
        if el.text:
            add(el.text, el)
        for child in el:
            if isinstance(child.tag, str) and child.tag not in SKIPPED_TEXT_TAGS:
                block = child.tag in BLOCK_TAGS
                if block:
                    add(" ", el)
                walk(child)
                if block:
                    add(" ", el)
            if child.tail:
                add(child.tail, el)
        result.spans[id(el)] = (start, length)
        result.elements.append(el)

    walk(root)
    result.text = "".join(chunks)
    return result
