"""Who must be told what after a step of a reopen case (published as NotificationRequested events).

A notice names either a person (`recipient_id`) or a role within a scope (the department head of a
department, the deans of a faculty, the registrar office, the vice-rector): the portal resolves the
people holding that role today.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from services.workflow.domain.reopen_case import HistoryEntry, ReopenCase
from services.workflow.domain.reopen_facts import VISA_SCOPE


@dataclass(frozen=True)
class Notice:
    what: str
    why: str
    deadline: datetime | None = None
    recipient_id: str = ""
    recipient_role: str = ""
    scope_type: str = ""
    scope_id: str = ""
    case_id: str = ""
    # Who is late (an overdue step and its escalation name them): people, or a role within a scope.
    overdue_person_ids: tuple[str, ...] = ()
    overdue_role: tuple[str, str, str] = ("", "", "")


def _to_role(case: ReopenCase, role: str, what: str, why: str, deadline: datetime | None) -> Notice:
    scope_type = VISA_SCOPE.get(role, "university")
    scope_id = {
        "department": case.facts.department_id,
        "faculty": case.facts.faculty_id,
    }.get(scope_type, "")
    return Notice(what, why, deadline, "", role, scope_type, scope_id, case.facts.case_id)


def _to_teacher(case: ReopenCase, what: str, why: str, deadline: datetime | None = None) -> Notice:
    return Notice(what, why, deadline, case.facts.teacher_id, case_id=case.facts.case_id)


def _university(case: ReopenCase, role: str, what: str, why: str, deadline: datetime | None) -> Notice:
    return Notice(what, why, deadline, "", role, "university", "", case.facts.case_id)


def notices_for(case: ReopenCase, entry: HistoryEntry) -> tuple[Notice, ...]:
    """The notices one history entry of the case calls for (none for most of them)."""
    f = case.facts
    about = f"journal {f.journal_id}, section {f.section}, teacher {f.teacher_id}"
    action = entry.action
    if action == "submitted":
        return tuple(
            _to_role(case, role, f"visa requested ({role})", f"reopen request: {about}", case.review_due)
            for role in case.terms.visa_roles
        )
    if action.startswith("visa_") and not case.missing_visas() and not case.ended:
        return (
            _to_role(
                case,
                case.terms.decided_by,
                "council decision needed",
                f"all visas given: {about}",
                case.review_due,
            ),
        )
    if action == "review_overdue":
        why = f"the council's decision was due {case.review_due.isoformat()}: {about}"
        late = _to_role(case, case.terms.decided_by, "reopen case overdue", why, case.review_due)
        overdue = (late.recipient_role, late.scope_type, late.scope_id)
        return (
            replace(late, overdue_role=overdue),
            replace(
                _university(case, "vice_rector", "reopen case overdue (escalated)", why, case.review_due),
                overdue_role=overdue,
            ),
        )
    if action == "council_decision" and case.decision is not None and case.decision.approve:
        return (
            *(
                _university(case, role, "reopen the journal", f"the council approved: {about}", None)
                for role in case.terms.granted_by
            ),
            _to_teacher(case, "reopen approved", "the dean's council approved; the registrar reopens next"),
        )
    if action == "reopened":
        return (
            _to_teacher(
                case,
                "journal reopened: correct it and form the individual statement",
                about,
                case.correction_due,
            ),
        )
    if action == "correction_overdue":
        why = f"no correction by {case.correction_due.isoformat() if case.correction_due else '?'}: {about}"
        teacher = (f.teacher_id,)
        return (
            replace(_to_teacher(case, "the section re-closed at the deadline; lateness recorded", why),
                    overdue_person_ids=teacher),
            replace(_to_role(case, "department_head", "correction late: section re-closed", why, None),
                    overdue_person_ids=teacher),
        )  # fmt: skip
    if action in ("rejected", "withdrawn"):
        return (_to_teacher(case, f"reopen case {action}", entry.detail),)
    if action == "sanction_proposed":
        return (_university(case, "registrar_head", "confirm the disciplinary measure", entry.detail, None),)
    return ()
