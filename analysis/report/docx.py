"""The report as a Word document (python-docx), in the form of an official 通报.

A title, the generated text (一、总体情况 / 二、存在的主要问题 / 三、工作要求, real Heading 1
paragraphs), the issuing office and date, then the annexes, each on a page of its own —
landscape where its table is wide — with column widths fitted to their content and a header row
that repeats on every page. Headings 黑体, body 仿宋, A4, a page number in the footer, no
table-of-contents field (a short notice has none). The East-Asian font is set on every run
(w:eastAsia) so Chinese never falls back to a Latin font. Text goes in as text: python-docx
escapes it, nothing is interpreted.
"""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from analysis.report.charts import Chart
from analysis.report.context import ReportContext
from analysis.report.fmt import clean_text
from analysis.report.fonts import (
    DOCX_BODY_FONT_EAST_ASIA,
    DOCX_HEADING_FONT_EAST_ASIA,
    DOCX_LATIN_FONT,
)
from analysis.report.i18n import Lang, label
from analysis.report.tables import Cell, Part, Section, Table

TABLE_FONT_SIZE = Pt(9)
BODY_SIZE = Pt(16)  # 三号, the size of a notice's body text
TITLE_SIZE = Pt(22)  # 二号
LINE_SPACING = Pt(28)  # fixed line spacing of official documents
HEADER_FILL = "DCE6F1"
OUTCOME_FILLS = {"pass": "E2F0D9", "warning": "FFF2CC", "fail": "F8CBAD", "no_data": "E7E6E6"}
LINK_COLOR = "0563C1"
A4 = (Cm(21), Cm(29.7))
MARGINS = {"top_margin": Cm(3.7), "bottom_margin": Cm(3.5), "left_margin": Cm(2.8),
           "right_margin": Cm(2.6)}  # fmt: skip
ANNEX_MARGIN = Cm(2.0)
CELL_PADDING_PT = 14.0  # Word's default left + right cell margins (0.19 cm each), borders, slack
HALF_WIDTH_EM = 0.62  # a Latin letter or digit is about this share of the font size wide
HEADER_MIN_CHARS = 4  # a header wraps after two Chinese characters rather than widen its column
MAX_COLUMN_CHARS = 48  # a column is never fitted wider than this many half-width characters


def set_east_asia(element_rpr_owner: Any, east_asia: str) -> None:
    """Set Latin and East-Asian fonts on a run or style (theme fonts would override them)."""
    font = element_rpr_owner.font
    font.name = DOCX_LATIN_FONT
    rpr = element_rpr_owner.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme_attr), None)


# A report of a 300-site group has ~50,000 table cells; python-docx's property setters cost
# ~0.3 ms a run. Runs are copied from a prebuilt element per (bold, size) instead.
RUN_TEMPLATES: dict[tuple[bool, int | None], Any] = {}


def run_template(bold: bool, size: Pt | None) -> Any:
    """A `w:r` with the fonts, weight and size set and an empty `w:t`, built once per kind."""
    key = (bold, int(size.pt * 2) if size is not None else None)
    if key not in RUN_TEMPLATES:
        fonts = (
            f'<w:rFonts w:ascii="{DOCX_LATIN_FONT}" w:hAnsi="{DOCX_LATIN_FONT}"'
            f' w:eastAsia="{DOCX_BODY_FONT_EAST_ASIA}"/>'
        )
        weight = "<w:b/>" if bold else ""
        half_points = f'<w:sz w:val="{key[1]}"/><w:szCs w:val="{key[1]}"/>' if key[1] else ""
        RUN_TEMPLATES[key] = parse_xml(
            f"<w:r {nsdecls('w')}><w:rPr>{fonts}{weight}{half_points}</w:rPr>"
            '<w:t xml:space="preserve"></w:t></w:r>'
        )
    return RUN_TEMPLATES[key]


def add_run(paragraph: Paragraph, text: str, *, bold: bool = False, size: Pt | None = None) -> Run:
    """A run of plain text with the body East-Asian font."""
    element = deepcopy(run_template(bold, size or TABLE_FONT_SIZE))
    element[-1].text = clean_text(text)
    paragraph._p.append(element)
    return Run(element, paragraph)


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (PAGE, TOC, ...) that Word computes when the document is shown."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")  # ask Word to update it on open
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.extend([begin, code, separate])
    shown = paragraph.add_run(placeholder)
    set_east_asia(shown, DOCX_BODY_FONT_EAST_ASIA)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


# python-docx's relate_to() scans every relationship of the part for a match: thousands of links
# (a 300-site group's broken links and letters) made that quadratic. Our own url → rId map, with
# ids in a namespace of their own ("rIdL…"), keeps adding a link constant-time.
HYPERLINK_IDS: WeakKeyDictionary[Any, dict[str, str]] = WeakKeyDictionary()


def hyperlink_rel(part: Any, url: str) -> str:
    """The relationship id of an external hyperlink to url in part, added on first use."""
    ids = HYPERLINK_IDS.setdefault(part, {})
    if url not in ids:
        rel_id = f"rIdL{len(ids) + 1}"
        part.rels.add_relationship(RELATIONSHIP_TYPE.HYPERLINK, url, rel_id, is_external=True)
        ids[url] = rel_id
    return ids[url]


def shade(cell_element: object, fill: str) -> None:
    """Background colour of a table cell."""
    tc_pr = cell_element._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def mark_header_row(table: DocxTable) -> None:
    """Make the first row repeat at the top of every page the table spans."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)


def styled_run(
    paragraph: Paragraph, text: str, east_asia: str, size: Pt, bold: bool = False
) -> Run:
    """A run with its own East-Asian font and size (headings, body text)."""
    run = paragraph.add_run(clean_text(text))
    set_east_asia(run, east_asia)
    run.font.size = size
    run.font.bold = bold
    return run


def setup_styles(doc: DocumentObject) -> None:
    """Body 仿宋 三号 with fixed 28 pt lines, headings 黑体; A4 with a notice's margins."""
    title_borders = doc.styles["Title"].element.pPr
    if title_borders is not None:  # the default template underlines titles; notices do not
        for border in title_borders.findall(qn("w:pBdr")):
            title_borders.remove(border)
    normal = doc.styles["Normal"]
    normal.font.size = BODY_SIZE
    set_east_asia(normal, DOCX_BODY_FONT_EAST_ASIA)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        style = doc.styles[name]
        set_east_asia(style, DOCX_HEADING_FONT_EAST_ASIA)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
    section = doc.sections[0]
    section.page_width, section.page_height = A4
    for side, value in MARGINS.items():
        setattr(section, side, value)


def body_paragraph(doc: DocumentObject, text: str) -> Paragraph:
    """A body paragraph: 仿宋 三号, first line indented two characters, fixed line spacing."""
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(BODY_SIZE.pt * 2)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_SPACING
    fmt.space_after = Pt(0)
    styled_run(paragraph, text, DOCX_BODY_FONT_EAST_ASIA, BODY_SIZE)
    return paragraph


def add_heading(doc: DocumentObject, text: str, level: int = 1) -> Paragraph:
    """A real Heading paragraph in 黑体 三号 (navigation pane, PDF bookmarks)."""
    heading = doc.add_heading(level=level)
    fmt = heading.paragraph_format
    fmt.first_line_indent = Pt(BODY_SIZE.pt * 2) if level == 1 else None
    fmt.space_before, fmt.space_after = Pt(6), Pt(0)
    styled_run(heading, text, DOCX_HEADING_FONT_EAST_ASIA, BODY_SIZE)
    return heading


def add_footer(section: Any) -> None:
    """A centred page number, the way notices number pages: — 1 —."""
    section.footer.is_linked_to_previous = True
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(paragraph, "— ", size=Pt(14))
    add_field(paragraph, "PAGE", "1")
    add_run(paragraph, " —", size=Pt(14))


def lines_of(cell: Cell) -> list[str]:
    """The lines of a cell's text (evidence cells hold one sentence a line)."""
    return cell.text.split("\n")


def display_width(text: str) -> int:
    """Width in half-width characters: CJK and full-width characters take two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def wanted_widths(table: Table) -> list[float]:
    """Each column's natural width in points: its longest line (capped), header included."""
    unit = TABLE_FONT_SIZE.pt * HALF_WIDTH_EM
    wanted = []
    for col, header in enumerate(table.headers):
        longest = max(
            [min(display_width(header), HEADER_MIN_CHARS)]
            + [display_width(line) for row in table.rows for line in lines_of(row[col])]
        )
        wanted.append(min(longest, MAX_COLUMN_CHARS) * unit + CELL_PADDING_PT)
    return wanted


def text_weights(table: Table) -> list[float]:
    """How much text each column holds per row on average, in points (a column of long evidence
    needs more room than a column of names, even when their longest lines are alike)."""
    unit = TABLE_FONT_SIZE.pt * HALF_WIDTH_EM
    rows = max(1, len(table.rows))
    return [
        sum(display_width(row[col].text) for row in table.rows) / rows * unit + CELL_PADDING_PT
        for col in range(len(table.headers))
    ]


def fitted_widths(
    wanted: list[float], available: float, weights: list[float] | None = None
) -> list[float]:
    """Column widths that fill the page width: a column narrower than an equal share keeps its
    natural width, the wider ones share what is left in proportion to theirs; when everything
    fits, the spare width goes to the columns in proportion to their own."""
    total = sum(wanted)
    if total <= available:
        return [w * available / total for w in wanted]
    widths: list[float | None] = [None] * len(wanted)
    room = available
    while True:
        open_cols = [i for i, w in enumerate(widths) if w is None]
        share = room / len(open_cols)
        narrow = [i for i in open_cols if wanted[i] <= share]
        if not narrow:
            # The wide columns share what is left in proportion to their natural widths: a long
            # site name gets more room than a short verdict, and both wrap rather than overflow.
            weight = [max(w, (weights or wanted)[i]) for i, w in enumerate(wanted)]
            rest = sum(weight[i] for i in open_cols)
            for i in open_cols:
                widths[i] = room * weight[i] / rest
            return [float(w) for w in widths]  # type: ignore[arg-type]
        for i in narrow:
            widths[i] = wanted[i]
            room -= wanted[i]


def set_widths(grid: DocxTable, widths: list[float]) -> None:
    """Fixed layout with the given column widths (grid and every cell present, for Word and
    LibreOffice)."""
    grid.autofit = False  # w:tblLayout fixed, in its schema place
    total = OxmlElement("w:tblW")
    total.set(qn("w:type"), "dxa")
    total.set(qn("w:w"), str(int(sum(widths) * 20)))
    existing = grid._tbl.tblPr.find(qn("w:tblW"))
    if existing is not None:
        existing.getparent().replace(existing, total)
    twips = [str(int(w * 20)) for w in widths]
    for col, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=True):
        col.set(qn("w:w"), width)
    for row in grid._tbl.tr_lst:
        for tc, width in zip(row.tc_lst, twips, strict=False):
            tc_w = tc.get_or_add_tcPr().get_or_add_tcW()
            tc_w.set(qn("w:type"), "dxa")
            tc_w.set(qn("w:w"), width)


def add_table(doc: DocumentObject, table: Table, width_pt: float) -> None:
    """A table with a repeating, shaded header row and fitted columns; links stay links."""
    grid = doc.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
        add_run(cell.paragraphs[0], header, bold=True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        shade(cell, HEADER_FILL)
    mark_header_row(grid)
    widths = fitted_widths(wanted_widths(table), width_pt, text_weights(table))
    set_widths(grid, widths)  # the header row: the body rows are made with their widths
    twips = [str(int(w * 20)) for w in widths]
    part = doc.part
    body = "".join(row_xml(part, row, twips) for row in table.rows)
    grid._tbl.extend(list(parse_xml(f"<w:tbl {nsdecls('w', 'r')}>{body}</w:tbl>")))


# The body rows are written as XML text and parsed once per table: python-docx's add_row and
# cell setters cost ~1 ms a cell, most of a large report's Word time. The markup is what those
# setters make: each cell's width and shading, one paragraph a line, runs from the table run's
# fonts and size, links coloured and underlined, numbers right-aligned.
def run_xml(text: str, link: bool = False) -> str:
    """A table run (9 pt, body fonts); a link's run blue and underlined."""
    size = int(TABLE_FONT_SIZE.pt * 2)
    colour = f'<w:color w:val="{LINK_COLOR}"/>' if link else ""
    underline = '<w:u w:val="single"/>' if link else ""
    return (
        f'<w:r><w:rPr><w:rFonts w:ascii="{DOCX_LATIN_FONT}" w:hAnsi="{DOCX_LATIN_FONT}"'
        f' w:eastAsia="{DOCX_BODY_FONT_EAST_ASIA}"/>{colour}<w:sz w:val="{size}"/>'
        f'<w:szCs w:val="{size}"/>{underline}</w:rPr>'
        f'<w:t xml:space="preserve">{xml_escape(clean_text(text))}</w:t></w:r>'
    )


def cell_xml(part: Any, value: Cell, twips: str) -> str:
    """One `w:tc`: width, shading, a paragraph per line (the first a link when it has one)."""
    shading = OUTCOME_FILLS.get(value.outcome or "")
    props = f'<w:tcW w:w="{twips}" w:type="dxa"/>'
    if shading:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{shading}"/>'
    lines = lines_of(value)
    paragraphs = []
    for i, line in enumerate(lines):
        if value.url and i == 0:
            rel_id = hyperlink_rel(part, value.url)
            runs = f'<w:hyperlink r:id="{rel_id}">{run_xml(line, link=True)}</w:hyperlink>'
        else:
            runs = run_xml(line)
        right = isinstance(value.value, int | float) and i == len(lines) - 1
        align = '<w:pPr><w:jc w:val="right"/></w:pPr>' if right else ""
        paragraphs.append(f"<w:p>{align}{runs}</w:p>")
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{''.join(paragraphs)}</w:tc>"


def row_xml(part: Any, row: list[Cell], twips: list[str]) -> str:
    """One body `w:tr`."""
    return (
        "<w:tr>"
        + "".join(cell_xml(part, v, w) for v, w in zip(row, twips, strict=True))
        + ("</w:tr>")
    )


def usable_width(section: Any) -> float:
    """The width between the margins, in points."""
    return float((section.page_width - section.left_margin - section.right_margin) / 12700)


def new_page_section(doc: DocumentObject, landscape: bool) -> Any:
    """A section starting on a new page, A4 portrait or landscape, annex margins."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, ANNEX_MARGIN)
    return section


def is_wide(section: Section) -> bool:
    """True when a table of the section does not fit a portrait page at its natural widths."""
    portrait = float((A4[0] - 2 * ANNEX_MARGIN) / 12700)
    return any(sum(wanted_widths(t)) > portrait for t in section.tables)


def add_title(doc: DocumentObject, ctx: ReportContext, title: str) -> None:
    """The notice's title, centred, 黑体 二号."""
    paragraph = doc.add_paragraph(style="Title")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(18)
    styled_run(paragraph, title, DOCX_HEADING_FONT_EAST_ASIA, TITLE_SIZE)


def add_notice(doc: DocumentObject, ctx: ReportContext, section: Section, annexes: list[Section],
               lang: Lang) -> None:  # fmt: skip
    """Title, the text with its three headings, the list of annexes, issuer and date."""
    add_title(doc, ctx, section.heading)
    headings = {label(k, lang) for k in ("n1", "n2", "n3")}
    for note in section.notes:
        if note in headings:
            add_heading(doc, note, 1)
        else:
            body_paragraph(doc, note)
    doc.add_paragraph()
    prefix = label("annexes", lang)
    for i, annex in enumerate(annexes):
        number, _, title = annex.heading.partition("  ")
        digits = "".join(ch for ch in number if ch.isdigit())
        paragraph = body_paragraph(doc, f"{prefix if i == 0 else ''}{digits}. {title}")
        if i:  # aligned under the first annex's number
            indent = BODY_SIZE.pt * (2 + display_width(prefix) / 2)
            paragraph.paragraph_format.first_line_indent = Pt(indent)
    doc.add_paragraph()
    for text in (label("issuer", lang), f"{ctx.generated_at:%Y年%-m月%-d日}"):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 2)
        styled_run(paragraph, text, DOCX_BODY_FONT_EAST_ASIA, BODY_SIZE)


def add_annex(doc: DocumentObject, section: Section) -> None:
    """An annex on pages of its own: 附件N (黑体), its title centred, notes and tables."""
    page = new_page_section(doc, is_wide(section))
    number, _, title = section.heading.partition("  ")
    label_paragraph = doc.add_paragraph()
    styled_run(label_paragraph, number, DOCX_HEADING_FONT_EAST_ASIA, BODY_SIZE)
    heading = add_heading(doc, title or number, 1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.first_line_indent = None
    for note in section.notes:
        body_paragraph(doc, note)
    for table in section.tables:
        if table.title != section.heading:
            sub = doc.add_paragraph()
            styled_run(sub, table.title, DOCX_HEADING_FONT_EAST_ASIA, Pt(12))
        if table.rows:
            add_table(doc, table, usable_width(page))
        doc.add_paragraph()


def render_docx(
    ctx: ReportContext, sections: list[Section], charts: dict[str, Chart], lang: Lang, path: Path
) -> Path:
    """Write the 通报 and its annexes to `path` (the detailed sections stay in HTML and Excel)."""
    doc = Document()
    setup_styles(doc)
    doc.core_properties.title = clean_text(f"{ctx.group_name} {label('title', lang)} {ctx.month}")
    doc.core_properties.language = "zh-CN" if lang == "zh" else "en-US"
    add_footer(doc.sections[0])
    notice = next(s for s in sections if s.part == Part.NOTICE)
    annexes = [s for s in sections if s.part == Part.ANNEX]
    add_notice(doc, ctx, notice, annexes, lang)
    for annex in annexes:
        add_annex(doc, annex)
    doc.save(str(path))
    return path


def render_notice(
    ctx: ReportContext, site_name: str, notice: Section, problems: Table, lang: Lang, path: Path
) -> Path:
    """One unit's rectification notice (整改通知): its result, each problem with its evidence
    and what to fix, then its problem list as an annex."""
    doc = Document()
    setup_styles(doc)
    doc.core_properties.title = clean_text(notice.heading)
    doc.core_properties.language = "zh-CN" if lang == "zh" else "en-US"
    add_footer(doc.sections[0])
    add_title(doc, ctx, notice.heading)
    headings = {label(k, lang) for k in ("notice_problems", "notice_requirements")}
    for i, note in enumerate(notice.notes):
        if note in headings:
            add_heading(doc, note, 1)
        elif i == 0:  # the addressee, flush left
            paragraph = doc.add_paragraph()
            styled_run(paragraph, note, DOCX_BODY_FONT_EAST_ASIA, BODY_SIZE)
        else:
            body_paragraph(doc, note)
    doc.add_paragraph()
    for text in (label("issuer", lang), f"{ctx.generated_at:%Y年%-m月%-d日}"):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 2)
        styled_run(paragraph, text, DOCX_BODY_FONT_EAST_ASIA, BODY_SIZE)
    add_annex(doc, Section("problems", problems.title, tables=[problems], part=Part.ANNEX))
    doc.save(str(path))
    return path
