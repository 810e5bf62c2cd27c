"""Working-curriculum import (KZ-02, KZ-03): one row per course unit, parts (blocks, modular disciplines)
naming their parent; units are assembled whole, then defined through the curriculum use case."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ejournal_regulation import load_profiles
from services.curriculum.adapters import imports_repo
from services.curriculum.adapters.spreadsheets import Sheet
from services.curriculum.domain.curriculum import CourseUnitSpec, PartSpec
from services.curriculum.domain.imports.messages import Issue
from services.curriculum.domain.imports.rows import KINDS, Row, SheetReader, col
from services.curriculum.domain.vocabulary import CourseUnitKind, LessonType
from services.curriculum.service_layer.curriculum import apply_course_unit
from services.curriculum.service_layer.imports import lookup_maps, removals
from services.curriculum.service_layer.imports.base import ImportContext, attempt

HOURS = {
    LessonType.LECTURE: col("lecture", "лекции", "дәріс", "лекциялар", required=False),
    LessonType.PRACTICAL: col("practical", "практические", "практикалық", "практикалык", required=False),
    LessonType.SEMINAR: col("seminar", "семинары", "семинар", required=False),
    LessonType.LABORATORY: col("laboratory", "лабораторные", "зертханалық", "лабораториялык", required=False),
    LessonType.CLINICAL: col("clinical", "клинические", "клиникалық", "клиникалык", required=False),
    LessonType.SELF_STUDY: col("self_study", "срс", "бөж", "сөж", required=False),
}
COLUMNS = [
    col("specialty", "специальность", "мамандық", "адистик"),
    col("course", "курс"),
    col("term", "семестр", "term number"),
    col("kind", "вид", "түрі", "түрү"),
    col("code", "код"),
    col("parent", "родитель", "входит в", "құрамында", "курамында", required=False),
    col("title", "название", "атауы", "аталышы"),
    col("department", "кафедра"),
    col("scale", "шкала", "профиль", "profile", required=False),
    col("credits", "кредиты", "кредит", required=False),
    *HOURS.values(),
]
FIELDS = {
    "title": "title",
    "department_id": "department",
    "term_number": "term",
    "profile_code": "scale",
    "kind": "kind",
    "code": "code",
    "academic_year_id": "code",
    "reason": "code",
    "parts": "code",
    "course_number": "course",
    "credits": "credits",
}


@dataclass
class Item:
    row: int
    kind: str
    specialty_id: str
    course_number: int
    term_number: int
    code: str
    title: str
    department_id: str
    profile_code: str
    credits: Decimal
    hours: dict[LessonType, int]
    parent: str
    parts: list[Item] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.specialty_id, self.course_number, self.code)

    def spec(self, year_id: str) -> CourseUnitSpec:
        return CourseUnitSpec(
            year_id,
            self.specialty_id,
            self.course_number,
            self.term_number,
            CourseUnitKind(self.kind),
            self.code,
            self.title,
            self.department_id,
            self.profile_code,
            self.credits,
            self.hours,
            tuple(PartSpec(p.code, p.title, p.department_id, p.credits, p.hours) for p in self.parts),
        )


class CurriculumImporter:
    def __init__(self) -> None:
        self.units: list[tuple[str, Item, dict[str, str]]] = []

    async def prepare(self, ctx: ImportContext, sheets: Sequence[Sheet]) -> int:
        specialties, departments = await lookup_maps.specialties(ctx), await lookup_maps.departments(ctx)
        profiles = set(load_profiles())
        total = 0
        for sheet in sheets:
            reader = SheetReader(sheet.name, sheet.header, COLUMNS, ctx.issues)
            if not reader.complete:
                continue
            columns = {name: reader.header_of(key) for name, key in FIELDS.items()}
            top: dict[tuple[str, int, str], Item] = {}
            parts: list[tuple[Row, Item]] = []
            for row in reader.rows(sheet.rows):
                total += 1
                item = self.read(ctx, row, specialties, departments, profiles)
                if item is None:
                    continue
                key = item.key
                if CourseUnitKind(item.kind).is_part:
                    parts.append((row, item))
                elif key in top:
                    row.issue("code", "duplicate_row", other=str(top[key].row))
                else:
                    top[key] = item
            for row, part in parts:
                parent = top.get((part.specialty_id, part.course_number, part.parent))
                expected = "integrated_discipline" if part.kind == "block" else "module"
                if parent is None or parent.kind != expected:
                    row.issue("parent", "bad_parent", value=part.parent or "—", other=expected)
                else:
                    parent.parts.append(part)
            for item in top.values():
                if item.kind == "module" and not item.parts:
                    ctx.issues.append(
                        Issue(
                            sheet.name,
                            item.row,
                            reader.header_of("kind"),
                            "module_without_parts",
                            {"value": item.code},
                        )
                    )
                elif item.kind == "integrated_discipline" and not item.parts:
                    ctx.issues.append(
                        Issue(
                            sheet.name,
                            item.row,
                            reader.header_of("kind"),
                            "integrated_without_blocks",
                            {"value": item.code},
                        )
                    )
                else:
                    self.units.append((sheet.name, item, columns))
        return total

    def read(
        self,
        ctx: ImportContext,
        row: Row,
        specialties: dict[str, uuid.UUID],
        departments: dict[str, uuid.UUID],
        profiles: set[str],
    ) -> Item | None:
        specialty, department = row.text("specialty"), row.text("department")
        kind = row.choice("kind", KINDS, "unknown_kind")
        course, term = row.integer("course", 1, 7), row.integer("term", 1, 4)
        code, title, parent = row.text("code"), row.text("title"), row.text("parent", required=False)
        scale = row.text("scale", required=False) or ctx.university.profile_code
        if scale not in profiles:
            row.issue("scale", "unknown_scale", value=scale, allowed=", ".join(sorted(profiles)))
        if specialty and specialty not in specialties:
            row.issue("specialty", "unknown_specialty", value=specialty)
        if department and department not in departments:
            row.issue("department", "unknown_department", value=department)
        credits_text = row.text("credits", required=False).replace(",", ".") or "0"
        try:
            credits = Decimal(credits_text)
        except ArithmeticError:
            row.issue("credits", "bad_number", value=credits_text)
            credits = Decimal(0)
        hours = {t: row.integer(c.key, 0, 2000, required=False) for t, c in HOURS.items() if row.has(c.key)}
        if kind and CourseUnitKind(kind).is_part and not parent:
            row.issue("parent", "required")
        if not (
            kind
            and course
            and term
            and code
            and title
            and scale in profiles
            and specialty in specialties
            and department in departments
        ):
            return None
        return Item(
            row.number,
            kind,
            str(specialties[specialty]),
            course,
            term,
            code,
            title,
            str(departments[department]),
            scale,
            credits,
            hours,
            parent,
        )

    async def apply(self, ctx: ImportContext) -> int:
        changed = 0
        live = await imports_repo.live_top_unit_ids(ctx.session, ctx.year.id)
        kept: set[uuid.UUID] = set()
        for done, (sheet, item, columns) in enumerate(self.units, start=1):
            spec = item.spec(str(ctx.year.id))
            rows = [item.row, *(p.row for p in item.parts)]

            async def define(spec: CourseUnitSpec = spec) -> object:
                return await apply_course_unit(ctx.uow, ctx.principal, spec, ctx.reason, ctx.now)

            result = await attempt(ctx, sheet, rows, columns, define)
            if result is not None:
                changed += result[1]
                kept.add(result[0].unit.id)
                if result[1]:
                    if result[0].unit.id in live:
                        ctx.counts.updated += 1
                    else:
                        ctx.counts.added += 1
            await ctx.progress("applying", done, len(self.units))
        if ctx.sync:
            scope = {(uuid.UUID(item.specialty_id), item.course_number) for _, item, _ in self.units}
            await removals.remove_missing_units(ctx, scope, kept)
        return changed
