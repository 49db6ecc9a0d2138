"""render_report's contract (paths, formats, languages, empty months) and the formatting helpers."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_sample import sample_context

from analysis.report.context import EmptyReportError
from analysis.report.fmt import clean_text, fmt_change, fmt_number, fmt_ratio, safe_url
from analysis.report.render import UnknownFormatError, parse_formats, render_report
from crawler.store import open_db
from sitewatch.commands.report import report

ROOT = Path(__file__).resolve().parents[3]


def test_writes_month_folder_and_returns_paths(rendered: dict) -> None:
    paths = rendered["zh"]
    assert sorted(paths) == ["docx", "html", "xlsx"]
    for name, path in paths.items():
        assert path.name == f"report.{name}" and path.parent.name == "2012-12"
        assert path.stat().st_size > 0
    charts = sorted(p.name for p in (paths["html"].parent / "charts").iterdir())
    assert charts == ["availability.png", "heatmap.png", "latency.png", "posts.png", "trend.png"]


def test_only_requested_formats(tmp_path: Path) -> None:
    written = render_report(sample_context(), tmp_path, ["XLSX", "xlsx"], "en")
    assert written == {"xlsx": tmp_path / "2012-12" / "report.xlsx"}
    assert not (tmp_path / "2012-12" / "charts").exists()


def test_bad_format_and_language() -> None:
    with pytest.raises(UnknownFormatError, match="pdf"):
        parse_formats(["html", "pdf"])
    with pytest.raises(UnknownFormatError):
        parse_formats([])
    with pytest.raises(ValueError, match="fr"):
        render_report(sample_context(), Path("/nonexistent"), ["html"], "fr")  # type: ignore[arg-type]


def test_empty_month_raises(tmp_path: Path) -> None:
    ctx = sample_context()
    empty = dataclasses.replace(
        ctx, sites=[], overview=dataclasses.replace(ctx.overview, sites_monitored=0)
    )
    with pytest.raises(EmptyReportError, match="2012-12 没有监测数据"):
        render_report(empty, tmp_path, ["html"], "zh")
    assert not (tmp_path / "2012-12").exists()


def test_safe_url_only_http() -> None:
    assert safe_url("http://127.0.0.1/a?b=1") == "http://127.0.0.1/a?b=1"
    assert safe_url("HTTPS://example.gov.cn/") == "HTTPS://example.gov.cn/"
    for bad in (
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:x",
        "data:text/html,x",
        "http://",
        "//evil.example/",
        'http://a/"onmouseover=x',
        "vbscript:x",
        "",
        None,
    ):
        assert safe_url(bad) is None, bad


def test_formatting() -> None:
    assert [fmt_change(3), fmt_change(-2), fmt_change(0), fmt_change(None)] == [
        "+3",
        "-2",
        "0",
        "—",
    ]
    assert [fmt_ratio(0.9130434782608695), fmt_ratio(1.0), fmt_ratio(0.0)] == [
        "91.3%",
        "100.0%",
        "0.0%",
    ]
    assert [fmt_number(2.0), fmt_number(42.5), fmt_number(0.0097), fmt_number(None)] == [
        "2",
        "42.5",
        "0.0097",
        "—",
    ]
    assert clean_text("通知\x08公告\x00") == "通知公告"
    assert clean_text("a\tb\nc") == "a\tb\nc"


def test_control_characters_do_not_break_word_or_excel(tmp_path: Path) -> None:
    ctx = sample_context()
    site = dataclasses.replace(ctx.sites[0], name="门户\x0b\x01网站")
    written = render_report(
        dataclasses.replace(ctx, sites=[site, *ctx.sites[1:]]), tmp_path, ["docx", "xlsx"], "zh"
    )
    from docx import Document
    from openpyxl import load_workbook

    cells = {c.text for t in Document(str(written["docx"])).tables for r in t.rows for c in r.cells}
    assert "门户网站" in cells
    assert load_workbook(written["xlsx"])["08 信息更新情况（省局门户）"]["A2"].value == "门户网站"


def test_command_rejects_a_bad_month_and_an_empty_database(tmp_path: Path) -> None:
    runner = CliRunner()
    config = str(ROOT / "config" / "demo.yaml")
    bad = runner.invoke(report, ["--month", "2012-13", "--config", config])
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output
    db = tmp_path / "empty.db"
    open_db(db)  # schema, no sites
    result = runner.invoke(
        report, ["--month", "2012-12", "--config", config, "--db", str(db), "--out", str(tmp_path)]
    )
    assert result.exit_code == 1, result.output
    assert "Error:" in result.output and "2012-12" in result.output
    assert not (tmp_path / "2012-12").exists()
