"""Control-event import (KZ-05, KZ-06): course unit × group/subgroup × kind × date, each through the
same use case as the RPC (apply_control_event), so its checks and default deadlines are the RPC's."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from services.curriculum.adapters.spreadsheets import Sheet
from services.curriculum.domain.imports.rows import (
    CONTROL_KINDS,
    COURSE_UNIT,
    GROUP,
    SUBGROUP,
    SheetReader,
    col,
)
from services.curriculum.service_layer.control_events import ScheduleControlEvent, apply_control_event
from services.curriculum.service_layer.imports import lookup_maps, removals
from services.curriculum.service_layer.imports.base import ImportContext, attempt, groups_of_year

KIND = col("kind", "вид контроля", "бақылау түрі", "көзөмөлдүн түрү", "control")
DATE = col("date", "дата", "күні", "датасы")
COLUMNS = [COURSE_UNIT, GROUP, SUBGROUP, KIND, DATE]
FIELDS = {
    "kind": "kind",
    "date": "date",
    "course_unit_id": "course_unit",
    "group_id": "group",
    "subgroup_id": "subgroup",
}


class ControlEventImporter:
    def __init__(self) -> None:
        self.events: list[tuple[str, int, ScheduleControlEvent, dict[str, str]]] = []

    async def prepare(self, ctx: ImportContext, sheets: Sequence[Sheet]) -> int:
        groups, units, total = await groups_of_year(ctx), await lookup_maps.course_units(ctx), 0
        for sheet in sheets:
            reader = SheetReader(sheet.name, sheet.header, COLUMNS, ctx.issues)
            if not reader.complete:
                continue
            columns = {f: reader.header_of(k) for f, k in FIELDS.items()}
            for row in reader.rows(sheet.rows):
                total += 1
                code, unit_code, sub_code = (
                    row.text("group"),
                    row.text("course_unit"),
                    row.text("subgroup", required=False),
                )
                kind, when = row.choice("kind", CONTROL_KINDS, "unknown_control_kind"), row.day("date")
                group = groups.get(code)
                if code and group is None:
                    row.issue("group", "unknown_group", value=code)
                unit = units.get((group.specialty_id, group.course_number, unit_code)) if group else None
                if group and unit_code and unit is None:
                    row.issue("course_unit", "unknown_course_unit", value=unit_code)
                subgroup = group.subgroups.get(sub_code) if group and sub_code else None
                if group and sub_code and subgroup is None:
                    row.issue("subgroup", "unknown_subgroup", value=sub_code)
                if group and unit and kind and when and (subgroup or not sub_code):
                    data = ScheduleControlEvent(
                        kind=kind,
                        course_unit_id=str(unit),
                        group_id=str(group.id),
                        subgroup_id=str(subgroup or ""),
                        date=when.isoformat(),
                    )
                    self.events.append((sheet.name, row.number, data, columns))
        return total

    async def apply(self, ctx: ImportContext) -> int:
        changed, kept = 0, set[uuid.UUID]()
        for done, (sheet, row, data, columns) in enumerate(self.events, start=1):

            async def schedule(data: ScheduleControlEvent = data) -> object:
                return await apply_control_event(ctx.uow, ctx.principal, data)

            result = await attempt(ctx, sheet, [row], columns, schedule)
            changed += 1 if result is not None and result[1] else 0
            if result is not None:
                kept.add(result[0].id)
                ctx.counts.added += 1 if result[1] else 0
            if done % 500 == 0 or done == len(self.events):
                await ctx.progress("applying", done, len(self.events))
        if ctx.sync:  # the file's course unit x group pairs: what they hold and the file leaves out goes
            pairs = {(uuid.UUID(d.course_unit_id), uuid.UUID(d.group_id)) for _, _, d, _ in self.events}
            await removals.remove_missing_control_events(ctx, pairs, kept)
        return changed
