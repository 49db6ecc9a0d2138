"""Display formatting shared by every renderer: numbers, ratios, dates, untrusted text, URLs."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

MISSING = "—"
# Characters XML 1.0 forbids (Word, Excel and lxml reject them); crawled text may carry them.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f<>\"'`\\]")
SAFE_SCHEMES = frozenset({"http", "https"})


def clean_text(text: str) -> str:
    """Untrusted text without the control characters XML cannot hold (still to be escaped)."""
    return XML_ILLEGAL.sub("", text)


def safe_url(url: str | None) -> str | None:
    """The URL when it is a plain http(s) address, else None (so `javascript:` never links)."""
    if not url or URL_FORBIDDEN.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.hostname:
        return None
    return url


CJK = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef\u201c\u201d\u300a\u300b"
HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}
HALF_AFTER_CJK = re.compile(f"(?<=[{CJK}])[,;:()!?]")
OPEN_BEFORE_CJK = re.compile(f"\\((?=[{CJK}])")
HALF_CLOSE_OF_FULL_OPEN = re.compile(r"（([^()（）]*)\)")


def full_width(text: str) -> str:
    """Chinese text with the half-width punctuation next to Chinese characters made full-width
    (`故障,建立` → `故障，建立`); ASCII text, URLs and numbers are left alone."""
    text = HALF_AFTER_CJK.sub(lambda m: HALF_TO_FULL[m.group()], OPEN_BEFORE_CJK.sub("（", text))
    return HALF_CLOSE_OF_FULL_OPEN.sub(r"（\1）", text)


def fmt_int(value: int | None) -> str:
    """A count, or the missing mark."""
    return MISSING if value is None else str(value)


def fmt_change(value: int | None) -> str:
    """A signed change: +3, -2, 0."""
    if value is None:
        return MISSING
    return f"+{value}" if value > 0 else str(value)


def fmt_ratio(value: float | None) -> str:
    """A 0..1 ratio as a percentage with one decimal."""
    return MISSING if value is None else f"{value * 100:.1f}%"


def fmt_decimal(value: float | None) -> str:
    """A measured value with one decimal (latencies in working days)."""
    return MISSING if value is None else f"{value:.1f}"


def fmt_number(value: float | None) -> str:
    """A rule value or threshold: whole numbers plain, small ones to 4 significant digits."""
    if value is None:
        return MISSING
    if float(value).is_integer():
        return str(int(value))
    if abs(value) >= 1:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{value:.4g}"  # ratios like 0.0097 keep their digits


def fmt_date(value: date | None) -> str:
    """A date as YYYY-MM-DD."""
    return MISSING if value is None else value.isoformat()
