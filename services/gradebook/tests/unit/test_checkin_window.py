"""KG-09's window around a lesson's start, as the profiles set it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ejournal_regulation import get_profile
from services.gradebook.domain.checkin_window import OutsideWindow, lesson_window

pytestmark = [pytest.mark.unit, pytest.mark.rule("KG-09")]
BISHKEK = ZoneInfo("Asia/Bishkek")
DAY = date(2026, 12, 2)


def at(hour: int, minute: int) -> datetime:
    return datetime(2026, 12, 2, hour, minute, tzinfo=BISHKEK)


def test_kg_jasu_accepts_from_ten_before_to_thirty_after_and_marks_late_after_ten() -> None:
    rule = get_profile("kg-jasu").check_in
    assert rule is not None
    window = lesson_window(rule, DAY, "09:00")
    assert [window.status_at(at(8, 50)), window.status_at(at(9, 10)), window.status_at(at(9, 11))] == [
        "present",
        "present",
        "late",
    ]
    assert window.status_at(at(9, 30)) == "late"
    for outside in (at(8, 49), at(9, 31), at(9, 0) + timedelta(days=1)):
        with pytest.raises(OutsideWindow, match="from 08:50 to 09:30 on 2026-12-02"):
            window.status_at(outside)


def test_an_instant_in_another_zone_is_compared_as_the_same_moment() -> None:
    rule = get_profile("kg-jasu").check_in
    assert rule is not None
    utc_moment = at(9, 5).astimezone(ZoneInfo("UTC"))  # 03:05 UTC
    assert lesson_window(rule, DAY, "09:00").status_at(utc_moment) == "present"


def test_without_a_start_time_the_lesson_day_is_the_window_and_nobody_is_late() -> None:
    rule = get_profile("kz-medical").check_in
    assert rule is not None and rule.late_after_minutes is None
    window = lesson_window(rule, DAY, "")
    almaty = ZoneInfo("Asia/Almaty")
    assert window.status_at(datetime(2026, 12, 2, 23, 0, tzinfo=almaty)) == "present"
    with pytest.raises(OutsideWindow):
        window.status_at(datetime(2026, 12, 3, 0, 1, tzinfo=almaty))
