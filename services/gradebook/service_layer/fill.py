"""Fill data for the monitoring checks of the workflow service: per lesson day whether marks exist
(KZ-09) and weekly filling and attendance (KG-08)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ejournal_platform.authz import allowed, require
from ejournal_platform.context import Principal
from ejournal_platform.errors import InvalidArgument
from ejournal_platform.pagination import Page, page_request
from ejournal_regulation import get_profile
from services.gradebook.adapters import fill_repo
from services.gradebook.domain import fill
from services.gradebook.service_layer.context import Gradebook
from services.gradebook.service_layer.journals import JournalView, load_journal, parse_id, refusal


@dataclass(frozen=True)
class JournalFill:
    journal: JournalView
    unit_days: int
    daily_grading_required: bool
    days: list[fill.DayFill]
    weeks: list[fill.WeekFigures]


def _date(value: str, field_name: str, default: date) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidArgument(field_name, f"{value!r} is not an ISO date") from None


def absent_marks(profile_code: str) -> list[str]:
    scale = get_profile(profile_code).scale
    marks = scale.special_marks if scale.kind == "points" else scale.marks
    return [m.mark for m in marks if m.meaning == "absent"]


async def fill_status(
    gb: Gradebook,
    principal: Principal | None,
    *,
    journal_id: str,
    teacher_id: str,
    department_id: str,
    from_date: str,
    to_date: str,
    page: Page | None = None,
) -> tuple[list[JournalFill], str]:
    """One page of the matching journals' fill (by journal id), and the next page's token. A journal
    the caller may not monitor is left out of its page (a page may hold fewer, the walk goes on)."""
    page = page or page_request(0, "")
    if not (journal_id or teacher_id or department_id):
        raise InvalidArgument("journal_id", "name a journal, a teacher or a department")
    start, end = _date(from_date, "from_date", date.min), _date(to_date, "to_date", date.max)
    if end < start:
        raise InvalidArgument("to_date", "must not be before from_date")
    now = gb.now()
    out = []
    async with gb.unit_of_work() as uow:
        session = uow.session
        ids, next_token = page.cut(
            await fill_repo.journal_ids(
                session,
                journal=parse_id(journal_id, "journal_id") if journal_id else None,
                teacher=parse_id(teacher_id, "teacher_id") if teacher_id else None,
                department=parse_id(department_id, "department_id") if department_id else None,
                after=parse_id(page.after[0], "page_token") if page.after else None,
                fetch=page.fetch,
            ),
            key=lambda j: (j,),
        )
        if journal_id and not ids:  # refused like someone else's journal: no existence oracle
            raise refusal(principal, "journal.monitor")
        for jid in ids:
            journal = await load_journal(session, jid, now.date())
            scope = journal.scope()
            if not (allowed(principal, "journal.monitor", scope) or allowed(principal, "report.read", scope)):
                if journal_id:
                    require(principal, "journal.monitor", scope)
                continue
            profile = get_profile(journal.profile_code)
            lessons = await fill_repo.lessons(
                session,
                journal_id=journal.journal_id,
                group_id=journal.group_id,
                subgroup_id=journal.subgroup_id,
                start=start,
                end=end,
                absent_marks=absent_marks(journal.profile_code),
            )
            unit_days = await fill_repo.unit_days(session, journal.journal_id)
            out.append(
                JournalFill(
                    journal=journal,
                    unit_days=unit_days,
                    daily_grading_required=profile.needs_daily_grades(unit_days),
                    days=fill.by_day(lessons),
                    weeks=fill.by_week(lessons),
                )
            )
    return out, next_token
