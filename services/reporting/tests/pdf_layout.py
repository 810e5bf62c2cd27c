"""What a registrar would see on paper, measured: every piece of text's box (its position from pypdf,
its width from the embedded font's own advance widths) and every page rendered by poppler's pdftoppm.

Two boxes that intersect are text printed over text; a box outside the page is text cut off. A page
that pdftoppm cannot render, or that has no ink where its footer should be, is not a page to file.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pypdf
from fontTools.ttLib import TTFont

from services.reporting.adapters.pdf import FONTS

ASCENT, DESCENT = 0.76, 0.24  # DejaVu Sans, as fractions of the font size
TOLERANCE = 0.3  # points: boxes that merely touch do not overlap


@dataclass(frozen=True)
class Box:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.page == other.page
            and min(self.x1, other.x1) - max(self.x0, other.x0) > TOLERANCE
            and min(self.y1, other.y1) - max(self.y0, other.y0) > TOLERANCE
        )


@cache
def _metrics(bold: bool) -> tuple[dict[int, str], object, int]:
    font = TTFont(str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")))
    return font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm


def text_width(text: str, size: float, bold: bool) -> float:
    cmap, hmtx, units = _metrics(bold)
    glyphs = hmtx.metrics  # type: ignore[attr-defined]
    return float(sum(glyphs[cmap.get(ord(c), ".notdef")][0] for c in text) * size / units)


def text_boxes(content: bytes) -> tuple[list[Box], list[tuple[float, float]]]:
    """Every shown text's box on every page, and each page's size, in points."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    boxes: list[Box] = []
    sizes = []
    for number, page in enumerate(reader.pages, start=1):
        sizes.append((float(page.mediabox.width), float(page.mediabox.height)))

        def visit(
            text: str, cm: list[float], tm: list[float], font: object, size: float, number: int = number
        ) -> None:
            shown = text.strip()
            if not shown or font is None:
                return
            scale = size * tm[0] * cm[0]
            x = tm[4] * cm[0] + cm[4]  # a leading space is pypdf's own, not a printed glyph
            y = tm[5] * cm[3] + cm[5]
            bold = "Bold" in str(font.get("/BaseFont", ""))  # type: ignore[attr-defined]
            width = text_width(shown, scale, bold)
            boxes.append(Box(number, shown, x, y - DESCENT * scale, x + width, y + ASCENT * scale))

        page.extract_text(visitor_text=visit)
    return boxes, sizes


def overlaps(content: bytes) -> list[tuple[Box, Box]]:
    """Pairs of texts printed over each other (on one page)."""
    boxes, _ = text_boxes(content)
    found = []
    by_page: dict[int, list[Box]] = {}
    for box in boxes:
        by_page.setdefault(box.page, []).append(box)
    for page_boxes in by_page.values():
        ordered = sorted(page_boxes, key=lambda b: b.y0)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if b.y0 - a.y1 > TOLERANCE:
                    break
                if a.overlaps(b):
                    found.append((a, b))
    return found


def outside(content: bytes) -> list[Box]:
    boxes, sizes = text_boxes(content)
    return [
        b for b in boxes if b.x0 < 0 or b.y0 < 0 or b.x1 > sizes[b.page - 1][0] or b.y1 > sizes[b.page - 1][1]
    ]


def rendered_pages(content: bytes, dpi: int = 30) -> list[bytes]:
    """Each page as poppler renders it (PGM, grey), through Debian's pdftoppm."""
    binary = shutil.which("pdftoppm")
    if binary is None:
        raise RuntimeError("pdftoppm is missing: install Debian's poppler-utils (.ci/run does)")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(content)
        subprocess.run([binary, "-r", str(dpi), "-gray", str(source), f"{folder}/page"], check=True)
        return [p.read_bytes() for p in sorted(Path(folder).glob("page-*.pgm"))]


def ink_in_bottom_band(pgm: bytes, band: float = 0.06) -> int:
    """Dark pixels in the bottom `band` of a rendered page (where the footer is printed)."""
    header_end = 0
    for _ in range(4):  # P5, width, height, maxval, each ends with whitespace
        while pgm[header_end] in b" \n\r\t":
            header_end += 1
        while pgm[header_end] not in b" \n\r\t":
            header_end += 1
    fields = pgm[:header_end].split()
    width, height = int(fields[1]), int(fields[2])
    pixels = pgm[header_end + 1 :]
    start = int(height * (1 - band)) * width
    return sum(1 for value in pixels[start : width * height] if value < 128)
