"""A reopen case of the demo semester (KZ-13): the workflow's step history, the gradebook's grant,
the correction, the re-closing with its individual statement, and the proposed sanction (KZ-14)."""

from __future__ import annotations

from datetime import datetime, timedelta

from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal.gradebook.v1 import gradebook_service_pb2 as gbs
from ejournal.workflow.v1 import events_pb2 as wf
from services.reporting.tests.demo.university import DemoUniversity, passing_text, statement_hash, uid

REASONS = (
    "Бағаны басқа студентке қате қойдым",
    "ошибка ввода: балл выставлен не в ту колонку",
    "Техникалық ақау: жүйе бағаны сақтамады",
)

STEPS = (  # action, step after it, hours after submission, actor role
    ("submitted", "review", 0, "teacher"),
    ("visa_department_head", "review", 5, "head"),
    ("visa_dean_curation", "review", 20, "dean"),
    ("visa_dean", "review", 26, "dean"),
    ("council_decision", "approved", 40, "dean"),
    ("reopen_requested", "reopening", 44, "registrar"),
    ("reopened", "correcting", 45, "service"),
    ("correction_submitted", "reclosing", 70, "teacher"),
    ("completed", "completed", 71, "service"),
)


def add_reopen(
    demo: DemoUniversity,
    statement_id: str,
    teacher: str,
    department: str,
    faculty: str,
    number: int,
    opened: datetime,
) -> None:
    original = demo.statements[statement_id]
    case_id = uid("case", statement_id)
    reason = REASONS[number % len(REASONS)]
    section = original.section
    for seq, (action, step, hours, role) in enumerate(STEPS, start=1):
        at = opened + timedelta(hours=hours)
        actor = teacher if role == "teacher" else uid(role, department)
        detail = f"explanation: {reason}" if action == "submitted" else action
        deadline = opened + timedelta(days=2 if step == "review" else 4)
        demo.add(
            "workflow",
            wf.ReopenCaseStepRecorded(
                case_id=case_id,
                journal_id=original.journal_id,
                section=section,
                teacher_id=teacher,
                department_id=department,
                faculty_id=faculty,
                term_id=demo.term_id,
                seq=seq,
                action=action,
                actor_id=actor,
                at=at.isoformat(),
                detail=detail,
                step=step,
                deadline=deadline.isoformat(),
                overdue=at > deadline,
            ),
            f"reopen_case/{case_id}",
            at,
        )
        if action == "reopened":
            _grant_and_correct(demo, original, case_id, teacher, department, faculty, reason, at)
    proposal = uid("sanction", case_id)
    demo.add(
        "workflow",
        wf.SanctionProposed(
            proposal_id=proposal,
            subject="teacher",
            subject_id=teacher,
            term_id=demo.term_id,
            count=1,
            measure="verbal_warning",
            case_id=case_id,
        ),
        f"reopen_case/{case_id}",
        opened + timedelta(hours=72),
    )
    demo.add(
        "workflow",
        wf.SanctionConfirmed(
            proposal_id=proposal,
            subject="teacher",
            subject_id=teacher,
            measure="verbal_warning",
            reference=f"хаттама № {number}",
            confirmed_by=uid("registrar", department),
            confirmed_at=(opened + timedelta(days=5)).isoformat(),
        ),
        f"reopen_case/{case_id}",
        opened + timedelta(days=5),
    )
    demo.add(
        "workflow",
        wf.CorrectiveMeasureRecorded(
            measure_id=uid("measure", case_id),
            kind="training",
            description="Электрондық журналды толтыру бойынша оқыту семинары",
            scope_type="department",
            scope_id=department,
            term_id=demo.term_id,
            case_id=case_id,
            recorded_by=uid("dean", department),
            recorded_at=(opened + timedelta(days=6)).isoformat(),
        ),
        f"reopen_case/{case_id}",
        opened + timedelta(days=6),
    )


def _grant_and_correct(
    demo: DemoUniversity,
    original: gbs.Statement,
    case_id: str,
    teacher: str,
    department: str,
    faculty: str,
    reason: str,
    at: datetime,
) -> None:
    grant = uid("grant", case_id)
    journal, section = original.journal_id, original.section
    demo.add(
        "gradebook",
        gb.Reopened(
            case_id=case_id,
            grant_id=grant,
            teacher_id=teacher,
            journal_id=journal,
            section=section,
            granted_at=at.isoformat(),
            expires_at=(at + timedelta(days=2)).isoformat(),
            department_id=department,
            faculty_id=faculty,
            reason=reason,
        ),
        f"journal/{journal}",
        at,
    )
    line = original.lines[0]
    corrected = passing_text(demo.shape.profile_code)
    fixed_at = at + timedelta(hours=20)
    demo.add(
        "gradebook",
        gb.MarkRecorded(
            journal_id=journal,
            lesson_id=section,
            student_id=line.student_id,
            value=corrected,
            author_id=teacher,
            previous_value=line.components.get("exam", ""),
            version=2,
            section=section,
            case_id=case_id,
            recorded_at=fixed_at.isoformat(),
            reason=reason,
            column_kind="control",
        ),
        f"journal/{journal}",
        fixed_at,
    )
    individual = gbs.Statement(
        statement_id=uid("individual", case_id),
        series="IS",
        number=len(demo.statements) + 1,
        term_id=original.term_id,
        kind="individual",
        journal_id=journal,
        section=section,
        course_unit_id=original.course_unit_id,
        group_id=original.group_id,
        formed_at=fixed_at.isoformat(),
        formed_by=teacher,
        original_statement_id=original.statement_id,
        case_id=case_id,
        control_kind=original.control_kind,
        lines=[
            gbs.StatementLine(
                student_id=line.student_id,
                value=corrected,
                points=corrected,
                passed=True,
                components={"exam": corrected},
            )
        ],
        signers=[gbs.Signer(person_id=teacher, role="teacher", signed_at=fixed_at.isoformat())],
    )
    individual.names.CopyFrom(original.names)
    individual.names.people.clear()
    individual.names.people.update(
        {p: original.names.people[p] for p in (line.student_id, teacher) if p in original.names.people}
    )
    individual.content_hash = statement_hash(individual)
    demo.statements[individual.statement_id] = individual
    demo.add(
        "gradebook",
        gb.Reclosed(
            case_id=case_id,
            grant_id=grant,
            journal_id=journal,
            section=section,
            reason="submitted",
            reclosed_at=fixed_at.isoformat(),
            individual_statement_id=individual.statement_id,
            corrected_student_ids=[line.student_id],
            teacher_id=teacher,
        ),
        f"journal/{journal}",
        fixed_at,
    )
    demo.add(
        "gradebook",
        gb.StatementFormed(
            statement_id=individual.statement_id,
            series="IS",
            number=individual.number,
            term_id=individual.term_id,
            kind="individual",
            journal_id=journal,
            section=section,
            course_unit_id=individual.course_unit_id,
            group_id=individual.group_id,
            content_hash=individual.content_hash,
            formed_at=fixed_at.isoformat(),
            formed_by=teacher,
            original_statement_id=original.statement_id,
            case_id=case_id,
            student_ids=[line.student_id],
            department_id=department,
            faculty_id=faculty,
        ),
        f"statement/{individual.statement_id}",
        fixed_at,
    )
