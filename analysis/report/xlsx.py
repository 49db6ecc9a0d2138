"""The report as an Excel workbook (openpyxl): the notice's text, then one sheet per table.

Sheets are named by one convention: a two-digit number in report order and the table's title
("01 附件1 各单位监测结果汇总表", "05 概况" …), cut to Excel's 31 characters.

Numbers are stored as numbers and dates as dates (with display formats), the header row is
frozen and filtered, and text that a spreadsheet would run as a formula (starting with = + - @,
tab or CR) is stored as a plain string with the quote prefix, so it never evaluates.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analysis.report.context import ReportContext
from analysis.report.i18n import Lang, label
from analysis.report.tables import Cell, Part, Section, Table

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31  # Excel's limit
MIN_WIDTH, MAX_WIDTH = 6, 60
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
OUTCOME_FILLS = {
    "pass": PatternFill("solid", fgColor="E2F0D9"),
    "warning": PatternFill("solid", fgColor="FFF2CC"),
    "fail": PatternFill("solid", fgColor="F8CBAD"),
}


def display_width(text: str) -> int:
    """Width of text in Excel character units: CJK characters take two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name from a numbered table title."""
    cleaned = " ".join(SHEET_NAME_FORBIDDEN.sub("_", title).split())
    base = cleaned.strip("'")[:MAX_SHEET_NAME] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: MAX_SHEET_NAME - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def put_text(cell: XlCell, text: str) -> None:
    """Store text as a literal string; formula-like text gets the quote prefix, never 'f'."""
    cell.value = text
    if text.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
        cell.quotePrefix = True  # Excel shows it as typed and never evaluates it


def put_cell(cell: XlCell, value: Cell) -> None:
    """Store one report cell with its native type, format, link and outcome colour."""
    raw = value.value
    if raw is None:
        cell.value = None
    elif isinstance(raw, str):
        put_text(cell, raw)
    else:
        cell.value = raw
        if value.number_format:
            cell.number_format = value.number_format
    if value.url:
        cell.hyperlink = value.url
        cell.font = Font(color="0563C1", underline="single")
    if value.outcome in OUTCOME_FILLS:
        cell.fill = OUTCOME_FILLS[value.outcome]


WRAP = Alignment(wrap_text=True, vertical="top")


def cell_width(value: Cell) -> int:
    """How wide a column must be to show this cell (its longest line)."""
    return max(display_width(line) for line in value.text.split("\n"))


def write_sheet(ws: Worksheet, table: Table) -> None:
    """One table: header row (frozen, filtered), data rows, sensible column widths."""
    for col, header in enumerate(table.headers, start=1):
        cell = ws.cell(row=1, column=col)
        put_text(cell, header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=False)
    for r, row in enumerate(table.rows, start=2):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=col)
            put_cell(cell, value)
            if "\n" in value.text:
                cell.alignment = WRAP
    ws.freeze_panes = "A2"
    last = get_column_letter(len(table.headers))
    ws.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    for col, header in enumerate(table.headers, start=1):
        widths = [display_width(header) + 3]  # room for the filter button
        widths += [cell_width(row[col - 1]) for row in table.rows]
        width = min(MAX_WIDTH, max(MIN_WIDTH, max(widths) + 1))
        ws.column_dimensions[get_column_letter(col)].width = width


def write_notice(ws: Worksheet, section: Section) -> None:
    """The notice's title and paragraphs, one a row, wrapped in a wide column."""
    put_text(ws.cell(row=1, column=1), section.heading)
    ws.cell(row=1, column=1).font = HEADER_FONT
    for r, note in enumerate(section.notes, start=2):
        cell = ws.cell(row=r, column=1)
        put_text(cell, note)
        cell.alignment = WRAP
    ws.column_dimensions["A"].width = 120


def render_xlsx(ctx: ReportContext, sections: list[Section], lang: Lang, path: Path) -> Path:
    """Write the Excel report to `path`: the notice, then one sheet per table, in report order."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    number = 0
    for section in sections:
        if section.part == Part.NOTICE:
            write_notice(workbook.create_sheet(sheet_name(f"00 {label('notice', lang)}", taken)),
                         section)  # fmt: skip
            continue
        for table in section.tables:
            number += 1
            title = sheet_name(f"{number:02d} {table.title}", taken)
            write_sheet(workbook.create_sheet(title), table)
    workbook.properties.title = f"{label('title', lang)} {ctx.month}"
    workbook.save(str(path))
    return path
