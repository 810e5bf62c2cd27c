"""Rows and views of the use cases as the contract's messages."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from ejournal.curriculum.v1 import curriculum_service_pb2 as pb
from ejournal.curriculum.v1 import events_pb2 as ev
from services.curriculum.domain.contingent import GroupMember
from services.curriculum.domain.records import (
    AuditEntry,
    Classroom,
    ControlEvent,
    Department,
    Faculty,
    GroupWithSubgroups,
    Lesson,
    Movement,
    Specialty,
    Subgroup,
    TeachingLoad,
    Term,
    University,
)
from services.curriculum.service_layer.calendar import YearWithTerms
from services.curriculum.service_layer.curriculum import UnitView
from services.curriculum.service_layer.events import (
    control_kind_pb,
    kind_pb,
    lesson_type_pb,
    local,
    order_pb,
    s,
)
from services.curriculum.service_layer.lesson_plans import PlanView
from services.curriculum.service_layer.teaching_load_queries import LoadLabels


def university(u: University) -> pb.University:
    return pb.University(
        id=s(u.id), code=u.code, title=u.title, profile_code=u.profile_code, time_zone=u.time_zone
    )


def faculty(f: Faculty) -> pb.Faculty:
    return pb.Faculty(id=s(f.id), university_id=s(f.university_id), code=f.code, title=f.title)


def department(d: Department) -> pb.Department:
    return pb.Department(id=s(d.id), faculty_id=s(d.faculty_id), code=d.code, title=d.title)


def specialty(x: Specialty) -> pb.Specialty:
    return pb.Specialty(id=s(x.id), faculty_id=s(x.faculty_id), code=x.code, title=x.title)


def subgroup(x: Subgroup) -> pb.Subgroup:
    return pb.Subgroup(id=s(x.id), group_id=s(x.group_id), code=x.code)


def group(g: GroupWithSubgroups) -> pb.Group:
    return pb.Group(
        id=s(g.group.id),
        specialty_id=s(g.group.specialty_id),
        academic_year_id=s(g.group.academic_year_id),
        course_number=g.group.course_number,
        code=g.group.code,
        language=g.group.language,
        subgroups=[subgroup(x) for x in g.subgroups],
        faculty_id=g.faculty_id,
    )


def classroom(c: Classroom) -> pb.Classroom:
    return pb.Classroom(
        id=s(c.id),
        university_id=s(c.university_id),
        code=c.code,
        building=c.building,
        capacity=c.capacity,
        secret_version=c.secret_version,
    )


def term(t: Term) -> pb.Term:
    return pb.Term(
        id=s(t.id),
        academic_year_id=s(t.academic_year_id),
        number=t.number,
        starts_on=s(t.starts_on),
        ends_on=s(t.ends_on),
        revision=t.revision,
    )


def academic_year(y: YearWithTerms) -> pb.AcademicYear:
    return pb.AcademicYear(
        id=s(y.year.id),
        university_id=s(y.year.university_id),
        code=y.year.code,
        starts_on=s(y.year.starts_on),
        ends_on=s(y.year.ends_on),
        terms=[term(t) for t in y.terms],
        windows=pb.CurriculumWindows(
            load_from=s(y.year.load_from),
            load_until=s(y.year.load_until),
            correction_from=s(y.year.correction_from),
            correction_until=s(y.year.correction_until),
        ),
    )


def control_event(e: ControlEvent, zone: ZoneInfo | None = None) -> pb.ControlEvent:
    zone = zone or ZoneInfo("UTC")
    return pb.ControlEvent(
        id=s(e.id),
        kind=control_kind_pb(e.kind),
        course_unit_id=s(e.course_unit_id),
        group_id=s(e.group_id),
        subgroup_id=s(e.subgroup_id),
        date=s(e.date),
        grade_entry_deadline=local(e.grade_entry_deadline, zone),
        closing_deadline=local(e.closing_deadline, zone),
        term_id=s(e.term_id),
        revision=e.revision,
    )


def audit_entry(a: AuditEntry) -> pb.AuditEntry:
    import json

    return pb.AuditEntry(
        id=s(a.id),
        at=s(a.at),
        actor_id=a.actor_id,
        action=a.action,
        entity=a.entity,
        entity_id=s(a.entity_id),
        reason=a.reason,
        before_json=json.dumps(a.before, ensure_ascii=False) if a.before is not None else "",
        after_json=json.dumps(a.after, ensure_ascii=False) if a.after is not None else "",
    )


def movement(m: Movement) -> pb.Movement:
    return pb.Movement(
        id=s(m.id),
        kind=m.kind,
        student_id=s(m.student_id),
        from_group_id=s(m.from_group_id),
        from_subgroup_id=s(m.from_subgroup_id),
        group_id=s(m.group_id),
        subgroup_id=s(m.subgroup_id),
        order=order_pb(m.order_number, m.order_date),
        effective_date=s(m.effective_date),
        reason=m.reason,
        recorded_by=m.recorded_by,
        recorded_at=s(m.recorded_at),
    )


def member(m: GroupMember) -> pb.GroupMember:
    return pb.GroupMember(
        student_id=m.student_id,
        subgroup_id=m.subgroup_id or "",
        since=m.since.isoformat(),
        order=order_pb(m.order_number, m.order_date),
        student_name=m.student_name,
    )


def course_unit(v: UnitView) -> pb.CourseUnit:
    u = v.unit
    return pb.CourseUnit(
        id=s(u.id),
        kind=kind_pb(u.kind),
        parent_id=s(u.parent_id),
        academic_year_id=s(u.academic_year_id),
        specialty_id=s(u.specialty_id),
        course_number=u.course_number,
        term_id=s(u.term_id),
        code=u.code,
        title=u.title,
        department_id=s(u.department_id),
        profile_code=u.profile_code,
        credits=str(u.credits),
        hours_total=sum(v.hours.values()),
        hours=[ev.LessonHours(lesson_type=lesson_type_pb(t), hours=h) for t, h in sorted(v.hours.items())],
        position=u.position,
        has_own_exam=u.has_own_exam,
        revision=u.revision,
        parts=[course_unit(p) for p in v.parts],
    )


def teaching_load(x: TeachingLoad, labels: LoadLabels | None = None) -> pb.TeachingLoad:
    units, groups = (labels.course_units, labels.groups) if labels else ({}, {})
    return pb.TeachingLoad(
        course_unit_title=units.get(s(x.course_unit_id), ""),
        group_code=groups.get(s(x.group_id), ""),
        id=s(x.id),
        teacher_id=s(x.teacher_id),
        course_unit_id=s(x.course_unit_id),
        group_id=s(x.group_id),
        subgroup_id=s(x.subgroup_id),
        lesson_type=lesson_type_pb(x.lesson_type),
        term_id=s(x.term_id),
        department_id=s(x.department_id),
        faculty_id=s(x.faculty_id),
        hours=x.hours,
        revision=x.revision,
    )


def lesson_plan(v: PlanView) -> pb.LessonPlan:
    p = v.plan
    return pb.LessonPlan(
        id=s(p.id),
        course_unit_id=s(p.course_unit_id),
        lesson_type=lesson_type_pb(p.lesson_type),
        group_id=s(p.group_id),
        subgroup_id=s(p.subgroup_id),
        protocol_number=p.protocol_number,
        protocol_date=s(p.protocol_date),
        uploaded_by=p.uploaded_by,
        uploaded_at=s(p.uploaded_at),
        revision=p.revision,
        items=[
            pb.PlanItem(
                number=i.number,
                date=s(i.date),
                starts_at=i.starts_at.strftime("%H:%M"),
                ends_at=i.ends_at.strftime("%H:%M") if i.ends_at else "",
                topic=i.topic,
                hours=i.hours,
                teacher_id=s(i.teacher_id),
                classroom_id=s(i.classroom_id),
            )
            for i in v.items
        ],
    )


def lesson(x: Lesson) -> pb.Lesson:
    return pb.Lesson(
        id=s(x.id),
        course_unit_id=s(x.course_unit_id),
        group_id=s(x.group_id),
        subgroup_id=s(x.subgroup_id),
        lesson_type=lesson_type_pb(x.lesson_type),
        date=s(x.date),
        starts_at=x.starts_at.strftime("%H:%M"),
        ends_at=x.ends_at.strftime("%H:%M"),
        classroom_id=s(x.classroom_id),
        teacher_id=s(x.teacher_id),
        topic=x.topic,
        number=x.number,
        term_id=s(x.term_id),
        load_id=s(x.load_id),
        revision=x.revision,
    )
