"""Academic years and terms (the registrar office's calendar, KZ-06): defined, changed with a reason,
audited, and published (TermDefined)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.context import Principal
from services.curriculum.adapters import calendar_repo
from services.curriculum.adapters.ids import need_id, stable_id
from services.curriculum.adapters.lookups import get, year_terms
from services.curriculum.adapters.models import (
    AcademicYear,
    Term,
    University,
)
from services.curriculum.adapters.records import record, records
from services.curriculum.domain import records as rec
from services.curriculum.domain.calendar import CurriculumWindows, TermDates, check_year, check_years_apart
from services.curriculum.domain.checks import Violations, day, text
from services.curriculum.service_layer import events
from services.curriculum.service_layer.authorization import ResourceScope, require
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.upsert import upsert


@dataclass(frozen=True)
class YearWithTerms:
    year: rec.AcademicYear
    terms: list[rec.Term]


@dataclass(frozen=True)
class TermInput:
    number: int
    starts_on: str
    ends_on: str


@dataclass(frozen=True, kw_only=True)
class DefineAcademicYear:
    university_id: str
    code: str
    starts_on: str
    ends_on: str
    terms: list[TermInput]
    # The curriculum loading windows (four dates); None: the default ones for the year's start.
    windows: tuple[str, str, str, str] | None = None
    reason: str = ""


async def define_academic_year(deps: Deps, principal: Principal, cmd: DefineAcademicYear) -> YearWithTerms:
    v = Violations()
    code, windows, reason = text(cmd.code, "code", v, max_length=20), cmd.windows, cmd.reason
    start, end = day(cmd.starts_on, "starts_on", v), day(cmd.ends_on, "ends_on", v)
    dates = [
        (t.number, day(t.starts_on, f"terms[{i}].starts_on", v), day(t.ends_on, f"terms[{i}].ends_on", v))
        for i, t in enumerate(cmd.terms)
    ]
    spans = [TermDates(n, s, e) for n, s, e in dates if s and e]
    check_year(start, end, spans, v)
    win = parse_windows(windows, v) if windows else (CurriculumWindows.default_for(start) if start else None)
    uid = need_id(cmd.university_id, "university_id")
    v.raise_if_any()
    assert start and end and win
    async with deps.uow() as uow:
        s = uow.session
        await get(s, University, uid, "university_id", "university")
        require(principal, "calendar.manage", ResourceScope(university_id=str(uid)))
        year_id = stable_id("academic_year", uid, code)
        check_years_apart(start, end, await calendar_repo.other_years(s, uid, year_id), v)
        existing = await s.get(AcademicYear, year_id)
        known_terms = {t.number: t for t in await year_terms(s, year_id)} if existing else {}
        for number in known_terms:
            if number not in {t.number for t in spans}:
                v.add("terms", f"term {number} exists and is not removed by redefining the year")
        if (
            existing
            and not reason.strip()
            and (
                (existing.starts_on, existing.ends_on) != (start, end)
                or any(
                    (known_terms[t.number].starts_on, known_terms[t.number].ends_on)
                    != (t.starts_on, t.ends_on)
                    for t in spans
                    if t.number in known_terms
                )
            )
        ):
            v.add("reason", "changing the dates of an academic year or a term needs a reason")
        v.raise_if_any()
        values = {
            "university_id": uid,
            "code": code,
            "starts_on": start,
            "ends_on": end,
            "load_from": win.load_from,
            "load_until": win.load_until,
            "correction_from": win.correction_from,
            "correction_until": win.correction_until,
        }
        year, _ = await upsert(
            s, AcademicYear, year_id, values, actor=principal.subject, entity="academic_year", reason=reason
        )
        saved: list[Term] = []
        for t in sorted(spans, key=lambda t: t.number):
            term_id = stable_id("term", year_id, t.number)
            if t.number in known_terms:
                await check_term_contents(s, known_terms[t.number], t, v)
                v.raise_if_any()
            term, changed = await upsert(
                s,
                Term,
                term_id,
                {
                    "academic_year_id": year_id,
                    "number": t.number,
                    "starts_on": t.starts_on,
                    "ends_on": t.ends_on,
                },
                actor=principal.subject,
                entity="term",
                reason=reason,
                bump_revision=True,
            )
            if changed:
                uow.add_event(events.term_event(term))
            saved.append(term)
        await uow.commit()
        return YearWithTerms(record(rec.AcademicYear, year), records(rec.Term, saved))


def parse_windows(raw: tuple[str, str, str, str], v: Violations) -> CurriculumWindows | None:
    names = ("windows.load_from", "windows.load_until", "windows.correction_from", "windows.correction_until")
    parsed = [day(value, name, v) for value, name in zip(raw, names, strict=True)]
    if any(p is None for p in parsed):
        return None
    a, b, c, d = parsed
    assert a and b and c and d
    if not (a <= b < c <= d):
        v.add("windows", "loading must come before correction, each window ending after it starts")
    return CurriculumWindows(a, b, c, d)


async def check_term_contents(s: AsyncSession, term: Term, new: TermDates, v: Violations) -> None:
    """Moving a term's dates may not strand its lessons or control events outside it."""
    lessons, control = await calendar_repo.outside_term(s, term.id, new.starts_on, new.ends_on)
    if lessons or control:
        v.add(
            f"terms[{new.number}]",
            f"{lessons} lessons and {control} control events of term {term.number} "
            f"would fall outside {new.starts_on}..{new.ends_on}",
        )


async def list_academic_years(deps: Deps, principal: Principal, university_id: str) -> list[YearWithTerms]:
    uid = need_id(university_id, "university_id")
    require(principal, "structure.read")
    async with deps.uow() as uow:
        return [
            YearWithTerms(y, records(rec.Term, await year_terms(uow.session, y.id)))
            for y in await calendar_repo.years_of(uow.session, uid)
        ]
