"""Use cases of counting and sanctions (KZ-10, KZ-14, KZ-13 steps 5-7)."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ejournal.workflow.v1 import events_pb2 as ev
from ejournal_platform.authz import refusal
from ejournal_platform.context import Principal
from ejournal_platform.errors import InvalidArgument, PermissionDenied
from ejournal_platform.events import Event
from ejournal_regulation import get_profile
from services.workflow.adapters import case_store, sanction_store, section_store
from services.workflow.domain.actors import OVERSIGHT_ROLES, REGISTRAR_ROLES, Actor, oversees
from services.workflow.domain.sanctions import check_confirmation, check_corrective_measure
from services.workflow.service_layer.access import actor_of
from services.workflow.service_layer.deps import Deps

MEASURE_IDS = uuid.UUID("5d0c1f7a-9b0e-4f43-8c55-7a3e2d9b1c20")
# The academic department's roles (АЖД / учебный отдел): they record corrective measures anywhere.
ACADEMIC_DEPARTMENT = ("vice_rector", "registrar_head", "methodologist")
DEANS_OFFICE = ("dean", "dean_curation", "dean_staff")


@dataclass(frozen=True)
class Count:
    subject_id: str
    count: int
    measure: str


@dataclass(frozen=True, kw_only=True)
class ConfirmSanction:
    proposal_id: str
    reference: str  # the protocol or order that confirms it


@dataclass(frozen=True, kw_only=True)
class RecordCorrectiveMeasure:
    request_id: str
    kind: str
    description: str
    scope_type: str
    scope_id: str
    term_id: str
    case_id: str


async def confirm(deps: Deps, principal: Principal | None, cmd: ConfirmSanction) -> Any:
    actor = actor_of(principal)
    if not any(actor.holds_anywhere(r) for r in REGISTRAR_ROLES):
        raise PermissionDenied("permission denied: sanction.record", field="actor")
    proposal_id, reference = cmd.proposal_id, cmd.reference
    async with deps.unit_of_work() as uow:
        row = await sanction_store.get_proposal(uow.session, proposal_id)
        # A missing proposal is refused like one of a faculty the caller's registrar role does
        # not reach (issue 13).
        found = await case_store.get_case(uow.session, row.case_id) if row is not None else None
        if (
            row is None
            or found is None
            or not any(
                actor.holds(
                    r,
                    faculty_id=found[0].facts.faculty_id,
                    department_id=found[0].facts.department_id,
                    university_id=row.university_id or found[0].facts.university_id,
                )
                for r in REGISTRAR_ROLES
            )
        ):
            raise refusal("sanction.record")
        check_confirmation(row.status, reference)
        at = deps.clock()
        await sanction_store.confirm_proposal(uow.session, proposal_id, reference, actor.person_id, at)
        uow.add_event(
            Event(
                ev.SanctionConfirmed(
                    proposal_id=proposal_id,
                    subject=row.subject,
                    subject_id=row.subject_id,
                    measure=row.measure,
                    reference=reference,
                    confirmed_by=actor.person_id,
                    confirmed_at=at.isoformat(),
                ),
                subject=f"reopen_case/{row.case_id}",
            )
        )
        await uow.commit()
    async with deps.unit_of_work() as uow:
        return await sanction_store.get_proposal(uow.session, proposal_id)


async def record_measure(
    deps: Deps, principal: Principal | None, cmd: RecordCorrectiveMeasure
) -> sanction_store.MeasureRecord:
    actor = actor_of(principal)
    check_corrective_measure(cmd.kind, cmd.description)
    if not cmd.request_id.strip():
        raise InvalidArgument("request_id", "is required (a retry with the same id records nothing twice)")
    if not cmd.term_id.strip():
        raise InvalidArgument("term_id", "is required")
    if cmd.scope_type not in ("faculty", "department") or not cmd.scope_id.strip():
        raise InvalidArgument("scope_type", "name a faculty or a department and its id")
    async with deps.unit_of_work() as uow:
        faculty_id = (
            cmd.scope_id
            if cmd.scope_type == "faculty"
            else await section_store.faculty_of_department(uow.session, cmd.scope_id)
        )
        # The academic department at university scope anywhere; a dean's office within its faculty.
        # (A university-wide role: its own university's faculties; issue 18.)
        university_id = await section_store.university_of_faculty(uow.session, faculty_id)
        allowed = any(actor.holds(r, university_id=university_id) for r in ACADEMIC_DEPARTMENT) or any(
            actor.holds(r, faculty_id=faculty_id, university_id=university_id) for r in DEANS_OFFICE
        )
        if not allowed:
            raise PermissionDenied(
                "only deans and the academic department record corrective measures", field="actor"
            )
        measure = sanction_store.MeasureRecord(
            str(uuid.uuid5(MEASURE_IDS, f"{actor.person_id}/{cmd.request_id}")),
            cmd.kind,
            cmd.description,
            cmd.scope_type,
            cmd.scope_id,
            cmd.term_id,
            cmd.case_id,
            actor.person_id,
            deps.clock(),
        )
        if await sanction_store.insert_measure(uow.session, measure):
            uow.add_event(
                Event(
                    ev.CorrectiveMeasureRecorded(
                        measure_id=measure.measure_id,
                        kind=cmd.kind,
                        description=cmd.description,
                        scope_type=cmd.scope_type,
                        scope_id=cmd.scope_id,
                        term_id=cmd.term_id,
                        case_id=cmd.case_id,
                        recorded_by=actor.person_id,
                        recorded_at=measure.recorded_at.isoformat(),
                    ),
                    subject=f"{cmd.scope_type}/{cmd.scope_id}",
                )
            )
        await uow.commit()
    return measure


async def counts(
    deps: Deps, principal: Principal | None, term_id: str, profile_code: str
) -> tuple[list[Count], list[Count]]:
    """KZ-10: reopens per teacher and per department in the term, within the caller's reach."""
    actor = actor_of(principal)
    if not term_id.strip():
        raise InvalidArgument("term_id", "is required")
    try:
        sanctions = get_profile(profile_code or "kz-medical").sanctions
    except KeyError as unknown:
        raise InvalidArgument("profile_code", str(unknown).strip('"')) from None
    if not (_monitors(actor) or actor.holds_anywhere("teacher")):
        raise PermissionDenied("permission denied: journal.monitor", field="actor")
    async with deps.unit_of_work() as uow:
        rows = [r for r in await sanction_store.reopen_reasons(uow.session, term_id) if _reaches(actor, r)]
    teachers = Counter(r.teacher_id for r in rows)
    departments = Counter(r.department_id for r in rows)

    def listed(counter: Counter[str], ladder: Any) -> list[Count]:
        return [
            Count(subject, n, (ladder.measure_for(n) if ladder else None) or "")
            for subject, n in sorted(counter.items(), key=lambda item: (-item[1], item[0]))
        ]

    return (
        listed(teachers, sanctions.teacher if sanctions else None),
        listed(departments, sanctions.department if sanctions else None),
    )


async def reasons(deps: Deps, principal: Principal | None, term_id: str) -> tuple[list[Any], list[Any]]:
    """KZ-13.5: the registrar head's (and vice-rector's) analysis of the term's reopen reasons."""
    actor = actor_of(principal)
    if not (actor.holds_anywhere("registrar_head") or actor.holds_anywhere("vice_rector")):
        raise PermissionDenied("permission denied: reopen.analysis", field="actor")
    async with deps.unit_of_work() as uow:
        # The reopens within the caller's reach (never another university's: issue 18).
        return (
            [r for r in await sanction_store.reopen_reasons(uow.session, term_id) if _reaches(actor, r)],
            await sanction_store.measures_of_term(uow.session, term_id),
        )


def _reaches(actor: Actor, row: Any) -> bool:
    return actor.person_id == row.teacher_id or oversees(
        actor, row.faculty_id, row.department_id, row.university_id
    )


def _monitors(actor: Actor) -> bool:
    return any(actor.holds_anywhere(r) for r in OVERSIGHT_ROLES)
