"""Calendar-thematic plans (KZ-17 form 1, KZ-15): uploaded by people the department head appoints,
before the academic year starts (afterwards only the registrar office, with a reason); audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from ejournal_platform.context import Principal
from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import NotFound
from services.curriculum.adapters import plans_repo
from services.curriculum.adapters.ids import need_id, parse_id, stable_id
from services.curriculum.adapters.lookups import (
    course_unit_with_place,
    get,
    place_of_department,
    place_of_group,
    subgroup_of,
    term_dates,
)
from services.curriculum.adapters.models import (
    AcademicYear,
    Classroom,
    LessonPlan,
    LessonPlanItem,
    PlanUploader,
    Term,
)
from services.curriculum.adapters.records import record, records
from services.curriculum.domain import records as rec
from services.curriculum.domain.checks import Violations, day, text, time_of_day
from services.curriculum.domain.lesson_plans import PlanItem, check_plan, plan_is_late
from services.curriculum.domain.vocabulary import LessonType
from services.curriculum.service_layer import audit
from services.curriculum.service_layer.authorization import ResourceScope, is_registrar, require
from services.curriculum.service_layer.control_events import check_group_studies_unit
from services.curriculum.service_layer.deps import Deps


@dataclass(frozen=True)
class PlanItemInput:
    number: int
    date: str
    starts_at: str
    ends_at: str
    topic: str
    hours: int
    teacher_id: str
    classroom_id: str


@dataclass(frozen=True)
class PlanInput:
    course_unit_id: str
    lesson_type: str
    group_id: str
    subgroup_id: str
    protocol_number: str
    protocol_date: str
    items: list[PlanItemInput]


@dataclass
class PlanView:
    plan: rec.LessonPlan
    items: list[rec.LessonPlanItem]

    @classmethod
    def of(cls, plan: LessonPlan, items: list[LessonPlanItem]) -> PlanView:
        return cls(record(rec.LessonPlan, plan), records(rec.LessonPlanItem, items))


@dataclass(frozen=True, kw_only=True)
class AppointUploader:
    department_id: str
    person_id: str
    protocol_number: str  # the department meeting's protocol that appointed them
    protocol_date: str


@dataclass(frozen=True, kw_only=True)
class SubmitLessonPlan:
    plan: PlanInput
    reason: str = ""  # needed to change a plan outside the loading windows


async def appoint_uploader(deps: Deps, principal: Principal, cmd: AppointUploader) -> None:
    v = Violations()
    number = text(cmd.protocol_number, "protocol_number", v, max_length=60)
    signed = day(cmd.protocol_date, "protocol_date", v)
    dep, person = need_id(cmd.department_id, "department_id"), need_id(cmd.person_id, "person_id")
    v.raise_if_any()
    assert signed is not None
    async with deps.uow() as uow:
        s = uow.session
        place = await place_of_department(s, dep)
        require(principal, "lesson_plan.appoint", place.scope())
        existing = await s.get(PlanUploader, (dep, person))
        if existing is None:
            s.add(
                PlanUploader(
                    department_id=dep,
                    person_id=person,
                    protocol_number=number,
                    protocol_date=signed,
                    appointed_by=principal.subject,
                )
            )
            await audit.record(
                s,
                actor=principal.subject,
                action="appointed",
                entity="plan_uploader",
                entity_id=person,
                after={"department_id": dep, "protocol_number": number, "protocol_date": signed},
            )
        await uow.commit()


def parse_items(items: list[PlanItemInput], v: Violations) -> list[PlanItem]:
    parsed: list[PlanItem] = []
    for i, item in enumerate(items):
        when = day(item.date, f"items[{i}].date", v)
        start = time_of_day(item.starts_at, f"items[{i}].starts_at", v)
        end = time_of_day(item.ends_at, f"items[{i}].ends_at", v, required=False)
        teacher = item.teacher_id.strip()
        try:
            uuid.UUID(teacher)
        except ValueError:
            v.add(f"items[{i}].teacher_id", f"{teacher!r} is not an id (UUID)")
        room = item.classroom_id.strip()
        if room:
            try:
                uuid.UUID(room)
            except ValueError:
                v.add(f"items[{i}].classroom_id", f"{room!r} is not an id (UUID)")
        parsed.append(
            PlanItem(
                item.number,
                when or date.min,
                start or time.min,
                end,
                item.topic.strip(),
                item.hours,
                teacher,
                room or None,
            )
        )
    return parsed


async def submit_lesson_plan(deps: Deps, principal: Principal, cmd: SubmitLessonPlan) -> PlanView:
    async with deps.uow() as uow:
        view, _ = await apply_plan(uow, principal, cmd.plan, cmd.reason, deps.clock())
        await uow.commit()
        return view


async def apply_plan(
    uow: UnitOfWork, principal: Principal, data: PlanInput, reason: str, now: datetime
) -> tuple[PlanView, bool]:
    s = uow.session
    v = Violations()
    if data.lesson_type not in LessonType.__members__.values():
        v.add("lesson_type", f"{data.lesson_type!r} is not one of: {', '.join(LessonType)}")
    number = data.protocol_number.strip()  # check_plan names a missing approval
    if len(number) > 60:
        v.add("protocol_number", "is longer than 60 characters")
    signed = day(data.protocol_date, "protocol_date", v)
    items = parse_items(data.items, v)
    unit_id = need_id(data.course_unit_id, "course_unit_id")
    group_id = parse_id(data.group_id, "group_id", required=False)
    subgroup_id = parse_id(data.subgroup_id, "subgroup_id", required=False)
    if subgroup_id and not group_id:
        v.add("group_id", "a subgroup's plan names its group")
    v.raise_if_any()
    unit, place = await course_unit_with_place(s, unit_id)
    uploaders = await plans_repo.uploaders_of(s, unit.department_id)
    scope = ResourceScope(
        university_id=str(place.university.id),
        faculty_id=str(place.faculty.id),
        department_id=str(unit.department_id),
        assignee_ids=frozenset(str(p) for p in uploaders),
    )
    require(principal, "lesson_plan.upload", scope)
    if group_id:
        group_place = await place_of_group(s, group_id)
        assert group_place.group is not None
        check_group_studies_unit(
            group_place.group, unit.academic_year_id, unit.specialty_id, unit.course_number
        )
        await subgroup_of(s, group_id, subgroup_id)
    year = await get(s, AcademicYear, unit.academic_year_id, "course_unit_id", "academic year")
    today = now.astimezone(ZoneInfo(place.university.time_zone)).date()
    if plan_is_late(today, year.starts_on):
        if not is_registrar(principal, scope):
            v.add(
                "course_unit_id",
                f"plans are uploaded before the academic year starts ({year.starts_on}); "
                "afterwards only the registrar office may change them, with a reason",
            )
        elif not reason.strip():
            v.add("reason", "a plan changed after the academic year started needs a reason")
    term = await get(s, Term, unit.term_id, "course_unit_id", "term")
    check_plan(items, term_dates(term), number, signed, v)
    for i, item in enumerate(items):
        if item.classroom_id and await s.get(Classroom, uuid.UUID(item.classroom_id)) is None:
            v.add(f"items[{i}].classroom_id", "no such classroom")
    v.raise_if_any()
    assert signed is not None
    plan_id = stable_id("lesson_plan", unit_id, data.lesson_type, group_id, subgroup_id)
    rows = [
        {
            "plan_id": plan_id,
            "number": it.number,
            "date": it.day,
            "starts_at": it.starts_at,
            "ends_at": it.ends_at,
            "topic": it.topic,
            "hours": it.hours,
            "teacher_id": uuid.UUID(it.teacher_id),
            "classroom_id": uuid.UUID(it.classroom_id) if it.classroom_id else None,
        }
        for it in items
    ]
    plan = await s.get(LessonPlan, plan_id, with_for_update=True)
    old_items = await plans_repo.items_of(s, plan_id)
    old_rows = [{k: getattr(it, k) for k in rows[0]} for it in old_items] if rows else []
    if (
        plan is not None
        and old_rows == rows
        and (plan.protocol_number, plan.protocol_date) == (number, signed)
    ):
        return PlanView.of(plan, old_items), False
    if plan is None:
        plan = LessonPlan(
            id=plan_id,
            course_unit_id=unit_id,
            lesson_type=data.lesson_type,
            group_id=group_id,
            subgroup_id=subgroup_id,
            department_id=unit.department_id,
            protocol_number=number,
            protocol_date=signed,
            uploaded_by=principal.subject,
            uploaded_at=now,
            revision=1,
        )
        s.add(plan)
    else:
        plan.protocol_number, plan.protocol_date = number, signed
        plan.uploaded_by, plan.uploaded_at, plan.revision = principal.subject, now, plan.revision + 1
    await s.flush()
    await plans_repo.replace_items(s, plan_id, rows)
    await audit.record(
        s,
        actor=principal.subject,
        action="plan_uploaded",
        entity="lesson_plan",
        entity_id=plan_id,
        reason=reason,
        before={"items": len(old_rows)} if old_rows else None,
        after={"items": len(rows), "protocol_number": number, "protocol_date": signed},
    )
    return PlanView.of(plan, await plans_repo.items_of(s, plan_id)), True


async def get_lesson_plan(
    deps: Deps, principal: Principal, course_unit_id: str, lesson_type: str, group_id: str, subgroup_id: str
) -> PlanView:
    unit_id = need_id(course_unit_id, "course_unit_id")
    gid = parse_id(group_id, "group_id", required=False)
    sid = parse_id(subgroup_id, "subgroup_id", required=False)
    require(principal, "curriculum.read")
    async with deps.uow() as uow:
        plan = await uow.session.get(LessonPlan, stable_id("lesson_plan", unit_id, lesson_type, gid, sid))
        if plan is None:
            raise NotFound(
                "no calendar-thematic plan for this course unit, lesson type and group",
                field="course_unit_id",
            )
        items = await plans_repo.items_of(uow.session, plan.id)
        return PlanView.of(plan, list(items))
