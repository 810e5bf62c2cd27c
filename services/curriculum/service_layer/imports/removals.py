"""Sync mode's removals for the teaching-load, curriculum and lesson-plan imports (issue 22): what the
file's scope holds but the file leaves out is removed as the RPCs remove it, unless that would break
something, which is refused with the reason (and then the runner applies nothing).

- Teaching loads of the file's course units: removed as RemoveTeachingLoad does (TeachingLoadRemoved);
  refused when a lesson taught under the load has marks or attendance (gradebook's cells).
- Course units (top-level) of the file's specialty × course: removed with their parts as
  RemoveCourseUnit does (CourseUnitRemoved), inside KZ-03's change window; refused while the unit (or
  a part) has teaching loads - its journals - or scheduled lessons or control events.
- Lesson plans of the file's course units: deleted (a plan has no event); refused when the plan's
  lessons (its unit, type, group and subgroup) have marks or attendance, and after the year started
  unless the registrar office gives a reason (as SubmitLessonPlan).
- Control events of the file's course unit × group pairs: deleted (audited) and ControlEventCancelled
  published (gradebook drops the section, workflow stops its closing and statement-deadline processes);
  refused when the event has results (recorded cells on its column) or its date has passed or its
  section is closed.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from ejournal_platform.errors import FailedPrecondition
from services.curriculum.adapters import course_units_repo, plans_repo, removals_repo
from services.curriculum.adapters.lookups import place_of_group, place_of_specialty
from services.curriculum.adapters.models import (
    ControlEvent,
    CourseUnit,
    LessonPlan,
    TeachingLoad,
)
from services.curriculum.domain.imports.messages import Issue
from services.curriculum.domain.lesson_plans import plan_is_late
from services.curriculum.service_layer import audit, events
from services.curriculum.service_layer.authorization import ResourceScope, is_registrar, require
from services.curriculum.service_layer.curriculum import change_allowed, remove_unit
from services.curriculum.service_layer.imports.base import ImportContext, attempt


def sync_reason(ctx: ImportContext) -> str:
    return f"sync import: missing from the file ({ctx.reason})" if ctx.reason else "sync import"


async def remove_or_refuse(
    ctx: ImportContext, refusal: Issue | None, action: Callable[[], Awaitable[object]]
) -> None:
    """Count one removal: refused with `refusal`, or the action's own refusal, or removed."""
    if refusal is not None:
        ctx.issues.append(refusal)
        ctx.counts.refused += 1
    elif await attempt(ctx, "", [0], {}, action) is not None:
        ctx.counts.removed += 1
    else:
        ctx.counts.refused += 1


async def marked_lessons(ctx: ImportContext, lesson_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """The lessons among these with a mark or attendance recorded (gradebook's cells)."""
    return await removals_repo.columns_with_cells(ctx.session, lesson_ids)


async def remove_missing_loads(ctx: ImportContext, units: set[uuid.UUID], kept: set[uuid.UUID]) -> None:
    s = ctx.session
    if not units:
        return
    missing = await removals_repo.loads_left_out(s, units, kept)
    if not missing:
        return
    lessons = await removals_repo.lessons_of_loads(s, [m.id for m in missing])
    marked = await marked_lessons(ctx, [lid for lid, _ in lessons])
    loads_with_records = {load for lid, load in lessons if lid in marked}
    unit_codes = await removals_repo.unit_codes(s, units)
    groups = await removals_repo.group_codes(s, (m.group_id for m in missing))
    subgroups = await removals_repo.subgroup_codes(s, (m.subgroup_id for m in missing))
    reason = sync_reason(ctx)
    for load in missing:
        sub = f"/{subgroups[load.subgroup_id]}" if load.subgroup_id else ""
        where = groups.get(load.group_id, "?") + sub
        label = f"{unit_codes.get(load.course_unit_id, '?')} {where} {load.lesson_type}"
        refusal = (
            Issue("", 0, "", "removal_load_has_records", {"value": label})
            if load.id in loads_with_records
            else None
        )

        async def remove(load: TeachingLoad = load) -> bool:
            principal = require(
                ctx.principal,
                "teaching_load.manage",
                ResourceScope(
                    university_id=str(ctx.university.id),
                    faculty_id=str(load.faculty_id),
                    department_id=str(load.department_id),
                ),
            )
            load.removed_at, load.revision = ctx.now, load.revision + 1
            await s.flush()
            await audit.record(
                s, actor=principal.subject, action="removed", entity="teaching_load",
                entity_id=load.id, reason=reason,
            )  # fmt: skip
            ctx.uow.add_event(events.load_removed_event(load, reason))
            return True

        await remove_or_refuse(ctx, refusal, remove)


async def remove_missing_units(
    ctx: ImportContext, scope: set[tuple[uuid.UUID, int]], kept: set[uuid.UUID]
) -> None:
    """Top-level units of the file's (specialty, course) pairs that the file leaves out."""
    s = ctx.session
    if not scope:
        return
    candidates = await removals_repo.top_units_left_out(
        s, ctx.year.id, {specialty for specialty, _ in scope}, kept
    )
    missing = [u for u in candidates if (u.specialty_id, u.course_number) in scope]
    reason = sync_reason(ctx)
    for unit in missing:
        parts = await course_units_repo.live_parts(s, unit.id)
        loads, scheduled = await removals_repo.family_uses(s, [unit.id, *(p.id for p in parts)])
        refusal = None
        if loads:
            refusal = Issue("", 0, "", "removal_unit_has_loads", {"value": unit.code, "other": str(loads)})
        elif scheduled:
            refusal = Issue("", 0, "", "removal_unit_has_lessons", {"value": unit.code})

        async def remove(unit: CourseUnit = unit, parts: list[CourseUnit] = parts) -> bool:
            place = await place_of_specialty(s, unit.specialty_id)
            principal = require(ctx.principal, "curriculum.manage", place.scope())
            window = await change_allowed(s, principal, ctx.year, place, ctx.reason, ctx.now)
            why = f"{reason}; working curriculum {window}"
            for part in parts:
                await remove_unit(ctx.uow, principal, part, why, ctx.now)
            await remove_unit(ctx.uow, principal, unit, why, ctx.now)
            return True

        await remove_or_refuse(ctx, refusal, remove)


async def remove_missing_plans(ctx: ImportContext, units: set[uuid.UUID], kept: set[uuid.UUID]) -> None:
    """Plans of the file's course units whose (type, group, subgroup) the file leaves out."""
    s = ctx.session
    if not units:
        return
    missing = await removals_repo.plans_left_out(s, units, kept)
    if not missing:
        return
    unit_rows = await removals_repo.units_by_id(s, units)
    groups = await removals_repo.group_codes(s, (p.group_id for p in missing))
    subgroups = await removals_repo.subgroup_codes(s, (p.subgroup_id for p in missing))
    reason = sync_reason(ctx)
    for plan in missing:
        unit = unit_rows[plan.course_unit_id]
        sub = f"/{subgroups[plan.subgroup_id]}" if plan.subgroup_id else ""
        where = groups.get(plan.group_id, "") + sub
        label = " ".join(x for x in (unit.code, where, plan.lesson_type) if x)
        marked = await marked_lessons(ctx, await removals_repo.lessons_of_plan(s, plan))
        refusal = Issue("", 0, "", "removal_plan_has_records", {"value": label}) if marked else None

        async def remove(plan: LessonPlan = plan, unit: CourseUnit = unit) -> bool:
            place = await place_of_specialty(s, unit.specialty_id)
            uploaders = await plans_repo.uploaders_of(s, unit.department_id)
            scope = ResourceScope(
                university_id=str(place.university.id),
                faculty_id=str(place.faculty.id),
                department_id=str(unit.department_id),
                assignee_ids=frozenset(str(p) for p in uploaders),
            )
            principal = require(ctx.principal, "lesson_plan.upload", scope)
            today = ctx.now.astimezone(ZoneInfo(place.university.time_zone)).date()
            if plan_is_late(today, ctx.year.starts_on) and not (
                is_registrar(principal, scope) and ctx.reason.strip()
            ):
                raise FailedPrecondition(
                    f"plans are removed before the academic year starts ({ctx.year.starts_on}); "
                    "afterwards only the registrar office may, with a reason",
                    field="reason",
                )
            await removals_repo.delete_plan(s, plan.id)
            await audit.record(
                s, actor=principal.subject, action="plan_removed", entity="lesson_plan",
                entity_id=plan.id, reason=reason,
            )  # fmt: skip
            return True

        await remove_or_refuse(ctx, refusal, remove)


async def remove_missing_control_events(
    ctx: ImportContext, pairs: set[tuple[uuid.UUID, uuid.UUID]], kept: set[uuid.UUID]
) -> None:
    """Control events of the file's (course unit, group) pairs that the file leaves out."""
    s = ctx.session
    if not pairs:
        return
    candidates = await removals_repo.control_events_left_out(
        s, {unit for unit, _ in pairs}, {group for _, group in pairs}, kept
    )
    missing = [e for e in candidates if (e.course_unit_id, e.group_id) in pairs]
    if not missing:
        return
    ids = [e.id for e in missing]
    with_results = await removals_repo.columns_with_cells(s, ids)
    closed = await removals_repo.closed_among(s, ids)
    unit_codes = await removals_repo.unit_codes(s, {e.course_unit_id for e in missing})
    groups = await removals_repo.group_codes(s, (e.group_id for e in missing))
    subgroups = await removals_repo.subgroup_codes(s, (e.subgroup_id for e in missing))
    today = ctx.now.astimezone(ZoneInfo(ctx.university.time_zone)).date()
    reason = sync_reason(ctx)
    for event in missing:
        sub = f"/{subgroups[event.subgroup_id]}" if event.subgroup_id else ""
        label = (
            f"{unit_codes.get(event.course_unit_id, '?')} {groups.get(event.group_id, '?')}{sub} "
            f"{event.kind} {event.date.isoformat()}"
        )
        refusal = None
        if event.id in with_results:
            refusal = Issue("", 0, "", "removal_control_event_has_results", {"value": label})
        elif event.id in closed or event.date < today:
            refusal = Issue("", 0, "", "removal_control_event_past", {"value": label})

        async def remove(event: ControlEvent = event) -> bool:
            place = await place_of_group(s, event.group_id)
            principal = require(ctx.principal, "calendar.manage", place.scope())
            before = {
                "kind": event.kind,
                "date": event.date,
                "grade_entry_deadline": event.grade_entry_deadline,
                "closing_deadline": event.closing_deadline,
            }
            ctx.uow.add_event(events.control_event_cancelled_event(event, reason, principal.subject))
            await removals_repo.delete_control_event(s, event.id)
            await audit.record(
                s, actor=principal.subject, action="removed", entity="control_event",
                entity_id=event.id, reason=reason, before=before,
            )  # fmt: skip
            return True

        await remove_or_refuse(ctx, refusal, remove)
