"""Contingent use cases (KZ-15): enrollment, transfer and expulsion by order, each an append-only
movement with the placements it opens and closes, published as an event."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.context import Principal
from ejournal_platform.errors import AlreadyExists
from services.curriculum.adapters import contingent_repo
from services.curriculum.adapters.contingent_repo import (
    group_ref,
    lock_student,
    movements_of,
    placements_of,
    same_order_again,
)
from services.curriculum.adapters.group_members_sql import read_group_members
from services.curriculum.adapters.ids import need_id, parse_id
from services.curriculum.adapters.lookups import Place, get, place_of_group, subgroup_of
from services.curriculum.adapters.models import AcademicYear, Movement, Placement
from services.curriculum.adapters.records import record, records
from services.curriculum.domain import records as rec
from services.curriculum.domain.checks import Violations, day, text
from services.curriculum.domain.contingent import (
    GroupMember,
    check_enrollment,
    check_transfer,
    current_placement,
)
from services.curriculum.service_layer import events
from services.curriculum.service_layer.authorization import require
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.personal_data import require_group_members, require_student_history

# A thin alias: the contingent import (imports/contingent_import.py) reads a student's name here.
name_of = contingent_repo.name_of


@dataclass(frozen=True)
class OrderInput:
    number: str
    date: str
    effective_date: str


def parse_order(order: OrderInput, v: Violations) -> tuple[str, date | None, date | None]:
    number = text(order.number, "order.number", v, max_length=60)
    signed, effective = day(order.date, "order.date", v), day(order.effective_date, "effective_date", v)
    if signed and effective and effective < signed and (signed - effective).days > 366:
        v.add("effective_date", "is more than a year before the order was signed")
    return number, signed, effective


@dataclass(frozen=True, kw_only=True)
class EnrollStudent:
    student_id: str
    group_id: str
    subgroup_id: str
    order: OrderInput
    student_name: str = ""


@dataclass(frozen=True, kw_only=True)
class TransferStudent:
    student_id: str
    to_group_id: str
    to_subgroup_id: str
    order: OrderInput
    from_group_id: str = ""  # empty: wherever the student is on the effective date


@dataclass(frozen=True, kw_only=True)
class ExpelStudent:
    student_id: str
    group_id: str  # empty: wherever the student is on the effective date
    order: OrderInput
    reason: str


async def enroll_student(deps: Deps, principal: Principal, cmd: EnrollStudent) -> rec.Movement:
    v = Violations()
    number, signed, effective = parse_order(cmd.order, v)
    sid, gid = need_id(cmd.student_id, "student_id"), need_id(cmd.group_id, "group_id")
    subid = parse_id(cmd.subgroup_id, "subgroup_id", required=False)
    v.raise_if_any()
    assert signed and effective
    async with deps.uow() as uow:
        s = uow.session
        place = await place_of_group(s, gid)
        require(principal, "contingent.manage", place.scope())
        await subgroup_of(s, gid, subid)
        await lock_student(s, sid)
        again = await same_order_again(s, sid, "enrolled", number, signed)
        if again is not None:
            if (again.group_id, again.subgroup_id, again.effective_date) == (gid, subid, effective):
                return record(rec.Movement, again)  # a retry of the same order
            raise AlreadyExists(
                f"order {number} of {signed} already enrolled this student elsewhere", field="order.number"
            )
        assert place.group is not None
        year = await get(s, AcademicYear, place.group.academic_year_id, "group_id", "academic year")
        if effective > year.ends_on:
            v.add(
                "effective_date", f"is after the end of academic year {year.code} of group {place.group.code}"
            )
        check_enrollment(
            [view for _, view in await placements_of(s, sid)], group_ref(place.group), effective, v
        )
        v.raise_if_any()
        movement = Movement(
            id=uuid.uuid4(),
            kind="enrolled",
            student_id=sid,
            student_name=cmd.student_name.strip(),
            group_id=gid,
            subgroup_id=subid,
            order_number=number,
            order_date=signed,
            effective_date=effective,
            reason="",
            recorded_by=principal.subject,
            recorded_at=deps.clock(),
        )
        s.add(movement)
        await s.flush()
        open_placement(s, sid, gid, subid, effective, movement.id)
        uow.add_event(events.movement_event(movement, place.faculty.id, place.group.academic_year_id))
        await uow.commit()
        return record(rec.Movement, movement)


async def transfer_student(deps: Deps, principal: Principal, cmd: TransferStudent) -> rec.Movement:
    v = Violations()
    number, signed, effective = parse_order(cmd.order, v)
    sid, gid = need_id(cmd.student_id, "student_id"), need_id(cmd.to_group_id, "to_group_id")
    subid = parse_id(cmd.to_subgroup_id, "to_subgroup_id", required=False)
    from_gid = parse_id(cmd.from_group_id, "from_group_id", required=False)
    v.raise_if_any()
    assert signed and effective
    async with deps.uow() as uow:
        s = uow.session
        target = await place_of_group(s, gid, "to_group_id")
        require(principal, "contingent.manage", target.scope())
        await subgroup_of(s, gid, subid, "to_subgroup_id")
        await lock_student(s, sid)
        again = await same_order_again(s, sid, "transferred", number, signed)
        if again is not None:
            if (again.group_id, again.subgroup_id, again.effective_date) == (gid, subid, effective):
                return record(rec.Movement, again)
            raise AlreadyExists(
                f"order {number} of {signed} already transferred this student", field="order.number"
            )
        rows = await placements_of(s, sid)
        views = [view for _, view in rows]
        current = current_placement(views, effective, str(from_gid) if from_gid else None, v)
        v.raise_if_any()
        assert current is not None and target.group is not None
        check_transfer(current, group_ref(target.group), str(subid) if subid else None, views, v)
        v.raise_if_any()
        source_row = next(p for p, view in rows if view is current)
        source = await place_of_group(s, source_row.group_id, "from_group_id")
        require(principal, "contingent.manage", source.scope())
        movement = Movement(
            id=uuid.uuid4(),
            kind="transferred",
            student_id=sid,
            from_group_id=source_row.group_id,
            from_subgroup_id=source_row.subgroup_id,
            group_id=gid,
            subgroup_id=subid,
            order_number=number,
            order_date=signed,
            effective_date=effective,
            reason="",
            recorded_by=principal.subject,
            recorded_at=deps.clock(),
            student_name=await name_of(s, source_row),
        )
        s.add(movement)
        await s.flush()
        source_row.valid_until, source_row.closed_by = effective, movement.id
        await s.flush()
        open_placement(s, sid, gid, subid, effective, movement.id)
        uow.add_event(events.movement_event(movement, target.faculty.id, target.group.academic_year_id))
        await uow.commit()
        return record(rec.Movement, movement)


def open_placement(
    s: AsyncSession,
    student_id: uuid.UUID,
    group_id: uuid.UUID,
    subgroup_id: uuid.UUID | None,
    effective: date,
    movement_id: uuid.UUID,
) -> None:
    """The student's place from the order's effective date on, opened by that movement."""
    s.add(
        Placement(
            id=uuid.uuid4(),
            student_id=student_id,
            group_id=group_id,
            subgroup_id=subgroup_id,
            valid_from=effective,
            valid_until=None,
            opened_by=movement_id,
        )
    )


async def expel_student(deps: Deps, principal: Principal, cmd: ExpelStudent) -> rec.Movement:
    v = Violations()
    number, signed, effective = parse_order(cmd.order, v)
    reason = text(cmd.reason, "reason", v)
    sid = need_id(cmd.student_id, "student_id")
    gid = parse_id(cmd.group_id, "group_id", required=False)
    v.raise_if_any()
    assert signed and effective
    async with deps.uow() as uow:
        s = uow.session
        await lock_student(s, sid)
        rows = await placements_of(s, sid)
        current = current_placement([view for _, view in rows], effective, str(gid) if gid else None, v)
        v.raise_if_any()
        source_row = next(p for p, view in rows if view is current)
        place: Place = await place_of_group(s, source_row.group_id)
        require(principal, "contingent.manage", place.scope())
        again = await same_order_again(s, sid, "expelled", number, signed)
        if again is not None:
            return record(rec.Movement, again)
        movement = Movement(
            id=uuid.uuid4(),
            kind="expelled",
            student_id=sid,
            from_group_id=source_row.group_id,
            from_subgroup_id=source_row.subgroup_id,
            group_id=None,
            subgroup_id=None,
            order_number=number,
            order_date=signed,
            effective_date=effective,
            reason=reason,
            recorded_by=principal.subject,
            recorded_at=deps.clock(),
            student_name=await name_of(s, source_row),
        )
        s.add(movement)
        await s.flush()
        source_row.valid_until, source_row.closed_by = effective, movement.id
        assert place.group is not None
        uow.add_event(events.movement_event(movement, place.faculty.id, place.group.academic_year_id))
        await uow.commit()
        return record(rec.Movement, movement)


async def list_group_members(
    deps: Deps, principal: Principal, group_id: str, on_date: str, subgroup_id: str = ""
) -> list[GroupMember]:
    """Who is in the group (its subgroup, when given) on the date (today by default), by name; for
    those entitled (see personal_data). A read on every grid the portal opens: on a pooled connection
    without the ORM session, access and members in one round trip."""
    v = Violations()
    on = day(on_date, "on_date", v, required=False) or deps.clock().date()
    gid = need_id(group_id, "group_id")
    subid = parse_id(subgroup_id, "subgroup_id", required=False)
    v.raise_if_any()
    async with deps.uow.explicit_transaction() as lent:
        access, members = await read_group_members(lent.connection, gid, on, subid)
    require_group_members(principal, access)
    return members


async def student_history(deps: Deps, principal: Principal, student_id: str) -> list[rec.Movement]:
    """The orders that moved the student, for those entitled (see personal_data); a student no order
    concerns is refused like one the caller may not see, or an empty history for themselves."""
    sid = need_id(student_id, "student_id")
    async with deps.uow() as uow:
        movements = await movements_of(uow.session, sid)
        groups = [g for m in movements for g in (m.group_id, m.from_group_id) if g is not None]
        await require_student_history(uow.session, principal, sid, groups)
        return records(rec.Movement, movements)
