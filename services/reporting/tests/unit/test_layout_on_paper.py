"""Layouts a registrar can file: no text printed over text or off the page, long Kazakh names wrapped,
"page / pages" with the number and hash on every page, a signature line per signer, the QR code of the
verification page. Checked on the PDF as printed (pypdf positions, the font's widths) and as rendered
by poppler's pdftoppm."""

from __future__ import annotations

import io

import pypdf
import pytest
from fpdf import FPDF

from bench.reporting import statement_of
from services.reporting.adapters.pdf import FAMILY, FONTS, render_pdf
from services.reporting.domain.layout import Column, Layout, Signature, Table
from services.reporting.service_layer.documents.forms import explanation_layout
from services.reporting.service_layer.documents.statement import Context, record_of, statement_layout
from services.reporting.tests.pdf_layout import ink_in_bottom_band, outside, overlaps, rendered_pages

pytestmark = pytest.mark.unit

LONG = "Әбдіғаппарова-Сейітқасымова Гүлнұр Нұрсұлтанқызы Қожахметова-Ұлықбекова"
VERIFY = "https://ejournal.example/verify/ST-000001?hash=abababababababab"


def long_statement(students: int = 200) -> bytes:
    statement = statement_of(students)
    for i, student in enumerate(list(statement.names.people)):
        if student.startswith("s"):
            statement.names.people[student] = f"{LONG} {i}"
    statement.names.department = "Ішкі аурулар пропедевтикасы және клиникалық фармакология кафедрасы " * 2
    statement.names.discipline = "D01 Ішкі аурулар пропедевтикасы, клиникалық диагностика және " * 3
    record = record_of(statement, Context("kz-medical", lesson_type="clinical", term="1"))
    return render_pdf(statement_layout(record, VERIFY))


def test_the_checker_sees_text_printed_over_text() -> None:
    """A PDF with one label run into its value (the old statement's discipline line) is caught."""
    pdf = FPDF()
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_page()
    pdf.set_font(FAMILY, "", 9)
    pdf.cell(20, 5, "Құрылған күні / Дата формирования:")
    pdf.cell(0, 5, "02.12.2026 14:05")
    found = overlaps(bytes(pdf.output()))
    assert [(a.text, b.text) for a, b in found] == [
        ("Құрылған күні / Дата формирования:", "02.12.2026 14:05")
    ]


def test_a_200_student_statement_with_long_kazakh_names_prints_cleanly() -> None:
    content = long_statement(200)
    assert overlaps(content) == []
    assert outside(content) == []
    reader = pypdf.PdfReader(io.BytesIO(content))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) > 5
    for n, text in enumerate(pages, start=1):
        assert "№ ST-000001" in text and "ab" * 32 in text and f"{n} / {len(pages)}" in text
    flat = " ".join(" ".join(pages).split())
    assert f"{LONG} 199" in flat, "a long name is wrapped inside its column, not cut"
    for role in ("Оқытушы / Преподаватель", "Кафедра меңгерушісі / Заведующий кафедрой", "Тіркеуші офис"):
        assert role in flat
    assert VERIFY in flat and b"/Subtype /Image" in content, "the QR code of the verification page"
    rendered = rendered_pages(content)
    assert len(rendered) == len(pages)
    assert all(ink_in_bottom_band(page) > 0 for page in rendered), "every page shows its footer"


def test_the_other_forms_print_cleanly_too() -> None:
    table = Table(
        (Column("№", 0.6, "R"), Column("Аты-жөні", 5), Column("Баға", 1, "C")),
        tuple((str(i), f"{LONG} {i}", "87") for i in range(60)),
    )
    report = Layout(
        kind="report",
        title="Есеп / Отчёт " * 6,
        heading=("Қазақ ұлттық медицина университеті " * 3,),
        fields=(("Факультет (мектеп) / Факультет (школа) / Кафедра / Кафедра", LONG * 2),),
        tables=(table,),
        signatures=(Signature("Кафедра меңгерушісі / Заведующий кафедрой " * 2, LONG),),
        number="R-1",
        content_hash="cd" * 32,
    )
    values = {"journal": LONG, "discipline": LONG * 2, "group": "ЖМ-301", "reason": LONG * 4}
    for layout in (report, explanation_layout(values, LONG, "", "kz-medical", LONG)):
        content = render_pdf(layout)
        assert overlaps(content) == [], layout.kind
        assert outside(content) == [], layout.kind
