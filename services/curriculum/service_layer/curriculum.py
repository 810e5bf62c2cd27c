"""Working-curriculum use cases (KZ-02, KZ-03): course units with their parts, defined whole, changed
freely in the loading (May–June) and correction (August) windows and otherwise only by the registrar
office with a reason; every change audited and published (CourseUnitDefined / CourseUnitRemoved)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.curriculum.v1 import events_pb2 as ev
from ejournal_platform.authz import missing_is_refused
from ejournal_platform.context import Principal
from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import FailedPrecondition, InvalidArgument
from ejournal_platform.events import Event
from ejournal_platform.pagination import Page, page_request
from ejournal_regulation import load_profiles
from services.curriculum.adapters import course_units_repo
from services.curriculum.adapters.ids import need_id, stable_id
from services.curriculum.adapters.lookups import (
    Place,
    get,
    place_of_department,
    place_of_specialty,
    term_for,
    windows_of,
)
from services.curriculum.adapters.models import AcademicYear, CourseUnit
from services.curriculum.adapters.records import record
from services.curriculum.domain import records as rec
from services.curriculum.domain.checks import Violations
from services.curriculum.domain.curriculum import (
    ChangeAuthority,
    CourseUnitSpec,
    check_change_window,
    check_course_unit,
    part_has_own_exam,
    unit_has_own_exam,
)
from services.curriculum.domain.vocabulary import CourseUnitKind
from services.curriculum.service_layer import audit, events
from services.curriculum.service_layer.authorization import is_registrar, require
from services.curriculum.service_layer.deps import Deps


@dataclass
class UnitView:
    unit: rec.CourseUnit
    hours: dict[str, int]
    parts: list[UnitView] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class DefineCourseUnit:
    spec: CourseUnitSpec
    reason: str = ""  # needed outside the loading and correction windows


@dataclass(frozen=True, kw_only=True)
class RemoveCourseUnit:
    course_unit_id: str
    reason: str


async def define_course_unit(deps: Deps, principal: Principal, cmd: DefineCourseUnit) -> UnitView:
    async with deps.uow() as uow:
        view, _ = await apply_course_unit(uow, principal, cmd.spec, cmd.reason, deps.clock())
        await uow.commit()
        return view


async def change_allowed(
    s: AsyncSession,
    principal: Principal,
    year: AcademicYear | rec.AcademicYear,
    place: Place,
    reason: str,
    now: datetime,
) -> str:
    """KZ-03 on the university's calendar day; returns the window name for the audit."""
    v = Violations()
    today = now.astimezone(ZoneInfo(place.university.time_zone)).date()
    window = check_change_window(
        today, windows_of(year), ChangeAuthority(is_registrar(principal, place.scope()), reason), v
    )
    v.raise_if_any()
    return window


async def apply_course_unit(
    uow: UnitOfWork, principal: Principal, spec: CourseUnitSpec, reason: str, now: datetime
) -> tuple[UnitView, int]:
    """Define one unit with its parts inside the caller's transaction; return it and the count of
    units that changed."""
    s = uow.session
    v = Violations()
    check_course_unit(spec, set(load_profiles()), v)
    v.raise_if_any()
    year_id, specialty_id = (
        need_id(spec.academic_year_id, "academic_year_id"),
        need_id(spec.specialty_id, "specialty_id"),
    )
    with missing_is_refused("curriculum.manage"):
        place = await place_of_specialty(s, specialty_id)
    require(principal, "curriculum.manage", place.scope())
    year = await get(s, AcademicYear, year_id, "academic_year_id", "academic year")
    if year.university_id != place.university.id:
        raise InvalidArgument("academic_year_id", "belongs to another university")
    term = await term_for(s, year_id, spec.term_number)
    if term is None:
        raise InvalidArgument("term_number", f"academic year {year.code} has no term {spec.term_number}")
    departments = [spec.department_id, *(p.department_id for p in spec.parts)]
    fields = ["department_id", *(f"parts[{i}].department_id" for i in range(len(spec.parts)))]
    for dep, name in zip(departments, fields, strict=True):
        dep_place = await place_of_department(s, need_id(dep, name), name)
        if dep_place.university.id != place.university.id:
            v.add(name, "belongs to another university")
    v.raise_if_any()
    window = await change_allowed(s, principal, year, place, reason, now)
    audit_reason = reason.strip() or f"working curriculum {window}"
    key = (year_id, specialty_id, spec.course_number)
    unit_id = stable_id("course_unit", *key, spec.code)
    existing = await s.get(CourseUnit, unit_id, with_for_update=True)
    if existing is not None and existing.kind != spec.kind:
        raise FailedPrecondition(
            f"course unit {spec.code} is a {existing.kind}; remove it to define a {spec.kind}", field="kind"
        )
    common = {
        "academic_year_id": year_id,
        "specialty_id": specialty_id,
        "course_number": spec.course_number,
        "term_id": term.id,
        "profile_code": spec.profile_code,
        "removed_at": None,
    }
    unit, changed = await save_unit(
        s,
        principal,
        unit_id,
        {
            **common,
            "kind": str(spec.kind),
            "parent_id": None,
            "position": 0,
            "code": spec.code,
            "title": spec.title,
            "department_id": need_id(spec.department_id, "department_id"),
            "credits": spec.credits,
            "has_own_exam": unit_has_own_exam(spec.kind),
        },
        {str(k): h for k, h in spec.hours.items()},
        audit_reason,
    )
    view = UnitView(unit, {str(k): h for k, h in spec.hours.items()})
    changes = [(view, changed)]
    part_kind = spec.kind.part_kind
    kept: set[uuid.UUID] = set()
    for position, part in enumerate(spec.parts, start=1):
        assert part_kind is not None
        part_id = stable_id("course_unit", *key, part.code)
        other = await s.get(CourseUnit, part_id)
        if other is not None and other.parent_id != unit_id and other.removed_at is None:
            raise InvalidArgument(
                f"parts[{position - 1}].code", f"{part.code!r} is already another course unit's code"
            )
        hours = {str(k): h for k, h in part.hours.items()}
        row, part_changed = await save_unit(
            s,
            principal,
            part_id,
            {
                **common,
                "kind": str(part_kind),
                "parent_id": unit_id,
                "position": position,
                "code": part.code,
                "title": part.title,
                "department_id": need_id(part.department_id, f"parts[{position - 1}].department_id"),
                "credits": part.credits,
                "has_own_exam": part_has_own_exam(part_kind),
            },
            hours,
            audit_reason,
        )
        kept.add(part_id)
        part_view = UnitView(row, hours)
        view.parts.append(part_view)
        changes.append((part_view, part_changed))
    dropped = await course_units_repo.live_parts(s, unit_id, but=kept)
    dropped_any = False
    for gone in dropped:
        await remove_unit(uow, principal, gone, audit_reason, now)
        dropped_any = True
    faculty_id = place.faculty.id
    if dropped_any or any(c for _, c in changes[1:]):
        # Which block is last may have changed: subscribers get every part's current state.
        changes = [changes[0], *((item, True) for item, _ in changes[1:])]
    for item, was_changed in changes:
        if was_changed:
            is_last = item.unit.parent_id is not None and item.unit.position == len(spec.parts)
            uow.add_event(events.course_unit_event(item.unit, item.hours, faculty_id, is_last_part=is_last))
    return view, sum(1 for _, c in changes if c)


async def save_unit(
    s: AsyncSession,
    principal: Principal,
    unit_id: uuid.UUID,
    values: dict[str, object],
    hours: dict[str, int],
    reason: str,
) -> tuple[rec.CourseUnit, bool]:
    row = await s.get(CourseUnit, unit_id, with_for_update=True)
    old_hours = await course_units_repo.hours_of(s, unit_id)
    if row is None:
        row = CourseUnit(id=unit_id, revision=1, **values)
        s.add(row)
        await s.flush()
        await audit.record(
            s,
            actor=principal.subject,
            action="created",
            entity="course_unit",
            entity_id=unit_id,
            reason=reason,
            after={**values, "hours": hours},
        )
    else:
        before = {k: getattr(row, k) for k in values}
        old, new = audit.changed({**before, "hours": old_hours}, {**values, "hours": hours})
        if not new:
            return record(rec.CourseUnit, row), False
        for k, value in values.items():
            setattr(row, k, value)
        row.revision += 1
        await s.flush()
        await audit.record(
            s,
            actor=principal.subject,
            action="changed",
            entity="course_unit",
            entity_id=unit_id,
            reason=reason,
            before=old,
            after=new,
        )
    if old_hours != hours:
        await course_units_repo.replace_hours(s, unit_id, hours)
    return record(rec.CourseUnit, row), True


async def remove_unit(
    uow: UnitOfWork, principal: Principal, unit: CourseUnit, reason: str, now: datetime
) -> None:
    s = uow.session
    loads = await course_units_repo.live_loads(s, unit.id)
    if loads:
        raise FailedPrecondition(
            f"course unit {unit.code} has {loads} teaching loads; remove them first", field="course_unit_id"
        )
    unit.removed_at = now
    unit.revision += 1
    await s.flush()
    await audit.record(
        s, actor=principal.subject, action="removed", entity="course_unit", entity_id=unit.id, reason=reason
    )
    uow.add_event(
        Event(
            payload=ev.CourseUnitRemoved(course_unit_id=str(unit.id), reason=reason),
            subject=f"course_unit/{unit.id}",
        )
    )


async def remove_course_unit(deps: Deps, principal: Principal, cmd: RemoveCourseUnit) -> None:
    unit_id, reason = need_id(cmd.course_unit_id, "course_unit_id"), cmd.reason
    async with deps.uow() as uow:
        s = uow.session
        with missing_is_refused("curriculum.manage"):
            unit = await get(s, CourseUnit, unit_id, "course_unit_id", "course unit")
            place = await place_of_specialty(s, unit.specialty_id)
        require(principal, "curriculum.manage", place.scope())
        if unit.removed_at is not None:
            return
        if unit.parent_id is not None:
            raise FailedPrecondition(
                "a part is removed by redefining its unit without it", field="course_unit_id"
            )
        year = await get(s, AcademicYear, unit.academic_year_id, "course_unit_id", "academic year")
        window = await change_allowed(s, principal, year, place, reason, deps.clock())
        audit_reason = reason.strip() or f"working curriculum {window}"
        for part in await course_units_repo.live_parts(s, unit_id):
            await remove_unit(uow, principal, part, audit_reason, deps.clock())
        await remove_unit(uow, principal, unit, audit_reason, deps.clock())
        await uow.commit()


async def list_course_units(
    deps: Deps,
    principal: Principal,
    academic_year_id: str,
    specialty_id: str = "",
    course_number: int = 0,
    term_id: str = "",
    page: Page | None = None,
) -> tuple[list[UnitView], str]:
    """One page of the year's units (top-level, by code; each with its parts), and the next token."""
    page = page or page_request(0, "")
    year_id = need_id(academic_year_id, "academic_year_id")
    require(principal, "curriculum.read")
    sid = need_id(specialty_id, "specialty_id") if specialty_id else None
    tid = need_id(term_id, "term_id") if term_id else None
    async with deps.uow() as uow:
        tops, parts, hours, next_token = await course_units_repo.year_units_page(
            uow.session, year_id, sid, course_number, tid, page
        )
        units = [*tops, *parts]
        views = {u.id: UnitView(record(rec.CourseUnit, u), hours.get(u.id, {})) for u in units}
        for u in units:
            if u.parent_id is not None and u.parent_id in views:
                views[u.parent_id].parts.append(views[u.id])
        for item in views.values():
            item.parts.sort(key=lambda p: p.unit.position)
        return [views[u.id] for u in tops], next_token


def kind_of(value: str) -> CourseUnitKind:
    return CourseUnitKind(value)


async def university_profile(deps: Deps, specialty_id: str) -> str:
    """The profile a unit gets when its request names none: its university's."""
    async with deps.uow() as uow:
        with missing_is_refused("curriculum.manage"):  # define_course_unit's action (issue 13)
            place = await place_of_specialty(uow.session, need_id(specialty_id, "specialty_id"))
        return place.university.profile_code
