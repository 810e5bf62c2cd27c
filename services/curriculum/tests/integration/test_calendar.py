"""Academic years, terms and the registrar's calendar of deadlines (KZ-06, KZ-05 defaults)."""

from __future__ import annotations

from datetime import datetime

import pytest

from ejournal.curriculum.v1 import events_pb2 as ev
from ejournal_platform.errors import Conflict, PermissionDenied, ValidationFailed
from services.curriculum.adapters.models import AuditEntry, ControlEvent, Term
from services.curriculum.service_layer import calendar, control_events
from services.curriculum.service_layer.calendar import DefineAcademicYear
from services.curriculum.service_layer.control_events import ChangeDeadline, ScheduleControlEvent
from services.curriculum.service_layer.curriculum import DefineCourseUnit
from services.curriculum.service_layer.deps import Deps
from services.curriculum.tests.integration.conftest import person, registrar
from services.curriculum.tests.integration.helpers import count, outbox_events, outbox_size
from services.curriculum.tests.integration.world import SYSTEM, World, define_discipline

pytestmark = pytest.mark.integration


async def test_overlapping_terms_are_refused_and_change_nothing(deps: Deps, world: World) -> None:
    caller = SYSTEM
    terms_before, outbox_before = await count(deps, Term), await outbox_size(deps)
    with pytest.raises(ValidationFailed) as caught:
        await calendar.define_academic_year(
            deps,
            caller,
            DefineAcademicYear(
                university_id=world.university,
                code="2027-2028",
                starts_on="2027-09-01",
                ends_on="2028-06-30",
                terms=[
                    calendar.TermInput(1, "2027-09-01", "2028-01-20"),
                    calendar.TermInput(2, "2028-01-10", "2028-06-15"),
                ],
            ),
        )
    assert any(field == "terms" and "overlaps term 1" in reason for field, reason in caught.value.violations)
    assert await count(deps, Term) == terms_before and await outbox_size(deps) == outbox_before


async def test_overlapping_academic_years_are_refused(deps: Deps, world: World) -> None:
    caller = SYSTEM
    with pytest.raises(ValidationFailed, match="overlaps academic year 2026-2027"):
        await calendar.define_academic_year(
            deps,
            caller,
            DefineAcademicYear(
                university_id=world.university,
                code="2027-x",
                starts_on="2027-03-01",
                ends_on="2027-12-31",
                terms=[calendar.TermInput(1, "2027-03-01", "2027-12-31")],
            ),
        )


async def test_term_outside_its_year_is_refused(deps: Deps, world: World) -> None:
    caller = SYSTEM
    with pytest.raises(ValidationFailed, match="outside the academic year"):
        await calendar.define_academic_year(
            deps,
            caller,
            DefineAcademicYear(
                university_id=world.university,
                code="2028-2029",
                starts_on="2028-09-01",
                ends_on="2029-06-30",
                terms=[calendar.TermInput(1, "2028-08-01", "2028-12-31")],
            ),
        )


async def test_moving_term_dates_needs_a_reason_and_is_published(deps: Deps, world: World) -> None:
    caller = SYSTEM
    terms = [
        calendar.TermInput(1, "2026-09-01", "2026-12-28"),
        calendar.TermInput(2, "2027-01-15", "2027-06-15"),
    ]
    with pytest.raises(ValidationFailed, match="reason"):
        await calendar.define_academic_year(
            deps,
            caller,
            DefineAcademicYear(
                university_id=world.university,
                code="2026-2027",
                starts_on="2026-09-01",
                ends_on="2027-06-30",
                terms=terms,
            ),
        )
    await calendar.define_academic_year(
        deps,
        caller,
        DefineAcademicYear(
            university_id=world.university,
            code="2026-2027",
            starts_on="2026-09-01",
            ends_on="2027-06-30",
            terms=terms,
            reason="приказ проректора № 12",
        ),
    )
    published = [e for e in await outbox_events(deps, ev.TermDefined) if e.number == 1]
    assert [(e.ends_on, e.revision) for e in published] == [("2026-12-31", 1), ("2026-12-28", 2)]


def event_input(w: World, unit: str, **overrides: str) -> ScheduleControlEvent:
    values = {
        "kind": "midterm",
        "course_unit_id": unit,
        "group_id": w.group1,
        "subgroup_id": "",
        "date": "2026-10-20",
    }
    values.update(overrides)
    return ScheduleControlEvent(**values)


@pytest.mark.rule("KZ-05", "KZ-06")
async def test_control_event_starts_with_profile_defaults(deps: Deps, world: World) -> None:
    caller = SYSTEM
    unit = await define_discipline(deps, world, by=caller)
    caller = registrar(world.university)
    event = await control_events.schedule_control_event(deps, caller, event_input(world, unit))
    # Almaty is UTC+5: grade entry by the end of the event's day, closing 3 days later (kz-medical).
    assert event.grade_entry_deadline == datetime.fromisoformat("2026-10-20T23:59:00+05:00")
    assert event.closing_deadline == datetime.fromisoformat("2026-10-23T23:59:00+05:00")
    [published] = await outbox_events(deps, ev.ControlEventScheduled)
    assert published.kind == ev.CONTROL_EVENT_KIND_MIDTERM and published.closing_deadline.startswith(
        "2026-10-23T23:59"
    )


@pytest.mark.rule("KZ-06")
async def test_registrar_moves_a_deadline_audited_and_published(deps: Deps, world: World) -> None:
    caller = SYSTEM
    unit = await define_discipline(deps, world, by=caller)
    caller = registrar(world.university, "registrar-7")
    event = await control_events.schedule_control_event(deps, caller, event_input(world, unit))
    moved = await control_events.change_deadline(
        deps,
        caller,
        ChangeDeadline(
            control_event_id=str(event.id),
            deadline_kind="closing",
            new_deadline="2026-10-26T18:00:00+05:00",
            reason="распоряжение проректора № 45",
            expected_revision=event.revision,
        ),
    )
    assert (
        moved.closing_deadline == datetime.fromisoformat("2026-10-26T18:00:00+05:00") and moved.revision == 2
    )
    [change] = await outbox_events(deps, ev.CalendarDeadlineChanged)
    assert (change.deadline_kind, change.changed_by, change.reason) == (
        "closing",
        "registrar-7",
        "распоряжение проректора № 45",
    )
    assert (
        change.old_deadline.startswith("2026-10-23T23:59")
        and change.new_deadline == "2026-10-26T18:00:00+05:00"
    )
    async with deps.uow() as uow:
        from sqlalchemy import select

        entries = list(
            await uow.session.scalars(
                select(AuditEntry).where(AuditEntry.entity_id == event.id).order_by(AuditEntry.at)
            )
        )
    assert [e.action for e in entries] == ["created", "deadline_changed"]
    assert entries[1].actor_id == "registrar-7" and entries[1].reason == "распоряжение проректора № 45"
    # The registrar's data, not a constant: a stale revision is refused, the same value is a no-op.
    with pytest.raises(Conflict):
        await control_events.change_deadline(
            deps,
            caller,
            ChangeDeadline(
                control_event_id=str(event.id),
                deadline_kind="closing",
                new_deadline="2026-10-27T18:00:00+05:00",
                reason="x",
                expected_revision=1,
            ),
        )


@pytest.mark.rule("KZ-06")
async def test_only_the_registrar_office_moves_deadlines(deps: Deps, world: World) -> None:
    caller = SYSTEM
    unit = await define_discipline(deps, world, by=caller)
    caller = registrar(world.university)
    event = await control_events.schedule_control_event(deps, caller, event_input(world, unit))
    for who in (
        person("t-1", "teacher", "department", world.dept_a),
        person("d-1", "dean", "faculty", world.faculty),
        person("a-1", "administrator", "university", world.university),
    ):
        caller = who
        with pytest.raises(PermissionDenied):
            await control_events.change_deadline(
                deps,
                caller,
                ChangeDeadline(
                    control_event_id=str(event.id),
                    deadline_kind="closing",
                    new_deadline="2026-10-30T18:00:00+05:00",
                    reason="why",
                    expected_revision=0,
                ),
            )
    assert await outbox_events(deps, ev.CalendarDeadlineChanged) == []


@pytest.mark.rule("KZ-06")
async def test_a_deadline_before_its_control_event_is_refused(deps: Deps, world: World) -> None:
    caller = SYSTEM
    unit = await define_discipline(deps, world, by=caller)
    caller = registrar(world.university)
    with pytest.raises(ValidationFailed, match="before its control event"):
        await control_events.schedule_control_event(
            deps, caller, event_input(world, unit, grade_entry_deadline="2026-10-19T12:00:00+05:00")
        )
    assert await count(deps, ControlEvent) == 0
    event = await control_events.schedule_control_event(deps, caller, event_input(world, unit))
    before = await outbox_size(deps)
    with pytest.raises(ValidationFailed, match="before its control event"):
        await control_events.change_deadline(
            deps,
            caller,
            ChangeDeadline(
                control_event_id=str(event.id),
                deadline_kind="closing",
                new_deadline="2026-10-19T10:00:00+05:00",
                reason="ошибка",
                expected_revision=0,
            ),
        )
    with pytest.raises(ValidationFailed, match="before the grade-entry deadline"):
        await control_events.change_deadline(
            deps,
            caller,
            ChangeDeadline(
                control_event_id=str(event.id),
                deadline_kind="closing",
                new_deadline="2026-10-20T10:00:00+05:00",
                reason="ошибка",
                expected_revision=0,
            ),
        )
    assert await outbox_size(deps) == before


async def test_control_event_outside_its_term_is_refused(deps: Deps, world: World) -> None:
    caller = SYSTEM
    unit = await define_discipline(deps, world, by=caller)
    caller = registrar(world.university)
    with pytest.raises(ValidationFailed, match="outside term 1"):
        await control_events.schedule_control_event(deps, caller, event_input(world, unit, date="2027-02-01"))


@pytest.mark.rule("KG-06")
async def test_kg_control_events_have_no_closing_date(deps: Deps, world: World) -> None:
    caller = SYSTEM
    from services.curriculum.service_layer import curriculum
    from services.curriculum.tests.integration.world import discipline

    spec = discipline(world, "KG-UNIT")
    kg = type(spec)(**{**spec.__dict__, "profile_code": "kg-jasu"})
    unit = await curriculum.define_course_unit(deps, caller, DefineCourseUnit(spec=kg))
    caller = registrar(world.university)
    event = await control_events.schedule_control_event(
        deps, caller, event_input(world, str(unit.unit.id), kind="intermediate_attestation")
    )
    assert event.closing_deadline is None
    with pytest.raises(ValidationFailed, match="closes when the final score is set"):
        await control_events.change_deadline(
            deps,
            caller,
            ChangeDeadline(
                control_event_id=str(event.id),
                deadline_kind="closing",
                new_deadline="2026-10-30T18:00:00+05:00",
                reason="x",
                expected_revision=0,
            ),
        )
