"""When the monthly backup runs (KZ-16: 02:00 on the 1st of each month, the university's local time)
and which backups have outlived the retention (the profiles' `retention_years`): a backup is kept as
long as the records it holds must be kept, i.e. the longest retention of any profile in use."""

from collections.abc import Mapping
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

RUN_DAY, RUN_HOUR = 1, 2


def next_monthly_run(after: datetime, time_zone: str) -> datetime:
    """The first 1st-of-the-month 02:00 local time strictly after `after` (an aware instant), in UTC."""
    local = after.astimezone(ZoneInfo(time_zone))
    candidate = local.replace(day=RUN_DAY, hour=RUN_HOUR, minute=0, second=0, microsecond=0)
    if candidate <= local:
        year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
        candidate = candidate.replace(year=year, month=month)
    return candidate.astimezone(UTC)


def add_years(at: datetime, years: int) -> datetime:
    try:
        return at.replace(year=at.year + years)
    except ValueError:  # 29 February
        return at.replace(year=at.year + years, day=28)


def expired(started: Mapping[str, datetime], now: datetime, keep_years: int) -> list[str]:
    """The backups started more than `keep_years` before `now`; the newest backup is always kept."""
    newest = max(started, key=lambda backup_id: started[backup_id], default=None)
    return sorted(b for b, at in started.items() if b != newest and add_years(at, keep_years) < now)


def keep_years(retention_years: list[int]) -> int:
    return max(retention_years, default=5)
