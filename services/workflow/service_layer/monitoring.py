"""The daily fill check (KZ-09) and the weekly journal check (KG-08), run by their activities.

Each asks the gradebook for the fill figures of every department of the profile, applies the domain
rules, records results once per (journal, day) or (journal, week) and, for new results only, publishes
events and notifications in the same transaction: a retried check notifies nobody twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from ejournal.workflow.v1 import events_pb2 as ev
from ejournal_platform.events import Event
from ejournal_regulation import get_profile
from services.workflow.adapters import check_store, section_store
from services.workflow.adapters.event_messages import notification_event
from services.workflow.domain import notice_texts as say
from services.workflow.domain.fill_checks import JournalFill, ungraded_days, weekly_figures
from services.workflow.domain.notices import Notice
from services.workflow.processes.monitoring.messages import (
    DailyCheckResult,
    DayCheckRequest,
    FillStatusInput,
    WeekCheckRequest,
    WeeklyCheckResult,
)
from services.workflow.service_layer.deps import Deps

# Told each department's figures as they arrive (the activity's heartbeat: a long check stays alive).
Heartbeat = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


async def _journals(
    deps: Deps, profile_code: str, from_date: str, to_date: str, heartbeat: Heartbeat
) -> list[JournalFill]:
    async with deps.unit_of_work() as uow:
        departments = await section_store.departments_of_profile(uow.session, profile_code)
    found: list[JournalFill] = []
    for department_id in departments:
        status = await deps.gradebook.fill_status(
            FillStatusInput(department_id=department_id, from_date=from_date, to_date=to_date)
        )
        found.extend(status.journals)
        heartbeat(department_id)
    return found


async def daily_fill_check(
    deps: Deps, cmd: DayCheckRequest, *, heartbeat: Heartbeat = _quiet
) -> DailyCheckResult:
    """KZ-09: flag lesson days of short units that ended without grades, to teacher and head."""
    needs_daily_grades = get_profile(cmd.profile_code).needs_daily_grades
    journals = await _journals(deps, cmd.profile_code, cmd.day, cmd.day, heartbeat)
    flagged = 0
    now = datetime.now(UTC)
    async with deps.unit_of_work() as uow:
        for journal in journals:
            for day in ungraded_days(journal, cmd.day, needs_daily_grades):
                if not await check_store.flag_day(uow.session, journal, day, now):
                    continue
                flagged += 1
                subject = f"journal/{journal.journal_id}"
                uow.add_event(
                    Event(
                        ev.LessonDayUngraded(
                            journal_id=journal.journal_id,
                            lesson_date=day.date,
                            teacher_ids=list(journal.teacher_ids),
                            department_id=journal.department_id,
                            faculty_id=journal.faculty_id,
                            course_unit_id=journal.course_unit_id,
                        ),
                        subject=subject,
                    )
                )
                values = {
                    "journal": journal.journal_id,
                    "lesson_on": str(day.date),
                    "days": str(journal.unit_days),
                }
                what, why = say.LESSON_DAY_UNGRADED, say.NO_GRADES_ON_DAY
                notices = [
                    Notice(what, why, recipient_id=t, case_id=journal.journal_id, values=values)
                    for t in journal.teacher_ids
                ]
                notices.append(
                    Notice(
                        what,
                        why,
                        recipient_role="department_head",
                        scope_type="department",
                        scope_id=journal.department_id,
                        case_id=journal.journal_id,
                        values=values,
                    )
                )
                for notice in notices:
                    uow.add_event(Event(notification_event(notice, "fill_check"), subject=subject))
        await uow.commit()
    return DailyCheckResult(cmd.day, len(journals), flagged)


async def weekly_journal_check(
    deps: Deps, cmd: WeekCheckRequest, *, heartbeat: Heartbeat = _quiet
) -> WeeklyCheckResult:
    """KG-08: each journal's filling and attendance of the week, to the dean's office and the
    academic department (summaries) and to the teachers (their own journals' findings)."""
    start = date.fromisoformat(cmd.week_start)
    journals = await _journals(
        deps, cmd.profile_code, cmd.week_start, str(start + timedelta(days=6)), heartbeat
    )
    now = datetime.now(UTC)
    with_findings = 0
    per_faculty: dict[str, list[int]] = {}
    async with deps.unit_of_work() as uow:
        for journal in journals:
            week = next((w for w in journal.weeks if w.week_start == cmd.week_start), None)
            if week is None:
                continue
            figures = weekly_figures(week)
            if not await check_store.record_check(uow.session, cmd.week_start, journal, figures, now):
                continue
            counts = per_faculty.setdefault(journal.faculty_id, [0, 0])
            counts[0] += 1
            subject = f"journal/{journal.journal_id}"
            uow.add_event(
                Event(
                    ev.JournalChecked(
                        week_start=cmd.week_start,
                        journal_id=journal.journal_id,
                        teacher_ids=list(journal.teacher_ids),
                        department_id=journal.department_id,
                        faculty_id=journal.faculty_id,
                        lessons=figures.lessons,
                        lessons_filled=figures.lessons_filled,
                        filled_percent=str(figures.filled_percent),
                        attendance_percent=str(figures.attendance_percent),
                        findings=figures.findings_in_english,
                        keyed_findings=[ev.KeyedText(key=f.key, values=f.values) for f in figures.findings],
                    ),
                    subject=subject,
                )
            )
            if figures.findings:
                with_findings += 1
                counts[1] += 1
                findings = {
                    "week_on": cmd.week_start,
                    "journal": journal.journal_id,
                    "findings": "; ".join(figures.findings_in_english),
                }
                for teacher in journal.teacher_ids:
                    notice = Notice(
                        say.WEEKLY_FINDINGS,
                        say.WEEK_OF_JOURNAL,
                        recipient_id=teacher,
                        case_id=journal.journal_id,
                        values=findings,
                        findings=tuple((f.key, dict(f.values)) for f in figures.findings),
                    )
                    uow.add_event(Event(notification_event(notice, "weekly_check"), subject=subject))
        for faculty_id, (checked, flagged) in sorted(per_faculty.items()):
            summary = {"week_on": cmd.week_start, "checked": str(checked), "flagged": str(flagged)}
            # The faculty's own university's registrar office (issue 18; "" — any — while unknown).
            university_id = await section_store.university_of_faculty(uow.session, faculty_id)
            for role, scope_type, scope_id in (
                ("dean", "faculty", faculty_id),
                ("registrar_head", "university", university_id),
            ):
                notice = Notice(
                    say.WEEKLY_CHECK,
                    say.WEEK_SUMMARY,
                    recipient_role=role,
                    scope_type=scope_type,
                    scope_id=scope_id,
                    case_id=faculty_id,
                    values=summary,
                )
                uow.add_event(
                    Event(notification_event(notice, "weekly_check"), subject=f"faculty/{faculty_id}")
                )
        await uow.commit()
    return WeeklyCheckResult(cmd.week_start, len(journals), with_findings)
