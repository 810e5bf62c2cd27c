"""Statements: the numbered, frozen grade sheets formed on closing (section), after a reopen
(individual: only the corrected students; the original is never overwritten) and for modules and
integrated disciplines (integrated, KZ-04).

The content (every student's result, the signers and the names to print) is stored as canonical JSON
(sorted keys, UTF-8, no spaces) and its sha256 is the statement's content hash, so a copy can be checked
against the record. The names are sealed at formation from the gradebook's own copy of curriculum's and
identity's events: a printout shows the university, group, discipline and people as they were named
when the statement was formed, and nothing a client sends.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from ejournal_regulation import RegulationProfile
from services.gradebook.domain.totals import (
    Grade,
    IntegratedResult,
    MarkInput,
    Totals,
    grade_of,
    mean,
    number_of,
)

ATTESTATIONS = ("intermediate_attestation", "final_attestation")


@dataclass(frozen=True)
class Line:
    student_id: str
    value: str = ""
    points: str = ""
    letter: str = ""
    gpa: str = ""
    traditional: str = ""
    passed: bool = False
    components: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Signer:
    person_id: str
    role: str
    signed_at: str


@dataclass(frozen=True)
class Header:
    kind: str
    series: str
    number: int
    term_id: str
    journal_id: str
    section: str
    course_unit_id: str
    group_id: str
    control_kind: str
    formed_at: str
    formed_by: str
    original_statement_id: str = ""
    case_id: str = ""


@dataclass(frozen=True)
class Names:
    university: str = ""
    faculty: str = ""
    department: str = ""
    specialty: str = ""
    group: str = ""
    discipline: str = ""
    people: Mapping[str, str] = field(default_factory=dict)
    time_zone: str = ""
    profile_code: str = ""


def _text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _graded(student_id: str, value: str, grade: Grade | None, passed: bool, **components: str) -> Line:
    if grade is None:
        return Line(student_id, value, components={k: v for k, v in components.items() if v})
    return Line(
        student_id,
        value,
        str(grade.points),
        grade.letter,
        grade.gpa,
        grade.traditional,
        passed,
        {k: v for k, v in components.items() if v},
    )


def section_line(
    profile: RegulationProfile,
    student_id: str,
    control_kind: str,
    section_marks: Sequence[MarkInput],
    control_value: str,
    totals: Totals,
) -> Line:
    """A student's result in one section: the control event's mark (with the final grade for the
    intermediate attestation), or for current control the rounded average of the section's marks."""
    if control_kind == "intermediate_attestation":
        return _graded(
            student_id,
            control_value,
            totals.final,
            totals.passed,
            current_control=_text(totals.current_control),
            midterm_control=_text(totals.midterm_control),
            admission_rating=_text(totals.admission_rating),
            exam=control_value,
        )
    if control_kind in ("midterm", "final_attestation"):
        number = number_of(profile, control_value) if control_value else None
        if number is None:
            return Line(student_id, control_value)
        points = profile.rounding.apply(number)
        return _graded(student_id, control_value, grade_of(profile, points), profile.scale.is_passing(points))
    average = mean(number_of(profile, m.value) for m in section_marks)
    if average is None:
        return Line(student_id, control_value)
    points = profile.rounding.apply(average)
    return _graded(student_id, control_value, grade_of(profile, points), profile.scale.is_passing(points))


def integrated_line(student_id: str, result: IntegratedResult) -> Line:
    return _graded(
        student_id,
        "" if result.grade is None else str(result.grade.points),
        result.grade,
        result.passed,
        **{f"part:{part}": value for part, value in result.parts.items()},
    )


def canonical_content(
    header: Header, lines: Sequence[Line], signers: Sequence[Signer], names: Names | None = None
) -> str:
    document: dict[str, object] = {
        "header": asdict(header),
        "lines": [
            {**asdict(line), "components": dict(sorted(line.components.items()))}
            for line in sorted(lines, key=lambda x: x.student_id)
        ],
        "signers": [asdict(s) for s in signers],
    }
    # Statements formed before names were sealed have no "names" key, so their hashes stay as they were.
    if names is not None:
        document["names"] = {**asdict(names), "people": dict(sorted(names.people.items()))}
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(content: str) -> str:
    return hashlib.sha256(content.encode()).hexdigest()


@dataclass(frozen=True)
class Content:
    header: Header
    lines: list[Line]
    signers: list[Signer]
    names: Names | None


def parse_content(content: str) -> Content:
    document = json.loads(content)
    names = document.get("names")
    return Content(
        Header(**document["header"]),
        [Line(**line) for line in document["lines"]],
        [Signer(**s) for s in document["signers"]],
        Names(**names) if names is not None else None,
    )


def corrected_students(original: Sequence[Line], now: Sequence[Line]) -> list[str]:
    """Students whose result differs from the original statement (the individual statement's rows)."""
    before = {line.student_id: line for line in original}
    return sorted(line.student_id for line in now if before.get(line.student_id) != line)
