"""The PDF renderer loads the cut LGC fonts (Latin, Greek, Cyrillic: every Kazakh and Kyrgyz letter)
when they print every character of the document, which is about three times faster to load, and the
full DejaVu Sans when a name needs any other letter: no name ever prints as a missing glyph."""

from __future__ import annotations

import io

import pypdf
import pytest

from services.reporting.adapters.pdf import FULL, LGC, font_files, render_pdf
from services.reporting.domain.layout import Column, Layout, Table

pytestmark = pytest.mark.unit

KAZAKH_KYRGYZ = "ӘәҒғҚқҢңӨөҰұҮүҺһІі Ңң Өө Үү №«»—·"


def layout(name: str) -> Layout:
    columns = (Column("№", 1), Column("Аты-жөні / ФИО", 5))
    return Layout(kind="statement", title="ВЕДОМОСТЬ", tables=(Table(columns, (("1", name),)),))


def test_kazakh_and_kyrgyz_documents_use_the_cut_fonts_and_other_letters_the_full_ones() -> None:
    assert font_files([layout(f"Әбілқасымов Ғани {KAZAKH_KYRGYZ} Nguyễn Ελένη")]) == LGC
    georgian = layout("ნინო ბერიძე")  # DejaVu Sans has Georgian; the cut fonts do not
    assert font_files([georgian]) == FULL
    assert font_files([layout("Әсел"), georgian]) == FULL, "one document needing more: the full fonts"
    text = pypdf.PdfReader(io.BytesIO(render_pdf(georgian))).pages[0].extract_text()
    assert "ნინო ბერიძე" in text
