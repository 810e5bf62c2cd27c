"""Shared builders for the workflow service's tests: a case in the kz-medical profile and its people."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ejournal_regulation import get_profile
from services.workflow.domain.actors import Actor, Grant
from services.workflow.domain.reopen_facts import CaseFacts, Explanation, ReopenTerms
from services.workflow.processes.reopen.messages import ReopenCaseInput

DEPARTMENT = "dep-терапия"
FACULTY = "fac-общая-медицина"
UNIVERSITY = "kaznmu"  # the university-scope grants below are in it
OTHER_FACULTY = "fac-стоматология"
TERM = "term-2026-1"


def terms(profile_code: str = "kz-medical") -> ReopenTerms:
    reopen = get_profile(profile_code).reopen
    assert reopen.allowed and reopen.explanation_days and reopen.review_days and reopen.correction_days
    return ReopenTerms.from_profile(
        reopen.explanation_days,
        reopen.review_days,
        reopen.correction_days,
        reopen.approvals,
        reopen.granted_by,
    )


def explanation(reason: str = "Бағалар қате күнге қойылды (ошибка даты)") -> Explanation:
    return Explanation(
        discipline="Ішкі аурулар пропедевтикасы",
        lesson_types=("practical",),
        course=3,
        group="ЖМ-21-003",
        specialty="Жалпы медицина",
        wrong_date="2026-11-10",
        reason=reason,
    )


@dataclass
class People:
    """A teacher and everyone who acts on their case, with real role grants."""

    suffix: str = field(default_factory=lambda: uuid.uuid4().hex[:6])

    @property
    def teacher(self) -> Actor:
        return Actor(f"teacher-Әлия-{self.suffix}", (Grant("teacher", "department", DEPARTMENT),))

    @property
    def department_head(self) -> Actor:
        return Actor(f"head-{self.suffix}", (Grant("department_head", "department", DEPARTMENT),))

    @property
    def dean_curation(self) -> Actor:
        return Actor(f"dean-curation-{self.suffix}", (Grant("dean_curation", "faculty", FACULTY),))

    @property
    def dean(self) -> Actor:
        return Actor(f"dean-{self.suffix}", (Grant("dean", "faculty", FACULTY),))

    @property
    def other_dean(self) -> Actor:
        return Actor(f"other-dean-{self.suffix}", (Grant("dean", "faculty", OTHER_FACULTY),))

    @property
    def registrar(self) -> Actor:
        return Actor(
            f"registrar-{self.suffix}", (Grant("registrar_senior_inspector", "university", "kaznmu"),)
        )

    @property
    def registrar_head(self) -> Actor:
        return Actor(f"registrar-head-{self.suffix}", (Grant("registrar_head", "university", "kaznmu"),))

    @property
    def inspector(self) -> Actor:
        return Actor(f"inspector-{self.suffix}", (Grant("registrar_inspector", "university", "kaznmu"),))


def facts(people: People, closed_at: datetime | None = None, case_id: str | None = None) -> CaseFacts:
    return CaseFacts(
        case_id=case_id or uuid.uuid4().hex,
        journal_id=f"journal-{people.suffix}",
        section="midterm-1",
        teacher_id=people.teacher.person_id,
        department_id=DEPARTMENT,
        faculty_id=FACULTY,
        term_id=TERM,
        profile_code="kz-medical",
        closed_at=closed_at or datetime(2026, 11, 20, 13, 0, tzinfo=UTC),
    )


def case_input(people: People, **kwargs: object) -> ReopenCaseInput:
    return ReopenCaseInput(facts(people), explanation(), terms(), **kwargs)  # type: ignore[arg-type]
