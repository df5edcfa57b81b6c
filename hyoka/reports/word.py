"""The report as a Word document the planning division can continue (python-docx).

Real heading styles and a real contents field (TOC, refreshed when the file is opened,
with page numbers), fonts every Office installation has (游明朝 for text, 游ゴシック for
headings and tables), real tables with header rows that repeat on every page, and every
chart as a PNG picture rendered from the same SVG by cairosvg (Word's SVG support needs
a PNG fallback anyway). A draft carries 「案」 as a watermark in its page headers.
"""

from __future__ import annotations

import io
from typing import Any

import cairosvg
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from .document import Block, Box, Bullets, Chart, Heading, Paragraph, Report, Table, Tree

MINCHO = "游明朝"  # text: on every Windows and Office installation since 2016
GOTHIC = "游ゴシック"  # headings and tables
HEAD_FILL = "DDE6F3"
FRAME = "1F5FA8"


def _font(style: Any, face: str, size: float | None = None, bold: bool | None = None) -> None:
    style.font.name = face
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), face)
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
    _font(doc.styles["Normal"], MINCHO, 9)
    for level, size in ((1, 15), (2, 12), (3, 10.5), (4, 9.5)):
        style = doc.styles[f"Heading {level}"]
        _font(style, GOTHIC, size, True)
        style.font.color.rgb = RGBColor(0x1F, 0x3F, 0x78)
    _font(doc.styles["Title"], GOTHIC)
    for name in ("Caption", "List Bullet", "Header", "Footer"):
        _font(doc.styles[name], GOTHIC if name != "List Bullet" else MINCHO)
    # Word refreshes the contents field (and its page numbers) when the file is opened
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _page_field(paragraph: Any) -> None:
    """The PAGE field, showing 1 until Word lays the pages out."""
    _field_start(paragraph, "PAGE")
    paragraph.add_run("1")
    _field_char(paragraph, "end")


def _field_start(paragraph: Any, instruction: str) -> None:
    """A field's start and instruction; what follows until its end is the result Word shows until it updates it."""
    _field_char(paragraph, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    _field_char(paragraph, "separate")


# Word's own watermark: a WordArt shape behind the text of every page, from the page header.
WATERMARK = (
    '<w:r {ns}><w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"'
    ' path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    + "".join(
        f'<v:f eqn="{eqn}"/>'
        for eqn in (
            "sum #0 0 10800",
            "prod #0 2 1",
            "sum 21600 0 @1",
            "sum 0 0 @2",
            "sum 21600 0 @3",
            "if @0 @3 0",
            "if @0 21600 @1",
            "if @0 0 @2",
            "if @0 @4 21600",
            "mid @5 @6",
            "mid @8 @5",
            "mid @7 @8",
            "mid @6 @7",
            "sum @6 0 @5",
        )
    )
    + '</v:formulas><v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"'
    ' o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/>'
    '</v:shapetype><v:shape id="hyoka-draft-{n}" o:spid="_x0000_s20{n}" type="#_x0000_t136" o:allowincell="f"'
    ' style="position:absolute;margin-left:0;margin-top:0;width:300pt;height:300pt;rotation:315;z-index:-251654144;'
    "mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
    'mso-position-vertical:center;mso-position-vertical-relative:margin" fillcolor="#c8501e" stroked="f">'
    '<v:fill opacity=".2"/><v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt" string="{text}"/>'
    "</v:shape></w:pict></w:r>"
)


def _watermark(header: Any, n: int) -> None:
    ns = f'{nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
    xml = WATERMARK.format(ns=ns, n=n, font=GOTHIC, text="案")
    header.paragraphs[0]._p.append(parse_xml(xml))


def _header_footer(doc: Any, report: Report) -> None:
    """Running header and a PAGE field in the footer, as in the PDF; a draft's 「案」 on every page."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.text = report.running_header
    header.runs[0].font.size = Pt(7.5)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(footer)
    if report.draft:
        _watermark(section.header, 1)
        _watermark(section.first_page_header, 2)


def _shade(cell: Any, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row: Any) -> None:
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _keep_rows(row: Any) -> None:
    """A row never breaks across pages, and stays with the next one in its group (an indicator's rows)."""
    flag = OxmlElement("w:cantSplit")
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
    _styled(doc, table.caption, "Caption").paragraph_format.keep_with_next = True
    placed = table.placed()
    rows = max((r + cell.rowspan for r, _c, cell, _h in placed), default=0)
    grid = doc.add_table(rows=rows, cols=table.columns)
    grid._tbl.tblPr.style = "TableGrid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    cells = [list(row._tr.tc_lst) for row in grid.rows]
    for row in grid.rows[: len(table.head)]:
        _repeat_header(row)
    for row in grid.rows:
        _keep_rows(row)
    grouped = {r + i for r, _c, cell, is_head in placed if not is_head for i in range(cell.rowspan - 1)}
    for r, c, cell, head in placed:
        target = _Cell(cells[r][c], grid)
        paragraph = target.paragraphs[0]
        if r in grouped or head:
            paragraph.paragraph_format.keep_with_next = True  # an indicator's rows share a page
        run = paragraph.add_run(cell.text)
        run.font.size = Pt(7.5)
        run.font.name = GOTHIC
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


def _paragraph(container: Any, block: Paragraph) -> None:
    p = container.add_paragraph()
    run = p.add_run(block.text)
    if block.css in ("label", "status"):
        run.bold = True
    if block.css == "label":
        p.paragraph_format.keep_with_next = True
    if block.css == "status":
        run.font.size = Pt(11)
        run.font.color.rgb = RGBColor(0x1F, 0x5F, 0xA8)
    if block.css == "note":
        run.font.size = Pt(8)


def _bullets(container: Any, block: Bullets) -> None:
    if block.title:
        container.add_paragraph(f"（{block.title}）").paragraph_format.keep_with_next = True
    for item in block.items:
        p = container.add_paragraph(item)
        p._p.style = "ListBullet"


def _box(doc: Any, box: Box) -> None:
    """A framed box: a one-cell table with the frame's color, its text or the empty frame's note."""
    frame = doc.add_table(rows=1, cols=1)
    frame._tbl.tblPr.style = "TableGrid"
    cell = frame.rows[0].cells[0]
    first = cell.paragraphs[0]
    if box.title:
        title = first.add_run(box.title)
        title.bold = True
        title.font.color.rgb = RGBColor(0x1F, 0x5F, 0xA8)
    for inner in box.blocks:
        if isinstance(inner, Paragraph):
            _paragraph(cell, inner)
        else:
            _bullets(cell, inner)
    if not box.blocks:
        note = cell.add_paragraph().add_run(box.empty)
        note.font.size = Pt(8)
        note.font.color.rgb = RGBColor(0x66, 0x66, 0x66)
        for _ in range(4):
            cell.add_paragraph()  # room to write in, as the printed frame has
    _keep_rows(frame.rows[0])


def _charts(doc: Any, charts: list[Chart]) -> None:
    """Consecutive charts side by side, each under its title: two 数値目標 charts to a row, three KPI charts."""
    series = [c for c in charts if "series" in c.css.split()]
    for chart in (c for c in charts if c not in series):  # a summary's chart, with its title drawn in
        _picture(doc.add_paragraph(), chart, Cm(12))
    if not series:
        return
    across = 3 if "kpi" in series[0].css.split() else 2
    grid = doc.add_table(rows=(len(series) + across - 1) // across, cols=across)
    for i, chart in enumerate(series):
        cell = grid.rows[i // across].cells[i % across]
        title = cell.paragraphs[0].add_run(chart.title)
        title.bold = True
        title.font.size = Pt(7)
        _picture(cell.add_paragraph(), chart, Cm(17.8 / across - 0.4))
    for row in grid.rows:
        _keep_rows(row)


def _picture(paragraph: Any, chart: Chart, width: Any) -> None:
    png = cairosvg.svg2png(bytestring=chart.svg.encode("utf-8"), scale=1.5)
    picture = paragraph.add_run().add_picture(io.BytesIO(png), width=width)
    picture._inline.docPr.set("descr", chart.description)  # the alternative text Word reads aloud
    picture._inline.docPr.set("title", chart.title)


def _contents(doc: Any, report: Report) -> None:
    """目次 as Word's TOC field over headings 1 to 3, one paragraph per entry; Word fills in the page
    numbers when it refreshes the field (on opening), and shows the headings until then."""
    _styled(doc, "目次", "Heading1")
    entries = report.contents()
    first = doc.add_paragraph()
    _field_start(first, 'TOC \\o "1-3" \\h \\z \\u')
    last = first
    for i, heading in enumerate(entries):
        last = first if i == 0 else doc.add_paragraph()
        last.add_run(heading.text)
        last.paragraph_format.left_indent = Cm(0.8 * (heading.level - 1))
    _field_char(last, "end")


def _field_char(paragraph: Any, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def _blocks(doc: Any, blocks: list[Block]) -> None:
    pending: list[Chart] = []
    for block in blocks:
        if isinstance(block, Chart):
            pending.append(block)
            continue
        if pending:
            _charts(doc, pending)
            pending = []
        if isinstance(block, Heading):
            heading = _styled(doc, block.text, f"Heading{min(block.level, 4)}")
            heading.paragraph_format.page_break_before = block.page
        elif isinstance(block, Paragraph):
            _paragraph(doc, block)
        elif isinstance(block, Bullets):
            _bullets(doc, block)
        elif isinstance(block, Tree):
            doc.add_paragraph(block.title).runs[0].bold = True
            for item in block.items:
                p = doc.add_paragraph(item.text + (f"　［{item.grade}］" if item.grade else ""))
                p.paragraph_format.left_indent = Cm(0.8 * item.depth)
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Box):
            _box(doc, block)
    if pending:
        _charts(doc, pending)


def render_docx(report: Report) -> bytes:
    doc = Document()
    _setup(doc)
    _header_footer(doc, report)
    doc.core_properties.title = report.title
    doc.core_properties.subject = report.subtitle
    doc.add_paragraph(report.organization).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(report.title, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(report.subtitle).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _contents(doc, report)
    for section in report.sections:
        heading = _styled(doc, section.title, "Heading1")
        heading.paragraph_format.page_break_before = True
        _blocks(doc, section.blocks)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
