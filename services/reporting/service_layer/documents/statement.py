"""The statement printout (original, individual or integrated), matched to its record by number and
content hash on every page. Results are printed exactly as the gradebook stated them."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from ejournal.gradebook.v1 import gradebook_service_pb2 as gbs
from ejournal_regulation import get_profile
from ejournal_regulation.scales import MarkRejected, PointsScale
from services.reporting.domain.layout import Column, Layout, Signature, Table
from services.reporting.domain.statements import StatementLine, StatementRecord
from services.reporting.service_layer.documents.labels import label, university_heading
from services.reporting.service_layer.documents.names import Names

TITLE_KEYS = {"individual": "statement_individual", "integrated": "statement_integrated"}


def statement_number(series: str, number: int) -> str:
    return f"{series}-{number:06d}" if series else str(number)


def _grade_words(profile_code: str, value: str) -> tuple[str, str]:
    """Letter and traditional grade of a result, from the profile, when the statement does not say."""
    try:
        profile = get_profile(profile_code)
    except KeyError:
        return "", ""
    scale = profile.scale
    try:
        if isinstance(scale, PointsScale):
            band = scale.letter_for(Decimal(value))
            return band.letter, band.traditional.get("ru", "")
        mark = next((m for m in scale.marks if m.mark == value), None)
        return "", (mark.traditional.get("ru", "") if mark else "")
    except (InvalidOperation, MarkRejected):
        return "", ""


def record_of(
    content: gbs.Statement,
    profile_code: str,
    unit_title: str,
    group: str,
    term: str,
    lesson_type: str,
    names: Names,
) -> StatementRecord:
    lines = []
    for position, line in enumerate(sorted(content.lines, key=lambda ln: names(ln.student_id)), start=1):
        letter, traditional = _grade_words(profile_code, line.points or line.value)
        lines.append(
            StatementLine(
                position=position,
                student_id=line.student_id,
                student_name=names(line.student_id),
                result=line.value,
                letter=line.letter or letter,
                traditional=line.traditional or traditional,
                admission=line.components.get("admission_rating", ""),
                exam=line.components.get("exam", ""),
            )
        )
    teachers = tuple(names(s.person_id) for s in content.signers if s.role in ("teacher", "substitute"))
    return StatementRecord(
        statement_id=content.statement_id,
        number=statement_number(content.series, content.number),
        kind=content.kind,
        journal_id=content.journal_id,
        course_unit_title=unit_title,
        group_name=group,
        term_title=term,
        lesson_type=lesson_type,
        profile_code=profile_code,
        formed_at=content.formed_at,
        teacher_names=teachers,
        lines=tuple(lines),
        original_statement_id=content.original_statement_id,
        source_hash=content.content_hash,
    )


def statement_layout(record: StatementRecord, control_kind: str, original_number: str = "") -> Layout:
    p = record.profile_code
    fields = [
        (label("discipline", p), record.course_unit_title),
        (label("group", p), record.group_name),
        (label("term", p), record.term_title),
        (label("lesson_type", p), record.lesson_type),
        (label("control", p), control_kind),
        (label("formed_at", p), record.formed_at),
    ]
    if record.kind == "individual":
        fields.append((label("original", p), original_number or record.original_statement_id))
    columns = (
        Column(label("no", p), 0.6, "R"),
        Column(label("student", p), 5.5),
        Column(label("result", p), 1.3, "C"),
        Column(label("letter", p), 1.3, "C"),
        Column(label("traditional", p), 2.6),
        Column(label("signature", p), 1.7),
    )
    rows = tuple(
        (str(ln.position), ln.student_name, ln.result, ln.letter, ln.traditional, "") for ln in record.lines
    )
    signatures = tuple(Signature(label("teacher", p), name) for name in record.teacher_names or ("",))
    return Layout(
        kind="statement",
        title=label(TITLE_KEYS.get(record.kind, "statement_section"), p),
        heading=university_heading(p),
        fields=tuple(fields),
        tables=(Table(columns, rows),),
        signatures=(
            *signatures,
            Signature(label("head_of_department", p), ""),
            Signature(label("registrar", p), ""),
        ),
        number=record.number,
        # The record's own hash (the gradebook's) is what a printout is matched against.
        content_hash=record.source_hash or record.content_hash,
        notes=(f"statement_id {record.statement_id}; reporting sha256 {record.content_hash}",),
    )


def describe(unit: Any, term: Any) -> tuple[str, str]:
    unit_title = f"{unit.code} {unit.title}".strip() if unit is not None else ""
    term_title = f"{term.number} ({term.starts_on} — {term.ends_on})" if term is not None else ""
    return unit_title, term_title
