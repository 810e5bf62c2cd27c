"""A statement seals the names it prints, from curriculum's and identity's events as of its formation,
under its content hash; a later rename changes the next statement, never a formed one."""

from __future__ import annotations

import hashlib
import json

import pytest

from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import events_pb2 as ev
from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal.identity.v1 import events_pb2 as idn
from services.gradebook.domain.statements import Header, Line, Names, Signer, canonical_content, content_hash
from services.gradebook.tests.integration.test_closing import close, fill_current
from services.gradebook.tests.world import LESSON_TYPES, JournalSetup, World, new_id

pytestmark = pytest.mark.integration

AT = "2026-09-01T08:00:00+00:00"


async def name_everything(w: World, j: JournalSetup) -> tuple[str, str]:
    university, specialty = new_id(), new_id()
    await w.apply(
        cur.StructureUnitDefined(
            unit_id=university,
            kind="university",
            code="KAZNMU",
            title="С.Ж. Асфендияров атындағы Қазақ ұлттық медицина университеті",
            time_zone="Asia/Almaty",
            profile_code="kz-medical",
            defined_at=AT,
        ),
        cur.StructureUnitDefined(
            unit_id=j.faculty_id,
            kind="faculty",
            code="GM",
            title="Жалпы медицина",
            parent_id=university,
            defined_at=AT,
        ),
        cur.StructureUnitDefined(
            unit_id=j.department_id,
            kind="department",
            code="NF",
            title="Қалыпты физиология кафедрасы",
            parent_id=j.faculty_id,
            defined_at=AT,
        ),
        cur.StructureUnitDefined(
            unit_id=specialty,
            kind="specialty",
            code="6B10101",
            title="Жалпы медицина",
            parent_id=j.faculty_id,
            defined_at=AT,
        ),
        cur.StructureUnitDefined(
            unit_id=j.group_id,
            kind="group",
            code="ЖМ-24-01",
            title="ЖМ-24-01",
            parent_id=specialty,
            defined_at=AT,
        ),
        idn.PersonCreated(person_id=j.teacher_id, full_name="Оспанов Ерлан Серікұлы", category="staff"),
        *(
            idn.PersonCreated(person_id=s, full_name=f"Әбдіғаппарова Гүлнұр {i}", category="student")
            for i, s in enumerate(j.students)
        ),
    )
    return university, specialty


async def statement(w: World, statement_id: str) -> pb.Statement:
    got: pb.GetStatementResponse = await w.rpc.GetStatement(
        pb.GetStatementRequest(statement_id=statement_id), metadata=w.service()
    )
    return got.statement


async def test_a_statement_seals_the_names_as_of_its_formation_under_its_hash(w: World) -> None:
    j = await w.journal("kz-medical", students=2, lessons=2)
    university, _ = await name_everything(w, j)
    await fill_current(w, j)
    closed = await close(w, j, "current")
    s = await statement(w, closed.statement_id)
    n = s.names
    assert n.university.startswith("С.Ж. Асфендияров")
    assert (n.faculty, n.department, n.specialty, n.group) == (
        "Жалпы медицина",
        "Қалыпты физиология кафедрасы",
        "Жалпы медицина",
        "ЖМ-24-01",
    )
    assert n.discipline == "Қалыпты физиология"
    assert (n.time_zone, n.profile_code) == ("Asia/Almaty", "kz-medical")
    assert n.people[j.teacher_id] == "Оспанов Ерлан Серікұлы"
    assert {n.people[x] for x in j.students} == {"Әбдіғаппарова Гүлнұр 0", "Әбдіғаппарова Гүлнұр 1"}
    # The stored canonical content holds the names, and the hash covers them.
    (content, digest), *_ = await w.sql(
        "SELECT content, content_hash FROM statements WHERE statement_id = %s", closed.statement_id
    )
    assert json.loads(content)["names"]["group"] == "ЖМ-24-01"
    assert hashlib.sha256(content.encode()).hexdigest() == digest == s.content_hash

    # A rename (a newer definition) reaches the next statement; an older one is ignored; the formed
    # statement keeps what it sealed.
    await w.apply(
        cur.StructureUnitDefined(
            unit_id=j.group_id,
            kind="group",
            code="ЖМ-24-01А",
            title="ЖМ-24-01А",
            defined_at="2026-10-01T00:00:00+00:00",
        ),
        cur.StructureUnitDefined(
            unit_id=j.group_id, kind="group", code="OLD", title="OLD", defined_at="2026-08-01T00:00:00+00:00"
        ),
    )
    midterm = await close(w, j, "midterm")
    assert (await statement(w, midterm.statement_id)).names.group == "ЖМ-24-01А"
    assert (await statement(w, closed.statement_id)).names.group == "ЖМ-24-01"
    assert university not in n.people


async def test_statement_formed_carries_everything_a_subscriber_needs_to_check_its_hash(w: World) -> None:
    """A subscriber rebuilds the canonical content from the event alone and gets content_hash."""
    j = await w.journal("kz-medical", students=2, lessons=2)
    university, _ = await name_everything(w, j)
    await fill_current(w, j)
    closed = await close(w, j, "current")
    (payload,), *_ = await w.sql(
        "SELECT payload FROM outbox WHERE event_type = 'ejournal.gradebook.v1.StatementFormed'"
        " AND subject = %s",
        f"statement/{closed.statement_id}",
    )
    e = ev.StatementFormed.FromString(payload)
    assert e.university_id == university and e.control_kind == "current"
    assert [line.student_id for line in e.lines] == sorted(j.students)
    assert all(line.value and line.points for line in e.lines)
    assert e.names.group == "ЖМ-24-01" and e.people[j.teacher_id] == "Оспанов Ерлан Серікұлы"
    header = Header(
        e.kind,
        e.series,
        e.number,
        e.term_id,
        e.journal_id,
        e.section,
        e.course_unit_id,
        e.group_id,
        e.control_kind,
        e.formed_at,
        e.formed_by,
        e.original_statement_id,
        e.case_id,
    )
    lines = [
        Line(x.student_id, x.value, x.points, x.letter, x.gpa, x.traditional, x.passed, dict(x.components))
        for x in e.lines
    ]
    signers = [Signer(s.person_id, s.role, s.signed_at) for s in e.signers]
    n = e.names
    names = Names(
        n.university,
        n.faculty,
        n.department,
        n.specialty,
        n.group,
        n.discipline,
        dict(e.people),
        e.time_zone,
        e.profile_code,
    )
    assert content_hash(canonical_content(header, lines, signers, names)) == e.content_hash


async def test_journal_opened_names_its_university_once_the_structure_is_known(w: World) -> None:
    j = await w.journal("kz-medical", students=1, lessons=1)
    university, _ = await name_everything(w, j)
    # A second teacher's load republishes JournalOpened, now with the structure known.
    await w.apply(
        cur.TeachingLoadAssigned(
            load_id=new_id(),
            teacher_id=new_id(),
            course_unit_id=j.course_unit_id,
            group_id=j.group_id,
            lesson_type=LESSON_TYPES["practical"],
            term_id=j.term_id,
            department_id=j.department_id,
            faculty_id=j.faculty_id,
            profile_code="kz-medical",
        )
    )
    rows = await w.sql(
        "SELECT payload FROM outbox WHERE event_type = 'ejournal.gradebook.v1.JournalOpened' ORDER BY seq"
    )
    first, last = (ev.JournalOpened.FromString(r[0]) for r in (rows[0], rows[-1]))
    assert first.university_id == "" and last.university_id == university
    assert last.names.department == "Қалыпты физиология кафедрасы" and last.names.group == "ЖМ-24-01"


async def test_the_journal_gives_its_names_for_the_explanation_form(w: World) -> None:
    """GetJournal carries the journal's printable names, so the teacher's reopen explanation (KZ-17
    form) is prefilled with the discipline, group and specialty the journal belongs to."""
    j = await w.journal("kz-medical", students=1, lessons=1)
    await name_everything(w, j)
    asked = pb.GetJournalRequest(journal_id=j.journal_id)
    got = await w.rpc.GetJournal(asked, metadata=w.teacher(j.teacher_id, j.department_id))
    n = got.names
    assert (n.discipline, n.group, n.specialty) == ("Қалыпты физиология", "ЖМ-24-01", "Жалпы медицина")
    assert (n.department, n.faculty) == ("Қалыпты физиология кафедрасы", "Жалпы медицина")
    assert n.course == 2  # the course unit's year of study: the teacher types only the reason
