"""KZ-16's calendar and the backups' retention, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.workflow.domain.backup_retention import expired, next_monthly_run

pytestmark = pytest.mark.unit


@pytest.mark.rule("KZ-16")
@pytest.mark.parametrize(
    ("after", "due"),
    [
        # 02:00 in Almaty (UTC+5) is 21:00 UTC on the last day of the month before
        (datetime(2026, 12, 2, 6, 0, tzinfo=UTC), datetime(2026, 12, 31, 21, 0, tzinfo=UTC)),
        (datetime(2026, 12, 31, 20, 59, tzinfo=UTC), datetime(2026, 12, 31, 21, 0, tzinfo=UTC)),
        (datetime(2026, 12, 31, 21, 0, tzinfo=UTC), datetime(2027, 1, 31, 21, 0, tzinfo=UTC)),
        (datetime(2027, 2, 10, tzinfo=UTC), datetime(2027, 2, 28, 21, 0, tzinfo=UTC)),
    ],
)
def test_the_next_run_is_2_am_on_the_next_1st_in_the_universitys_time_zone(
    after: datetime, due: datetime
) -> None:
    assert next_monthly_run(after, "Asia/Almaty") == due


def test_backups_past_the_retention_go_but_the_newest_always_stays() -> None:
    started = {
        "2020-01": datetime(2020, 1, 1, tzinfo=UTC),
        "2022-06": datetime(2022, 6, 1, tzinfo=UTC),
        "2026-11": datetime(2026, 11, 1, tzinfo=UTC),
    }
    assert expired(started, datetime(2026, 12, 2, tzinfo=UTC), keep_years=5) == ["2020-01"]
    assert expired({"2010-01": datetime(2010, 1, 1, tzinfo=UTC)}, datetime(2026, 12, 2, tzinfo=UTC), 5) == []
