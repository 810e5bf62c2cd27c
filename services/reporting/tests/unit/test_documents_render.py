"""The PDF renderer embeds a font that writes the Kazakh and Kyrgyz letters as themselves (the text
extracted back from the file has them), prints the record's number and hash on every page, and the
XLSX carries the same content."""

from __future__ import annotations

import io

import openpyxl
import pypdf
import pytest

from services.reporting.adapters.pdf import FONTS, render_pdf
from services.reporting.adapters.xlsx import render_xlsx
from services.reporting.domain.layout import Column, Layout, Signature, Table

pytestmark = pytest.mark.unit

KAZAKH = "ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І"
KYRGYZ = "ң ө ү Ң Ө Ү"


def layout(rows: int) -> Layout:
    table = Table(
        (Column("№", 0.6, "R"), Column("Аты-жөні", 5), Column("Баға", 1, "C")),
        tuple((str(i), f"Өмірзақов Ұлықбек Һ{i} — Үсөнбаев Ңурбек", "87") for i in range(1, rows + 1)),
    )
    return Layout(
        kind="statement",
        title="ЕМТИХАН ВЕДОМОСІ",
        heading=("Қазақ ұлттық медицина университеті", "Жалал-Абад мамлекеттик университети"),
        fields=(("Letters kk", KAZAKH), ("Letters ky", KYRGYZ)),
        tables=(table,),
        signatures=(Signature("Оқытушы", "Төлеуова Ә."),),
        number="ST-000042",
        content_hash="0f" * 32,
    )


def test_the_font_and_its_licence_ship_with_the_code() -> None:
    assert (FONTS / "DejaVuSans.ttf").stat().st_size > 100_000
    assert (FONTS / "DejaVuSans-Bold.ttf").exists()
    assert "Bitstream" in (FONTS / "LICENSE").read_text()


def test_kazakh_and_kyrgyz_letters_come_back_out_of_the_pdf() -> None:
    content = render_pdf(layout(120))
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for letter in KAZAKH.split() + KYRGYZ.split():
        assert letter in text, letter
    assert "Өмірзақов Ұлықбек Һ120 — Үсөнбаев Ңурбек" in text
    assert b"/FontFile2" in content and b"DejaVuSans" in content, "the TrueType font is embedded"
    assert len(reader.pages) > 1
    for page in reader.pages:
        page_text = page.extract_text()
        assert "№ ST-000042" in page_text and "0f" * 32 in page_text


def test_the_xlsx_says_the_same() -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(layout(3))))
    sheet = book.active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "ЕМТИХАН ВЕДОМОСІ" in values and KAZAKH in values and KYRGYZ in values
    assert "Өмірзақов Ұлықбек Һ3 — Үсөнбаев Ңурбек" in values
    assert book.properties.identifier == "0f" * 32


def test_a_row_that_does_not_fit_its_columns_is_refused() -> None:
    with pytest.raises(ValueError, match="2 cells for 3 columns"):
        Table((Column("a", 1), Column("b", 1), Column("c", 1)), (("1", "2"),))
