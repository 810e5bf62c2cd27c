"""The statement printout (original, individual or integrated), matched to its record by number and
content hash on every page. Results are printed exactly as the gradebook stated them; names are the
ones sealed in the record (for statements formed before names were sealed: reporting's own copy of
identity's names), never a client's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ejournal.gradebook.v1 import gradebook_service_pb2 as gbs
from ejournal_regulation import get_profile
from ejournal_regulation.scales import MarkRejected, PointsScale
from services.reporting.domain.layout import Column, Layout, Signature, Table
from services.reporting.domain.statements import StatementLine, StatementRecord
from services.reporting.service_layer.documents.labels import label, university_heading
from services.reporting.service_layer.documents.words import (
    both,
    control_kind,
    day,
    lesson_type,
    local_instant,
    statement_number,
)

TITLE_KEYS = {"individual": "statement_individual", "integrated": "statement_integrated"}
TEACHING_ROLES = ("teacher", "substitute")


@dataclass(frozen=True)
class Context:
    """What the record does not say itself, from reporting's read models."""

    profile_code: str
    lesson_type: str = ""  # the journal's code
    term: str = ""  # printable
    people: Mapping[str, str] = field(default_factory=dict)  # fallback for statements without names
    original_number: str = ""
    time_zone: str = ""  # fallback for statements without names
    discipline: str = ""  # fallback for statements without names


def _grade_words(profile_code: str, value: str) -> tuple[str, dict[str, str]]:
    """Letter and traditional grade (by language) of a result, from the profile's scale."""
    try:
        scale = get_profile(profile_code).scale
    except KeyError:
        return "", {}
    try:
        if isinstance(scale, PointsScale):
            band = scale.letter_for(Decimal(value))
            return band.letter, dict(band.traditional)
        mark = next((m for m in scale.marks if m.mark == value), None)
        return "", (dict(mark.traditional) if mark else {})
    except (InvalidOperation, MarkRejected):
        return "", {}


def record_of(content: gbs.Statement, ctx: Context) -> StatementRecord:
    sealed = content.names if content.HasField("names") else None
    profile = (sealed.profile_code if sealed is not None else "") or ctx.profile_code

    def person(person_id: str) -> str:
        if sealed is not None and sealed.people.get(person_id):
            return sealed.people[person_id]
        return ctx.people.get(person_id, "")

    lines = []
    ordered = sorted(content.lines, key=lambda ln: (person(ln.student_id).casefold(), ln.student_id))
    for position, line in enumerate(ordered, start=1):
        letter, traditional = _grade_words(profile, line.points or line.value)
        lines.append(
            StatementLine(
                position=position,
                student_id=line.student_id,
                student_name=person(line.student_id),
                result=line.value,
                letter=line.letter or letter,
                traditional=both(traditional, profile) if traditional else line.traditional,
            )
        )
    teachers = tuple(person(s.person_id) for s in content.signers if s.role in TEACHING_ROLES)
    return StatementRecord(
        statement_id=content.statement_id,
        number=statement_number(content.series, content.number),
        kind=content.kind,
        profile_code=profile,
        university=sealed.university if sealed is not None else "",
        faculty=sealed.faculty if sealed is not None else "",
        department=sealed.department if sealed is not None else "",
        specialty=sealed.specialty if sealed is not None else "",
        group=sealed.group if sealed is not None else "",
        discipline=sealed.discipline if sealed is not None else ctx.discipline,
        term=ctx.term,
        lesson_type=lesson_type(ctx.lesson_type, profile) if ctx.lesson_type else "",
        control_kind=control_kind(content.control_kind, profile),
        formed_at=local_instant(content.formed_at, (sealed.time_zone if sealed else "") or ctx.time_zone),
        teacher_names=tuple(t for t in teachers if t),
        lines=tuple(lines),
        content_hash=content.content_hash,
        original_number=ctx.original_number,
    )


def statement_layout(record: StatementRecord, verify_url: str = "") -> Layout:
    p = record.profile_code
    fields = [
        (label("faculty", p), record.faculty),
        (label("department", p), record.department),
        (label("specialty", p), record.specialty),
        (label("discipline", p), record.discipline),
        (label("group", p), record.group),
        (label("term", p), record.term),
        (label("lesson_type", p), record.lesson_type),
        (label("control", p), record.control_kind),
        (label("formed_at", p), record.formed_at),
    ]
    if record.kind == "individual":
        fields.append((label("original", p), record.original_number))
    columns = (
        Column(label("no", p), 0.6, "R"),
        Column(label("student", p), 4.6),
        Column(label("result", p), 1.1, "C"),
        Column(label("letter", p), 1.5, "C"),
        Column(label("traditional", p), 4.2),
        Column(label("signature", p), 1.3),
    )
    rows = tuple(
        (str(ln.position), ln.student_name, ln.result, ln.letter, ln.traditional, "") for ln in record.lines
    )
    signatures = tuple(Signature(label("teacher", p), name) for name in record.teacher_names or ("",))
    heading = (record.university,) if record.university else university_heading(p)
    return Layout(
        kind="statement",
        title=label(TITLE_KEYS.get(record.kind, "statement_section"), p),
        heading=heading,
        fields=tuple((k, v) for k, v in fields if v),
        tables=(Table(columns, rows),),
        signatures=(
            *signatures,
            Signature(label("head_of_department", p), ""),
            Signature(label("registrar", p), ""),
        ),
        number=record.number,
        content_hash=record.content_hash,
        verify_url=verify_url,
        verify_label=label("verify", p) if verify_url else "",
    )


def term_title(term: Any) -> str:
    if term is None:
        return ""
    return f"{term.number} ({day(str(term.starts_on))} — {day(str(term.ends_on))})"


def unit_title(unit: Any) -> str:
    return f"{unit.code} {unit.title}".strip() if unit is not None else ""
