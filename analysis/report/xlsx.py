"""The report as an Excel workbook (openpyxl): the notice's text, then one sheet per table.

Sheets are named by one convention: a two-digit number in report order and the table's title
("01 附件1 各单位监测结果汇总表", "05 概况" …), cut to Excel's 31 characters.

Numbers are stored as numbers and dates as dates (with display formats), the header row is
frozen and filtered, and text that a spreadsheet would run as a formula (starting with = + - @,
tab or CR) is stored as a plain string with the quote prefix, so it never evaluates.
"""

from __future__ import annotations

import re
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

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


WIDE_CHAR = re.compile("[\u2e80-\U0010ffff]")


def display_width(text: str) -> int:
    """Width of text in Excel character units: CJK characters take two."""
    return len(text) + len(WIDE_CHAR.findall(text))


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


def is_formula_like(text: str) -> bool:
    """Text a spreadsheet would run as a formula if stored as typed."""
    return text.startswith(FORMULA_TRIGGERS)


class Styles:
    """Cell styles of one workbook, made once each and copied onto cells.

    Setting font, fill and format on every cell hashes the style objects each time (most of
    the time of a 200,000-cell workbook); a style array made once per combination and copied
    is the same style, written the same way.
    """

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.made: dict[tuple[str | None, bool, str | None, bool, bool], StyleArray] = {}

    def of(self, key: tuple[str | None, bool, str | None, bool, bool]) -> StyleArray:
        """The style for (number format, link, outcome, wrapped, quote prefix)."""
        if key not in self.made:
            number_format, link, outcome, wrapped, quoted = key
            cell = WriteOnlyCell(self.ws)
            if number_format:
                cell.number_format = number_format
            if link:
                cell.font = LINK_FONT
            if outcome in OUTCOME_FILLS:
                cell.fill = OUTCOME_FILLS[outcome]
            if wrapped:
                cell.alignment = WRAP
            if quoted:
                cell.quotePrefix = True  # Excel shows it as typed and never evaluates it
            self.made[key] = cell._style
        return self.made[key]


def text_cell(ws: Any, text: str, styles: Styles, **style: Any) -> WriteOnlyCell:
    """A literal string cell; formula-like text gets the quote prefix, never type 'f'."""
    cell = WriteOnlyCell(ws, text)
    quoted = is_formula_like(text)
    if quoted:
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
    cell._style = copy(styles.of((None, False, None, False, quoted)))
    for name, value in style.items():
        setattr(cell, name, value)
    return cell


def xl_cell(ws: Any, value: Cell, styles: Styles) -> Any:
    """One report cell with its native type, format, link and outcome colour: a plain value
    when it needs none of them (openpyxl binds it), else a styled write-only cell."""
    raw = value.value
    wrapped = "\n" in value.text
    quoted = isinstance(raw, str) and is_formula_like(raw)
    outcome = value.outcome if value.outcome in OUTCOME_FILLS else None
    number_format = value.number_format if raw is not None and not isinstance(raw, str) else None
    if not (value.url or outcome or number_format or wrapped or quoted):
        return raw
    cell = WriteOnlyCell(ws, raw)
    if quoted:
        cell.data_type = "s"
    cell._style = copy(styles.of((number_format, bool(value.url), outcome, wrapped, quoted)))
    if value.url:
        cell.hyperlink = value.url
    return cell


WRAP = Alignment(wrap_text=True, vertical="top")
LINK_FONT = Font(color="0563C1", underline="single")


def cell_width(value: Cell) -> int:
    """How wide a column must be to show this cell (its longest line)."""
    text = value.text
    if "\n" not in text:
        return display_width(text)
    return max(display_width(line) for line in text.split("\n"))


def column_widths(table: Table) -> list[float]:
    """Each column as wide as its widest cell, within [MIN_WIDTH, MAX_WIDTH]."""
    out: list[float] = []
    for col, header in enumerate(table.headers):
        widest = display_width(header) + 3  # room for the filter button
        for row in table.rows:
            widest = max(widest, cell_width(row[col]))
            if widest >= MAX_WIDTH:
                break  # capped: the rest cannot widen it
        out.append(min(MAX_WIDTH, max(MIN_WIDTH, widest + 1)))
    return out


def write_sheet(ws: Any, table: Table, styles: Styles) -> None:
    """One table: header row (frozen, filtered), data rows, sensible column widths. A
    write-only sheet: widths and the frozen row are set before the first row is written."""
    for col, width in enumerate(column_widths(table), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    last = get_column_letter(len(table.headers))
    ws.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    ws.append(
        [
            text_cell(ws, h, styles, font=HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGN)
            for h in table.headers
        ]
    )
    for row in table.rows:
        ws.append([xl_cell(ws, value, styles) for value in row])


HEADER_ALIGN = Alignment(vertical="center", wrap_text=False)


def write_notice(ws: Any, section: Section, styles: Styles) -> None:
    """The notice's title and paragraphs, one a row, wrapped in a wide column."""
    ws.column_dimensions["A"].width = 120
    ws.append([text_cell(ws, section.heading, styles, font=HEADER_FONT)])
    for note in section.notes:
        ws.append([text_cell(ws, note, styles, alignment=WRAP)])


def render_xlsx(ctx: ReportContext, sections: list[Section], lang: Lang, path: Path) -> Path:
    """Write the Excel report to `path`: the notice, then one sheet per table, in report order.
    Write-only (streamed) sheets: a large group's tables never sit in memory as cell objects."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    number = 0
    styles: Styles | None = None
    for section in sections:
        if section.part == Part.NOTICE:
            ws = workbook.create_sheet(sheet_name(f"00 {label('notice', lang)}", taken))
            styles = styles or Styles(ws)
            write_notice(ws, section, styles)
            continue
        for table in section.tables:
            number += 1
            ws = workbook.create_sheet(sheet_name(f"{number:02d} {table.title}", taken))
            styles = styles or Styles(ws)
            write_sheet(ws, table, styles)
    workbook.properties.title = f"{label('title', lang)} {ctx.month}"
    workbook.save(str(path))
    return path
