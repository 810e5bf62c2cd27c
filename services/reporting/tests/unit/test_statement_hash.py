"""Reporting recomputes the gradebook's content hash of a statement from the Statement message it is
served. The expected value below was computed with the gradebook's own code
(services/gradebook/domain/statements.py canonical_content/content_hash, branch gradebook 29d2700)
for the same statement: if either side changes its canonical form, this fails."""

from __future__ import annotations

import pytest

from ejournal.gradebook.v1 import gradebook_service_pb2 as gbs
from services.reporting.adapters.statement_hash import content_hash

pytestmark = pytest.mark.unit

GRADEBOOK_HASH = "59810e6c961afcb0e7dcb12860e99afa9c89c5ff94f4ca4e421a7acc103a9a7d"


def statement() -> gbs.Statement:
    return gbs.Statement(
        kind="individual",
        series="IS",
        number=7,
        term_id="t",
        journal_id="j",
        section="s",
        course_unit_id="u",
        group_id="g",
        control_kind="intermediate_attestation",
        formed_at="2026-10-10T10:00:00+00:00",
        formed_by="p",
        original_statement_id="o",
        case_id="c",
        lines=[
            gbs.StatementLine(student_id="s2", value="Ә"),
            gbs.StatementLine(
                student_id="s1",
                value="87",
                points="87",
                letter="B+",
                gpa="3.33",
                traditional="хорошо",
                passed=True,
                components={"exam": "80", "admission_rating": "90"},
            ),
        ],
        signers=[gbs.Signer(person_id="p", role="teacher", signed_at="2026-10-10T10:00:00+00:00")],
    )


def test_the_hash_is_the_gradebooks() -> None:
    assert content_hash(statement()) == GRADEBOOK_HASH


def test_the_hash_ignores_line_order_and_its_own_field_but_not_the_content() -> None:
    reordered = statement()
    reordered.lines.reverse()
    reordered.content_hash = "anything"
    assert content_hash(reordered) == GRADEBOOK_HASH
    changed = statement()
    changed.lines[1].value = "88"
    assert content_hash(changed) != GRADEBOOK_HASH
