"""Contingent import (KZ-15): enrollment orders for many students at once, checked against each other
and against the students' current placements, applied in bulk."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from services.curriculum.adapters import contingent_repo
from services.curriculum.adapters.bulk import insert_rows
from services.curriculum.adapters.contingent_repo import placements_of
from services.curriculum.adapters.ids import person_id_for_login, stable_id
from services.curriculum.adapters.imports_repo import GroupInfo
from services.curriculum.adapters.models import Movement, Placement
from services.curriculum.adapters.orm import table_of
from services.curriculum.adapters.spreadsheets import Sheet
from services.curriculum.domain.checks import Violations
from services.curriculum.domain.contingent import GroupRef, check_transfer, current_placement
from services.curriculum.domain.imports.messages import Issue
from services.curriculum.domain.imports.rows import (
    GROUP,
    STUDENT_ID,
    STUDENT_LOGIN,
    SUBGROUP,
    SheetReader,
    col,
)
from services.curriculum.service_layer import events
from services.curriculum.service_layer.authorization import ResourceScope, require
from services.curriculum.service_layer.contingent import name_of, open_placement
from services.curriculum.service_layer.imports.base import ImportContext, groups_of_year

COLUMNS = [
    STUDENT_LOGIN,
    STUDENT_ID,
    col("student_name", "фио", "фио студента", "аты-жөні", "аты-жөнү", required=False),
    GROUP,
    SUBGROUP,
    col("order_number", "номер приказа", "бұйрық нөмірі", "буйруктун номери"),
    col("order_date", "дата приказа", "бұйрық күні", "буйруктун датасы"),
    col("effective_date", "дата зачисления", "қабылдау күні", "кабыл алуу датасы"),
]
BATCH = 5000


@dataclass(frozen=True)
class Enrollment:
    sheet: str
    row: int
    student: uuid.UUID
    name: str
    group: GroupInfo
    subgroup: uuid.UUID | None
    order_number: str
    order_date: date
    effective: date

    @property
    def movement_id(self) -> uuid.UUID:
        return stable_id("movement", self.student, "enrolled", self.order_number, self.order_date)


class ContingentImporter:
    def __init__(self) -> None:
        self.todo: list[Enrollment] = []
        self.listed: set[tuple[uuid.UUID, uuid.UUID]] = set()  # (student, group) pairs the file names
        self.groups: dict[uuid.UUID, GroupInfo] = {}
        self.readers: dict[str, SheetReader] = {}
        # Students the file puts in another group of their course, with the placement they leave.
        self.transfers: list[tuple[Enrollment, Placement]] = []

    def issue(self, item: Enrollment, key: str, code: str, **params: str) -> Issue:
        return Issue(item.sheet, item.row, self.readers[item.sheet].header_of(key), code, params)

    async def prepare(self, ctx: ImportContext, sheets: Sequence[Sheet]) -> int:
        groups = await groups_of_year(ctx)
        total, parsed = 0, []
        for sheet in sheets:
            reader = SheetReader(sheet.name, sheet.header, COLUMNS, ctx.issues)
            self.readers[sheet.name] = reader
            if not reader.complete:
                continue
            for row in reader.rows(sheet.rows):
                total += 1
                if row.has("student_id"):
                    student = row.uuid("student_id")
                elif row.has("student_login"):
                    student = person_id_for_login(row.raw("student_login"))
                else:
                    row.issue("student_login", "required")
                    student = None
                code, sub_code = row.text("group"), row.text("subgroup", required=False)
                group = groups.get(code)
                if code and group is None:
                    row.issue("group", "unknown_group", value=code)
                subgroup = group.subgroups.get(sub_code) if group and sub_code else None
                if group and sub_code and subgroup is None:
                    row.issue("subgroup", "unknown_subgroup", value=sub_code)
                number, signed, effective = (
                    row.text("order_number"),
                    row.day("order_date"),
                    row.day("effective_date"),
                )
                if student and group and signed and effective and number and (subgroup or not sub_code):
                    parsed.append(
                        Enrollment(
                            sheet.name,
                            row.number,
                            student,
                            row.raw("student_name"),
                            group,
                            subgroup,
                            number,
                            signed,
                            effective,
                        )
                    )
                if total % 5000 == 0:
                    await ctx.progress("validating", total, 0)
        self.listed = {(p.student, p.group.id) for p in parsed}
        self.groups = {p.group.id: p.group for p in parsed}
        for faculty in {p.group.faculty_id for p in parsed}:
            require(
                ctx.principal,
                "contingent.manage",
                ResourceScope(university_id=str(ctx.university.id), faculty_id=str(faculty)),
            )
        await self.check_against_each_other(ctx, parsed)
        await self.check_against_placements(ctx, parsed)
        return total

    async def check_against_each_other(self, ctx: ImportContext, parsed: list[Enrollment]) -> None:
        first: dict[tuple[uuid.UUID, int], Enrollment] = {}
        for item in parsed:
            key = (item.student, item.group.course_number)
            seen = first.get(key)
            if seen is None:
                first[key] = item
            elif (seen.group.id, seen.subgroup, seen.order_number) == (
                item.group.id,
                item.subgroup,
                item.order_number,
            ):
                ctx.issues.append(self.issue(item, "student_login", "duplicate_row", other=str(seen.row)))
            else:
                ctx.issues.append(self.issue(item, "group", "two_groups_one_course", other=seen.group.code))

    async def check_against_placements(self, ctx: ImportContext, parsed: list[Enrollment]) -> None:
        students = list({p.student for p in parsed})
        open_in: dict[tuple[uuid.UUID, int], contingent_repo.OpenPlacement] = {}
        known_movements: dict[uuid.UUID, uuid.UUID | None] = {}
        for start in range(0, len(students), BATCH):
            chunk = students[start : start + BATCH]
            rows = await contingent_repo.open_placements_in_year(ctx.session, chunk, ctx.year.id)
            for placed in rows:
                open_in[(placed.student_id, placed.course_number)] = placed
        ids = [p.movement_id for p in parsed]
        for start in range(0, len(ids), BATCH):
            known_movements.update(
                await contingent_repo.movement_groups(ctx.session, ids[start : start + BATCH])
            )
        codes = {}
        for item in parsed:
            codes[item.group.id] = item.group.code
            known = item.movement_id in known_movements
            if known and known_movements[item.movement_id] == item.group.id:
                continue  # the same enrollment again: nothing to do
            current = open_in.get((item.student, item.group.course_number))
            if (
                current is not None
                and (current.group_id, current.subgroup_id) == (item.group.id, item.subgroup)
                and known
            ):
                continue  # enrolled elsewhere by this order, and since moved where the file puts them
            if current is not None and (current.group_id, current.subgroup_id) != (
                item.group.id,
                item.subgroup,
            ):
                # The file puts the student in another group (or subgroup) of their course: a transfer
                # by the order the request names, if the domain's transfer allows it.
                if ctx.sync_order is None:
                    ctx.issues.append(
                        self.issue(item, "group", "two_groups_one_course", other=current.group_code)
                    )
                else:
                    await self.check_transfer(ctx, item, current.group_id)
                continue
            if known:
                other = codes.get(known_movements[item.movement_id] or item.group.id, "?")
                ctx.issues.append(self.issue(item, "order_number", "order_conflict", other=other))
                continue
            if current is not None:
                ctx.issues.append(
                    self.issue(item, "group", "two_groups_one_course", other=current.group_code)
                )
                continue
            if item.effective > ctx.year.ends_on:
                ctx.issues.append(self.issue(item, "effective_date", "bad_date", value=str(item.effective)))
                continue
            self.todo.append(item)

    async def check_transfer(self, ctx: ImportContext, item: Enrollment, from_group: uuid.UUID) -> None:
        """A transfer as TransferStudent checks it (domain.contingent), effective on the order's date."""
        assert ctx.sync_order is not None
        rows = await placements_of(ctx.session, item.student)
        views = [view for _, view in rows]
        v = Violations()
        effective = ctx.sync_order[1]
        current = current_placement(views, effective, str(from_group), v)
        if current is not None:
            target = GroupRef(str(item.group.id), item.group.code, str(ctx.year.id), item.group.course_number)
            check_transfer(current, target, str(item.subgroup) if item.subgroup else None, views, v)
        if v:
            reason = "; ".join(why for _, why in v.items)
            ctx.issues.append(self.issue(item, "group", "transfer_refused", value=reason))
            return
        source = next(p for p, view in rows if view is current)
        self.transfers.append((item, source))

    async def apply(self, ctx: ImportContext) -> int:
        s = ctx.session
        done = 0
        for start in range(0, len(self.todo), BATCH):
            chunk = self.todo[start : start + BATCH]
            movements = [
                {
                    "id": e.movement_id,
                    "kind": "enrolled",
                    "student_id": e.student,
                    "student_name": e.name,
                    "from_group_id": None,
                    "from_subgroup_id": None,
                    "group_id": e.group.id,
                    "subgroup_id": e.subgroup,
                    "order_number": e.order_number,
                    "order_date": e.order_date,
                    "effective_date": e.effective,
                    "reason": "",
                    "recorded_by": ctx.principal.subject,
                    "recorded_at": ctx.now,
                }
                for e in chunk
            ]
            await insert_rows(s, table_of(Movement), movements)
            await insert_rows(
                s,
                table_of(Placement),
                [
                    {
                        "id": uuid.uuid4(),
                        "student_id": e.student,
                        "group_id": e.group.id,
                        "subgroup_id": e.subgroup,
                        "valid_from": e.effective,
                        "valid_until": None,
                        "opened_by": e.movement_id,
                        "closed_by": None,
                    }
                    for e in chunk
                ],
            )
            for e, m in zip(chunk, movements, strict=True):
                ctx.uow.add_event(events.movement_event(m, e.group.faculty_id, ctx.year.id))
            done += len(chunk)
            await ctx.progress("applying", done, len(self.todo))
        ctx.counts.added += done
        done += await self.transfer(ctx)
        if ctx.sync:
            await self.expel_missing(ctx)
        return done

    async def transfer(self, ctx: ImportContext) -> int:
        """Move the students the file puts in another group of their course, by the request's order:
        a `transferred` movement closes their placement and opens the new one (StudentTransferred)."""
        if not self.transfers:
            return 0
        assert ctx.sync_order is not None
        s, (number, signed) = ctx.session, ctx.sync_order
        leaving = {source.group_id for _, source in self.transfers}
        faculty_of = await contingent_repo.faculty_of_groups(s, leaving)
        for item, source in self.transfers:
            require(
                ctx.principal,
                "contingent.manage",
                ResourceScope(
                    university_id=str(ctx.university.id), faculty_id=str(faculty_of[source.group_id])
                ),
            )
            movement = Movement(
                id=stable_id("movement", item.student, "transferred", number, signed, item.group.id),
                kind="transferred",
                student_id=item.student,
                from_group_id=source.group_id,
                from_subgroup_id=source.subgroup_id,
                group_id=item.group.id,
                subgroup_id=item.subgroup,
                order_number=number,
                order_date=signed,
                effective_date=signed,
                reason=f"import: {ctx.reason}" if ctx.reason else "import",
                recorded_by=ctx.principal.subject,
                recorded_at=ctx.now,
                student_name=item.name or await name_of(s, source),
            )
            s.add(movement)
            await s.flush()
            source.valid_until, source.closed_by = signed, movement.id
            await s.flush()
            open_placement(s, item.student, item.group.id, item.subgroup, signed, movement.id)
            ctx.uow.add_event(events.movement_event(movement, item.group.faculty_id, ctx.year.id))
        await s.flush()
        ctx.counts.updated += len(self.transfers)
        return len(self.transfers)

    async def expel_missing(self, ctx: ImportContext) -> None:
        """Sync mode: the open placements in the file's groups whose student the file does not list there
        are ended by the expulsion order the import names, as ExpelStudent does; refused without an order,
        and for a student who already has grades (gradebook's marks, as curriculum's inbox recorded them)."""
        s = ctx.session
        open_rows = await contingent_repo.open_placements_of_groups(s, list(self.groups))
        missing = [p for p in open_rows if (p.student_id, p.group_id) not in self.listed]
        if not missing:
            return
        if ctx.sync_order is None:
            ctx.issues.append(Issue("", 0, "", "removal_needs_order"))
            ctx.counts.refused += len(missing)
            return
        number, signed = ctx.sync_order
        graded = await contingent_repo.graded_students(s, [str(p.student_id) for p in missing])
        reason = f"sync import: missing from the file ({ctx.reason})" if ctx.reason else "sync import"
        for placement in sorted(missing, key=lambda p: (str(p.group_id), str(p.student_id))):
            group = self.groups[placement.group_id]
            opened = await s.get(Movement, placement.opened_by)
            name = opened.student_name if opened else ""
            if str(placement.student_id) in graded:
                who = name or str(placement.student_id)
                ctx.issues.append(Issue("", 0, "", "removal_has_grades", {"value": who, "other": group.code}))
                ctx.counts.refused += 1
                continue
            movement = Movement(
                id=stable_id(
                    "movement", placement.student_id, "expelled", number, signed, placement.group_id
                ),
                kind="expelled",
                student_id=placement.student_id,
                from_group_id=placement.group_id,
                from_subgroup_id=placement.subgroup_id,
                group_id=None,
                subgroup_id=None,
                order_number=number,
                order_date=signed,
                effective_date=max(signed, placement.valid_from),
                reason=reason,
                recorded_by=ctx.principal.subject,
                recorded_at=ctx.now,
                student_name=name,
            )
            s.add(movement)
            await s.flush()
            placement.valid_until, placement.closed_by = movement.effective_date, movement.id
            ctx.uow.add_event(events.movement_event(movement, group.faculty_id, ctx.year.id))
            ctx.counts.removed += 1
