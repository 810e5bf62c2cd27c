"""RPCs of the working curriculum, teaching load, calendar-thematic plans and the schedule."""

from __future__ import annotations

from ejournal.curriculum.v1 import curriculum_service_pb2 as pb
from ejournal.curriculum.v1 import events_pb2 as ev
from ejournal_platform.authz import authenticated
from ejournal_platform.pagination import page_request
from services.curriculum.domain.checks import Violations, credits
from services.curriculum.domain.curriculum import CourseUnitSpec, PartSpec
from services.curriculum.domain.vocabulary import CourseUnitKind, LessonType
from services.curriculum.entrypoints import translate as tr
from services.curriculum.entrypoints.rpc_base import Context, Rpcs
from services.curriculum.service_layer import (
    curriculum,
    lesson_plans,
    schedule,
    teaching_load,
    teaching_load_queries,
)
from services.curriculum.service_layer.events import kind_name, lesson_type_name
from services.curriculum.service_layer.lesson_plans import PlanInput, PlanItemInput


def lesson_type(value: ev.LessonType.ValueType) -> str:
    return lesson_type_name(value) if value else ""


def hours_of(items: list[ev.LessonHours], path: str, v: Violations) -> dict[LessonType, int]:
    found: dict[LessonType, int] = {}
    for i, h in enumerate(items):
        if not h.lesson_type:
            v.add(f"{path}[{i}].lesson_type", "is required")
            continue
        name = lesson_type_name(h.lesson_type)
        if name not in LessonType.__members__.values():
            v.add(f"{path}[{i}].lesson_type", f"{name} is not a lesson type")
            continue
        found[LessonType(name)] = h.hours
    return found


def unit_spec(r: pb.DefineCourseUnitRequest, profile_code: str) -> CourseUnitSpec:
    v = Violations()
    kind = kind_name(r.kind) if r.kind else CourseUnitKind.DISCIPLINE.value
    if not r.kind:
        v.add("kind", "is required")
    elif kind not in CourseUnitKind.__members__.values():
        v.add("kind", f"{kind} is not a kind of course unit")
        kind = CourseUnitKind.DISCIPLINE.value
    spec = CourseUnitSpec(
        r.academic_year_id,
        r.specialty_id,
        r.course_number,
        r.term_number,
        CourseUnitKind(kind),
        r.code.strip(),
        r.title.strip(),
        r.department_id,
        profile_code,
        credits(r.credits, "credits", v),
        hours_of(list(r.hours), "hours", v),
        tuple(
            PartSpec(
                p.code.strip(),
                p.title.strip(),
                p.department_id,
                credits(p.credits, f"parts[{i}].credits", v),
                hours_of(list(p.hours), f"parts[{i}].hours", v),
            )
            for i, p in enumerate(r.parts)
        ),
    )
    if not spec.code:
        v.add("code", "is required")
    if not spec.title:
        v.add("title", "is required")
    v.raise_if_any()
    return spec


class TeachingRpcs(Rpcs):
    async def DefineCourseUnit(
        self, request: pb.DefineCourseUnitRequest, context: Context
    ) -> pb.DefineCourseUnitResponse:
        profile = request.profile_code or await curriculum.university_profile(self.deps, request.specialty_id)
        view = await curriculum.define_course_unit(
            self.deps,
            authenticated(),
            curriculum.DefineCourseUnit(spec=unit_spec(request, profile), reason=request.reason),
        )
        return pb.DefineCourseUnitResponse(course_unit=tr.course_unit(view))

    async def RemoveCourseUnit(
        self, request: pb.RemoveCourseUnitRequest, context: Context
    ) -> pb.RemoveCourseUnitResponse:
        await curriculum.remove_course_unit(
            self.deps,
            authenticated(),
            curriculum.RemoveCourseUnit(course_unit_id=request.course_unit_id, reason=request.reason),
        )
        return pb.RemoveCourseUnitResponse()

    async def ListCourseUnits(
        self, request: pb.ListCourseUnitsRequest, context: Context
    ) -> pb.ListCourseUnitsResponse:
        filters = [request.academic_year_id, request.specialty_id, request.course_number, request.term_id]
        rows, next_token = await curriculum.list_course_units(
            self.deps,
            authenticated(),
            request.academic_year_id,
            request.specialty_id,
            request.course_number,
            request.term_id,
            page_request(request.page_size, request.page_token, filters),
        )
        return pb.ListCourseUnitsResponse(
            course_units=[tr.course_unit(v) for v in rows], next_page_token=next_token
        )

    async def AssignTeachingLoad(
        self, request: pb.AssignTeachingLoadRequest, context: Context
    ) -> pb.AssignTeachingLoadResponse:
        row = await teaching_load.assign_teaching_load(
            self.deps,
            authenticated(),
            teaching_load.AssignTeachingLoad(
                teacher_id=request.teacher_id,
                course_unit_id=request.course_unit_id,
                group_id=request.group_id,
                subgroup_id=request.subgroup_id,
                lesson_type=lesson_type(request.lesson_type),
                hours=request.hours,
            ),
        )
        return pb.AssignTeachingLoadResponse(teaching_load=tr.teaching_load(row))

    async def RemoveTeachingLoad(
        self, request: pb.RemoveTeachingLoadRequest, context: Context
    ) -> pb.RemoveTeachingLoadResponse:
        await teaching_load.remove_teaching_load(
            self.deps,
            authenticated(),
            teaching_load.RemoveTeachingLoad(load_id=request.load_id, reason=request.reason),
        )
        return pb.RemoveTeachingLoadResponse()

    async def ListTeachingLoads(
        self, request: pb.ListTeachingLoadsRequest, context: Context
    ) -> pb.ListTeachingLoadsResponse:
        asked = (request.teacher_id, request.group_id, request.course_unit_id, request.term_id,
                 request.department_id)  # fmt: skip
        page = page_request(request.page_size, request.page_token, asked)
        rows, next_token = await teaching_load_queries.list_teaching_loads(
            self.deps, authenticated(), *asked, page=page
        )
        labels = await teaching_load_queries.load_labels(self.deps, rows)
        return pb.ListTeachingLoadsResponse(
            teaching_loads=[tr.teaching_load(x, labels) for x in rows], next_page_token=next_token
        )

    async def AppointPlanUploader(
        self, request: pb.AppointPlanUploaderRequest, context: Context
    ) -> pb.AppointPlanUploaderResponse:
        await lesson_plans.appoint_uploader(
            self.deps,
            authenticated(),
            lesson_plans.AppointUploader(
                department_id=request.department_id,
                person_id=request.person_id,
                protocol_number=request.protocol_number,
                protocol_date=request.protocol_date,
            ),
        )
        return pb.AppointPlanUploaderResponse()

    async def SubmitLessonPlan(
        self, request: pb.SubmitLessonPlanRequest, context: Context
    ) -> pb.SubmitLessonPlanResponse:
        items = [
            PlanItemInput(
                i.number, i.date, i.starts_at, i.ends_at, i.topic, i.hours, i.teacher_id, i.classroom_id
            )
            for i in request.items
        ]
        data = PlanInput(
            request.course_unit_id,
            lesson_type(request.lesson_type),
            request.group_id,
            request.subgroup_id,
            request.protocol_number,
            request.protocol_date,
            items,
        )
        view = await lesson_plans.submit_lesson_plan(
            self.deps, authenticated(), lesson_plans.SubmitLessonPlan(plan=data, reason=request.reason)
        )
        return pb.SubmitLessonPlanResponse(lesson_plan=tr.lesson_plan(view))

    async def GetLessonPlan(
        self, request: pb.GetLessonPlanRequest, context: Context
    ) -> pb.GetLessonPlanResponse:
        view = await lesson_plans.get_lesson_plan(
            self.deps,
            authenticated(),
            request.course_unit_id,
            lesson_type(request.lesson_type),
            request.group_id,
            request.subgroup_id,
        )
        return pb.GetLessonPlanResponse(lesson_plan=tr.lesson_plan(view))

    async def ScheduleLesson(
        self, request: pb.ScheduleLessonRequest, context: Context
    ) -> pb.ScheduleLessonResponse:
        row = await schedule.schedule_lesson(
            self.deps,
            authenticated(),
            schedule.ScheduleLesson(
                course_unit_id=request.course_unit_id,
                group_id=request.group_id,
                subgroup_id=request.subgroup_id,
                lesson_type=lesson_type(request.lesson_type),
                date=request.date,
                starts_at=request.starts_at,
                ends_at=request.ends_at,
                classroom_id=request.classroom_id,
                teacher_id=request.teacher_id,
                topic=request.topic,
                number=request.number,
                substitution_reference=request.substitution_reference,
            ),
        )
        return pb.ScheduleLessonResponse(lesson=tr.lesson(row))

    async def CancelLesson(
        self, request: pb.CancelLessonRequest, context: Context
    ) -> pb.CancelLessonResponse:
        await schedule.cancel_lesson(
            self.deps,
            authenticated(),
            schedule.CancelLesson(lesson_id=request.lesson_id, reason=request.reason),
        )
        return pb.CancelLessonResponse()

    async def ListLessons(self, request: pb.ListLessonsRequest, context: Context) -> pb.ListLessonsResponse:
        asked = (request.group_id, request.teacher_id, request.from_date, request.to_date)
        page = page_request(request.page_size, request.page_token, asked)
        rows, next_token = await schedule.list_lessons(self.deps, authenticated(), *asked, page=page)
        return pb.ListLessonsResponse(lessons=[tr.lesson(x) for x in rows], next_page_token=next_token)
