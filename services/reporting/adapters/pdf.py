"""PDF rendering of a Layout with fpdf2 and an embedded DejaVu Sans (Kazakh ә ғ қ ң ө ұ ү һ і and
Kyrgyz ң ө ү render as themselves; the font ships in adapters/fonts with its licence, so a machine
without system fonts prints the same). Every page's footer carries the record's number and content
hash and "page / pages". Labels and values, and the signature lines, are laid out as borderless tables
so a long label or name wraps inside its column instead of running over its neighbour; a record with a
verification page ends with its QR code (segno)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from pathlib import Path

import segno
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos
from fpdf.fonts import FontFace
from fpdf.util import Padding

from services.reporting.domain.layout import Layout, Table

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
FULL = {"": FONTS / "DejaVuSans.ttf", "B": FONTS / "DejaVuSans-Bold.ttf"}
LGC = {"": FONTS / "DejaVuSans-LGC.ttf", "B": FONTS / "DejaVuSans-Bold-LGC.ttf"}


@cache
def _lgc_characters() -> frozenset[int]:
    """What the cut fonts (scripts/subset_fonts.py) can print: in both, so either style prints it."""
    maps = [TTFont(str(FONTS / name), lazy=True)["cmap"].getBestCmap() for name in LGC.values()]
    return frozenset(maps[0]) & frozenset(maps[1])


def _texts(layout: Layout) -> Iterator[str]:
    yield from (layout.title, layout.identity_line, layout.verify_label, layout.verify_url)
    yield from layout.heading
    yield from layout.paragraphs
    yield from layout.notes
    for label, value in layout.fields:
        yield label
        yield value
    for table in layout.tables:
        yield table.caption
        yield from (c.title for c in table.columns)
        for row in table.rows:
            yield from row
    for signature in layout.signatures:
        yield signature.role
        yield signature.name


def font_files(layouts: Sequence[Layout]) -> dict[str, Path]:
    """The cut LGC fonts when they print every character of the documents (nearly always: they
    load about three times faster), else the full DejaVu Sans."""
    used = {ord(c) for layout in layouts for text in _texts(layout) for c in text}
    return LGC if used <= _lgc_characters() else FULL


class _Pdf(FPDF):
    def __init__(self, layout: Layout, fonts: dict[str, Path] | None = None) -> None:
        super().__init__(
            orientation="L" if layout.landscape else "P",
            unit="mm",
            format="A4",
            enforce_compliance="PDFA_2B",
        )
        self.layout = layout
        self.wrapped: dict[tuple[str, float, str], list[str]] = {}  # see _lines
        files = fonts or FULL
        self.add_font(FAMILY, "", str(files[""]))
        self.add_font(FAMILY, "B", str(files["B"]))
        self.set_auto_page_break(auto=True, margin=16)
        self.set_margins(14, 12, 14)
        self.set_title(layout.title)
        self.set_creator("ejournal reporting")
        if layout.identity_line:
            self.set_subject(layout.identity_line)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 7)
        text = f"{self.layout.identity_line}    {self.page_no()} / {{nb}}".strip()
        self.cell(0, 5, text, align="C")


LINE = 4.6  # mm per line of a table cell (8 pt text)
PAD = 1.0  # mm left and right of a cell's text
CELL_PADDING = Padding(top=0, right=PAD, bottom=0, left=PAD)
HEADING_FILL = (230, 230, 230)
ROW_FILL = (247, 247, 247)


def _lines(pdf: _Pdf, text: str, width: float) -> list[str]:
    """The lines `text` takes in a column `width` wide: one line without asking the line breaker when
    it fits (most cells: numbers, marks, one name), else fpdf2's own word wrapping."""
    if not text:
        return [""]
    if "\n" not in text and pdf.get_string_width(text) <= width - 2 * PAD:
        return [text]
    key = (pdf.font_style, width, text)  # a column repeats its long words ("Өте жақсы / Отлично")
    known = pdf.wrapped.get(key)
    if known is None:
        lines = pdf.multi_cell(
            width, LINE, text, dry_run=True, output=MethodReturnValue.LINES, padding=CELL_PADDING
        )
        known = pdf.wrapped[key] = [str(line) for line in lines] if isinstance(lines, list) else [text]
    return known


def _row(
    pdf: _Pdf,
    values: Sequence[str],
    widths: Sequence[float],
    aligns: Sequence[str],
    fill: tuple[int, int, int] | None,
    heading: Callable[[], None] | None,
) -> None:
    """One table row: every cell as tall as the row's tallest, on a new page (after the repeated
    heading) when it would not fit on this one."""
    wrapped = [_lines(pdf, value, width) for value, width in zip(values, widths, strict=True)]
    height = LINE * max(len(lines) for lines in wrapped)
    if pdf.will_page_break(height):
        pdf.add_page()
        if heading is not None:
            heading()
    x, y = pdf.l_margin, pdf.get_y()
    if fill is not None:
        pdf.set_fill_color(*fill)
        pdf.rect(x, y, sum(widths), height, style="F")
    for lines, width, align in zip(wrapped, widths, aligns, strict=True):
        pdf.rect(x, y, width, height)
        for n, line in enumerate(lines):
            if line:
                pdf.set_xy(x + PAD, y + n * LINE)
                pdf.cell(width - 2 * PAD, LINE, line, align=align)
        x += width
    pdf.set_xy(pdf.l_margin, y + height)


def _table(pdf: _Pdf, table: Table) -> None:
    """A bordered table with a bold shaded heading, repeated on every page it runs onto, and every
    other row shaded. Drawn cell by cell (fpdf2's own table layout measured every cell twice and was
    most of a statement's printing time)."""
    if table.caption:
        pdf.set_font(FAMILY, "B", 9)
        pdf.multi_cell(0, 5, table.caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    total = sum(c.width for c in table.columns)
    widths = tuple(pdf.epw * c.width / total for c in table.columns)
    aligns = tuple(c.align for c in table.columns)
    titles = tuple(c.title for c in table.columns)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)

    def heading() -> None:
        pdf.set_font(FAMILY, "B", 8)
        _row(pdf, titles, widths, aligns, HEADING_FILL, None)
        pdf.set_font(FAMILY, "", 8)

    heading()
    for index, values in enumerate(table.rows):
        _row(pdf, values, widths, aligns, ROW_FILL if index % 2 else None, heading)
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
    if layout.fields:
        _pairs(pdf, [(f"{label}:", value or "—") for label, value in layout.fields], (0.34, 0.66))
    pdf.ln(2)
    pdf.set_font(FAMILY, "", 9)
    for paragraph in layout.paragraphs:
        pdf.multi_cell(0, 5, paragraph, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)
    for table in layout.tables:
        _table(pdf, table)
    if layout.signatures:
        pdf.ln(4)
        if pdf.will_page_break(10 * len(layout.signatures)):
            pdf.add_page()
        rows = [(s.role, "_" * 24, s.name) for s in layout.signatures]
        _pairs(pdf, rows, (0.38, 0.27, 0.35), bold_first=False, line_height=6)
    if layout.verify_url:
        _verification(pdf, layout)
    if layout.notes:
        pdf.ln(3)
        pdf.set_font(FAMILY, "", 7)
        for note in layout.notes:
            pdf.multi_cell(0, 3.8, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _pairs(
    pdf: _Pdf,
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    bold_first: bool = True,
    line_height: float = 5,
) -> None:
    """Rows of short texts in borderless columns: each cell wraps within its own width."""
    pdf.set_font(FAMILY, "", 9)
    with pdf.table(
        col_widths=tuple(pdf.epw * w for w in widths),
        borders_layout="NONE",
        first_row_as_headings=False,
        text_align="LEFT",
        v_align="TOP",
        line_height=line_height,
        padding=(0.4, 1, 0.4, 0),
    ) as grid:
        for values in rows:
            row = grid.row()
            for column, value in enumerate(values):
                row.cell(value, style=FontFace(emphasis="BOLD") if bold_first and column == 0 else None)


def _verification(pdf: _Pdf, layout: Layout) -> None:
    """The QR code of the record's public verification page, with the address beside it."""
    size = 26
    if pdf.will_page_break(size + 4):
        pdf.add_page()
    pdf.ln(3)
    top = pdf.get_y()
    png = io.BytesIO()
    segno.make(layout.verify_url, error="m").save(png, kind="png", scale=4, border=2)
    pdf.image(png, x=pdf.l_margin, y=top, w=size, h=size)
    pdf.set_xy(pdf.l_margin + size + 4, top + 4)
    pdf.set_font(FAMILY, "B", 8)
    pdf.multi_cell(0, 4, layout.verify_label or "", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(pdf.l_margin + size + 4)
    pdf.set_font(FAMILY, "", 7)
    pdf.multi_cell(0, 3.6, layout.verify_url, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), top + size))


def render_pdf_many(layouts: Sequence[Layout], on_each: Callable[[int], None] | None = None) -> bytes:
    """Several documents in one file, each from a new page with its own footer."""
    if not layouts:
        raise ValueError("nothing to print")
    pdf = _Pdf(layouts[0], font_files(layouts))
    pdf.alias_nb_pages()
    for index, layout in enumerate(layouts, start=1):
        _document(pdf, layout)
        if on_each is not None:
            on_each(index)
    return bytes(pdf.output())


def render_pdf(layout: Layout) -> bytes:
    return render_pdf_many([layout])
