"""Reads of the structure: the tree of a university, groups of a year."""

from __future__ import annotations

from ejournal_platform.context import Principal
from ejournal_platform.pagination import Page, page_request
from services.curriculum.adapters import structure_repo
from services.curriculum.adapters.ids import need_id, parse_id
from services.curriculum.domain import records as rec
from services.curriculum.domain.records import StructureTree
from services.curriculum.service_layer.authorization import ResourceScope, require
from services.curriculum.service_layer.deps import Deps

__all__ = ["StructureTree", "get_structure", "list_groups"]


async def get_structure(deps: Deps, principal: Principal, university_id: str) -> StructureTree:
    uid = need_id(university_id, "university_id")
    require(principal, "structure.read", ResourceScope(university_id=str(uid)))
    async with deps.uow() as uow:
        return await structure_repo.tree(uow.session, uid)


async def list_groups(
    deps: Deps,
    principal: Principal,
    academic_year_id: str,
    faculty_id: str = "",
    specialty_id: str = "",
    course_number: int = 0,
    page: Page | None = None,
) -> tuple[list[rec.GroupWithSubgroups], str]:
    """One page of the year's groups the caller may see, by code (then id), and the next page's token."""
    page = page or page_request(0, "")
    yid = need_id(academic_year_id, "academic_year_id")
    fid, sid = (
        parse_id(faculty_id, "faculty_id", required=False),
        parse_id(specialty_id, "specialty_id", required=False),
    )
    require(principal, "structure.read")
    async with deps.uow() as uow:
        return await structure_repo.groups_page(uow.session, principal, yid, fid, sid, course_number, page)
