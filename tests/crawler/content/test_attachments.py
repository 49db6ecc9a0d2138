"""Attachments: which links name one, and the text of .docx, .xlsx and .pdf files (made here
with the libraries that write them)."""

from __future__ import annotations

import io
import shutil

import pytest

from crawler.content.text import attachment_hrefs, attachment_kind, attachment_text
from crawler.extract.tree import parse_html

LEAK = "获奖人员：王某，身份证号码：11010519491231002X"


def test_docx_text() -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("关于表彰的通知")
    document.add_paragraph(LEAK)
    buffer = io.BytesIO()
    document.save(buffer)
    assert LEAK in attachment_text(buffer.getvalue(), ".docx")


def test_xlsx_text_keeps_cells_apart() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号码"])
    sheet.append(["王某", "11010519491231002X"])
    buffer = io.BytesIO()
    book.save(buffer)
    text = attachment_text(buffer.getvalue(), ".xlsx")
    assert "11010519491231002X" in text and "王某" in text
    assert "王某11010519491231002X" not in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_text() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure = pyplot.figure()
    figure.text(0.1, 0.5, "ID 11010519491231002X")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf")
    pyplot.close(figure)
    assert "11010519491231002X" in attachment_text(buffer.getvalue(), ".pdf")


def test_broken_and_stub_files_give_no_text() -> None:
    assert attachment_text(b"not a zip", ".docx") == ""
    assert attachment_text(b"%PDF-1.4\n% simulated attachment\n%%EOF\n", ".pdf") == ""
    assert attachment_kind("http://a.gov.cn/files/a.XLSX?x=1") == ".xlsx"
    assert attachment_kind("http://a.gov.cn/files/a.doc") is None


def test_only_links_naming_a_file_type_are_picked_whatever_their_case() -> None:
    tree = parse_html(
        "<html><body><a href='a.PDF'>x</a><a href='/f/b.Docx?v=1'>y</a><a href='c.html'>z</a>"
        "<a>no target</a><p><a href='d.xlsx#s'></a><a href='e.doc'>旧格式</a></p></body></html>"
    )
    assert attachment_hrefs(tree) == ["a.PDF", "/f/b.Docx?v=1", "d.xlsx#s"]
    assert attachment_hrefs(tree, every=True) == [
        "a.PDF", "/f/b.Docx?v=1", "c.html", "d.xlsx#s", "e.doc"
    ]  # fmt: skip
