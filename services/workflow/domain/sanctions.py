"""Counting reopens and the disciplinary ladder (KZ-10, KZ-14, KZ-13 steps 5-7).

Reopens are counted per teacher and per department per term (semester). After each completed case the
ladders of the regulation profile propose a measure for the teacher and for the department; the
registrar confirms it with a protocol or order reference. The ladders are profile data
(`profiles/*.yaml` `sanctions`), passed in here as `measure_for` functions.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from ejournal_platform.errors import FailedPrecondition, InvalidArgument

Ladder = Callable[[int], str | None]


class Subject(StrEnum):
    TEACHER = "teacher"
    DEPARTMENT = "department"


class CorrectiveKind(StrEnum):
    TRAINING = "training"
    INSTRUCTION = "instruction"
    RECOMMENDATION = "recommendation"
    OTHER = "other"


@dataclass(frozen=True)
class Proposal:
    """A measure the ladder proposes after the `count`-th reopen of the subject in the term."""

    proposal_id: str
    subject: Subject
    subject_id: str
    term_id: str
    count: int
    measure: str
    case_id: str


def proposal_id(case_id: str, subject: Subject) -> str:
    return f"{case_id}:{subject.value}"


def propose(
    *,
    case_id: str,
    term_id: str,
    teacher_id: str,
    department_id: str,
    teacher_count: int,
    department_count: int,
    teacher_ladder: Ladder,
    department_ladder: Ladder,
) -> tuple[Proposal, ...]:
    """The measures after this case: one for the teacher, one for the department (none for zero)."""
    proposals: list[Proposal] = []
    for subject, subject_id, count, ladder in (
        (Subject.TEACHER, teacher_id, teacher_count, teacher_ladder),
        (Subject.DEPARTMENT, department_id, department_count, department_ladder),
    ):
        measure = ladder(count)
        if measure is not None:
            proposals.append(
                Proposal(proposal_id(case_id, subject), subject, subject_id, term_id, count, measure, case_id)
            )
    return tuple(proposals)


def check_confirmation(status: str, reference: str) -> None:
    """A proposal is confirmed once, with the protocol or order that imposed it (KZ-13.7)."""
    if not reference.strip():
        raise InvalidArgument("reference", "name the protocol or order (number and date)")
    if status != "proposed":
        raise FailedPrecondition(f"the measure is already {status}", field="proposal_id")


def check_corrective_measure(kind: str, description: str) -> None:
    if kind not in CorrectiveKind.__members__.values():
        allowed = ", ".join(k.value for k in CorrectiveKind)
        raise InvalidArgument("kind", f"{kind!r} is not a corrective measure; allowed: {allowed}")
    if not description.strip():
        raise InvalidArgument("description", "describe the measure (what, for whom, when)")
