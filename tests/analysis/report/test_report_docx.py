"""The Word report: headings for a TOC, repeating table headers, PAGE footer, fonts, escaping."""

from __future__ import annotations

import re
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


def test_a_notice_with_three_headings_then_the_annexes_and_no_toc(rendered: dict) -> None:
    doc = open_docx(rendered)
    title = [p.text for p in doc.paragraphs if p.style.name == "Title"]
    assert title == ["关于2012年12月陕西省质监系统网站群信息更新质量监测情况的通报"]
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1 == [*HEADINGS_ZH[:3], "各单位监测结果汇总表", "问题清单", "监测说明", "专项检查情况"]
    assert [p.text for p in open_docx(rendered, "en").paragraphs if p.style.name == "Heading 1"][
        :3
    ] == HEADINGS_EN[:3]
    codes = [t.text for t in doc.element.body.iter(qn("w:instrText"))]
    assert not [c for c in codes if "TOC" in c]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "F9" not in text and "更新域" not in text
    assert "附件：1. 各单位监测结果汇总表" in text


def test_annexes_on_landscape_pages_with_fitted_columns(rendered: dict) -> None:
    doc = open_docx(rendered)
    sections = doc.sections
    assert len(sections) == 5  # the notice, then one per annex
    assert sections[0].page_width < sections[0].page_height  # the notice: portrait A4
    assert round(sections[0].page_width.cm, 1) == 21.0
    assert sections[1].page_width > sections[1].page_height  # annex 1: wide table, landscape
    for section, table in zip(sections[1:], doc.tables, strict=False):
        usable = section.page_width - section.left_margin - section.right_margin
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(grid) <= usable / 635 + 5  # twips; EMU / 635
        assert len(set(grid)) > 1, "columns fitted to content, not equal widths"


def test_tables_have_repeating_header_rows(rendered: dict) -> None:
    doc = open_docx(rendered)
    assert len(doc.tables) == 5  # summary, problem list, visits, definitions, checks by area
    for table in doc.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None
        assert first.trPr.find(qn("w:tblHeader")) is not None
        assert all(
            r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows[1:]
        )
    summary = doc.tables[0]
    assert [c.text for c in summary.rows[0].cells][:3] == ["网站", "单位类型", "本月发布"]
    assert [c.text for c in summary.rows[-1].cells][:3] == ["合计", "5 个网站", "131"]


def test_footer_has_page_field(rendered: dict) -> None:
    footer = open_docx(rendered).sections[0].footer
    codes = [t.text.strip() for t in footer._element.iter(qn("w:instrText"))]
    assert codes == ["PAGE"]
    assert footer.paragraphs[0].text.startswith("— ")


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
        assert fonts.get(qn("w:eastAsia")) in ("仿宋", "黑体"), run.text
    body = [p for p in doc.paragraphs if p.style.name == "Normal" and p.text.startswith("本月")]
    assert body and body[0].runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"


def test_hostile_text_is_literal(rendered: dict) -> None:
    doc = open_docx(rendered)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert XSS_TITLE in cells and FORMULA_TITLE in cells and HOSTILE_SITE in cells
    targets = [r.target_ref for r in doc.part.rels.values() if r.is_external]
    assert targets and all(t.startswith(("http://", "https://")) for t in targets)


def pdf_of(docx: Path, out: Path) -> Path:
    """The Word file converted to PDF by LibreOffice."""
    result = subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(docx)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out / f"{docx.stem}.pdf"


def words_outside_their_page(pdf: Path) -> list[str]:
    """Words whose box runs past the right edge of their page (pdftotext -bbox)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    outside = []
    for page in re.finditer(r'<page width="([\d.]+)".*?</page>', html, re.S):
        width = float(page.group(1))
        for word in re.finditer(r'xMax="([\d.]+)"[^>]*>([^<]*)<', page.group(0)):
            if float(word.group(1)) > width:
                outside.append(word.group(2))
    return outside


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice (soffice) or poppler (pdftotext) is not installed",
)
def test_pdf_has_no_empty_toc_and_nothing_wider_than_its_page(
    rendered: dict, tmp_path: Path
) -> None:
    pdf = pdf_of(rendered["zh"]["docx"], tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "目录" not in text and "F9" not in text
    assert "一、总体情况" in text and "问题清单" in text
    assert words_outside_their_page(pdf) == []
