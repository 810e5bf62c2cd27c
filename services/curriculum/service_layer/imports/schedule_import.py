"""Schedule and calendar-thematic plan imports: rows resolved to ids (groups, units, rooms, teachers),
then each lesson or plan goes through its use case, all inside the import's one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from services.curriculum.adapters import imports_repo, schedule_repo
from services.curriculum.adapters.ids import person_id_for_login
from services.curriculum.adapters.imports_repo import GroupInfo
from services.curriculum.adapters.models import Lesson
from services.curriculum.adapters.spreadsheets import Sheet
from services.curriculum.domain.imports.messages import Issue
from services.curriculum.domain.imports.rows import (
    COURSE_UNIT,
    GROUP,
    LESSON_TYPE,
    LESSON_TYPES,
    SUBGROUP,
    TEACHER_ID,
    TEACHER_LOGIN,
    Row,
    SheetReader,
    col,
)
from services.curriculum.service_layer.imports import lookup_maps, removals
from services.curriculum.service_layer.imports.base import ImportContext, attempt, groups_of_year
from services.curriculum.service_layer.lesson_plans import PlanInput, PlanItemInput, apply_plan
from services.curriculum.service_layer.schedule import ScheduleLesson, apply_lesson, cancel_row

DATE, STARTS, ENDS = (
    col("date", "дата", "күні", "датасы"),
    col("starts_at", "начало", "время", "уақыт", "убакыт"),
    col("ends_at", "окончание", "аяқталуы", "бүтүшү", required=False),
)
TOPIC, NUMBER = (
    col("topic", "тема", "тақырып", "тема сабактын", required=False),
    col("number", "№", "номер", "нөмір", required=False),
)
ROOM = col("classroom", "аудитория", "кабинет", required=False)
LESSON_COLUMNS = [
    COURSE_UNIT,
    GROUP,
    SUBGROUP,
    LESSON_TYPE,
    DATE,
    STARTS,
    ENDS,
    ROOM,
    TEACHER_LOGIN,
    TEACHER_ID,
    TOPIC,
    NUMBER,
]
PLAN_COLUMNS = [
    *LESSON_COLUMNS,
    col("protocol_number", "протокол", "номер протокола", "хаттама нөмірі"),
    col("protocol_date", "дата протокола", "хаттама күні"),
    col("hours", "часы", "сағат", "саат"),
]
FIELDS = {
    "date": "date",
    "starts_at": "starts_at",
    "ends_at": "ends_at",
    "classroom_id": "classroom",
    "teacher_id": "teacher_login",
    "group_id": "group",
    "subgroup_id": "subgroup",
    "course_unit_id": "course_unit",
    "lesson_type": "lesson_type",
    "topic": "topic",
    "number": "number",
    "hours": "hours",
    "protocol_number": "protocol_number",
    "protocol_date": "protocol_date",
}


@dataclass
class Refs:
    groups: dict[str, GroupInfo]
    units: dict[tuple[uuid.UUID, int, str], uuid.UUID]
    rooms: dict[str, uuid.UUID]


async def refs(ctx: ImportContext) -> Refs:
    return Refs(
        await groups_of_year(ctx), await lookup_maps.course_units(ctx), await lookup_maps.classrooms(ctx)
    )


def resolve(row: Row, r: Refs) -> tuple[GroupInfo, uuid.UUID, uuid.UUID | None, str, str | None, str] | None:
    """(group, unit, subgroup, lesson type, room id, teacher id) of a row, or None with issues recorded."""
    code, unit_code, sub_code = (
        row.text("group"),
        row.text("course_unit"),
        row.text("subgroup", required=False),
    )
    lesson_type = row.choice("lesson_type", LESSON_TYPES, "unknown_lesson_type")
    group = r.groups.get(code)
    if code and group is None:
        row.issue("group", "unknown_group", value=code)
    unit = r.units.get((group.specialty_id, group.course_number, unit_code)) if group else None
    if group and unit_code and unit is None:
        row.issue("course_unit", "unknown_course_unit", value=unit_code)
    subgroup = group.subgroups.get(sub_code) if group and sub_code else None
    if group and sub_code and subgroup is None:
        row.issue("subgroup", "unknown_subgroup", value=sub_code)
    room_code = row.text("classroom", required=False)
    room = r.rooms.get(room_code) if room_code else None
    if room_code and room is None:
        row.issue("classroom", "unknown_classroom", value=room_code)
    if row.has("teacher_id"):
        teacher = row.uuid("teacher_id")
    elif row.has("teacher_login"):
        teacher = person_id_for_login(row.raw("teacher_login"))
    else:
        row.issue("teacher_login", "required")
        teacher = None
    if (
        not (group and unit and lesson_type and teacher)
        or (sub_code and not subgroup)
        or (room_code and not room)
    ):
        return None
    return group, unit, subgroup, lesson_type, str(room) if room else None, str(teacher)


class ScheduleImporter:
    def __init__(self) -> None:
        self.lessons: list[tuple[str, int, ScheduleLesson, dict[str, str]]] = []

    async def prepare(self, ctx: ImportContext, sheets: Sequence[Sheet]) -> int:
        r, total = await refs(ctx), 0
        for sheet in sheets:
            reader = SheetReader(sheet.name, sheet.header, LESSON_COLUMNS, ctx.issues)
            if not reader.complete:
                continue
            columns = {f: reader.header_of(k) for f, k in FIELDS.items()}
            for row in reader.rows(sheet.rows):
                total += 1
                found = resolve(row, r)
                day, start, end = row.day("date"), row.time_of_day("starts_at"), row.time_of_day("ends_at")
                number = row.integer("number", 0, 1000, required=False)
                if found and day and start and end:
                    group, unit, sub, lesson_type, room, teacher = found
                    self.lessons.append(
                        (
                            sheet.name,
                            row.number,
                            ScheduleLesson(
                                course_unit_id=str(unit),
                                group_id=str(group.id),
                                subgroup_id=str(sub or ""),
                                lesson_type=lesson_type,
                                date=day.isoformat(),
                                starts_at=start.strftime("%H:%M"),
                                ends_at=end.strftime("%H:%M"),
                                classroom_id=room or "",
                                teacher_id=teacher,
                                topic=row.raw("topic"),
                                number=number,
                            ),
                            columns,
                        )
                    )
        return total

    async def _lessons_in_scope(self, ctx: ImportContext) -> list[Lesson]:
        """The file's scope: the lessons (not cancelled) of its groups between its first and last day."""
        days = [date.fromisoformat(data.date) for _, _, data, _ in self.lessons]
        groups = {uuid.UUID(data.group_id) for _, _, data, _ in self.lessons}
        return await schedule_repo.live_lessons(ctx.session, groups, min(days), max(days))

    async def apply(self, ctx: ImportContext) -> int:
        changed = 0
        before = {row.id: row for row in await self._lessons_in_scope(ctx)} if self.lessons else {}
        kept: set[uuid.UUID] = set()
        for done, (sheet, row, data, columns) in enumerate(self.lessons, start=1):

            async def schedule(data: ScheduleLesson = data) -> object:
                return await apply_lesson(ctx.uow, ctx.principal, data)

            result = await attempt(ctx, sheet, [row], columns, schedule)
            if result is not None:
                kept.add(result[0].id)
                if result[1]:
                    changed += 1
                    if result[0].id in before:
                        ctx.counts.updated += 1
                    else:
                        ctx.counts.added += 1
            if done % 500 == 0 or done == len(self.lessons):
                await ctx.progress("applying", done, len(self.lessons))
        if ctx.sync:
            await self.cancel_missing(ctx, [lesson for lid, lesson in before.items() if lid not in kept])
        return changed

    async def cancel_missing(self, ctx: ImportContext, missing: list[Lesson]) -> None:
        """Sync mode: cancel the scope's lessons the file left out, unless one has marks or attendance
        (gradebook's cells, as curriculum's inbox recorded them) or lies in a closed section."""
        ids = [str(lesson.id) for lesson in missing]
        recorded = await imports_repo.lessons_with_cells(ctx.session, ids)
        reason = f"sync import: missing from the file ({ctx.reason})" if ctx.reason else "sync import"
        for lesson in sorted(missing, key=lambda x: (x.date, x.starts_at, str(x.id))):
            label = f"{lesson.date.isoformat()} {lesson.starts_at.strftime('%H:%M')}"
            if str(lesson.id) in recorded:
                ctx.issues.append(Issue("", 0, "", "removal_has_records", {"value": label}))
                ctx.counts.refused += 1
                continue

            async def cancel(lesson: Lesson = lesson) -> bool:
                await cancel_row(ctx.uow, lesson, ctx.principal.subject, reason, ctx.now)
                return True

            if await attempt(ctx, "", [0], {}, cancel):
                ctx.counts.removed += 1
            else:
                ctx.counts.refused += 1


@dataclass
class PlanDraft:
    sheet: str
    key: tuple[uuid.UUID, str, uuid.UUID, uuid.UUID | None]
    protocol_number: str
    protocol_date: str
    columns: dict[str, str]
    rows: list[int] = field(default_factory=list)
    items: list[PlanItemInput] = field(default_factory=list)


class LessonPlanImporter:
    def __init__(self) -> None:
        self.plans: dict[tuple[uuid.UUID, str, uuid.UUID, uuid.UUID | None], PlanDraft] = {}

    async def prepare(self, ctx: ImportContext, sheets: Sequence[Sheet]) -> int:
        r, total = await refs(ctx), 0
        for sheet in sheets:
            reader = SheetReader(sheet.name, sheet.header, PLAN_COLUMNS, ctx.issues)
            if not reader.complete:
                continue
            columns = {f: reader.header_of(k) for f, k in FIELDS.items()}
            for row in reader.rows(sheet.rows):
                total += 1
                found = resolve(row, r)
                day, start = row.day("date"), row.time_of_day("starts_at")
                end = row.time_of_day("ends_at", required=False)
                number, hours = row.integer("number", 1, 1000), row.integer("hours", 1, 12)
                protocol, signed = row.text("protocol_number"), row.day("protocol_date")
                if not (found and day and start and number and hours and protocol and signed):
                    continue
                group, unit, sub, lesson_type, room, teacher = found
                key = (unit, lesson_type, group.id, sub)
                draft = self.plans.setdefault(
                    key, PlanDraft(sheet.name, key, protocol, signed.isoformat(), columns)
                )
                draft.rows.append(row.number)
                draft.items.append(
                    PlanItemInput(
                        number,
                        day.isoformat(),
                        start.strftime("%H:%M"),
                        end.strftime("%H:%M") if end else "",
                        row.raw("topic"),
                        hours,
                        teacher,
                        room or "",
                    )
                )
        return total

    async def apply(self, ctx: ImportContext) -> int:
        changed = 0
        units = {draft.key[0] for draft in self.plans.values()}
        stored = await imports_repo.plan_ids_of_units(ctx.session, units)
        kept: set[uuid.UUID] = set()
        for done, draft in enumerate(self.plans.values(), start=1):
            unit, lesson_type, group, sub = draft.key
            data = PlanInput(
                str(unit),
                lesson_type,
                str(group),
                str(sub or ""),
                draft.protocol_number,
                draft.protocol_date,
                draft.items,
            )

            async def submit(data: PlanInput = data) -> object:
                return await apply_plan(ctx.uow, ctx.principal, data, ctx.reason, ctx.now)

            result = await attempt(ctx, draft.sheet, draft.rows, draft.columns, submit)
            changed += len(draft.rows) if result is not None and result[1] else 0
            if result is not None:
                kept.add(result[0].plan.id)
                if result[1]:  # counted by plan (one plan: its unit, type, group and subgroup's rows)
                    if result[0].plan.id in stored:
                        ctx.counts.updated += 1
                    else:
                        ctx.counts.added += 1
            await ctx.progress("applying", done, len(self.plans))
        if ctx.sync:
            await removals.remove_missing_plans(ctx, units, kept)
        return changed
