"""Issue 16: documents other than statements print reporting's own names (from events), never a
client's, never an id; the journal printout's hash covers the names it prints."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from services.reporting.adapters.queries_documents import JournalGrid
from services.reporting.domain.layout import Layout
from services.reporting.service_layer.documents.journal_printout import journal_printout_layout
from services.reporting.service_layer.documents.names import Names

pytestmark = pytest.mark.unit

GROUP, STUDENT, TEACHER = "g-1", "s-1", "t-1"


def grid() -> JournalGrid:
    journal = SimpleNamespace(
        journal_id="j-1",
        profile_code="kg-jasu",
        group_id=GROUP,
        subgroup_id="",
        lesson_type="practical",
        teacher_ids=[TEACHER],
        title="",
    )
    lesson = SimpleNamespace(lesson_id="l-1", lesson_date=date(2026, 9, 2))
    return JournalGrid(journal, [lesson], [], [STUDENT], {("l-1", STUDENT): "5"}, {})


def names(student: str = "Асанова Айгүл", group: str = "ЛД-1-24") -> Names:
    return Names({STUDENT: student, TEACHER: "Токтогулов Бакыт"}, {GROUP: group})


def text_of(layout: Layout) -> str:
    cells = [c for table in layout.tables for row in table.rows for c in row]
    return " ".join([*(v for _, v in layout.fields), *cells])


def test_the_printout_prints_names_not_ids_and_its_hash_covers_them() -> None:
    layout = journal_printout_layout(grid(), names(), "D01 Ички оорулар", "1")
    printed = text_of(layout)
    assert "ЛД-1-24" in printed and "Асанова Айгүл" in printed
    assert GROUP not in printed and STUDENT not in printed
    same = journal_printout_layout(grid(), names(), "D01 Ички оорулар", "1")
    assert same.content_hash == layout.content_hash
    renamed = journal_printout_layout(grid(), names(student="Асанова Айгерим"), "D01 Ички оорулар", "1")
    assert renamed.content_hash != layout.content_hash, "a student's printed name is covered by the hash"
    regrouped = journal_printout_layout(grid(), names(group="ЛД-2-24"), "D01 Ички оорулар", "1")
    assert regrouped.content_hash != layout.content_hash, "the group's printed name is covered by the hash"


def test_an_unknown_name_prints_empty_never_the_id() -> None:
    assert Names({}, {})("0c34bc09-5f5e-4c2a-9d55-000000000001") == ""
    layout = journal_printout_layout(grid(), Names({}, {}), "D01", "1")
    printed = text_of(layout)
    assert GROUP not in printed and STUDENT not in printed
