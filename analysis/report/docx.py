"""The report as a Word document (python-docx).

Real Heading 1/2 styles with a TOC field (Word fills it on F9 / open), tables whose header row
repeats on every page, a PAGE field in the footer, charts embedded, and the East-Asian font set
on every run (w:eastAsia) so Chinese does not fall back to a Latin font. Text goes in as text:
python-docx escapes it, nothing is interpreted.
"""

from __future__ import annotations

import io
from copy import deepcopy
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
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
from analysis.report.tables import Section, Table

TABLE_FONT_SIZE = Pt(8)
WIDE_TABLE_COLUMNS = 10  # tables wider than this go on a landscape page
HEADER_FILL = "DCE6F1"
OUTCOME_FILLS = {"pass": "E2F0D9", "warning": "FFF2CC", "fail": "F8CBAD"}
LINK_COLOR = "0563C1"
CHART_WIDTH = Cm(16)


def set_east_asia(element_rpr_owner: Run | object, east_asia: str) -> None:
    """Set Latin and East-Asian fonts on a run or style (theme fonts would override them)."""
    font = element_rpr_owner.font  # type: ignore[attr-defined]
    font.name = DOCX_LATIN_FONT
    rpr = element_rpr_owner.element.get_or_add_rPr()  # type: ignore[attr-defined]
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
    element = deepcopy(run_template(bold, size))
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


def add_hyperlink(paragraph: Paragraph, url: str, text: str) -> None:
    """An external hyperlink (the URL was checked to be http(s) by the table builder)."""
    rel_id = hyperlink_rel(paragraph.part, url)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = add_run(paragraph, text, size=TABLE_FONT_SIZE)
    run.font.color.rgb = RGBColor.from_string(LINK_COLOR)
    run.font.underline = True
    link.append(run._r)  # moves the run inside the hyperlink
    paragraph._p.append(link)


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


def setup_styles(doc: DocumentObject) -> None:
    """Body and heading styles with East-Asian fonts; A4 page with 2 cm margins."""
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    set_east_asia(normal, DOCX_BODY_FONT_EAST_ASIA)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        set_east_asia(doc.styles[name], DOCX_HEADING_FONT_EAST_ASIA)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))


def add_footer(doc: DocumentObject, lang: Lang) -> None:
    """Centred page number in the footer: 第 {PAGE} 页 / Page {PAGE}."""
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, _, after = label("page", lang).partition("{page}")
    add_run(paragraph, before)
    add_field(paragraph, "PAGE", "1")
    add_run(paragraph, after)


def add_table(doc: DocumentObject, table: Table) -> None:
    """A table with a repeating, shaded header row; linked cells become hyperlinks."""
    grid = doc.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
        add_run(cell.paragraphs[0], header, bold=True, size=TABLE_FONT_SIZE)
        shade(cell, HEADER_FILL)
    mark_header_row(grid)
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            paragraph = cell.paragraphs[0]
            if value.url:
                add_hyperlink(paragraph, value.url, value.text)
            else:
                add_run(paragraph, value.text, size=TABLE_FONT_SIZE)
            if isinstance(value.value, int | float):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if value.outcome in OUTCOME_FILLS:
                shade(cell, OUTCOME_FILLS[value.outcome])


def add_chart(doc: DocumentObject, chart: Chart) -> None:
    """An embedded chart with its caption."""
    doc.add_picture(io.BytesIO(chart.png), width=CHART_WIDTH)
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = doc.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(caption, chart.title, size=Pt(9))


def add_cover(doc: DocumentObject, ctx: ReportContext, lang: Lang) -> None:
    """Title, month, dates and the table of contents."""
    title = doc.add_paragraph(style="Title")
    title.add_run(clean_text(f"{ctx.group_name} {label('title', lang)}"))
    for run in title.runs:
        set_east_asia(run, DOCX_HEADING_FONT_EAST_ASIA)
    meta = doc.add_paragraph()
    add_run(meta, f"{label('month', lang)}: {ctx.month}    ")
    add_run(meta, f"{label('check_date', lang)}: {ctx.check_date.isoformat()}    ")
    add_run(meta, f"{label('generated', lang)}: {ctx.generated_at:%Y-%m-%d %H:%M}")
    toc_heading = doc.add_paragraph()
    add_run(toc_heading, label("toc", lang), bold=True, size=Pt(14))
    add_field(doc.add_paragraph(), r'TOC \o "1-2" \h \z \u', label("toc_hint", lang))
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def add_heading(doc: DocumentObject, text: str, level: int) -> None:
    """A real Heading 1/2 paragraph (so the TOC field finds it)."""
    heading = doc.add_heading(level=level)
    run = heading.add_run(clean_text(text))
    set_east_asia(run, DOCX_HEADING_FONT_EAST_ASIA)


def add_section(doc: DocumentObject, section: Section, charts: dict[str, Chart]) -> None:
    """One report section: Heading 1, notes, titled tables, charts."""
    add_heading(doc, section.heading, 1)
    for note in section.notes:
        add_run(doc.add_paragraph(), note)
    for table in section.tables:
        if table.title != section.heading:
            add_heading(doc, table.title, 2)
        if table.rows:
            add_table(doc, table)
            doc.add_paragraph()
        else:
            add_run(doc.add_paragraph(), "—")
    for key in section.charts:
        if key in charts:
            add_chart(doc, charts[key])


def render_docx(
    ctx: ReportContext, sections: list[Section], charts: dict[str, Chart], lang: Lang, path: Path
) -> Path:
    """Write the Word report to `path`."""
    doc = Document()
    setup_styles(doc)
    if any(len(t.headers) > WIDE_TABLE_COLUMNS for s in sections for t in s.tables):
        # A wide compliance matrix does not fit portrait A4; the whole report turns landscape.
        page = doc.sections[0]
        page.orientation = WD_ORIENT.LANDSCAPE
        page.page_width, page.page_height = page.page_height, page.page_width
    doc.core_properties.title = clean_text(f"{ctx.group_name} {label('title', lang)} {ctx.month}")
    doc.core_properties.language = "zh-CN" if lang == "zh" else "en-US"
    add_footer(doc, lang)
    add_cover(doc, ctx, lang)
    for section in sections:
        add_section(doc, section, charts)
    doc.save(str(path))
    return path
