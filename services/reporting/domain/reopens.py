"""The registrar head's semester analysis of reopens (KZ-13 step 5) and the count of reopens (KZ-10).

Input: reopen cases as the workflow's events describe them (reason, the steps with their start,
completion and deadline). Output: how many reopens, why (reasons ranked), where (faculty, department,
teacher — with the KZ-14 measure the count calls for, if the profile has a ladder), and how long each
step of the procedure took against its deadline.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from ejournal_regulation import get_profile
from services.reporting.domain.figures import rate


@dataclass(frozen=True)
class StepSpan:
    step: str
    started_at: datetime
    completed_at: datetime | None
    deadline: datetime | None

    def hours(self, as_of: datetime) -> Decimal:
        end = self.completed_at or as_of
        seconds = max((end - self.started_at).total_seconds(), 0.0)
        return Decimal(seconds / 3600).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def overdue(self, as_of: datetime) -> bool:
        if self.deadline is None:
            return False
        return (self.completed_at or as_of) > self.deadline


@dataclass(frozen=True)
class ReopenCaseView:
    case_id: str
    journal_id: str
    teacher_id: str
    department_id: str
    faculty_id: str
    profile_code: str
    reason: str
    reason_code: str
    opened_at: datetime
    closed_at: datetime | None
    outcome: str
    steps: tuple[StepSpan, ...] = ()


def reason_key(case: ReopenCaseView) -> str:
    """The category a reason counts under: the code when the workflow gives one, else the text itself
    normalised (case, spaces, trailing punctuation), so "Ошибка ввода." and "ошибка  ввода" are one."""
    if case.reason_code:
        return case.reason_code
    return re.sub(r"\s+", " ", case.reason).strip().strip(".;,!").casefold() or "(no reason given)"


@dataclass(frozen=True)
class Count:
    key: str
    count: int
    share: Decimal | None
    measure: str = ""  # KZ-14 measure for this count, when a ladder applies


@dataclass(frozen=True)
class StepFigures:
    step: str
    cases: int
    median_hours: Decimal
    max_hours: Decimal
    overdue: int


@dataclass(frozen=True)
class ReopenAnalysis:
    total: int
    closed: int
    by_reason: tuple[Count, ...]
    by_faculty: tuple[Count, ...]
    by_department: tuple[Count, ...]
    by_teacher: tuple[Count, ...]
    steps: tuple[StepFigures, ...]
    median_days_to_close: Decimal | None


def _ranked(
    counter: Counter[str], total: int, ladder: str | None = None, profile: str = ""
) -> tuple[Count, ...]:
    sanctions = get_profile(profile).sanctions if profile else None
    rows = []
    for key, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
        measure = ""
        if sanctions is not None and ladder == "teacher":
            measure = sanctions.teacher.measure_for(count) or ""
        elif sanctions is not None and ladder == "department":
            measure = sanctions.department.measure_for(count) or ""
        rows.append(Count(key, count, rate(count, total), measure))
    return tuple(rows)


def analyse(
    cases: Iterable[ReopenCaseView], start: datetime, end: datetime, as_of: datetime
) -> ReopenAnalysis:
    """Cases opened in [start, end); durations of unfinished steps run to `as_of`."""
    chosen = [c for c in cases if start <= c.opened_at < end]
    total = len(chosen)
    # One ladder per analysis: the profile of the cases (a university has one profile).
    profile = chosen[0].profile_code if chosen else ""
    spans: dict[str, list[StepSpan]] = {}
    for case in chosen:
        for span in case.steps:
            spans.setdefault(span.step, []).append(span)
    steps = tuple(
        StepFigures(
            step=name,
            cases=len(items),
            median_hours=Decimal(statistics.median([s.hours(as_of) for s in items])),
            max_hours=max(s.hours(as_of) for s in items),
            overdue=sum(1 for s in items if s.overdue(as_of)),
        )
        for name, items in spans.items()
    )
    closing_days = [
        Decimal((c.closed_at - c.opened_at).total_seconds() / 86400)
        for c in chosen
        if c.closed_at is not None
    ]
    return ReopenAnalysis(
        total=total,
        closed=len(closing_days),
        by_reason=_ranked(Counter(reason_key(c) for c in chosen), total),
        by_faculty=_ranked(Counter(c.faculty_id for c in chosen), total),
        by_department=_ranked(Counter(c.department_id for c in chosen), total, "department", profile),
        by_teacher=_ranked(Counter(c.teacher_id for c in chosen), total, "teacher", profile),
        steps=steps,
        median_days_to_close=(
            Decimal(statistics.median(closing_days)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if closing_days
            else None
        ),
    )
