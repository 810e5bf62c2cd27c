"""A demo university's semester as the events its services would publish, for tests and benchmarks.

`build(shape)` returns the events (identity, curriculum, gradebook, workflow) in publishing order and
the statements the gradebook would serve. Marks follow the demo semester's model (demo/semester.py):
each student has a hidden ability, so the reports and the forecast see realistic figures.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from google.protobuf.message import Message

from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import gradebook_service_pb2 as gbs
from ejournal.identity.v1 import events_pb2 as idn
from ejournal_regulation import get_profile
from services.reporting.adapters.statement_hash import content_hash
from services.reporting.domain.marks import read_mark, scale_facts
from services.reporting.tests.demo.semester import FIRST_NAMES, LAST_NAMES

M = TypeVar("M", bound=Message)
NS = uuid.UUID("6f0e4a52-52c3-4c1e-9a52-7c0de0000000")


def uid(*parts: object) -> str:
    return str(uuid.uuid5(NS, "/".join(str(p) for p in parts)))


@dataclass(frozen=True)
class Shape:
    profile_code: str = "kz-medical"
    faculties: int = 1
    departments_per_faculty: int = 1
    groups_per_department: int = 2
    students_per_group: int = 10
    units_per_department: int = 2
    lessons_per_unit: int = 8
    term_start: date = date(2026, 9, 1)
    seed: int = 7


@dataclass(frozen=True)
class Published:
    service: str
    payload: Message
    subject: str
    time: datetime


@dataclass
class DemoUniversity:
    shape: Shape
    events: list[Published] = field(default_factory=list)
    statements: dict[str, gbs.Statement] = field(default_factory=dict)
    term_id: str = ""
    journal_ids: list[str] = field(default_factory=list)
    student_names: dict[str, str] = field(default_factory=dict)
    marks: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (journal, student) -> values
    titles: dict[str, str] = field(default_factory=dict)  # structure unit and course unit id -> title

    @property
    def university_id(self) -> str:
        return uid("university", self.shape.profile_code)

    def sealed_names(
        self, unit: str, group: str, department: str, faculty: str, people: list[str]
    ) -> gbs.StatementNames:
        """The names the gradebook seals into a statement (from its copy of the structure events)."""
        profile = get_profile(self.shape.profile_code)
        state = "kk" if profile.country == "KZ" else "ky"
        return gbs.StatementNames(
            university=profile.title.get(state) or profile.title.get("ru", ""),
            faculty=self.titles.get(faculty, ""),
            department=self.titles.get(department, ""),
            specialty=self.titles.get(f"specialty/{faculty}", ""),
            group=self.titles.get(group, ""),
            discipline=self.titles.get(unit, ""),
            people={p: self.student_names.get(p) or self.titles.get(p, "") for p in people},
            time_zone="Asia/Almaty" if profile.country == "KZ" else "Asia/Bishkek",
            profile_code=profile.code,
        )

    def add(self, service: str, payload: Message, subject: str, at: datetime) -> None:
        self.events.append(Published(service, payload, subject, at))

    def of_type(self, message_type: type[M]) -> list[M]:
        return [e.payload for e in self.events if isinstance(e.payload, message_type)]

    def count(self, type_name: str) -> int:
        return sum(1 for e in self.events if e.payload.DESCRIPTOR.name == type_name)


def statement_hash(statement: gbs.Statement) -> str:
    """The hash the gradebook would state (its canonical JSON of the statement)."""
    return content_hash(statement)


def at_day(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def build(shape: Shape = Shape()) -> DemoUniversity:
    from services.reporting.tests.demo.university_marks import add_gradebook

    rng = random.Random(f"{shape.profile_code}/{shape.seed}")
    demo = DemoUniversity(shape)
    start = at_day(shape.term_start - timedelta(days=10))
    demo.term_id = uid("term", shape.profile_code, shape.term_start)
    end = shape.term_start + timedelta(days=7 * (shape.lessons_per_unit // 2 + 2))
    demo.add(
        "curriculum",
        cur.TermDefined(
            term_id=demo.term_id,
            academic_year_id=uid("year", 2026),
            number=1,
            starts_on=shape.term_start.isoformat(),
            ends_on=end.isoformat(),
            revision=1,
        ),
        f"term/{demo.term_id}",
        start,
    )
    person = 0
    profile = get_profile(shape.profile_code)
    university = uid("university", shape.profile_code)
    state = "kk" if profile.country == "KZ" else "ky"
    demo.titles[university] = profile.title.get(state) or profile.title.get("ru", "")
    _unit(demo, university, "university", "", start)
    for f in range(shape.faculties):
        faculty = uid("faculty", shape.profile_code, f)
        demo.titles[faculty] = f"Жалпы медицина факультеті {f + 1}"
        _unit(demo, faculty, "faculty", university, start)
        specialty = uid("specialty", faculty)
        demo.titles[specialty] = demo.titles[f"specialty/{faculty}"] = "6B10101 Жалпы медицина"
        _unit(demo, specialty, "specialty", faculty, start)
        for d in range(shape.departments_per_faculty):
            department = uid("department", faculty, d)
            demo.titles[department] = f"Ішкі аурулар пропедевтикасы кафедрасы {f + 1}.{d + 1}"
            _unit(demo, department, "department", faculty, start)
            teachers = []
            for t in range(shape.units_per_department):
                person += 1
                teacher = uid("teacher", department, t)
                last, first = LAST_NAMES[person % len(LAST_NAMES)], FIRST_NAMES[person % len(FIRST_NAMES)]
                teachers.append(teacher)
                demo.titles[teacher] = f"{last} {first}"
                demo.add(
                    "identity",
                    idn.PersonCreated(
                        person_id=teacher,
                        login=f"t{person}",
                        last_name=last,
                        first_name=first,
                        category="staff",
                        faculty_id=faculty,
                        department_id=department,
                        profile_code=shape.profile_code,
                        full_name=f"{last} {first}",
                    ),
                    f"person/{teacher}",
                    start,
                )
            groups = []
            for g in range(shape.groups_per_department):
                group = uid("group", department, g)
                groups.append(group)
                demo.titles[group] = f"ЖМ-{f + 1}{d + 1}{g + 1:02d}"
                _unit(demo, group, "group", specialty, start)
                curator = teachers[g % len(teachers)]
                demo.add(
                    "identity",
                    idn.RoleGranted(
                        assignment_id=uid("curator", group),
                        person_id=curator,
                        role="curator",
                        scope_type="group",
                        scope_id=group,
                    ),
                    f"person/{curator}",
                    start,
                )
                for s in range(shape.students_per_group):
                    _student(demo, rng, faculty, department, group, s, start)
            for u in range(shape.units_per_department):
                add_gradebook(demo, rng, faculty, department, u, teachers[u], groups, start)
            if get_profile(shape.profile_code).reopen.allowed:
                _reopen_one(demo, faculty, department, teachers[0])
    return demo


def _unit(demo: DemoUniversity, unit_id: str, kind: str, parent_id: str, at: datetime) -> None:
    """Curriculum's StructureUnitDefined: the unit's printable name, as reporting keeps it."""
    university = kind == "university"
    demo.add(
        "curriculum",
        cur.StructureUnitDefined(
            unit_id=unit_id,
            kind=kind,
            code=demo.titles[unit_id] if kind == "group" else kind[:3].upper(),
            title=demo.titles[unit_id],
            parent_id=parent_id,
            time_zone=("Asia/Almaty" if demo.shape.profile_code.startswith("kz") else "Asia/Bishkek")
            if university
            else "",
            profile_code=demo.shape.profile_code if university else "",
            defined_at=at.isoformat(),
        ),
        f"unit/{unit_id}",
        at,
    )


def _reopen_one(demo: DemoUniversity, faculty: str, department: str, teacher: str) -> None:
    """One reopen per department, of its first unit's first group's statement, a week after closing."""
    from services.reporting.tests.demo.university_reopen import add_reopen

    journal = next(
        j
        for j in demo.journal_ids
        if j == uid("journal", uid("unit", department, 0), _first_group(department))
    )
    statement_id = next(
        s for s, st in demo.statements.items() if st.journal_id == journal and st.kind == "section"
    )
    closed = datetime.fromisoformat(demo.statements[statement_id].formed_at)
    add_reopen(
        demo, statement_id, teacher, department, faculty, len(demo.statements), closed + timedelta(days=1)
    )


def _first_group(department: str) -> str:
    return uid("group", department, 0)


def _student(
    demo: DemoUniversity, rng: random.Random, faculty: str, department: str, group: str, s: int, at: datetime
) -> None:
    student = uid("student", group, s)
    last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
    first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
    demo.student_names[student] = f"{last} {first}"
    demo.add(
        "identity",
        idn.PersonCreated(
            person_id=student,
            login=f"s-{student[:8]}",
            last_name=last,
            first_name=first,
            full_name=f"{last} {first}",
            category="student",
            faculty_id=faculty,
            department_id=department,
            group_id=group,
            profile_code=demo.shape.profile_code,
        ),
        f"person/{student}",
        at,
    )
    demo.add(
        "curriculum",
        cur.StudentEnrolled(
            movement_id=uid("enrol", student),
            student_id=student,
            group_id=group,
            faculty_id=faculty,
            effective_date=demo.shape.term_start.isoformat(),
            order=cur.Order(number=f"{100 + s}-С", date="2026-08-25"),
        ),
        f"group/{group}",
        at,
    )
    parent = uid("parent", student)
    demo.add(
        "identity",
        idn.PersonCreated(
            person_id=parent,
            login=f"p-{student[:8]}",
            last_name=last,
            first_name="Гүлнәр",
            full_name=f"{last} Гүлнәр",
            category="parent",
            profile_code=demo.shape.profile_code,
        ),
        f"person/{parent}",
        at,
    )
    demo.add(
        "identity",
        idn.RoleGranted(
            assignment_id=uid("parent-of", student),
            person_id=parent,
            role="parent",
            scope_type="student",
            scope_id=student,
        ),
        f"person/{parent}",
        at,
    )


def passing_text(profile_code: str) -> str:
    return format(scale_facts(profile_code).passing.normalize(), "f")


def absent_text(profile_code: str) -> str:
    return "н/б" if read_mark(profile_code, "н/б").is_absence else "нб"
