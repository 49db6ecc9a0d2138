"""The Word report: headings for a TOC, repeating table headers, PAGE footer, fonts, escaping."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from report_sample import FORMULA_TITLE, HOSTILE_SITE, XSS_TITLE
from test_report_html import HEADINGS_EN, HEADINGS_ZH


def open_docx(rendered: dict, lang: str = "zh"):
    """The rendered Word document, opened with python-docx."""
    return Document(str(rendered[lang]["docx"]))


def test_heading_1_per_section_and_toc_field(rendered: dict) -> None:
    doc = open_docx(rendered)
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1 == HEADINGS_ZH
    assert [
        p.text for p in open_docx(rendered, "en").paragraphs if p.style.name == "Heading 1"
    ] == (HEADINGS_EN)
    h2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert "省局门户" in h2 and "逾期未答复留言" in h2
    codes = [t.text for t in doc.element.body.iter(qn("w:instrText"))]
    assert any(c.strip().startswith("TOC ") for c in codes)


def test_tables_have_repeating_header_rows(rendered: dict) -> None:
    doc = open_docx(rendered)
    assert len(doc.tables) == 15  # as many as the sheets of the workbook
    for table in doc.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None
        assert first.trPr.find(qn("w:tblHeader")) is not None
        assert all(
            r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows[1:]
        )
    overview = doc.tables[0]
    assert [c.text for c in overview.rows[0].cells] == ["指标", "本月", "上月"]
    assert [c.text for c in overview.rows[2].cells] == ["发布信息数", "131", "118"]


def test_footer_has_page_field(rendered: dict) -> None:
    footer = open_docx(rendered).sections[0].footer
    codes = [t.text.strip() for t in footer._element.iter(qn("w:instrText"))]
    assert codes == ["PAGE"]
    assert footer.paragraphs[0].text.startswith("第 ")


def test_charts_embedded(rendered: dict) -> None:
    doc = open_docx(rendered)
    images = [r for r in doc.part.rels.values() if r.reltype.endswith("/image")]
    assert len(images) == 5


def test_chinese_runs_have_east_asian_font(rendered: dict) -> None:
    doc = open_docx(rendered)
    runs = [
        r
        for p in doc.paragraphs
        for r in p.runs
        if any("\u4e00" <= ch <= "\u9fff" for ch in r.text)
    ]
    runs += [
        r
        for t in doc.tables
        for row in t.rows
        for cell in row.cells
        for p in cell.paragraphs
        for r in p.runs
        if any("\u4e00" <= ch <= "\u9fff" for ch in r.text)
    ]
    assert runs
    for run in runs:
        fonts = run._r.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) in ("宋体", "黑体"), run.text


def test_hostile_text_is_literal(rendered: dict) -> None:
    doc = open_docx(rendered)
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert {XSS_TITLE, FORMULA_TITLE, HOSTILE_SITE} <= cells
    targets = [r.target_ref for r in doc.part.rels.values() if r.is_external]
    assert targets and all(t.startswith(("http://", "https://")) for t in targets)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_converts_to_pdf_with_libreoffice(rendered: dict, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(rendered["zh"]["docx"]),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "report.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
