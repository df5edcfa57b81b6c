"""The report as a Word document the planning division can edit (python-docx).

Real heading styles (the navigation pane and a Word contents field work), real
tables with header rows that repeat on every page, and charts as PNG pictures
rendered from the same SVG by cairosvg (Word's SVG support needs a PNG fallback anyway).
"""

from __future__ import annotations

import io
from typing import Any

import cairosvg
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from .document import Bullets, Chart, Heading, Paragraph, Report, Table, Tree

FONT = "Noto Sans CJK JP"
HEAD_FILL = "DDE6F3"


def _font(style: Any, size: float | None = None, bold: bool | None = None) -> None:
    style.font.name = FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold


def _setup(doc: Any) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.6)
    section.top_margin = section.bottom_margin = Cm(1.8)
    _font(doc.styles["Normal"], 9)
    for level, size in ((1, 15), (2, 12), (3, 10.5), (4, 9.5)):
        style = doc.styles[f"Heading {level}"]
        _font(style, size, True)
        style.font.color.rgb = RGBColor(0x1F, 0x3F, 0x78)
    for name in ("Title", "Caption", "List Bullet"):
        _font(doc.styles[name])


def _footer(doc: Any, header: str) -> None:
    """Running header and a PAGE field in the footer, as in the PDF."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.header.paragraphs[0].text = header
    section.header.paragraphs[0].runs[0].font.size = Pt(7.5)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = footer.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is None:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _shade(cell: Any, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row: Any) -> None:
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _span(cells: list[list[Any]], r: int, c: int, rowspan: int, colspan: int) -> None:
    """Merge a block of the grid as Word stores it: gridSpan across, vMerge down.

    python-docx's ``merge`` does the same through generic XPath and took a third of
    the time of a Word file with a few hundred KPI tables.
    """
    for i in range(rowspan):
        lead = cells[r + i][c]
        if colspan > 1:
            lead.grid_span = colspan
            for covered in cells[r + i][c + 1 : c + colspan]:
                covered.getparent().remove(covered)
        if rowspan > 1:
            lead.vMerge = "restart" if i == 0 else "continue"


def _table(doc: Any, table: Table) -> None:
    _styled(doc, table.caption, "Caption")
    placed = table.placed()
    rows = max((r + cell.rowspan for r, _c, cell, _h in placed), default=0)
    grid = doc.add_table(rows=rows, cols=table.columns)
    grid._tbl.tblPr.style = "TableGrid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    cells = [list(row._tr.tc_lst) for row in grid.rows]
    for row in grid.rows[: len(table.head)]:
        _repeat_header(row)
    for r, c, cell, head in placed:
        target = _Cell(cells[r][c], grid)
        paragraph = target.paragraphs[0]
        run = paragraph.add_run(cell.text)
        run.font.size = Pt(7.5)
        if head:
            run.bold = True
            _shade(target, HEAD_FILL)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif "num" in cell.css.split():
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif cell.css in ("mark", "kind"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif cell.css == "group":
            run.bold = True
    for r, c, cell, _head in placed:
        if cell.rowspan > 1 or cell.colspan > 1:
            _span(cells, r, c, cell.rowspan, cell.colspan)
    if table.widths:
        grid.autofit = False
        total = sum(table.widths)
        for column, width in zip(grid.columns, table.widths, strict=False):
            column.width = Cm(17.8 * width / total)


def _styled(doc: Any, text: str, style_id: str) -> Any:
    """A paragraph in a style given by id: python-docx's lookup by name costs a millisecond each."""
    p = doc.add_paragraph(text)
    p._p.style = style_id
    return p


def _paragraph(doc: Any, block: Paragraph) -> None:
    p = doc.add_paragraph()
    run = p.add_run(block.text)
    if block.css in ("label", "status"):
        run.bold = True
    if block.css == "status":
        run.font.size = Pt(11)
        run.font.color.rgb = RGBColor(0x1F, 0x5F, 0xA8)
    if block.css == "note":
        run.font.size = Pt(8)


def _charts(doc: Any, charts: list[Chart]) -> None:
    """Consecutive charts share a paragraph, two to a line.

    The chart of every KPI is left to the HTML and PDF: drawing a hundred of them
    as PNG would double the time of the Word file, and its KPI tables hold the
    same numbers for the planner to edit.
    """
    shown = [c for c in charts if "kpi" not in c.css.split()]
    if not shown:
        return
    p = doc.add_paragraph()
    for chart in shown:
        png = cairosvg.svg2png(bytestring=chart.svg.encode("utf-8"), scale=1.5)
        width = Cm(8.6) if "series" in chart.css.split() else Cm(12)
        picture = p.add_run().add_picture(io.BytesIO(png), width=width)
        picture._inline.docPr.set("descr", chart.title)  # the alternative text Word reads aloud


def render_docx(report: Report) -> bytes:
    doc = Document()
    _setup(doc)
    _footer(doc, report.running_header)
    doc.add_paragraph(report.organization).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(report.title, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(report.subtitle).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("目次", level=1)
    for heading in report.contents():
        p = doc.add_paragraph(heading.text)
        p.paragraph_format.left_indent = Cm(0.8 * (heading.level - 1))
    for section in report.sections:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _styled(doc, section.title, "Heading1")
        pending: list[Chart] = []
        for block in section.blocks:
            if isinstance(block, Chart):
                pending.append(block)
                continue
            if pending:
                _charts(doc, pending)
                pending = []
            if isinstance(block, Heading):
                _styled(doc, block.text, f"Heading{min(block.level, 4)}")
            elif isinstance(block, Paragraph):
                _paragraph(doc, block)
            elif isinstance(block, Bullets):
                if block.title:
                    doc.add_paragraph(f"（{block.title}）")
                for item in block.items:
                    _styled(doc, item, "ListBullet")
            elif isinstance(block, Tree):
                doc.add_paragraph(block.title).runs[0].bold = True
                for item in block.items:
                    p = doc.add_paragraph(item.text + (f"　［{item.grade}］" if item.grade else ""))
                    p.paragraph_format.left_indent = Cm(0.8 * item.depth)
            elif isinstance(block, Table):
                _table(doc, block)
        if pending:
            _charts(doc, pending)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
