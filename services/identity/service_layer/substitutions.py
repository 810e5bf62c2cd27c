"""Substitutions (KZ-07, KG-07): appoint, end, list. The appointment is published as an event: the
registrar office is notified by it, and gradebook lets the substitute fill the listed journals under
their own login, recording the absent teacher as the one substituted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.identity.v1 import events_pb2 as ev
from ejournal_platform.authz import ResourceScope, Role, ScopeType, allowed, require
from ejournal_platform.context import Principal
from ejournal_platform.errors import AlreadyExists, FailedPrecondition, PermissionDenied, ValidationFailed
from ejournal_platform.events import Event
from ejournal_platform.pagination import Page
from services.identity.adapters import people_repo, roles_repo
from services.identity.adapters import substitutions_repo as repo
from services.identity.domain.profiles import profile
from services.identity.domain.roles import parse_day
from services.identity.domain.substitutions import Substitution, end_day, validate_substitution
from services.identity.service_layer.deps import Deps, hidden_not_found


def scope_of(s: Substitution) -> ResourceScope:
    return ResourceScope(
        university_id=s.university_id or None,
        faculty_id=s.faculty_id or None,
        department_id=s.department_id,
        assignee_ids=frozenset({s.absent_teacher_id, s.substitute_id}),
    )


async def teaches_in(session: AsyncSession, person_id: str, department_id: str, day: date) -> bool:
    row = await people_repo.find_by_id(session, person_id)
    if row is None:
        return False
    if await roles_repo.has_role_in(
        session, person_id, Role.TEACHER, ScopeType.DEPARTMENT, department_id, day
    ):
        return True
    heads = await roles_repo.has_role_in(
        session, person_id, Role.DEPARTMENT_HEAD, ScopeType.DEPARTMENT, department_id, day
    )
    return heads or (row.department_id == department_id and row.category == "staff")


@dataclass(frozen=True, kw_only=True)
class AppointSubstitute:
    """The department head's decision (protocol number and date); `request_id` makes a retry return
    the substitution already appointed."""

    request_id: str = ""
    absent_teacher_id: str
    substitute_id: str
    department_id: str
    journal_ids: tuple[str, ...] = ()
    course_unit_ids: tuple[str, ...] = ()
    starts_on: str
    ends_on: str
    protocol_number: str = ""
    protocol_date: str = ""
    reason: str = ""


async def appoint(deps: Deps, principal: Principal, cmd: AppointSubstitute) -> Substitution:
    request_id = cmd.request_id
    department_id = cmd.department_id.strip()
    if not allowed(principal, "substitution.appoint", ResourceScope(department_id=department_id or None)):
        raise PermissionDenied(
            "permission denied: substitution.appoint — a substitute is appointed by the head of the "
            "absent teacher's department, within that department only (KZ-07, KG-07)"
        )
    async with deps.unit_of_work() as uow:
        if request_id and (earlier := await repo.find_by_request_id(uow.session, request_id)) is not None:
            return earlier
        absent = await people_repo.find_by_id(uow.session, cmd.absent_teacher_id)
        rules = profile(absent.profile_code if absent is not None else "kz-medical")
        new = validate_substitution(
            absent_teacher_id=cmd.absent_teacher_id, substitute_id=cmd.substitute_id,
            department_id=cmd.department_id, journal_ids=list(cmd.journal_ids),
            course_unit_ids=list(cmd.course_unit_ids), starts_on=cmd.starts_on, ends_on=cmd.ends_on,
            protocol_number=cmd.protocol_number, protocol_date=cmd.protocol_date, reason=cmd.reason,
            profile=rules,
        )  # fmt: skip
        today = deps.clock().date()
        for field, person_id in (
            ("absent_teacher_id", new.absent_teacher_id),
            ("substitute_id", new.substitute_id),
        ):
            if not await teaches_in(uow.session, person_id, new.department_id, min(today, new.starts_on)):
                raise FailedPrecondition(
                    f"is not a teacher of department {new.department_id}: a substitution stays within "
                    "the department whose head appoints it",
                    field=field,
                )
        if await repo.overlapping(uow.session, new):
            raise AlreadyExists(
                "the absent teacher already has a substitute for part of that period", field="starts_on"
            )
        assert absent is not None  # teaches_in found them
        substitution_id = await repo.insert(
            uow.session, new, principal.subject, request_id or None, deps.clock(),
            (absent.university_id, absent.faculty_id),
        )  # fmt: skip
        substitution = await repo.get(uow.session, substitution_id)
        assert substitution is not None
        uow.add_event(
            Event(
                ev.SubstitutionAppointed(
                    substitution_id=substitution.id,
                    absent_teacher_id=new.absent_teacher_id,
                    substitute_id=new.substitute_id,
                    department_id=new.department_id,
                    university_id=substitution.university_id,
                    faculty_id=substitution.faculty_id,
                    journal_ids=list(new.journal_ids),
                    course_unit_ids=list(new.course_unit_ids),
                    starts_on=new.starts_on.isoformat(),
                    ends_on=new.ends_on.isoformat(),
                    protocol_number=new.decision.protocol_number,
                    protocol_date=new.decision.protocol_date.isoformat()
                    if new.decision.protocol_date
                    else "",
                    appointed_by=principal.subject,
                    reason=new.reason,
                ),
                subject=f"substitution/{substitution.id}",
            )
        )
        await uow.commit()
    return substitution


@dataclass(frozen=True, kw_only=True)
class EndSubstitution:
    substitution_id: str
    reason: str


async def end(deps: Deps, principal: Principal, cmd: EndSubstitution) -> Substitution:
    substitution_id, reason = cmd.substitution_id, cmd.reason
    async with deps.unit_of_work() as uow:
        found = await repo.get(uow.session, substitution_id, lock=True)
        if found is None:
            raise hidden_not_found(principal, "substitution.appoint", "substitution", "substitution_id")
        require(principal, "substitution.appoint", scope_of(found))
        if not reason.strip():
            raise ValidationFailed("a reason is required", [("reason", "is required to end a substitution")])
        last_day = end_day(found, deps.clock().date())
        await repo.end(uow.session, found.id, last_day, principal.subject, reason.strip())
        uow.add_event(
            Event(
                ev.SubstitutionEnded(
                    substitution_id=found.id,
                    absent_teacher_id=found.absent_teacher_id,
                    substitute_id=found.substitute_id,
                    department_id=found.department_id,
                    ended_on=last_day.isoformat(),
                    ended_by=principal.subject,
                    reason=reason.strip(),
                ),
                subject=f"substitution/{found.id}",
            )
        )
        ended = await repo.get(uow.session, found.id)
        assert ended is not None
        await uow.commit()
    return ended


async def teacher_names(deps: Deps, found: list[Substitution]) -> dict[str, str]:
    """The absent teachers' and substitutes' names, so a list shows names without a call per person."""
    ids = sorted({i for s in found for i in (s.absent_teacher_id, s.substitute_id)})
    async with deps.unit_of_work() as uow:
        return await people_repo.full_names(uow.session, ids)


async def list_substitutions(
    deps: Deps, principal: Principal, department_id: str, teacher_id: str, active_on: str, page: Page
) -> tuple[list[Substitution], str]:
    problems: list[tuple[str, str]] = []
    day = parse_day(active_on, "active_on", problems)
    if problems:
        raise ValidationFailed("bad filter", problems)
    async with deps.unit_of_work() as uow:
        found, next_token = page.cut(
            await repo.list_rows(uow.session, department_id.strip(), teacher_id.strip(), day, page),
            key=lambda s: (s.starts_on, s.id),
        )
    return [s for s in found if allowed(principal, "substitution.read", scope_of(s))], next_token
