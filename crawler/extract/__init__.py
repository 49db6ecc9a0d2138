"""Page extraction without XPath: pure functions, page in, data out (no network/DB/Scrapy)."""

from crawler.extract.columns import ColumnLink, category_from_meta, discover_columns
from crawler.extract.consultations import (
    ConsultationItem,
    extract_consultation_detail,
    extract_consultation_list,
)
from crawler.extract.dates import date_from_url, is_plausible, parse_date, year_month_from_url
from crawler.extract.detail import Detail, extract_detail, extract_detail_from_tree
from crawler.extract.encoding import decode_html
from crawler.extract.inspect import inspect_page
from crawler.extract.lists import (
    ListItem,
    ListOverrides,
    extract_list,
    extract_list_from_tree,
)
from crawler.extract.page_type import classify_page, classify_page_tree
from crawler.extract.pagination import Pagination, find_pagination
from crawler.extract.tree import parse_html

__all__ = [
    "ColumnLink",
    "ConsultationItem",
    "Detail",
    "ListItem",
    "ListOverrides",
    "Pagination",
    "category_from_meta",
    "classify_page",
    "classify_page_tree",
    "date_from_url",
    "decode_html",
    "discover_columns",
    "extract_consultation_detail",
    "extract_consultation_list",
    "extract_detail",
    "extract_detail_from_tree",
    "extract_list",
    "extract_list_from_tree",
    "find_pagination",
    "inspect_page",
    "is_plausible",
    "parse_date",
    "parse_html",
    "year_month_from_url",
]
