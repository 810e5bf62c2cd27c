"""The university's local calendar day of an instant ("filled on the lesson day" is a local day).

The regulation profiles do not state a time zone yet; until they do, it is this table (the two
universities the profiles come from), and UTC for anything else.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

PROFILE_TIME_ZONES = {"kz-medical": "Asia/Almaty", "kg-jasu": "Asia/Bishkek"}


def zone(profile_code: str) -> ZoneInfo:
    return ZoneInfo(PROFILE_TIME_ZONES.get(profile_code, "UTC"))


def local_day(moment: datetime | None, profile_code: str) -> date | None:
    return moment.astimezone(zone(profile_code)).date() if moment is not None else None
