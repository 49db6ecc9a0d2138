"""The one reading of a per-site selector: CSS, or XPath when it starts with `/`, `./` or `(`.

`validate` (through the config model) and extraction both call `to_xpath`, so a selector is
accepted exactly when it works: surrounding whitespace is ignored in both (`' //ul/li'` is the
XPath `//ul/li`), and a bad one is refused with the same message in both.
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree
from parsel.csstranslator import HTMLTranslator

XPATH_PREFIXES = ("/", "./", "(")


def is_xpath(selector: str) -> bool:
    """True when a selector is XPath rather than CSS (leading whitespace ignored)."""
    return selector.strip().startswith(XPATH_PREFIXES)


@lru_cache(maxsize=512)
def to_xpath(selector: str) -> str:
    """The XPath expression the selector stands for; ValueError saying why it is invalid."""
    text = selector.strip()
    if not text:
        raise ValueError("must not be empty")
    if is_xpath(text):
        try:
            etree.XPath(text)
        except etree.XPathSyntaxError as exc:
            raise ValueError(f"invalid XPath: {exc}") from None
        return text
    try:
        return HTMLTranslator().css_to_xpath(text)
    except Exception as exc:  # cssselect raises several unrelated exception types
        raise ValueError(f"invalid CSS selector: {exc}") from None
