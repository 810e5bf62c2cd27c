"""What a reopen case is about (KZ-08, KZ-13, form of KZ-17) and the deadlines its profile sets."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ejournal_platform.errors import FailedPrecondition, ValidationFailed

# Profile names of the approvals (profiles/*.yaml `reopen.approvals`) -> the role that gives the visa.
APPROVAL_ROLES = {"department_head": "department_head", "dean_for_curation": "dean_curation", "dean": "dean"}
# The scope level at which each visa role must hold its grant over the case.
VISA_SCOPE = {"department_head": "department", "dean_curation": "faculty", "dean": "faculty"}


@dataclass(frozen=True)
class Explanation:
    """The explanation of a filling error (KZ-17 form), addressed to the dean of the student's faculty."""

    discipline: str  # discipline or module
    lesson_types: tuple[str, ...]
    course: int
    group: str
    specialty: str
    wrong_date: str  # ISO date the journal was filled wrongly (text: it travels as JSON)
    reason: str

    def problems(self) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for name in ("discipline", "group", "specialty", "reason"):
            if not str(getattr(self, name)).strip():
                found.append((f"explanation.{name}", "is required"))
        if not self.lesson_types or any(not t.strip() for t in self.lesson_types):
            found.append(("explanation.lesson_types", "name at least one lesson type"))
        if self.course < 1:
            found.append(("explanation.course", "must be 1 or more"))
        try:
            date.fromisoformat(self.wrong_date)
        except ValueError:
            found.append(("explanation.wrong_date", f"{self.wrong_date!r} is not a date like 2026-11-10"))
        return found

    def validate(self) -> None:
        problems = self.problems()
        if problems:
            raise ValidationFailed("the explanation form is incomplete", problems)

    def mismatches(
        self, group: str, after: str, until: str, specialty: str = "", specialty_code: str = ""
    ) -> list[tuple[str, str]]:
        """What the form says that its journal contradicts (issue 13): another group than the journal's
        (its code, spaces and case aside), another specialty (the form gives its code or its name, or
        one of the name's " / " language variants), or a date outside the section (after the previous
        control event, up to and including this one). Whatever the journal does not know yet ("") is
        not checked."""
        found: list[tuple[str, str]] = []
        if group and _same(self.group) != _same(group):
            found.append(("explanation.group", f"is not this journal's group ({group})"))
        known = [specialty_code, specialty, *specialty.split("/")]
        accepted = {_same(name) for name in known if name.strip()}
        if accepted and _same(self.specialty) not in accepted:
            shown = " ".join(x for x in (specialty_code, specialty) if x)
            found.append(("explanation.specialty", f"is not this journal's specialty ({shown})"))
        if until and not (after < self.wrong_date <= until):
            if after:
                found.append(("explanation.wrong_date", f"must be a date of this section: after {after}, "
                              f"on or before {until}"))  # fmt: skip
            else:
                found.append(
                    ("explanation.wrong_date", f"must be a date of this section: on or before {until}")
                )
        return found


def _same(name: str) -> str:
    return "".join(name.split()).casefold()


@dataclass(frozen=True)
class CaseFacts:
    """The closed journal section the case is about and who it concerns."""

    case_id: str
    journal_id: str
    section: str
    teacher_id: str
    department_id: str
    faculty_id: str  # the student's school/faculty: its dean and dean for curation give visas
    term_id: str
    profile_code: str
    closed_at: datetime
    # The journal's university ("" while unknown; cases started before issue 18 have none).
    university_id: str = ""


@dataclass(frozen=True)
class ReopenTerms:
    """KZ-13 deadlines in days and who approves and grants, from the regulation profile."""

    explanation_days: int
    review_days: int
    correction_days: int
    visa_roles: tuple[str, ...]  # roles, e.g. ("department_head", "dean_curation", "dean")
    granted_by: tuple[str, ...]  # roles that may reopen, e.g. registrar senior inspector and head
    decided_by: str = "dean"  # the dean's council decides; its dean records the decision

    @classmethod
    def from_profile(
        cls,
        explanation_days: int,
        review_days: int,
        correction_days: int,
        approvals: tuple[str, ...],
        granted_by: tuple[str, ...],
    ) -> "ReopenTerms":
        unknown = [a for a in approvals if a not in APPROVAL_ROLES]
        if unknown:
            raise ValueError(f"profile names unknown approvals {unknown}; known: {sorted(APPROVAL_ROLES)}")
        return cls(
            explanation_days,
            review_days,
            correction_days,
            tuple(APPROVAL_ROLES[a] for a in approvals),
            granted_by,
        )


@dataclass(frozen=True)
class LateAdmission:
    """The registrar head admitted an explanation submitted after its window (recorded on the case)."""

    admitted_by: str
    admitted_at: datetime
    reason: str


def explanation_due(closed_at: datetime, terms: ReopenTerms) -> datetime:
    """KZ-13.1: the explanation is due within `explanation_days` of the journal's closing date."""
    return closed_at + timedelta(days=terms.explanation_days)


def check_explanation_in_time(
    submitted_at: datetime, closed_at: datetime, terms: ReopenTerms, admission: LateAdmission | None
) -> None:
    """Refuse a late explanation with the date it was due, unless the registrar head admitted it."""
    due = explanation_due(closed_at, terms)
    if submitted_at > due and admission is None:
        raise FailedPrecondition(
            f"the explanation was due by {due.isoformat()} (within {terms.explanation_days} days of "
            f"closing on {closed_at.isoformat()}); only the registrar head may admit it late",
            field="explanation",
            reason=f"due by {due.isoformat()}",
        )
