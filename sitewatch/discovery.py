"""Small pure heuristics behind `sitewatch discover`: which links are columns, what unit it is."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

# Pager links: 下一页 / 上一页 / 尾页 … or a bare page number, and URLs like index_1.html,
# list_2.shtml, ?page=3.
PAGER_NAMES = re.compile(
    r"^(下一?页|上一?页|尾页|末页|前一页|后一页|第\s*\d+\s*页|next|prev(ious)?|last|first|\d+)$",
    re.IGNORECASE,
)
PAGER_PATH = re.compile(r"(?:^|/)(?:index|list|default)?_\d+\.s?html?$", re.IGNORECASE)
PAGER_QUERY = frozenset({"page", "pageno", "pagenum", "pageindex", "currentpage", "p"})

# (unit type, words in the site's name), checked in this order: 计量院 of a province is an
# affiliated unit, 某市某县局 a county.
UNIT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("affiliated", ("中心", "院", "研究所", "检测所", "检验所")),
    ("department", ("处", "办公室", "科室")),
    ("county", ("县", "区局", "旗")),
    ("city", ("市", "州", "盟")),
    ("province", ("省", "自治区")),
)
DEFAULT_UNIT_TYPE = "department"


def is_pagination(name: str, url: str) -> bool:
    """True for a pager link (下一页, a page number, index_1.html, ?page=2), not a column."""
    if PAGER_NAMES.match(name.strip()):
        return True
    parts = urlsplit(url)
    if PAGER_PATH.search(parts.path):
        return True
    return any(key.lower() in PAGER_QUERY for key in parse_qs(parts.query))


def guess_unit_type(name: str) -> str:
    """The unit type a site's name suggests (省/市/县/处/中心/院), department when unclear."""
    for unit_type, words in UNIT_WORDS:
        if any(word in name for word in words):
            return unit_type
    return DEFAULT_UNIT_TYPE


def robots_url(url: str) -> str:
    """The robots.txt of a URL's host."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"
