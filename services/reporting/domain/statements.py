"""A statement (ведомость) as reporting prints it: the gradebook's record in words.

The gradebook forms statements and seals the names they print under its content hash; reporting
receives them (statement_content.py checks the hash) and never changes them. A printout carries that
hash, so it can be matched to the record; reporting keeps no hash of its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StatementLine:
    position: int
    student_id: str
    student_name: str
    result: str  # the final result as the gradebook states it ("87", "4", "н/б")
    letter: str = ""  # kz-medical letter (A, B+...) when the scale has letters
    traditional: str = ""  # "жақсы / хорошо": the traditional grade in the document's languages


@dataclass(frozen=True)
class StatementRecord:
    statement_id: str
    number: str  # ST-000123
    kind: str  # section, individual, integrated
    profile_code: str
    university: str
    faculty: str
    department: str
    specialty: str
    group: str
    discipline: str
    term: str
    lesson_type: str  # in words
    control_kind: str  # in words
    formed_at: str  # the university's wall clock
    teacher_names: tuple[str, ...]
    lines: tuple[StatementLine, ...]
    content_hash: str  # the gradebook's, as stated in the record
    original_number: str = ""  # for an individual statement: the number of the statement it corrects
