"""Structure use cases: university, faculties/schools, departments, specialties, groups, subgroups."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ejournal_platform.authz import missing_is_refused
from ejournal_platform.context import Principal
from ejournal_regulation import load_profiles
from services.curriculum.adapters import structure_repo
from services.curriculum.adapters.ids import need_id, stable_id
from services.curriculum.adapters.lookups import get, place_of_faculty, place_of_group, place_of_specialty
from services.curriculum.adapters.models import (
    AcademicYear,
    Department,
    Faculty,
    Group,
    Specialty,
    Subgroup,
    University,
)
from services.curriculum.adapters.records import record
from services.curriculum.domain import records as rec
from services.curriculum.domain.checks import Violations, text
from services.curriculum.domain.records import GroupWithSubgroups
from services.curriculum.domain.vocabulary import LANGUAGES
from services.curriculum.service_layer.authorization import ResourceScope, require
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.events import structure_event
from services.curriculum.service_layer.upsert import upsert


@dataclass(frozen=True, kw_only=True)
class DefineUniversity:
    code: str
    title: str
    profile_code: str
    time_zone: str = ""


@dataclass(frozen=True, kw_only=True)
class DefineFaculty:
    university_id: str
    code: str
    title: str


@dataclass(frozen=True, kw_only=True)
class DefineDepartment:
    faculty_id: str
    code: str
    title: str


@dataclass(frozen=True, kw_only=True)
class DefineSpecialty:
    faculty_id: str
    code: str
    title: str


@dataclass(frozen=True, kw_only=True)
class DefineGroup:
    specialty_id: str
    academic_year_id: str
    course_number: int
    code: str
    language: str
    subgroup_codes: list[str]


@dataclass(frozen=True, kw_only=True)
class DefineSubgroup:
    group_id: str
    code: str


async def define_university(deps: Deps, principal: Principal, cmd: DefineUniversity) -> rec.University:
    v = Violations()
    values = {
        "code": text(cmd.code, "code", v, max_length=40),
        "title": text(cmd.title, "title", v),
        "profile_code": cmd.profile_code.strip(),
        "time_zone": cmd.time_zone.strip() or "Asia/Almaty",
    }
    if values["profile_code"] not in load_profiles():
        v.add(
            "profile_code",
            f"unknown profile {cmd.profile_code!r}; known: {', '.join(sorted(load_profiles()))}",
        )
    try:
        ZoneInfo(values["time_zone"])
    except (ZoneInfoNotFoundError, ValueError):
        v.add("time_zone", f"{cmd.time_zone!r} is not an IANA time zone")
    v.raise_if_any()
    university_id = stable_id("university", values["code"])
    require(principal, "structure.manage", ResourceScope(university_id=str(university_id)))
    async with deps.uow() as uow:
        row, changed = await upsert(
            uow.session,
            University,
            university_id,
            values,
            actor=principal.subject,
            entity="university",
        )
        if changed:
            uow.add_event(structure_event("university", row, None, deps.clock()))
        await uow.commit()
        return record(rec.University, row)


async def define_faculty(deps: Deps, principal: Principal, cmd: DefineFaculty) -> rec.Faculty:
    v = Violations()
    values = {"code": text(cmd.code, "code", v, max_length=40), "title": text(cmd.title, "title", v)}
    uid = need_id(cmd.university_id, "university_id")
    v.raise_if_any()
    async with deps.uow() as uow:
        with missing_is_refused("structure.manage"):
            await get(uow.session, University, uid, "university_id", "university")
        require(principal, "structure.manage", ResourceScope(university_id=str(uid)))
        row, changed = await upsert(
            uow.session,
            Faculty,
            stable_id("faculty", uid, values["code"]),
            {"university_id": uid, **values},
            actor=principal.subject,
            entity="faculty",
        )
        if changed:
            uow.add_event(structure_event("faculty", row, uid, deps.clock()))
        await uow.commit()
        return record(rec.Faculty, row)


async def _define_in_faculty(
    deps: Deps,
    principal: Principal,
    model: type[Department] | type[Specialty],
    entity: str,
    cmd: DefineDepartment | DefineSpecialty,
) -> Department | Specialty:
    v = Violations()
    values = {"code": text(cmd.code, "code", v, max_length=40), "title": text(cmd.title, "title", v)}
    fid = need_id(cmd.faculty_id, "faculty_id")
    v.raise_if_any()
    async with deps.uow() as uow:
        with missing_is_refused("structure.manage"):
            place = await place_of_faculty(uow.session, fid)
        require(principal, "structure.manage", place.scope())
        row, changed = await upsert(
            uow.session,
            model,
            stable_id(entity, fid, values["code"]),
            {"faculty_id": fid, **values},
            actor=principal.subject,
            entity=entity,
        )
        if changed:
            uow.add_event(structure_event(entity, row, fid, deps.clock()))
        await uow.commit()
        return row


async def define_department(deps: Deps, principal: Principal, cmd: DefineDepartment) -> rec.Department:
    return record(rec.Department, await _define_in_faculty(deps, principal, Department, "department", cmd))


async def define_specialty(deps: Deps, principal: Principal, cmd: DefineSpecialty) -> rec.Specialty:
    return record(rec.Specialty, await _define_in_faculty(deps, principal, Specialty, "specialty", cmd))


async def define_group(deps: Deps, principal: Principal, cmd: DefineGroup) -> GroupWithSubgroups:
    v = Violations()
    code = text(cmd.code, "code", v, max_length=40)
    course_number, language = cmd.course_number, cmd.language
    if not 1 <= course_number <= 7:
        v.add("course_number", "must be between 1 and 7")
    if language not in LANGUAGES:
        v.add("language", f"{language!r} is not one of: {', '.join(LANGUAGES)}")
    subcodes = [text(c, f"subgroup_codes[{i}]", v, max_length=40) for i, c in enumerate(cmd.subgroup_codes)]
    if len(set(subcodes)) != len(subcodes):
        v.add("subgroup_codes", "a subgroup code is listed twice")
    sid, yid = need_id(cmd.specialty_id, "specialty_id"), need_id(cmd.academic_year_id, "academic_year_id")
    v.raise_if_any()
    async with deps.uow() as uow:
        with missing_is_refused("structure.manage"):
            place = await place_of_specialty(uow.session, sid)
        require(principal, "structure.manage", place.scope())
        year = await get(uow.session, AcademicYear, yid, "academic_year_id", "academic year")
        if year.university_id != place.university.id:
            v.add("academic_year_id", "belongs to another university")
            v.raise_if_any()
        values = {
            "specialty_id": sid,
            "academic_year_id": yid,
            "course_number": course_number,
            "code": code,
            "language": language,
        }
        group, changed = await upsert(
            uow.session, Group, stable_id("group", yid, code), values, actor=principal.subject, entity="group"
        )
        if changed:
            uow.add_event(structure_event("group", group, sid, deps.clock()))
        for subcode in subcodes:
            await upsert(
                uow.session,
                Subgroup,
                stable_id("subgroup", group.id, subcode),
                {"group_id": group.id, "code": subcode},
                actor=principal.subject,
                entity="subgroup",
            )
        subgroups = await structure_repo.subgroups_of(uow.session, group.id)
        await uow.commit()
        return GroupWithSubgroups(record(rec.Group, group), subgroups, str(place.faculty.id))


async def define_subgroup(deps: Deps, principal: Principal, cmd: DefineSubgroup) -> rec.Subgroup:
    v = Violations()
    code = text(cmd.code, "code", v, max_length=40)
    gid = need_id(cmd.group_id, "group_id")
    v.raise_if_any()
    async with deps.uow() as uow:
        with missing_is_refused("structure.manage"):
            place = await place_of_group(uow.session, gid)
        require(principal, "structure.manage", place.scope())
        row, _ = await upsert(
            uow.session,
            Subgroup,
            stable_id("subgroup", gid, code),
            {"group_id": gid, "code": code},
            actor=principal.subject,
            entity="subgroup",
        )
        await uow.commit()
        return record(rec.Subgroup, row)
