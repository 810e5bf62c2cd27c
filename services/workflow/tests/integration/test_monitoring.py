"""The daily fill check (KZ-09) and the weekly journal check (KG-08) on the dev server with the real
activities and database: what is flagged, to whom, once; who sees the weekly results; the schedules."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from deploy.local.servers import TemporalDevServer
from ejournal.gradebook.v1 import events_pb2 as gradebook
from ejournal.workflow.v1 import events_pb2 as ev
from ejournal.workflow.v1 import workflow_service_pb2 as pb
from services.workflow.adapters.schedules import ensure_schedules
from services.workflow.domain.actors import Actor, Grant
from services.workflow.domain.fill_checks import JournalFill, LessonDayFill, WeekFill
from services.workflow.processes.monitoring.messages import DailyCheckInput, FillStatus, WeeklyCheckInput
from services.workflow.processes.monitoring.workflows import (
    DailyFillCheckWorkflow,
    WeeklyJournalCheckWorkflow,
    day_checked,
    week_checked,
)
from services.workflow.tests.harness import Harness, running_service

pytestmark = pytest.mark.integration
DAY, WEEK = "2026-11-23", "2026-11-16"


@pytest.fixture
async def service(databases: Any, temporal_dev: TemporalDevServer) -> AsyncIterator[Harness]:
    async with running_service(databases.fresh("workflow"), temporal_dev.address) as harness:
        yield harness


async def open_journal(
    h: Harness,
    journal_id: str,
    teacher: str,
    department: str,
    faculty: str,
    profile: str = "kz-medical",
    university: str = "u",
) -> None:
    await h.gradebook_event(
        gradebook.JournalOpened(
            journal_id=journal_id,
            term_id="t",
            course_unit_id=f"cu-{journal_id}",
            group_id="g",
            teacher_ids=[teacher],
            department_id=department,
            faculty_id=faculty,
            profile_code=profile,
            university_id=university,
        )
    )


@pytest.mark.rule("KZ-09")
async def test_short_units_lesson_days_without_grades_are_flagged_to_teacher_and_head_once(
    service: Harness,
) -> None:
    h = service
    await open_journal(h, "j-short", "Нұрлан", "dep-a", "fac-a")
    await open_journal(h, "j-graded", "Гүлнар", "dep-a", "fac-a")
    await open_journal(h, "j-long", "Дәурен", "dep-b", "fac-a")
    ungraded = LessonDayFill(DAY, 2, False, 25, 0, 50, 2)
    h.gradebook.status = FillStatus(
        (
            JournalFill("j-short", ("Нұрлан",), "dep-a", "fac-a", "cu-j-short", 5, (ungraded,)),
            JournalFill(
                "j-graded",
                ("Гүлнар",),
                "dep-a",
                "fac-a",
                "cu-j-graded",
                3,
                (LessonDayFill(DAY, 1, True, 25, 25, 25, 0),),
            ),
            JournalFill("j-long", ("Дәурен",), "dep-b", "fac-a", "cu-j-long", 30, (ungraded,)),
        )
    )
    for attempt in range(2):  # run twice: the day is flagged once
        result = await h.client.execute_workflow(
            DailyFillCheckWorkflow.run,
            DailyCheckInput("kz-medical", day=DAY),
            id=f"daily-{uuid.uuid4().hex}",
            task_queue=h.queue,
        )
        assert (result.journals_checked, result.flagged) == (3, 1 if attempt == 0 else 0)
    assert {r.department_id for r in h.gradebook.status_requests} == {"dep-a", "dep-b"}

    flagged = await h.outbox(ev.LessonDayUngraded)
    assert [(f.journal_id, f.lesson_date, list(f.teacher_ids)) for f in flagged] == [
        ("j-short", DAY, ["Нұрлан"])
    ]
    notices = [n for n in await h.notifications() if n.kind == "fill_check"]
    assert {(n.recipient_id, n.recipient_role, n.scope_id) for n in notices} == {
        ("Нұрлан", "", ""),
        ("", "department_head", "dep-a"),
    }
    assert await h.scalar("SELECT count(*) FROM fill_flags") == 1


@pytest.mark.rule("KG-08")
async def test_weekly_check_reaches_dean_office_academic_department_and_each_teacher(
    service: Harness,
) -> None:
    h = service
    await open_journal(h, "j-1", "Айбек", "dep-a", "fac-a", "kg-jasu")
    await open_journal(h, "j-2", "Жылдыз", "dep-b", "fac-b", "kg-jasu")
    h.gradebook.status = FillStatus(
        (
            JournalFill(
                "j-1",
                ("Айбек",),
                "dep-a",
                "fac-a",
                "cu",
                60,
                weeks=(WeekFill(WEEK, 4, 3, 100, 75, 80, 70, 10),),
            ),
            JournalFill(
                "j-2",
                ("Жылдыз",),
                "dep-b",
                "fac-b",
                "cu",
                60,
                weeks=(WeekFill(WEEK, 2, 2, 50, 50, 50, 45, 5),),
            ),
        )
    )
    for _ in range(2):
        await h.client.execute_workflow(
            WeeklyJournalCheckWorkflow.run,
            WeeklyCheckInput("kg-jasu", week_start=WEEK),
            id=f"weekly-{uuid.uuid4().hex}",
            task_queue=h.queue,
        )
    checked = await h.outbox(ev.JournalChecked)
    assert [(c.journal_id, c.filled_percent, c.attendance_percent) for c in checked] == [
        ("j-1", "75.0", "87.5"),
        ("j-2", "100.0", "90.0"),
    ]
    # The findings travel as catalog keys with values too, so each reader is told them in their language.
    assert [(f.key, dict(f.values)) for f in checked[0].keyed_findings] == [
        ("{empty} of {lessons} lessons without marks", {"empty": "1", "lessons": "4"}),
        ("{empty} of {cells} cells empty", {"empty": "25", "cells": "100"}),
    ]
    notices = [n for n in await h.notifications() if n.kind == "weekly_check"]
    assert [n.recipient_id for n in notices if n.recipient_id] == ["Айбек"]  # only findings go to teachers
    (to_teacher,) = [n for n in notices if n.recipient_id]
    assert [f.key for f in to_teacher.findings] == [f.key for f in checked[0].keyed_findings]
    assert to_teacher.values["findings"] == "1 of 4 lessons without marks; 25 of 100 cells empty"
    assert {(n.recipient_role, n.scope_id) for n in notices if n.recipient_role} == {
        ("dean", "fac-a"),
        ("dean", "fac-b"),
        ("registrar_head", "u"),  # the faculties' own university's (issue 18)
    }

    def who(actor: Actor) -> Any:
        return h.stub.ListJournalChecks(pb.ListJournalChecksRequest(week_start=WEEK), metadata=h.auth(actor))

    teacher = Actor("Айбек", (Grant("teacher", "department", "dep-a"),))
    assert [c.journal_id for c in (await who(teacher)).checks] == ["j-1"]
    assert list((await who(teacher)).checks[0].findings) == [
        "1 of 4 lessons without marks",
        "25 of 100 cells empty",
    ]
    # ...and as catalog keys with values, so the portal says them in the reader's language.
    assert [(f.key, dict(f.values)) for f in (await who(teacher)).checks[0].keyed_findings] == [
        ("{empty} of {lessons} lessons without marks", {"empty": "1", "lessons": "4"}),
        ("{empty} of {cells} cells empty", {"empty": "25", "cells": "100"}),
    ]
    dean_b = Actor("dean-b", (Grant("dean", "faculty", "fac-b"),))
    assert [c.journal_id for c in (await who(dean_b)).checks] == ["j-2"]
    registrar = Actor("reg", (Grant("registrar_head", "university", "u"),))
    assert [c.journal_id for c in (await who(registrar)).checks] == ["j-1", "j-2"]
    # Issue 18: a university-wide role reaches its own university's journals, never another's.
    other_registrar = Actor("reg-2", (Grant("registrar_head", "university", "u-2"),))
    assert list((await who(other_registrar)).checks) == []
    stranger = Actor("student", (Grant("student", "student", "student"),))
    assert list((await who(stranger)).checks) == []


async def test_schedules_are_created_once_per_profile(
    temporal_dev: TemporalDevServer, temporal_client: Any
) -> None:
    queue = f"schedules-{uuid.uuid4().hex[:6]}"
    created = await ensure_schedules(temporal_client, queue, "Asia/Almaty", 5)
    again = await ensure_schedules(temporal_client, queue, "Asia/Almaty", 5)
    assert set(created) | set(again) == {
        "daily-fill-check-kz-medical",
        "weekly-journal-check-kg-jasu",
        "reconcile-reopen-cases",
    }
    assert again == []
    described = await temporal_client.get_schedule_handle("daily-fill-check-kz-medical").describe()
    assert described.schedule.action.workflow == "DailyFillCheck"
    assert described.schedule.spec.time_zone_name == "Asia/Almaty"


def test_the_checked_day_and_week_come_from_the_local_time_of_the_run() -> None:
    from datetime import UTC, datetime

    run = datetime(2026, 11, 23, 19, 30, tzinfo=UTC)  # 00:30 on the 24th in Almaty (+05:00)
    assert day_checked(run, 5) == "2026-11-23"
    assert week_checked(run, 5) == "2026-11-16"  # the 24th is a Tuesday; last week began on the 16th
