"""One call that runs every extractor on a page and returns a stable JSON-able dict."""

from __future__ import annotations

from datetime import date
from typing import Any

from crawler.extract.columns import discover_columns_from_tree
from crawler.extract.consultations import (
    ConsultationItem,
    extract_consultation_detail_from_tree,
    extract_consultation_list_from_tree,
)
from crawler.extract.detail import explain_detail, extract_detail_from_tree
from crawler.extract.encoding import decode_html
from crawler.extract.lists import list_candidates, main_list
from crawler.extract.page_type import classify_page_tree
from crawler.extract.pagination import find_pagination_from_tree
from crawler.extract.textmap import build_text_map
from crawler.extract.tree import document_base, parse_html


def iso(d: date | None) -> str | None:
    """YYYY-MM-DD or None."""
    return d.isoformat() if d is not None else None


def consultation_dict(item: ConsultationItem) -> dict[str, Any]:
    """JSON shape of one letter."""
    return {
        "title": item.title,
        "url": item.url,
        "asked": iso(item.asked),
        "replied": iso(item.replied),
        "status": item.status,
    }


def inspect_page(
    body: bytes,
    url: str,
    *,
    encoding: str | None = None,
    content_type: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Everything the extractors see on one page, in the stable `sitewatch inspect` JSON shape."""
    html, _codec = decode_html(body, content_type=content_type, declared=encoding)
    tree = parse_html(html)
    candidates = list_candidates(tree, url, today=today)
    items = main_list(candidates, document_base(tree, url))
    page_type = classify_page_tree(tree, url, items=items, candidates=candidates, today=today)
    result: dict[str, Any] = {
        "page_type": page_type,
        "items": [],
        "pagination": {"next": None, "total_pages": None},
        "detail": None,
        "consultations": [],
        "columns": [],
    }
    if page_type in ("list", "home", "other"):
        result["items"] = [{"title": i.title, "url": i.url, "date": iso(i.date)} for i in items]
    if page_type in ("list", "consultation_list"):
        pagination = find_pagination_from_tree(tree, url)
        result["pagination"] = {
            "next": pagination.next_url,
            "total_pages": pagination.total_pages,
            "form": pagination.form,
            "followable": pagination.followable,
            "adapter": pagination.adapter,
        }
    if page_type == "detail":
        detail = extract_detail_from_tree(tree, url, today=today)
        result["detail"] = {
            "title": detail.title,
            "date": iso(detail.date),
            "source": detail.source,
        }
    if page_type == "consultation_list":
        letters = extract_consultation_list_from_tree(tree, url, today=today)
        result["consultations"] = [consultation_dict(letter) for letter in letters]
    if page_type == "consultation_detail":
        letter = extract_consultation_detail_from_tree(tree, url, today=today)
        result["consultations"] = [consultation_dict(letter)]
    if page_type == "home":
        result["columns"] = [
            {"name": c.name, "url": c.url, "category": c.category.value}
            for c in discover_columns_from_tree(tree, url)
        ]
    return result


EXPLAIN_LISTS = 8
EXPLAIN_DATES = 10
CONTEXT_CHARS = 24


def explain_page(
    body: bytes,
    url: str,
    *,
    encoding: str | None = None,
    content_type: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Why the extractor chose what it did: scored list candidates and detail-date candidates.

    `lists`: the best candidate lists (score, where on the page, item and dated counts, whether
    it is the one used, its first title). `dates`: a detail page's dates with score and the
    evidence behind it, best first. Enough to see the reason and to write an override.
    """
    html, _codec = decode_html(body, content_type=content_type, declared=encoding)
    tree = parse_html(html)
    base = document_base(tree, url)
    candidates = list_candidates(tree, url, today=today)
    chosen = main_list(candidates, base)
    lists = [
        {
            "score": round(c.score, 2),
            "where": c.where,
            "items": len(c.items),
            "dated": sum(1 for i in c.items if i.date is not None),
            "chosen": index == 0 and bool(chosen),
            "first": c.items[0].title if c.items else None,
        }
        for index, c in enumerate(candidates[:EXPLAIN_LISTS])
    ]
    dates: list[dict[str, Any]] = []
    if classify_page_tree(tree, url, candidates=candidates, today=today) == "detail":
        tmap = build_text_map(next(tree.iter("body"), tree))
        for cand in explain_detail(tree, url, today=today)[:EXPLAIN_DATES]:
            start = max(0, cand.offset - CONTEXT_CHARS)
            dates.append(
                {
                    "date": cand.when.isoformat(),
                    "score": cand.score,
                    "reasons": list(cand.reasons),
                    "context": tmap.text[start : cand.offset + CONTEXT_CHARS].strip(),
                }
            )
    pagination = find_pagination_from_tree(tree, url)
    return {
        "lists": lists,
        "dates": dates,
        "pagination_form": pagination.form,
        "followable": pagination.followable,
        "adapter": pagination.adapter,
    }
