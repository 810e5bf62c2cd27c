"""RPCs of profiles, structure and classrooms."""

from __future__ import annotations

import json

import yaml

from ejournal.curriculum.v1 import curriculum_service_pb2 as pb
from ejournal_platform.authz import authenticated
from ejournal_platform.errors import NotFound
from ejournal_platform.pagination import page_request
from ejournal_regulation import RegulationProfile, load_profiles, profile_document
from ejournal_regulation.scales import PointsScale
from services.curriculum.entrypoints import translate as tr
from services.curriculum.entrypoints.rpc_base import Context, Rpcs
from services.curriculum.service_layer import classrooms, structure, structure_queries


def profile_pb(p: RegulationProfile) -> pb.Profile:
    if isinstance(p.scale, PointsScale):
        marks = [m.mark for m in p.scale.special_marks] + [f"{p.scale.min_points}..{p.scale.max_points}"]
    else:
        marks = [m.mark for m in p.scale.marks]
    return pb.Profile(
        code=p.code, title=p.title.get("en", p.code), scale_kind=p.scale.kind, allowed_marks=marks
    )


class StructureRpcs(Rpcs):
    async def ListProfiles(
        self, request: pb.ListProfilesRequest, context: Context
    ) -> pb.ListProfilesResponse:
        return pb.ListProfilesResponse(profiles=[profile_pb(p) for _, p in sorted(load_profiles().items())])

    async def GetProfile(self, request: pb.GetProfileRequest, context: Context) -> pb.GetProfileResponse:
        profiles = load_profiles()
        if request.code not in profiles:
            raise NotFound(f"unknown profile {request.code!r}", field="code")
        document = yaml.safe_load(profile_document(request.code))
        return pb.GetProfileResponse(
            profile=profile_pb(profiles[request.code]),
            document_json=json.dumps(document, ensure_ascii=False, default=str),
        )

    async def DefineUniversity(
        self, request: pb.DefineUniversityRequest, context: Context
    ) -> pb.DefineUniversityResponse:
        row = await structure.define_university(
            self.deps,
            authenticated(),
            structure.DefineUniversity(
                code=request.code,
                title=request.title,
                profile_code=request.profile_code,
                time_zone=request.time_zone,
            ),
        )
        return pb.DefineUniversityResponse(university=tr.university(row))

    async def DefineFaculty(
        self, request: pb.DefineFacultyRequest, context: Context
    ) -> pb.DefineFacultyResponse:
        row = await structure.define_faculty(
            self.deps,
            authenticated(),
            structure.DefineFaculty(
                university_id=request.university_id, code=request.code, title=request.title
            ),
        )
        return pb.DefineFacultyResponse(faculty=tr.faculty(row))

    async def DefineDepartment(
        self, request: pb.DefineDepartmentRequest, context: Context
    ) -> pb.DefineDepartmentResponse:
        row = await structure.define_department(
            self.deps,
            authenticated(),
            structure.DefineDepartment(faculty_id=request.faculty_id, code=request.code, title=request.title),
        )
        return pb.DefineDepartmentResponse(department=tr.department(row))

    async def DefineSpecialty(
        self, request: pb.DefineSpecialtyRequest, context: Context
    ) -> pb.DefineSpecialtyResponse:
        row = await structure.define_specialty(
            self.deps,
            authenticated(),
            structure.DefineSpecialty(faculty_id=request.faculty_id, code=request.code, title=request.title),
        )
        return pb.DefineSpecialtyResponse(specialty=tr.specialty(row))

    async def DefineGroup(self, request: pb.DefineGroupRequest, context: Context) -> pb.DefineGroupResponse:
        row = await structure.define_group(
            self.deps,
            authenticated(),
            structure.DefineGroup(
                specialty_id=request.specialty_id,
                academic_year_id=request.academic_year_id,
                course_number=request.course_number,
                code=request.code,
                language=request.language,
                subgroup_codes=list(request.subgroup_codes),
            ),
        )
        return pb.DefineGroupResponse(group=tr.group(row))

    async def DefineSubgroup(
        self, request: pb.DefineSubgroupRequest, context: Context
    ) -> pb.DefineSubgroupResponse:
        row = await structure.define_subgroup(
            self.deps, authenticated(), structure.DefineSubgroup(group_id=request.group_id, code=request.code)
        )
        return pb.DefineSubgroupResponse(subgroup=tr.subgroup(row))

    async def GetStructure(
        self, request: pb.GetStructureRequest, context: Context
    ) -> pb.GetStructureResponse:
        tree = await structure_queries.get_structure(self.deps, authenticated(), request.university_id)
        return pb.GetStructureResponse(
            university=tr.university(tree.university),
            faculties=[tr.faculty(f) for f in tree.faculties],
            departments=[tr.department(d) for d in tree.departments],
            specialties=[tr.specialty(x) for x in tree.specialties],
        )

    async def ListGroups(self, request: pb.ListGroupsRequest, context: Context) -> pb.ListGroupsResponse:
        filters = {
            "academic_year_id": request.academic_year_id,
            "faculty_id": request.faculty_id,
            "specialty_id": request.specialty_id,
            "course_number": request.course_number,
        }
        rows, next_token = await structure_queries.list_groups(
            self.deps,
            authenticated(),
            request.academic_year_id,
            request.faculty_id,
            request.specialty_id,
            request.course_number,
            page_request(request.page_size, request.page_token, filters),
        )
        return pb.ListGroupsResponse(groups=[tr.group(g) for g in rows], next_page_token=next_token)

    async def DefineClassroom(
        self, request: pb.DefineClassroomRequest, context: Context
    ) -> pb.DefineClassroomResponse:
        row = await classrooms.define_classroom(
            self.deps,
            authenticated(),
            classrooms.DefineClassroom(
                university_id=request.university_id,
                code=request.code,
                building=request.building,
                capacity=request.capacity,
            ),
        )
        return pb.DefineClassroomResponse(classroom=tr.classroom(row))

    async def ListClassrooms(
        self, request: pb.ListClassroomsRequest, context: Context
    ) -> pb.ListClassroomsResponse:
        page = page_request(request.page_size, request.page_token, [request.university_id])
        rows, next_token = await classrooms.list_classrooms(
            self.deps, authenticated(), request.university_id, page
        )
        return pb.ListClassroomsResponse(
            classrooms=[tr.classroom(c) for c in rows], next_page_token=next_token
        )

    async def RotateClassroomSecret(
        self, request: pb.RotateClassroomSecretRequest, context: Context
    ) -> pb.RotateClassroomSecretResponse:
        row = await classrooms.rotate_secret(
            self.deps, authenticated(), classrooms.RotateClassroomSecret(classroom_id=request.classroom_id)
        )
        return pb.RotateClassroomSecretResponse(classroom=tr.classroom(row))

    async def GetClassroomSecret(
        self, request: pb.GetClassroomSecretRequest, context: Context
    ) -> pb.GetClassroomSecretResponse:
        row = await classrooms.get_secret(self.deps, authenticated(), request.classroom_id)
        return pb.GetClassroomSecretResponse(
            classroom_id=str(row.id),
            secret=row.secret,
            secret_version=row.secret_version,
            rotated_at=row.rotated_at.isoformat(),
        )
