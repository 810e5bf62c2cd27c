"""A student absent from three lessons in a row: the group's curator and the student's parents are told,
each in their language, once (KG-11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy.local.mail import subject_of
from deploy.local.servers import free_port
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_platform.testing.fixtures import Databases
from services.identity.tests.harness import KZ_G1, pid
from services.notifier.tests.harness import mail_server, running_notifier, smtp_to

pytestmark = pytest.mark.integration


def attendance(lesson: str, status: str) -> gb.AttendanceRecorded:
    return gb.AttendanceRecorded(journal_id="j1", lesson_id=lesson, student_id=pid("kz.student1"),
                                 status=status, group_id=KZ_G1)  # fmt: skip


@pytest.mark.rule("KG-11")
async def test_three_absences_in_a_row_tell_the_curator_and_the_parents(
    databases: Databases, tmp_path: Path
) -> None:
    server = mail_server(tmp_path / "mail", free_port())
    try:
        async with running_notifier(databases, {"email": smtp_to(server)}) as notifier:
            for lesson, status in (("l1", "absent"), ("l2", "present"), ("l3", "absent"), ("l4", "absent")):
                await notifier.deliver(attendance(lesson, status))
            assert await notifier.dispatcher.dispatch_due() == 0  # two in a row: nobody is told yet
            third = await notifier.deliver(attendance("l5", "absent"))
            await notifier.deliver(attendance("l5", "absent"), third)  # the same event again
            await notifier.deliver(attendance("l6", "absent"))  # a fourth: the same streak, no new notice
            assert await notifier.dispatcher.dispatch_due() == 2
            got = sorted((m["To"], subject_of(m)) for m in server.messages())
            assert got == [
                ("kz.parent1@demo.ejournal.example", "Студент бірнеше сабақты қатарынан жіберіп алды"),
                ("kz.teacher2@demo.ejournal.example", "Студент бірнеше сабақты қатарынан жіберіп алды"),
            ]
    finally:
        server.stop()


def opened(journal: str, profile: str) -> gb.JournalOpened:
    return gb.JournalOpened(journal_id=journal, group_id=KZ_G1, profile_code=profile)


def mark(lesson: str, value: str, kind: str = "lesson") -> gb.MarkRecorded:
    return gb.MarkRecorded(journal_id="j2", lesson_id=lesson, student_id=pid("kz.student1"), value=value,
                           column_kind=kind)  # fmt: skip


@pytest.mark.rule("KG-11")
@pytest.mark.rule("KZ-12")
async def test_absence_marks_count_toward_absences_in_a_row_like_attendance(
    databases: Databases, tmp_path: Path
) -> None:
    server = mail_server(tmp_path / "mail", free_port())
    try:
        async with running_notifier(databases, {"email": smtp_to(server)}) as notifier:
            await notifier.deliver(opened("j2", "kz-medical"))
            # A grade breaks a streak; a lesson marked and recorded absent counts once; a cleared mark and
            # a control event's column say nothing.
            student = pid("kz.student1")
            same_lesson = gb.AttendanceRecorded(journal_id="j2", lesson_id="l4", student_id=student,
                                                status="absent", group_id=KZ_G1)  # fmt: skip
            for event in (mark("l1", "н/б"), mark("l2", "87"), mark("l3", "н/б"), mark("l4", "н/б"),
                          same_lesson, mark("l5", ""), mark("c1", "н/б", "control")):  # fmt: skip
                await notifier.deliver(event)
            assert await notifier.dispatcher.dispatch_due() == 0  # two lessons in a row so far
            await notifier.deliver(mark("l6", "н/б"))  # the third: `н/б` typed as a mark
            assert await notifier.dispatcher.dispatch_due() == 2
            assert sorted(m["To"] for m in server.messages()) == [
                "kz.parent1@demo.ejournal.example", "kz.teacher2@demo.ejournal.example",
            ]  # fmt: skip
    finally:
        server.stop()
