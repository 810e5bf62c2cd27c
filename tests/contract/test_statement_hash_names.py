"""The gradebook seals names into a statement's canonical content; reporting recomputes the same hash
from the Statement message it is served. Both sides' code runs here on one statement, so a change of
either canonical form fails this test."""

from __future__ import annotations

import pytest

from services.gradebook.domain.statements import Header, Line, Names, Signer, canonical_content, content_hash
from services.gradebook.entrypoints.translate import statement_message
from services.gradebook.service_layer.reads import StatementView
from services.reporting.adapters.statement_hash import content_hash as reporting_hash

pytestmark = pytest.mark.unit

HEADER = Header(
    "section", "section", 12, "t", "j", "s", "u", "g", "midterm", "2026-10-10T10:00:00+00:00", "p"
)
LINES = [Line("s1", "87", "87", "B+", "3.33", "хорошо", True, {"exam": "80"}), Line("s2", "н/б")]
SIGNERS = [Signer("p", "teacher", "2026-10-10T10:00:00+00:00")]
NAMES = Names(
    university="Қазақ ұлттық медицина университеті",
    faculty="Жалпы медицина",
    department="Ішкі аурулар кафедрасы",
    specialty="Медицина",
    group="ЖМ-21-01",
    discipline="IA 3201 Ішкі аурулар",
    people={"s1": "Әбдіғаппарова Гүлнұр", "s2": "Ли Ян", "p": "Оспанов Ерлан"},
    time_zone="Asia/Almaty",
    profile_code="kz-medical",
)


def _served(names: Names | None) -> str:
    digest = content_hash(canonical_content(HEADER, LINES, SIGNERS, names))
    return reporting_hash(statement_message(StatementView("id", digest, HEADER, LINES, SIGNERS, names)))


def test_reporting_recomputes_the_gradebooks_hash_with_sealed_names() -> None:
    assert _served(NAMES) == content_hash(canonical_content(HEADER, LINES, SIGNERS, NAMES))


def test_names_are_covered_by_the_hash() -> None:
    renamed = Names(**{**NAMES.__dict__, "people": {**NAMES.people, "s2": "Ли Янь"}})
    assert content_hash(canonical_content(HEADER, LINES, SIGNERS, renamed)) != content_hash(
        canonical_content(HEADER, LINES, SIGNERS, NAMES)
    )
    assert _served(renamed) != _served(NAMES)


def test_statements_formed_before_names_keep_their_hash() -> None:
    assert _served(None) == content_hash(canonical_content(HEADER, LINES, SIGNERS))
