"""Words, not codes: what a document prints for the record's codes (control kinds, lesson types,
traditional grades), its dates and instants, and a statement's number.

A document speaks the university's state language and Russian (kz: Kazakh and Russian, kg: Kyrgyz and
Russian, labels.languages); a value prints as "state / Russian" where the two differ. Instants print
in the university's own time zone, as a registrar reads a wall clock: "02.12.2026 14:05 (UTC+05:00)".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from services.reporting.service_layer.documents.labels import languages

CONTROL_KINDS: Mapping[str, Mapping[str, str]] = {
    "current": {"kk": "Ағымдағы бақылау", "ky": "Учурдагы текшерүү", "ru": "Текущий контроль"},
    "midterm": {"kk": "Аралық бақылау", "ky": "Аралык текшерүү", "ru": "Рубежный контроль"},
    "intermediate_attestation": {
        "kk": "Аралық аттестаттау (емтихан)",
        "ky": "Аралык аттестация (экзамен)",
        "ru": "Промежуточная аттестация (экзамен)",
    },
    "final_attestation": {
        "kk": "Қорытынды аттестаттау",
        "ky": "Жыйынтыктоочу аттестация",
        "ru": "Итоговая аттестация",
    },
}

LESSON_TYPES: Mapping[str, Mapping[str, str]] = {
    "lecture": {"kk": "Дәріс", "ky": "Лекция", "ru": "Лекция"},
    "practical": {"kk": "Практикалық сабақ", "ky": "Практикалык сабак", "ru": "Практическое занятие"},
    "seminar": {"kk": "Семинар", "ky": "Семинар", "ru": "Семинар"},
    "laboratory": {"kk": "Зертханалық сабақ", "ky": "Лабораториялык сабак", "ru": "Лабораторное занятие"},
    "clinical": {"kk": "Клиникалық сабақ", "ky": "Клиникалык сабак", "ru": "Клиническое занятие"},
    "self_study": {
        "kk": "Студенттің өзіндік жұмысы",
        "ky": "Студенттин өз алдынча иши",
        "ru": "Самостоятельная работа студента",
    },
}

# Printed number prefixes of the gradebook's statement series (docs/reporting.md: "ST-000123").
SERIES_PREFIX = {"section": "ST", "individual": "IS", "integrated": "IN"}


def both(words: Mapping[str, str], profile_code: str) -> str:
    """The state language's word and the Russian one ("Дәріс / Лекция"); one word when they agree."""
    first, second = languages(profile_code)
    a, b = words.get(first) or words.get("ru", ""), words.get(second) or words.get("ru", "")
    return a if a == b or not b else f"{a} / {b}"


def word(table: Mapping[str, Mapping[str, str]], code: str, profile_code: str) -> str:
    """The words for a code; a code no table knows prints as itself (never silently blank)."""
    found = table.get(code)
    return both(found, profile_code) if found is not None else code


def control_kind(code: str, profile_code: str) -> str:
    return word(CONTROL_KINDS, code, profile_code)


def lesson_type(code: str, profile_code: str) -> str:
    return word(LESSON_TYPES, code, profile_code)


def zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_instant(iso: str, time_zone: str) -> str:
    """An ISO instant as the university's wall clock, minutes only, with the offset it is in."""
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso)
    where = zone(time_zone)
    if where is not None:
        moment = moment.astimezone(where)
    offset = moment.strftime("%z")
    suffix = f" (UTC{offset[:3]}:{offset[3:]})" if offset else ""
    return f"{moment:%d.%m.%Y %H:%M}{suffix}"


def day(iso: str) -> str:
    return f"{date.fromisoformat(iso):%d.%m.%Y}" if iso else ""


def statement_number(series: str, number: int) -> str:
    """ST-000123 for a section statement, IS-… individual, IN-… integrated."""
    prefix = SERIES_PREFIX.get(series, series)
    return f"{prefix}-{number:06d}" if prefix else str(number)
