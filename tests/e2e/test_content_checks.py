"""Content checks during a real crawl of the simulated group, judged by the simulator's truth."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from analysis.report.tables import build_sections
from crawler.urls import url_key

ROOT = Path(__file__).parents[2]

pytestmark = pytest.mark.slow


TAGS = ("meta_missing", "pubdate_form", "pubdate_disagrees")
SERVICE_LINK_CHECKS = (
    "service_attachment_broken",
    "service_attachment_empty",
    "service_attachment_type",
    "service_apply_dead",
)


def found_findings(db: Any) -> set[tuple[str, str, str, str, str]]:
    """Every finding but article meta-tag ones (judged apart: one per page)."""
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT site_id, page_key, check_kind, term, severity FROM content_findings"
        " WHERE check_kind NOT IN (?, ?, ?)",
        TAGS,
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
    assert len(truth) >= 10
    assert truth - found == set(), "missed"
    assert found - truth == set(), "not in the truth"


def test_clean_sites_have_no_finding(crawled_demo: dict[str, Any]) -> None:
    clean = {s["id"] for s in crawled_demo["truth"]["sites"] if not s["content_errors"]}
    assert len(clean) >= 2
    flagged = {site for site, *_ in found_findings(crawled_demo["db"])}
    assert clean.isdisjoint(flagged)


def test_article_meta_tags_judged_on_every_detail_page(crawled_demo: dict[str, Any]) -> None:
    conn = sqlite3.connect(crawled_demo["db"])
    for site in crawled_demo["truth"]["sites"]:
        details = {
            key
            for (key,) in conn.execute(
                "SELECT url_key FROM posts WHERE site_id = ? AND detail_fetched_at IS NOT NULL",
                (site["id"],),
            )
        }
        tagged = conn.execute(
            "SELECT page_key, check_kind, term FROM content_findings"
            " WHERE site_id = ? AND check_kind IN (?, ?, ?)",
            (site["id"], *TAGS),
        ).fetchall()
        if site["missing_meta_tags"]:
            assert len(details) > 10
            assert {key for key, _c, _t in tagged} == details
            assert {(c, t) for _k, c, t in tagged} == {("meta_missing", site["missing_meta_tags"])}
        else:
            assert tagged == [], site["id"]


def test_leak_in_an_attachment_is_found_through_its_page(crawled_demo: dict[str, Any]) -> None:
    conn = sqlite3.connect(crawled_demo["db"])
    rows = conn.execute(
        "SELECT attachment_url, term FROM content_findings WHERE attachment_url != ''"
        " AND check_kind NOT LIKE 'service_%'"  # guides' links are cited by their URL too
    ).fetchall()
    assert len(rows) == 1
    url, term = rows[0]
    assert url.endswith(".xlsx") and term.endswith("1235") and "*" in term


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


def test_report_lists_findings_as_pending_then_confirmed(
    crawled_demo: dict[str, Any], tmp_path: Path
) -> None:
    from analysis.report.build import build_context
    from analysis.report.render import render_report
    from crawler.content.store import review_finding

    db = tmp_path / "copy.db"
    source = sqlite3.connect(crawled_demo["db"])
    source.backup(sqlite3.connect(db))
    profile = ROOT / "config" / "standards" / "national.yaml"
    identity = ("site_code_missing", "site_code_mismatch", "police_record_missing")
    # judged by their own rules, not listed here
    site_facts = (*identity, "search_broken", *SERVICE_LINK_CHECKS)
    cases = [
        c
        for s in crawled_demo["truth"]["sites"]
        for c in s["content_errors"]
        if c["check"] not in site_facts
    ]

    def content_rows() -> dict[str, str]:
        ctx = build_context(db, "2012-12", profile)
        (section,) = [s for s in build_sections(ctx, "zh") if s.key == "content"]
        return {row[4].text: row[7].text for row in section.tables[0].rows}

    before = content_rows()
    assert set(before) == {c["term"] for c in cases}
    for case in cases:
        assert before[case["term"]] == "待确认"
    conn = sqlite3.connect(db)
    (leader_id,) = conn.execute(
        "SELECT id FROM content_findings WHERE check_kind = 'leader_name'"
    ).fetchone()
    review_finding(conn, leader_id, "confirmed", by="审核员", note=None, now=datetime(2013, 1, 2))
    conn.close()
    assert content_rows()["何思远"] == "已确认"
    ctx = build_context(db, "2012-12", profile)
    vetoed = [s.site_name for s in ctx.compliance.sites if "content-serious-errors" in s.vetoes]
    assert len(vetoed) == 1
    flagged = {
        f.site_name
        for f in ctx.compliance.findings
        if f.rule_id == "site-identity" and f.outcome.value == "fail"
    }
    planted = {
        s["name"]
        for s in crawled_demo["truth"]["sites"]
        if any(c["check"] in identity for c in s["content_errors"])
    }
    assert flagged == planted and len(planted) == 3
    paths = render_report(ctx, tmp_path / "reports", ["html"])
    html = paths["html"].read_text(encoding="utf-8")
    assert "内容检查（错敏信息）" in html and "何思源" in html
    assert "11010519700307123X" not in html


def test_yearly_report_rule_flags_the_site_without_one(crawled_demo: dict[str, Any]) -> None:
    from datetime import date

    from analysis.standards.engine import evaluate
    from analysis.standards.profile import load_profile

    profile = load_profile(ROOT / "config" / "standards" / "national.yaml")
    verdicts = evaluate(crawled_demo["db"], profile, date(2012, 12, 31))
    flagged = {
        v.site_id
        for v in verdicts
        for r in v.rules
        if r.id == "yearly-report" and r.outcome.value == "fail"
    }
    missing = {s["id"] for s in crawled_demo["truth"]["sites"] if not s["yearly_report"]}
    assert missing and flagged == missing


def test_search_rule_flags_the_site_whose_search_finds_nothing(
    crawled_demo: dict[str, Any],
) -> None:
    from datetime import date

    from analysis.standards.engine import evaluate
    from analysis.standards.profile import load_profile

    profile = load_profile(ROOT / "config" / "standards" / "national.yaml")
    verdicts = evaluate(crawled_demo["db"], profile, date(2012, 12, 31))
    flagged = {
        v.site_id
        for v in verdicts
        for r in v.rules
        if r.id == "site-search" and r.outcome.value == "fail"
    }
    broken = {
        s["id"]
        for s in crawled_demo["truth"]["sites"]
        if any(c["check"] == "search_broken" for c in s["content_errors"])
    }
    assert len(broken) == 1 and flagged == broken


def test_policies_without_interpretation_match_the_truth(crawled_demo: dict[str, Any]) -> None:
    from datetime import date

    from analysis.standards.engine import evaluate
    from analysis.standards.profile import load_profile

    profile = load_profile(ROOT / "config" / "standards" / "national.yaml")
    verdicts = evaluate(crawled_demo["db"], profile, date(2012, 12, 31))
    found = {
        (v.site_id, url_key(e["url"]))
        for v in verdicts
        for r in v.rules
        if r.id == "policy-interpretation"
        for e in r.evidence
    }
    truth = {
        (s["id"], url_key(u))
        for s in crawled_demo["truth"]["sites"]
        for u in s["policies_without_interpretation"]
    }
    assert len(truth) > 20
    assert found == truth


def test_service_guide_links_match_the_truth(crawled_demo: dict[str, Any]) -> None:
    """Each unusable guide link is found as the simulator planted it; the other guides (every
    one links a working form and application) have no finding."""
    conn = sqlite3.connect(crawled_demo["db"])
    found = set(
        conn.execute(
            "SELECT site_id, page_key, check_kind, term FROM content_findings"
            " WHERE check_kind IN (?, ?, ?, ?)",
            SERVICE_LINK_CHECKS,
        ).fetchall()
    )
    truth = {
        (site["id"], url_key(case["url"]), case["check"], case["term"])
        for site in crawled_demo["truth"]["sites"]
        for case in site["content_errors"]
        if case["check"] in SERVICE_LINK_CHECKS
    }
    right = found & truth
    print(
        f"service links: precision {len(right) / len(found) if found else 1.0:.0%},"
        f" recall {len(right) / len(truth):.0%} ({len(truth)} cases)"
    )
    assert {check for *_s, check, _t in truth} == set(SERVICE_LINK_CHECKS)
    assert found == truth
    guides = conn.execute(
        "SELECT count(*) FROM content_findings WHERE check_kind = 'service_elements_missing'"
    ).fetchone()[0]
    assert guides == 1  # the guides were read: the one lacking 办理材料 is reported


def test_dead_application_link_judged_from_the_link_check(crawled_demo: dict[str, Any]) -> None:
    """The link check's result is reused: the crawl never downloads the application link."""
    conn = sqlite3.connect(crawled_demo["db"])
    ((url,),) = conn.execute(
        "SELECT attachment_url FROM content_findings WHERE check_kind = 'service_apply_dead'"
    ).fetchall()
    assert conn.execute("SELECT ok, status FROM links WHERE url = ?", (url,)).fetchall() == [
        (0, 404)
    ]
    kinds = [kind for (kind,) in conn.execute("SELECT kind FROM fetches WHERE url = ?", (url,))]
    assert kinds and set(kinds) == {"link"}


def test_services_rule_flags_the_site_with_unusable_guides(crawled_demo: dict[str, Any]) -> None:
    from datetime import date

    from analysis.standards.engine import evaluate
    from analysis.standards.profile import load_profile

    profiles = ROOT / "analysis" / "standards" / "profiles"
    unusable = {
        s["id"]
        for s in crawled_demo["truth"]["sites"]
        if any(c["check"] in SERVICE_LINK_CHECKS for c in s["content_errors"])
    }
    for name in ("national.yaml", "provincial-example.yaml"):  # a deduction there, a veto here
        verdicts = evaluate(crawled_demo["db"], load_profile(profiles / name), date(2012, 12, 31))
        flagged = {
            v.site_id
            for v in verdicts
            for r in v.rules
            if r.id == "services-unusable" and r.outcome.value == "fail"
        }
        assert len(unusable) == 1 and flagged == unusable, name
