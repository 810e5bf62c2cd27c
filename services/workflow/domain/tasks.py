"""What a person is to do on an open reopen case (their task list), from who the case waits for."""

from datetime import datetime

from services.workflow.domain.actors import Actor
from services.workflow.domain.reopen_case import COUNCIL, REGISTRAR, TEACHER
from services.workflow.domain.reopen_facts import VISA_SCOPE

REOPENING_ROLES = ("registrar_senior_inspector", "registrar_head")
# Whoever oversees the procedure university-wide (KZ-08: explanations are addressed to them) sees the
# escalations that reached them and every step overdue anywhere.
OVERSIGHT_ROLES = ("vice_rector",)


def oversight_action(escalated: bool, deadline: datetime | None, now: datetime) -> str | None:
    """'escalated' (a lapse escalated the case to the vice-rector), 'overdue' (a step's deadline has
    passed, not escalated yet), or None for a case on time."""
    if escalated:
        return "escalated"
    if deadline is not None and deadline < now:
        return "overdue"
    return None


def actions_for(
    actor: Actor,
    *,
    teacher_id: str,
    department_id: str,
    faculty_id: str,
    waiting_for: tuple[str, ...],
    decided_by: str = "dean",
    granted_by: tuple[str, ...] = REOPENING_ROLES,
    university_id: str = "",
) -> tuple[str, ...]:
    """The actions the actor may take now: visa_<role>, council_decision, reopen, correct."""
    actions: list[str] = []
    for slot in waiting_for:
        if slot == TEACHER:
            if actor.person_id == teacher_id:
                actions.append("correct")
        elif actor.person_id == teacher_id:
            continue  # nobody approves their own request
        elif slot == COUNCIL:
            if actor.holds(decided_by, faculty_id=faculty_id, university_id=university_id):
                actions.append("council_decision")
        elif slot == REGISTRAR:
            if any(
                actor.holds(
                    r, faculty_id=faculty_id, department_id=department_id, university_id=university_id
                )
                for r in granted_by
            ):
                actions.append("reopen")
        elif slot in VISA_SCOPE:
            in_department = VISA_SCOPE[slot] == "department"
            department = department_id if in_department else ""
            if actor.holds(
                slot, faculty_id=faculty_id, department_id=department, university_id=university_id
            ):
                actions.append(f"visa_{slot}")
    return tuple(actions)
