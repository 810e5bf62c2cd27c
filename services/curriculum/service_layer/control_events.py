"""The academic calendar's control events and their deadlines (KZ-05, KZ-06): scheduled and moved by the
registrar office only, every change audited and published (ControlEventScheduled, CalendarDeadlineChanged)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ejournal.curriculum.v1 import events_pb2 as ev
from ejournal_platform.context import Principal
from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import Conflict, InvalidArgument
from ejournal_platform.events import Event
from ejournal_platform.pagination import Page
from ejournal_regulation import get_profile
from services.curriculum.adapters import calendar_repo
from services.curriculum.adapters.ids import need_id, parse_id, stable_id
from services.curriculum.adapters.lookups import course_unit_with_place, get, place_of_group, subgroup_of
from services.curriculum.adapters.models import ControlEvent, Group, Term
from services.curriculum.adapters.records import record
from services.curriculum.domain import records as rec
from services.curriculum.domain.calendar import Deadlines, check_deadlines, default_deadlines
from services.curriculum.domain.checks import Violations, day, instant
from services.curriculum.domain.vocabulary import ControlEventKind, DeadlineKind
from services.curriculum.service_layer import audit, events
from services.curriculum.service_layer.authorization import require
from services.curriculum.service_layer.closed_sections import refuse_control_event_in_closed
from services.curriculum.service_layer.deps import Deps


@dataclass(frozen=True, kw_only=True)
class ScheduleControlEvent:
    kind: str
    course_unit_id: str
    group_id: str
    subgroup_id: str
    date: str
    grade_entry_deadline: str = ""
    closing_deadline: str = ""


@dataclass(frozen=True, kw_only=True)
class ChangeDeadline:
    control_event_id: str
    deadline_kind: str
    new_deadline: str
    reason: str  # required: the change is audited
    expected_revision: int = 0  # 0: whatever the current revision is


def check_group_studies_unit(
    group: Group, unit_year: object, unit_specialty: object, unit_course: int
) -> None:
    if (group.academic_year_id, group.specialty_id, group.course_number) != (
        unit_year,
        unit_specialty,
        unit_course,
    ):
        raise InvalidArgument(
            "group_id",
            f"group {group.code} does not study this course unit (other year, specialty or course)",
        )


async def schedule_control_event(
    deps: Deps, principal: Principal, cmd: ScheduleControlEvent
) -> rec.ControlEvent:
    async with deps.uow() as uow:
        row, _ = await apply_control_event(uow, principal, cmd)
        await uow.commit()
        return row


async def apply_control_event(
    uow: UnitOfWork, principal: Principal | None, data: ScheduleControlEvent
) -> tuple[rec.ControlEvent, bool]:
    """Schedule one control event in the caller's transaction (the RPC's, or an import's); an event
    already scheduled is returned unchanged (deadlines move only through change_deadline)."""
    v = Violations()
    if data.kind not in ControlEventKind.__members__.values():
        v.add("kind", f"{data.kind!r} is not one of: {', '.join(ControlEventKind)}")
    event_date = day(data.date, "date", v)
    grade_entry = instant(data.grade_entry_deadline, "grade_entry_deadline", v, required=False)
    closing = instant(data.closing_deadline, "closing_deadline", v, required=False)
    unit_id, group_id = need_id(data.course_unit_id, "course_unit_id"), need_id(data.group_id, "group_id")
    subgroup_id = parse_id(data.subgroup_id, "subgroup_id", required=False)
    v.raise_if_any()
    assert event_date is not None
    s = uow.session
    unit, unit_place = await course_unit_with_place(s, unit_id)
    place = await place_of_group(s, group_id)
    principal = require(principal, "calendar.manage", place.scope())
    assert place.group is not None
    check_group_studies_unit(place.group, unit.academic_year_id, unit.specialty_id, unit.course_number)
    await subgroup_of(s, group_id, subgroup_id)
    profile = get_profile(unit.profile_code)
    if data.kind not in profile.control_event_kinds:
        v.add("kind", f"profile {profile.code} has no control event of kind {data.kind}")
    term = await get(s, Term, unit.term_id, "course_unit_id", "term")
    if not term.starts_on <= event_date <= term.ends_on:
        v.add("date", f"{event_date} lies outside term {term.number} ({term.starts_on}..{term.ends_on})")
    zone = ZoneInfo(place.university.time_zone)
    defaults = default_deadlines(event_date, profile.closing, zone)
    deadlines = Deadlines(grade_entry or defaults.grade_entry, closing or defaults.closing)
    check_deadlines(event_date, deadlines, profile.closing, zone, v)
    v.raise_if_any()
    event_id = stable_id("control_event", unit_id, group_id, subgroup_id, data.kind, event_date)
    existing = await s.get(ControlEvent, event_id)
    if existing is not None:  # a retry: deadlines move only through change_deadline, with a reason
        return record(rec.ControlEvent, existing), False
    # Issue 13: a new event inside a closed section would move that section's boundary.
    await refuse_control_event_in_closed(s, unit_id, group_id, subgroup_id, event_date)
    row = ControlEvent(
        id=event_id,
        kind=data.kind,
        course_unit_id=unit_id,
        group_id=group_id,
        subgroup_id=subgroup_id,
        term_id=term.id,
        date=event_date,
        grade_entry_deadline=deadlines.grade_entry,
        closing_deadline=deadlines.closing,
        revision=1,
    )
    s.add(row)
    await s.flush()
    await audit.record(
        s,
        actor=principal.subject,
        action="created",
        entity="control_event",
        entity_id=event_id,
        after={
            "kind": data.kind,
            "date": event_date,
            "grade_entry_deadline": deadlines.grade_entry,
            "closing_deadline": deadlines.closing,
        },
    )
    uow.add_event(
        events.control_event_event(row, unit.profile_code, unit.department_id, unit_place.faculty.id, zone)
    )
    return record(rec.ControlEvent, row), True


async def change_deadline(deps: Deps, principal: Principal, cmd: ChangeDeadline) -> rec.ControlEvent:
    """KZ-06: the registrar office moves a deadline, with a reason; audited and published."""
    deadline_kind, reason, expected_revision = cmd.deadline_kind, cmd.reason, cmd.expected_revision
    v = Violations()
    if deadline_kind not in DeadlineKind.__members__.values():
        v.add("deadline_kind", f"{deadline_kind!r} is not one of: {', '.join(DeadlineKind)}")
    new = instant(cmd.new_deadline, "new_deadline", v)
    if not reason.strip():
        v.add("reason", "a deadline change needs a reason (it is audited)")
    event_id = need_id(cmd.control_event_id, "control_event_id")
    v.raise_if_any()
    assert new is not None
    async with deps.uow() as uow:
        s = uow.session
        row = await s.get(ControlEvent, event_id, with_for_update=True)
        if row is None:
            raise InvalidArgument("control_event_id", f"control event {event_id} does not exist")
        unit, unit_place = await course_unit_with_place(s, row.course_unit_id)
        place = await place_of_group(s, row.group_id)
        require(principal, "calendar.manage", place.scope())
        if expected_revision and expected_revision != row.revision:
            raise Conflict(
                f"the control event changed meanwhile (revision {row.revision})",
                field="expected_revision",
                current=str(row.revision),
            )
        profile = get_profile(unit.profile_code)
        field = "grade_entry_deadline" if deadline_kind == DeadlineKind.GRADE_ENTRY else "closing_deadline"
        old: datetime | None = getattr(row, field)
        proposed = Deadlines(
            new if field == "grade_entry_deadline" else row.grade_entry_deadline,
            new if field == "closing_deadline" else row.closing_deadline,
        )
        zone = ZoneInfo(place.university.time_zone)
        check_deadlines(row.date, proposed, profile.closing, zone, v)
        v.raise_if_any()
        if old == new:
            return record(rec.ControlEvent, row)
        setattr(row, field, new)
        row.revision += 1
        await s.flush()
        await audit.record(
            s,
            actor=principal.subject,
            action="deadline_changed",
            entity="control_event",
            entity_id=row.id,
            reason=reason,
            before={field: old},
            after={field: new},
        )
        payload = ev.CalendarDeadlineChanged(
            control_event_id=str(row.id),
            deadline_kind=str(deadline_kind),
            new_deadline=events.local(new, zone),
            old_deadline=events.local(old, zone),
            reason=reason,
            changed_by=principal.subject,
            course_unit_id=str(row.course_unit_id),
            group_id=str(row.group_id),
            subgroup_id=str(row.subgroup_id or ""),
            revision=row.revision,
        )
        uow.add_event(Event(payload=payload, subject=f"control_event/{row.id}"))
        del unit_place
        await uow.commit()
        return record(rec.ControlEvent, row)


async def list_control_events(
    deps: Deps, principal: Principal, term_id: str, group_id: str, course_unit_id: str, page: Page
) -> tuple[list[rec.ControlEvent], str]:
    ids = {
        "term_id": parse_id(term_id, "term_id", required=False),
        "group_id": parse_id(group_id, "group_id", required=False),
        "course_unit_id": parse_id(course_unit_id, "course_unit_id", required=False),
    }
    if not any(ids.values()):
        raise InvalidArgument("term_id", "name a term, a group or a course unit")
    require(principal, "curriculum.read")
    async with deps.uow() as uow:
        return await calendar_repo.control_events_page(uow.session, ids, page)
