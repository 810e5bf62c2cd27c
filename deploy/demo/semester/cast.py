"""Who plays the semester in each regulation profile: demo university people (deploy/demo)."""

from __future__ import annotations

from dataclasses import dataclass

from deploy.demo import university as u
from deploy.demo.model import Group, Person


@dataclass(frozen=True)
class Reopen:
    """Who signs a kz reopen case (KZ-13): visas, the dean's council, the registrar."""

    visas: tuple[tuple[str, Person], ...]
    dean: Person


@dataclass(frozen=True)
class Cast:
    """Who plays the semester in one profile."""

    profile: str
    teacher: Person
    student: Person  # in one of the teacher's journals
    other_student: Person  # not the parent's child
    parent: Person  # of `student`
    head: Person  # of the teacher's department
    substitute: Person  # a colleague of the same department
    marks: tuple[str, ...]  # values entered in one lesson, including the absence mark
    absence: str
    substitute_marks: tuple[str, str]  # two values, so the substitute's write is always a change
    registrar: Person
    closing_teacher: Person  # teaches `closing_group`, which no other step touches
    closing_group: Group
    closes_by_deadline: bool  # kz: 3 days after the event (KZ-05); kg: on the event (KG-06), no deadline
    reopen: Reopen | None = None  # the reopen procedure and the sanction ladder are kz's (KZ-13, KZ-14)


CASTS = (
    Cast(
        "kz-medical",
        u.KZ_TEACHER1,
        u.KZ_STUDENT1,
        u.KZ_STUDENT3,
        u.KZ_PARENT1,
        u.KZ_HEAD_ANAT,
        u.KZ_TEACHER2,
        ("н/б", "0", "85"),
        "н/б",
        ("70", "75"),
        u.KZ_REGISTRAR,
        u.KZ_TEACHER3,
        u.KZ_G3,
        True,
        reopen=Reopen(
            (
                ("department_head", u.KZ_HEAD_ANAT),
                ("dean_curation", u.KZ_CURATION_MED),
                ("dean", u.KZ_DEAN_MED),
            ),
            u.KZ_DEAN_MED,
        ),
    ),
    Cast(
        "kg-jasu",
        u.KG_TEACHER2,
        u.KG_STUDENT1,
        u.KG_STUDENT2,
        u.KG_PARENT1,
        u.KG_HEAD_MATH,
        u.KG_TEACHER1,
        ("нб", "5", "4"),
        "нб",
        ("3", "4"),
        u.KG_ACADEMIC,
        u.KG_TEACHER_INFO,
        u.KG_G2,
        False,
    ),
)
