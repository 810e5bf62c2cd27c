"""Teaching-load import (KG-02): teacher × course unit × group/subgroup × lesson type, checked against
the working curriculum and applied in bulk; rows that match what is stored change nothing."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from ejournal_regulation import get_profile
from services.curriculum.adapters import imports_repo
from services.curriculum.adapters.bulk import insert_rows
from services.curriculum.adapters.ids import person_id_for_login, stable_id
from services.curriculum.adapters.models import TeachingLoad
from services.curriculum.adapters.orm import table_of
from services.curriculum.adapters.spreadsheets import Sheet
from services.curriculum.domain.imports.rows import (
    COURSE_UNIT,
    GROUP,
    LESSON_TYPE,
    LESSON_TYPES,
    SUBGROUP,
    TEACHER_ID,
    TEACHER_LOGIN,
    SheetReader,
    col,
)
from services.curriculum.service_layer import events
from services.curriculum.service_layer.authorization import ResourceScope, require
from services.curriculum.service_layer.imports import removals
from services.curriculum.service_layer.imports.base import ImportContext, groups_of_year

COLUMNS = [
    TEACHER_LOGIN,
    TEACHER_ID,
    COURSE_UNIT,
    GROUP,
    SUBGROUP,
    LESSON_TYPE,
    col("hours", "часы", "часов", "сағат", "саат", required=False),
]
BATCH = 5000


@dataclass(frozen=True)
class UnitInfo:
    id: uuid.UUID
    kind: str
    profile_code: str
    term_id: uuid.UUID
    department_id: uuid.UUID


@dataclass(frozen=True)
class LoadRow:
    sheet: str
    row: int
    values: dict[str, object]
    profile_code: str
    id: uuid.UUID = field(init=False)

    def __post_init__(self) -> None:
        v = self.values
        key = (v["teacher_id"], v["course_unit_id"], v["group_id"], v["subgroup_id"], v["lesson_type"])
        object.__setattr__(self, "id", stable_id("teaching_load", *key))


class TeachingLoadImporter:
    def __init__(self) -> None:
        self.todo: list[LoadRow] = []

    async def units(self, ctx: ImportContext) -> dict[tuple[uuid.UUID, int, str], UnitInfo]:
        rows = await imports_repo.units_for_loads(ctx.session, ctx.year.id)
        return {
            (r.specialty_id, r.course_number, r.code): UnitInfo(
                r.id, r.kind, r.profile_code, r.term_id, r.department_id
            )
            for r in rows
        }

    async def prepare(self, ctx: ImportContext, sheets: Sequence[Sheet]) -> int:
        groups, units = await groups_of_year(ctx), await self.units(ctx)
        faculty_of = await imports_repo.faculty_of_departments(ctx.session)
        seen: dict[uuid.UUID, int] = {}
        total = 0
        for sheet in sheets:
            reader = SheetReader(sheet.name, sheet.header, COLUMNS, ctx.issues)
            if not reader.complete:
                continue
            for row in reader.rows(sheet.rows):
                total += 1
                if row.has("teacher_id"):
                    teacher = row.uuid("teacher_id")
                elif row.has("teacher_login"):
                    teacher = person_id_for_login(row.raw("teacher_login"))
                else:
                    row.issue("teacher_login", "required")
                    teacher = None
                code, unit_code, sub_code = (
                    row.text("group"),
                    row.text("course_unit"),
                    row.text("subgroup", required=False),
                )
                lesson_type = row.choice("lesson_type", LESSON_TYPES, "unknown_lesson_type")
                hours = row.integer("hours", 0, 2000, required=False)
                group = groups.get(code)
                if code and group is None:
                    row.issue("group", "unknown_group", value=code)
                unit = units.get((group.specialty_id, group.course_number, unit_code)) if group else None
                if group and unit_code and unit is None:
                    row.issue("course_unit", "unknown_course_unit", value=unit_code)
                if unit and unit.kind == "module":
                    row.issue(
                        "course_unit",
                        "rejected",
                        value="a module is graded by the average of its modular disciplines",
                    )
                    unit = None
                if unit and lesson_type and lesson_type not in get_profile(unit.profile_code).lesson_types:
                    row.issue(
                        "lesson_type",
                        "unknown_lesson_type",
                        value=row.raw("lesson_type"),
                        allowed=", ".join(get_profile(unit.profile_code).lesson_types),
                    )
                    lesson_type = None
                subgroup = group.subgroups.get(sub_code) if group and sub_code else None
                if group and sub_code and subgroup is None:
                    row.issue("subgroup", "unknown_subgroup", value=sub_code)
                if not (teacher and group and unit and lesson_type) or (sub_code and subgroup is None):
                    continue
                item = LoadRow(
                    sheet.name,
                    row.number,
                    {
                        "teacher_id": teacher,
                        "course_unit_id": unit.id,
                        "group_id": group.id,
                        "subgroup_id": subgroup,
                        "lesson_type": lesson_type,
                        "term_id": unit.term_id,
                        "department_id": unit.department_id,
                        "faculty_id": faculty_of[unit.department_id],
                        "hours": hours,
                        "removed_at": None,
                    },
                    unit.profile_code,
                )
                if item.id in seen:
                    row.issue("teacher_login", "duplicate_row", other=str(seen[item.id]))
                    continue
                seen[item.id] = row.number
                self.todo.append(item)
                if total % 10000 == 0:
                    await ctx.progress("validating", total, 0)
        for faculty_id, department_id in {
            (t.values["faculty_id"], t.values["department_id"]) for t in self.todo
        }:
            require(
                ctx.principal,
                "teaching_load.manage",
                ResourceScope(
                    university_id=str(ctx.university.id),
                    faculty_id=str(faculty_id),
                    department_id=str(department_id),
                ),
            )
        return total

    async def apply(self, ctx: ImportContext) -> int:
        s, changed = ctx.session, 0
        for start in range(0, len(self.todo), BATCH):
            chunk = self.todo[start : start + BATCH]
            stored = await imports_repo.stored_loads(s, [c.id for c in chunk])
            fresh = [c for c in chunk if c.id not in stored]
            if fresh:
                await insert_rows(
                    s, table_of(TeachingLoad), [{"id": c.id, "revision": 1, **c.values} for c in fresh]
                )
            revived = [
                c
                for c in chunk
                if c.id in stored
                and (stored[c.id].hours != c.values["hours"] or stored[c.id].removed_at is not None)
            ]
            for c in revived:
                await imports_repo.revive_load(s, c.id, c.values["hours"])
            for c in fresh + revived:
                revision = stored[c.id].revision + 1 if c.id in stored else 1
                row = {"id": c.id, "revision": revision, **c.values}
                ctx.uow.add_event(events.load_assigned_event(row, c.profile_code))
            changed += len(fresh) + len(revived)
            ctx.counts.added += len(fresh)
            ctx.counts.updated += len(revived)
            await ctx.progress("applying", start + len(chunk), len(self.todo))
        if ctx.sync:
            units = {uuid.UUID(str(c.values["course_unit_id"])) for c in self.todo}
            await removals.remove_missing_loads(ctx, units, {c.id for c in self.todo})
        return changed
