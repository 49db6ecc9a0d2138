"""Mailbox pages: hand-written fixtures modelled on real 局长信箱 / 在线咨询 pages."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crawler.extract import inspect_page
from crawler.extract.consultations import (
    extract_consultation_detail,
    extract_consultation_list,
    status_of,
)
from crawler.extract.encoding import decode_html

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "consultations"
EXPECTED: dict[str, dict[str, Any]] = json.loads((FIXTURES / "expected.json").read_text("utf-8"))
TODAY = date(2024, 6, 1)


def as_json(item: object) -> dict[str, Any]:
    """A ConsultationItem with ISO dates, comparable with expected.json."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(item).items()}


@pytest.mark.parametrize("name", [n for n, e in EXPECTED.items() if e["kind"] == "list"])
def test_consultation_lists(name: str) -> None:
    """Every letter row: title, link, asked/replied dates and status as written by hand."""
    html, _codec = decode_html((FIXTURES / name).read_bytes())
    items = extract_consultation_list(html, EXPECTED[name]["url"], today=TODAY)
    assert [as_json(item) for item in items] == EXPECTED[name]["items"]


@pytest.mark.parametrize("name", [n for n, e in EXPECTED.items() if e["kind"] == "detail"])
def test_consultation_details(name: str) -> None:
    """A single letter: asked date, reply date (if any) and status."""
    html, codec = decode_html((FIXTURES / name).read_bytes())
    assert codec == EXPECTED[name].get("charset", "utf-8")
    item = extract_consultation_detail(html, EXPECTED[name]["url"], today=TODAY)
    assert as_json(item) == EXPECTED[name]["item"]


@pytest.mark.parametrize("name", list(EXPECTED))
def test_inspect_page_on_mailbox_pages(name: str) -> None:
    """inspect_page classifies mailbox pages and fills `consultations`."""
    expected = EXPECTED[name]
    result = inspect_page((FIXTURES / name).read_bytes(), expected["url"], today=TODAY)
    assert result["page_type"] == expected["page_type"]
    want = expected["items"] if expected["kind"] == "list" else [expected["item"]]
    assert result["consultations"] == want


@pytest.mark.parametrize(
    ("text", "status"),
    [("已回复", "replied"), ("未回复", "pending"), ("已办结", "replied"), ("处理中", "pending"),
     ("[待答复]", "pending"), ("已答复", "replied"), ("", None)],
)  # fmt: skip
def test_status_words(text: str, status: str | None) -> None:
    """Status words map to replied / pending ('未回复' is pending although it holds '回复')."""
    assert status_of(text) == status
