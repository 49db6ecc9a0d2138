"""The report has a section per checklist area of issue 15 (identity and page tags, search,
services, interpretation, yearly report, HTTPS/IPv6) and an annex of them in the Word 通报, built
from the engine's verdicts on a real SQLite file; a rule on a new metric of an area (a new
`https_…`/`ipv6_…` check) lands in its section without a change to the report."""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
from docx import Document
from lxml import html as lxml_html

from analysis.report.areas import AREAS, area_of
from analysis.report.build import areas_of, build_context
from analysis.report.context import (
    Compliance,
    Finding,
    Outcome,
    RuleInfo,
    RuleLevel,
    SiteCompliance,
)
from analysis.report.render import render_report

NATIONAL = Path(__file__).resolve().parents[3] / "config" / "standards" / "national.yaml"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/analysis: the db builder
from sw_analysis_db import new_world  # noqa: E402

FOUND = "<b>6100000001</b>"  # crawled text with markup: escaped in every format
HOME = "http://s1.test/"


def world_with_an_identity_problem(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Two sites posting in December; s1's home page shows a site code its meta tag does not."""
    world = new_world(tmp_path, "s1", "s2")
    for site in ("s1", "s2"):
        world.column(f"{site}-news", site=site)
        world.post(f"{site}-news", "2012-12-20", site=site)
    world.conn.execute(
        "INSERT INTO content_findings (site_id, page_url, page_key, check_kind, term, suggestion,"
        " severity, first_found_at, last_found_at) VALUES ('s1', ?, ?, 'site_code_mismatch',"
        " ?, '6100000002', 'serious', '2012-12-20T09:00:00', '2012-12-31T09:00:00')",
        (HOME, HOME, FOUND),
    )
    world.done()
    return world


def test_every_area_has_its_section_in_html_excel_and_word(tmp_path: Path) -> None:
    world = world_with_an_identity_problem(tmp_path)
    ctx = build_context(world.path, "2012-12", NATIONAL)
    identity = next(a for a in ctx.areas if a.key == "identity")
    tally = {t.rule_id: (t.judged, t.failing) for t in identity.rules}
    assert tally["site-identity"] == (2, 1)  # s1 fails, s2 passes
    assert [(f.site_name, f.rule_id) for f in identity.findings if f.outcome is Outcome.FAIL] == [
        ("站点", "site-identity")
    ]
    written = render_report(ctx, tmp_path / "out", ("html", "docx", "xlsx"), "zh")

    page = lxml_html.fromstring(written["html"].read_text(encoding="utf-8"))
    ids = set(page.xpath("//section/@id"))
    detail = {f"area_{a.key}" for a in AREAS if not a.own_section}
    assert detail | {"content", "annex4"} <= ids
    section = page.xpath("//section[@id='area_identity']")[0]
    assert section.xpath("h2")[0].text_content() == "网站标识与页面标签"
    assert "本月共有 1 个网站存在本项问题或预警" in section.text_content()
    cells = [c.text_content() for c in section.xpath(".//td")]
    sentence = next(c for c in cells if FOUND in c)  # the text, escaped, not markup
    assert "应为“6100000002”" in sentence and HOME in sentence
    assert not section.xpath(".//td//b")
    # One place per finding: not repeated in the compliance findings table.
    assert FOUND not in page.get_element_by_id("t-findings").text_content()
    assert "专项检查的不合格项及证据列在各专项章节" in page.get_element_by_id("s6").text_content()
    transport = page.xpath("//section[@id='area_transport']")[0].text_content()
    assert "HTTPS" in transport and "IPv6" in transport

    doc = Document(str(written["docx"]))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert "专项检查情况" in headings
    areas = [t for t in doc.tables if t.rows[0].cells[0].text == "检查领域"]
    shown = {row.cells[0].text for row in areas[0].rows[1:]}
    assert {"网站标识与页面标签", "站内搜索", "办事服务", "政策解读"} <= shown
    assert {"政府网站工作年度报表", "HTTPS 与 IPv6 支持", "内容错误（错敏信息）"} <= shown

    book = openpyxl.load_workbook(written["xlsx"])
    titles = " ".join(book.sheetnames)
    assert "网站标识与页面标签" in titles and "专项检查情况" in titles
    values = {v for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row}
    assert any(isinstance(v, str) and FOUND in v and "6100000002" in v for v in values)


def test_a_rule_on_a_new_https_or_ipv6_metric_lands_in_the_transport_section() -> None:
    for metric in ("https_hsts_missing", "ipv6_dns_only", "certificate_days_left"):
        found = area_of(metric)
        assert found is not None and found.key == "transport", metric
    assert area_of("stale_columns") is None and area_of("home_failure_rate") is None
    rules = [RuleInfo("hsts", "未启用 HSTS", "https_hsts_missing", RuleLevel.WARNING)]
    sites = [
        SiteCompliance("甲", 90.0, True, [], {"hsts": Outcome.WARNING}),
        SiteCompliance("乙", 95.0, True, [], {"hsts": Outcome.PASS}),
        SiteCompliance("丙", 95.0, True, [], {"hsts": Outcome.NO_DATA}),
    ]
    findings = [
        Finding("甲", "hsts", Outcome.WARNING, 1.0, 0.0),
        Finding("丙", "hsts", Outcome.NO_DATA, None, None),
    ]
    by_key = {a.key: a for a in areas_of(Compliance("t", 60.0, rules, sites, findings))}
    transport = by_key["transport"]
    assert [(t.rule_id, t.judged, t.failing, t.warned, t.no_data) for t in transport.rules] == [
        ("hsts", 2, 0, 1, 1)
    ]
    assert [f.site_name for f in transport.findings] == ["甲", "丙"]
    assert all(not a.rules for k, a in by_key.items() if k != "transport")
