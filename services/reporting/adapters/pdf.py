"""PDF rendering of a Layout with fpdf2 and an embedded DejaVu Sans (Kazakh ә ғ қ ң ө ұ ү һ і and
Kyrgyz ң ө ү render as themselves; the font ships in adapters/fonts with its licence, so a machine
without system fonts prints the same). Every page's footer carries the record's number and content
hash and the page number."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from services.reporting.domain.layout import Layout, Table

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"


class _Pdf(FPDF):
    def __init__(self, layout: Layout) -> None:
        super().__init__(orientation="L" if layout.landscape else "P", unit="mm", format="A4")
        self.layout = layout
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=16)
        self.set_margins(14, 12, 14)
        self.set_title(layout.title)
        self.set_creator("ejournal reporting")
        if layout.identity_line:
            self.set_subject(layout.identity_line)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 7)
        text = f"{self.layout.identity_line}    {self.page_no()}/{{nb}}".strip()
        self.cell(0, 5, text, align="C")


def _table(pdf: _Pdf, table: Table) -> None:
    if table.caption:
        pdf.set_font(FAMILY, "B", 9)
        pdf.multi_cell(0, 5, table.caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 8)
    total = sum(c.width for c in table.columns)
    widths = tuple(pdf.epw * c.width / total for c in table.columns)
    with pdf.table(
        col_widths=widths,
        text_align=tuple(c.align for c in table.columns),
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
        cell_fill_color=(247, 247, 247),
        cell_fill_mode=TableCellFillMode.ROWS,
        line_height=4.6,
        repeat_headings=1,
    ) as grid:
        heading = grid.row()
        for column in table.columns:
            heading.cell(column.title)
        for values in table.rows:
            row = grid.row()
            for value in values:
                row.cell(value)
    pdf.ln(3)


def _document(pdf: _Pdf, layout: Layout) -> None:
    pdf.layout = layout  # the footer of each page names the document it belongs to
    pdf.add_page(orientation="L" if layout.landscape else "P")
    pdf.set_font(FAMILY, "", 9)
    for line in layout.heading:
        pdf.multi_cell(0, 4.6, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", 13)
    pdf.multi_cell(0, 7, layout.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if layout.identity_line:
        pdf.set_font(FAMILY, "", 7)
        pdf.multi_cell(0, 4, layout.identity_line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    for label, value in layout.fields:
        pdf.set_font(FAMILY, "B", 9)
        pdf.cell(pdf.epw * 0.32, 5, f"{label}:")
        pdf.set_font(FAMILY, "", 9)
        pdf.multi_cell(0, 5, value or "—", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(FAMILY, "", 9)
    for paragraph in layout.paragraphs:
        pdf.multi_cell(0, 5, paragraph, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)
    for table in layout.tables:
        _table(pdf, table)
    if layout.signatures:
        pdf.ln(4)
        for signature in layout.signatures:
            if pdf.will_page_break(12):
                pdf.add_page()
            pdf.set_font(FAMILY, "", 9)
            pdf.cell(pdf.epw * 0.38, 8, signature.role)
            pdf.cell(pdf.epw * 0.30, 8, "_" * 28)
            pdf.cell(0, 8, signature.name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if layout.notes:
        pdf.ln(3)
        pdf.set_font(FAMILY, "", 7)
        for note in layout.notes:
            pdf.multi_cell(0, 3.8, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def render_pdf_many(layouts: Sequence[Layout], on_each: Callable[[int], None] | None = None) -> bytes:
    """Several documents in one file, each from a new page with its own footer."""
    if not layouts:
        raise ValueError("nothing to print")
    pdf = _Pdf(layouts[0])
    pdf.alias_nb_pages()
    for index, layout in enumerate(layouts, start=1):
        _document(pdf, layout)
        if on_each is not None:
            on_each(index)
    return bytes(pdf.output())


def render_pdf(layout: Layout) -> bytes:
    return render_pdf_many([layout])
