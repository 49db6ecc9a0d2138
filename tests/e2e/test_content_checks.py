"""Content checks during a real crawl of the simulated group, judged by the simulator's truth."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from crawler.urls import url_key

pytestmark = pytest.mark.slow


def found_findings(db: Any) -> set[tuple[str, str, str, str, str]]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT site_id, page_key, check_kind, term, severity FROM content_findings"
    ).fetchall()
    return {tuple(row) for row in rows}


def true_findings(truth: dict[str, Any]) -> set[tuple[str, str, str, str, str]]:
    return {
        (site["id"], url_key(case["url"]), case["check"], case["term"], case["severity"])
        for site in truth["sites"]
        for case in site["content_errors"]
    }


def test_every_planted_error_is_found_and_nothing_else(crawled_demo: dict[str, Any]) -> None:
    found = found_findings(crawled_demo["db"])
    truth = true_findings(crawled_demo["truth"])
    right = found & truth
    precision = len(right) / len(found) if found else 1.0
    recall = len(right) / len(truth)
    print(f"content checks: precision {precision:.1%}, recall {recall:.1%} ({len(truth)} cases)")
    assert len(truth) >= 7
    assert truth - found == set(), "missed"
    assert found - truth == set(), "not in the truth"


def test_clean_sites_have_no_finding(crawled_demo: dict[str, Any]) -> None:
    clean = {s["id"] for s in crawled_demo["truth"]["sites"] if not s["content_errors"]}
    assert len(clean) >= 5
    flagged = {site for site, *_ in found_findings(crawled_demo["db"])}
    assert clean.isdisjoint(flagged)


def test_findings_wait_for_review_and_keep_personal_numbers_masked(
    crawled_demo: dict[str, Any],
) -> None:
    conn = sqlite3.connect(crawled_demo["db"])
    reviews = {r for (r,) in conn.execute("SELECT DISTINCT review FROM content_findings")}
    assert reviews == {"pending"}
    snippets = " ".join(s for (s,) in conn.execute("SELECT snippet FROM content_findings"))
    for site in crawled_demo["truth"]["sites"]:
        for case in site["content_errors"]:
            if case["check"] in ("id_number", "bank_card", "mobile"):
                assert case["term"] in snippets
    assert "11010519700307123X" not in snippets
