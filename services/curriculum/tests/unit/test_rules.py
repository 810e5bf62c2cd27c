"""Pure rules of the curriculum: terms, deadlines, the curriculum windows, placements, plans, import
messages — with no database."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ejournal_regulation import get_profile
from services.curriculum.domain.calendar import (
    CurriculumWindows,
    Deadlines,
    TermDates,
    check_deadlines,
    check_year,
    default_deadlines,
)
from services.curriculum.domain.checks import Violations
from services.curriculum.domain.contingent import GroupRef, Placement, check_enrollment, current_placement
from services.curriculum.domain.curriculum import (
    ChangeAuthority,
    CourseUnitSpec,
    PartSpec,
    check_change_window,
    check_course_unit,
)
from services.curriculum.domain.imports.messages import LANGUAGES, MESSAGES, Issue
from services.curriculum.domain.lesson_plans import PlanItem, check_plan
from services.curriculum.domain.vocabulary import CourseUnitKind

pytestmark = pytest.mark.unit
ALMATY = ZoneInfo("Asia/Almaty")


def reasons(v: Violations) -> str:
    return " | ".join(f"{f}: {r}" for f, r in v.items)


def test_terms_must_not_overlap_and_stay_in_their_year() -> None:
    v = Violations()
    check_year(
        date(2026, 9, 1),
        date(2027, 6, 30),
        [
            TermDates(1, date(2026, 9, 1), date(2027, 1, 20)),
            TermDates(2, date(2027, 1, 10), date(2027, 7, 5)),
        ],
        v,
    )
    assert "overlaps term 1" in reasons(v) and "outside the academic year" in reasons(v)
    ok = Violations()
    check_year(
        date(2026, 9, 1),
        date(2027, 6, 30),
        [
            TermDates(1, date(2026, 9, 1), date(2027, 1, 20)),
            TermDates(2, date(2027, 1, 26), date(2027, 6, 30)),
        ],
        ok,
    )
    assert not ok


@pytest.mark.rule("KZ-05", "KZ-06")
def test_default_deadlines_follow_the_profile_and_may_be_moved_but_not_before_the_event() -> None:
    kz = get_profile("kz-medical").closing
    d = default_deadlines(date(2026, 10, 20), kz, ALMATY)
    assert d.grade_entry == datetime(2026, 10, 20, 23, 59, tzinfo=ALMATY)
    assert d.closing == datetime(2026, 10, 23, 23, 59, tzinfo=ALMATY)
    v = Violations()
    check_deadlines(
        date(2026, 10, 20), Deadlines(datetime(2026, 10, 19, 12, tzinfo=ALMATY), d.closing), kz, ALMATY, v
    )
    assert "grade_entry_deadline" in reasons(v)
    moved = Violations()
    check_deadlines(
        date(2026, 10, 20),
        Deadlines(d.grade_entry, datetime(2026, 10, 30, 18, tzinfo=ALMATY)),
        kz,
        ALMATY,
        moved,
    )
    assert not moved


@pytest.mark.rule("KZ-03")
@pytest.mark.parametrize(
    ("today", "registrar", "reason", "window", "refused"),
    [
        (date(2026, 5, 1), False, "", "load", False),
        (date(2026, 6, 30), False, "", "load", False),
        (date(2026, 7, 1), False, "", "registrar_override", True),
        (date(2026, 8, 15), False, "", "correction", False),
        (date(2026, 9, 1), False, "", "registrar_override", True),
        (date(2026, 9, 1), True, "", "registrar_override", True),
        (date(2026, 9, 1), True, "приказ № 7", "registrar_override", False),
    ],
)
def test_curriculum_windows(today: date, registrar: bool, reason: str, window: str, refused: bool) -> None:
    v = Violations()
    found = check_change_window(
        today, CurriculumWindows.default_for(date(2026, 9, 1)), ChangeAuthority(registrar, reason), v
    )
    assert (found, bool(v)) == (window, refused)


@pytest.mark.rule("KZ-02")
def test_course_unit_structure() -> None:
    def spec(kind: CourseUnitKind, parts: int) -> CourseUnitSpec:
        return CourseUnitSpec(
            "y",
            "s",
            1,
            1,
            kind,
            "C",
            "T",
            "d",
            "kz-medical",
            Decimal(1),
            {},
            tuple(PartSpec(f"P{i}", "t", "d", Decimal(1)) for i in range(parts)),
        )

    for kind, parts, message in [
        (CourseUnitKind.MODULE, 0, "a module needs at least one modular discipline"),
        (CourseUnitKind.INTEGRATED_DISCIPLINE, 0, "an integrated discipline needs at least one block"),
        (CourseUnitKind.DISCIPLINE, 2, "a discipline has no parts"),
        (CourseUnitKind.BLOCK, 0, "define a block or a modular discipline as a part"),
    ]:
        v = Violations()
        check_course_unit(spec(kind, parts), {"kz-medical"}, v)
        assert message in reasons(v)
    for kind in (CourseUnitKind.MODULE, CourseUnitKind.INTEGRATED_DISCIPLINE):
        ok = Violations()
        check_course_unit(spec(kind, 2), {"kz-medical"}, ok)
        assert not ok


@pytest.mark.rule("KZ-15")
def test_placements_one_group_per_course_and_no_rewriting_history() -> None:
    g1, g2 = GroupRef("g1", "ЖМ-101", "y", 1), GroupRef("g2", "ЖМ-102", "y", 1)
    other_course = GroupRef("g3", "ЖМ-201", "y", 2)
    placed = [Placement(g1, None, date(2026, 9, 1), None)]
    v = Violations()
    check_enrollment(placed, g2, date(2026, 9, 1), v)
    assert "already in group ЖМ-101 of course 1" in reasons(v)
    ok = Violations()
    check_enrollment(placed, other_course, date(2026, 9, 1), ok)
    check_enrollment([Placement(g1, None, date(2026, 9, 1), date(2026, 10, 1))], g2, date(2026, 10, 1), ok)
    assert not ok
    late = Violations()
    assert current_placement(placed, date(2026, 8, 1), None, late) is None and "must be after" in reasons(
        late
    )


@pytest.mark.rule("KZ-17")
def test_plan_lessons_are_numbered_inside_the_term_and_approved() -> None:
    term = TermDates(1, date(2026, 9, 1), date(2027, 1, 20))
    items = [
        PlanItem(1, date(2026, 9, 2), time(9), time(10, 40), "Тақырып", 2, "t", None),
        PlanItem(3, date(2027, 2, 2), time(9), None, "", 0, "t", None),
    ]
    v = Violations()
    check_plan(items, term, "", None, v)
    text = reasons(v)
    for expected in ("department meeting", "numbered 1..2", "outside term 1", "hours", "topic"):
        assert expected in text, expected


def test_every_import_message_speaks_four_languages() -> None:
    for code, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), code
        for language in LANGUAGES:
            rendered = Issue("s", 2, "c", code, {"value": "x", "other": "y", "allowed": "z"}).reason(language)
            assert "{" not in rendered, (code, language)
