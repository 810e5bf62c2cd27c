"""The scripted semester: one semester per regulation profile, played through the gateway's HTTP API
only, against a running stack with the demo university loaded.

    python -m deploy.demo.semester [--gateway http://127.0.0.1:8080]

Prints one line per step (who, what, expected, got) and exits non-zero if any expectation fails.
Steps not scripted yet are printed as such, never as passed."""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from deploy.demo import university as u
from deploy.demo.model import Group, Person

NOT_SCRIPTED: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reopen:
    """Who signs a kz reopen case (KZ-13): visas, the dean's council, the registrar."""

    visas: tuple[tuple[str, Person], ...]
    dean: Person


@dataclass(frozen=True)
class Cast:
    """Who plays the semester in one profile."""

    profile: str
    teacher: Person
    student: Person  # in one of the teacher's journals
    other_student: Person  # not the parent's child
    parent: Person  # of `student`
    head: Person  # of the teacher's department
    substitute: Person  # a colleague of the same department
    marks: tuple[str, ...]  # values entered in one lesson, including the absence mark
    absence: str
    substitute_marks: tuple[str, str]  # two values, so the substitute's write is always a change
    registrar: Person
    closing_teacher: Person  # teaches `closing_group`, which no other step touches
    closing_group: Group
    closes_by_deadline: bool  # kz: 3 days after the event (KZ-05); kg: on the event (KG-06), no deadline
    reopen: Reopen | None = None  # the reopen procedure and the sanction ladder are kz's (KZ-13, KZ-14)


CASTS = (
    Cast(
        "kz-medical",
        u.KZ_TEACHER1,
        u.KZ_STUDENT1,
        u.KZ_STUDENT3,
        u.KZ_PARENT1,
        u.KZ_HEAD_ANAT,
        u.KZ_TEACHER2,
        ("н/б", "0", "85"),
        "н/б",
        ("70", "75"),
        u.KZ_REGISTRAR,
        u.KZ_TEACHER3,
        u.KZ_G3,
        True,
        reopen=Reopen(
            (
                ("department_head", u.KZ_HEAD_ANAT),
                ("dean_curation", u.KZ_CURATION_MED),
                ("dean", u.KZ_DEAN_MED),
            ),
            u.KZ_DEAN_MED,
        ),
    ),
    Cast(
        "kg-jasu",
        u.KG_TEACHER2,
        u.KG_STUDENT1,
        u.KG_STUDENT2,
        u.KG_PARENT1,
        u.KG_HEAD_MATH,
        u.KG_TEACHER1,
        ("нб", "5", "4"),
        "нб",
        ("3", "4"),
        u.KG_ACADEMIC,
        u.KG_TEACHER_INFO,
        u.KG_G2,
        False,
    ),
)


class StepFailed(Exception):
    pass


@dataclass
class Transcript:
    out: Callable[[str], None] = print
    passed: int = 0
    failed: list[str] = field(default_factory=list)

    def step(self, who: str, what: str, expected: str, got: str, ok: bool) -> None:
        mark = "PASS" if ok else "FAIL"
        self.out(f"  [{mark}] {who:<18} {what} — expected {expected}; got {got}")
        if ok:
            self.passed += 1
        else:
            self.failed.append(f"{who}: {what}")
            raise StepFailed(what)

    def pending(self, what: str) -> None:
        self.out(f"  [ -- ] {'':<18} {what} — not scripted yet")


class Api:
    """Signed-in calls to the gateway, one bearer token per demo login."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.http = httpx.Client(base_url=self.base, timeout=30)
        self.tokens: dict[str, str] = {}

    def sign_in(self, who: Person) -> httpx.Response:
        reply = self.http.post("/api/v1/session", json={"login": who.login, "password": u.DEMO_PASSWORD})
        if reply.status_code == 200:
            self.tokens[who.login] = str(reply.json()["access_token"])
        return reply

    def call(self, who: Person, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[who.login]}", "Accept-Language": "en"}
        headers.update(kwargs.pop("headers", {}))
        return self.http.request(method, path, headers=headers, **kwargs)

    def write(self, who: Person, path: str, body: dict[str, Any], key: str | None = None) -> httpx.Response:
        headers = {"Idempotency-Key": key or str(uuid.uuid4())}
        return self.call(who, "POST", path, json=body, headers=headers)


def brief(reply: httpx.Response) -> str:
    """The status, and for a problem+json its detail."""
    if reply.status_code < 400:
        return str(reply.status_code)
    try:
        detail = reply.json().get("detail", "")
    except ValueError:
        detail = reply.text[:200]
    return f"{reply.status_code} {detail}"


class Semester:
    """One profile's semester; each method is one step of the transcript, in the order they run."""

    def __init__(self, api: Api, cast: Cast, log: Transcript, today: date) -> None:
        self.api, self.cast, self.log, self.today = api, cast, log, today
        self.journal: dict[str, Any] = {}
        self.grid: dict[str, Any] = {}
        self.column: dict[str, Any] = {}

    def play(self) -> None:
        self.sign_in()
        self.read_grid()
        self.enter_marks()
        self.parent_view()
        self.dispute()
        self.qr_check_in()
        self.substitute()
        self.close_section()
        if self.cast.reopen is not None:
            self.reopen(self.cast.reopen)
        else:
            self.log.out(
                f"  [ n/a] {'':<18} reopen procedure and sanction ladder: kz-medical's rules (KZ-13, KZ-14)"
            )
        for what in NOT_SCRIPTED:
            self.log.pending(what)

    def sign_in(self) -> None:
        c = self.cast
        signers = [p for _, p in c.reopen.visas] if c.reopen else []
        cast = (c.teacher, c.student, c.other_student, c.parent, c.head, c.substitute, c.registrar)
        for who in dict.fromkeys((*cast, c.closing_teacher, *signers)):
            reply = self.api.sign_in(who)
            self.log.step(who.login, "signs in", "200 with a token", brief(reply), reply.status_code == 200)

    def read_grid(self) -> None:
        c, api = self.cast, self.api
        reply = api.call(c.teacher, "GET", "/api/v1/my/journals")
        journals = reply.json().get("journals", []) if reply.status_code == 200 else []
        self.log.step(
            c.teacher.login,
            "lists their journals",
            "200, at least one journal",
            f"{reply.status_code}, {len(journals)} journal(s)",
            bool(journals),
        )
        for journal in journals:
            grid = api.call(c.teacher, "GET", f"/api/v1/journals/{journal['journal_id']}/grid")
            roster = (
                {s["student_id"] for s in grid.json().get("students", [])}
                if grid.status_code == 200
                else set()
            )
            if c.student.id in roster:
                self.journal, self.grid = journal, grid.json()
                etag = grid.headers.get("ETag", "")
                break
        ok = bool(self.grid) and bool(etag)
        students, columns = len(self.grid.get("students", [])), len(self.grid.get("columns", []))
        got = f"{students} students, {columns} columns, ETag {etag[:12]}"
        self.log.step(
            c.teacher.login, f"reads the grid with {c.student.login}", "roster, columns, ETag", got, ok
        )

    def open_lesson_columns(self) -> list[dict[str, Any]]:
        closed = {s["section"] for s in self.journal["sections"] if s["closed_at"]}
        today = self.today.isoformat()
        return [
            col
            for col in self.grid["columns"]
            if col["kind"] == "lesson" and col["date"] <= today and col["section"] not in closed
        ]

    def enter_marks(self) -> None:
        c, api = self.cast, self.api
        columns = self.open_lesson_columns()
        self.log.step(
            c.teacher.login, "finds a past lesson in an open section", "one", f"{len(columns)}", bool(columns)
        )
        self.column = columns[-1]
        others = [s["student_id"] for s in self.grid["students"] if s["student_id"] != c.student.id]
        students = [c.student.id, *others][: len(c.marks)]
        cells = [
            {"column_id": self.column["column_id"], "student_id": s, "value": v}
            for s, v in zip(students, c.marks, strict=False)
        ]
        path = f"/api/v1/journals/{self.journal['journal_id']}/marks"
        key = str(uuid.uuid4())
        reply = api.write(c.teacher, path, {"cells": cells}, key)
        values = [cell["value"] for cell in reply.json().get("cells", [])] if reply.status_code == 200 else []
        self.log.step(
            c.teacher.login,
            f"writes {', '.join(c.marks)} on {self.column['date']} (Idempotency-Key)",
            "200, the values as written",
            f"{reply.status_code} {values}",
            values == list(c.marks),
        )
        again = api.write(c.teacher, path, {"cells": cells}, key)
        replayed = again.status_code == 200 and again.json().get("replayed") is True
        self.log.step(
            c.teacher.login,
            "retries with the same key",
            "200, replayed",
            brief(again) + f" replayed={replayed}",
            replayed,
        )
        off = {"cells": [{"column_id": self.column["column_id"], "student_id": students[-1], "value": "999"}]}
        refused = api.write(c.teacher, path, off)
        problem = refused.json() if refused.status_code == 422 else {}
        reasons = " ".join(e.get("reason", "") for e in problem.get("errors", []))
        ok = refused.status_code == 422 and "allowed" in reasons and c.absence in reasons
        self.log.step(
            c.teacher.login,
            "writes 999 (off the scale)",
            "422 naming the allowed values",
            f"{refused.status_code} {reasons}",
            ok,
        )

    def parent_view(self) -> None:
        c, api = self.cast, self.api
        reply = api.call(c.parent, "GET", f"/api/v1/students/{c.student.id}/results")
        marks = (
            [m["value"] for j in reply.json().get("journals", []) for m in j.get("marks", [])]
            if reply.status_code == 200
            else []
        )
        ok = reply.status_code == 200 and c.marks[0] in marks
        self.log.step(
            c.parent.login,
            f"reads {c.student.login}'s results",
            f"200 with the mark {c.marks[0]}",
            f"{reply.status_code}, {len(marks)} mark(s)",
            ok,
        )
        other = api.call(c.parent, "GET", f"/api/v1/students/{c.other_student.id}/results")
        self.log.step(
            c.parent.login,
            f"reads {c.other_student.login}'s results",
            "403",
            brief(other),
            other.status_code == 403,
        )
        write = api.write(
            c.parent,
            f"/api/v1/journals/{self.journal['journal_id']}/marks",
            {
                "cells": [
                    {"column_id": self.column["column_id"], "student_id": c.student.id, "value": c.marks[1]}
                ]
            },
        )
        self.log.step(c.parent.login, "tries to write a mark", "403", brief(write), write.status_code == 403)

    def dispute(self) -> None:
        c, api = self.cast, self.api
        body = {"column_id": self.column["column_id"], "message": "Мен сабақта болдым / I was at the lesson"}
        opened = api.write(c.student, f"/api/v1/journals/{self.journal['journal_id']}/disputes", body)
        dispute = opened.json().get("dispute", {}) if opened.status_code in (200, 201) else {}
        ok = dispute.get("status") == "open" and dispute.get("disputed_value") == c.marks[0]
        self.log.step(
            c.student.login,
            f"disputes the mark {c.marks[0]}",
            "201, open, the disputed value",
            brief(opened) + f" {dispute.get('status')} {dispute.get('disputed_value')}",
            ok,
        )
        answer = {"decision": "accepted", "corrected_value": c.marks[-1], "reason": "present after all"}
        answered = api.write(c.teacher, f"/api/v1/disputes/{dispute['dispute_id']}/answer", answer)
        result = answered.json().get("dispute", {}) if answered.status_code == 200 else {}
        ok = result.get("status") == "accepted" and result.get("corrected_value") == c.marks[-1]
        self.log.step(
            c.teacher.login,
            f"accepts the dispute, corrects to {c.marks[-1]}",
            "200, accepted",
            brief(answered) + f" {result.get('status')}",
            ok,
        )

    def qr_check_in(self) -> None:
        c, api = self.cast, self.api
        journal, lesson = self.journal["journal_id"], self.column["column_id"]
        shown = api.call(c.teacher, "GET", f"/api/v1/journals/{journal}/lessons/{lesson}/check-in-code")
        code = str(shown.json().get("code", "")) if shown.status_code == 200 else ""
        every = shown.json().get("rotate_every_seconds") if shown.status_code == 200 else None
        self.log.step(
            c.teacher.login,
            "shows the rotating QR code",
            "200 with a code",
            f"{brief(shown)} every {every} s",
            bool(code),
        )
        forged = api.write(c.student, "/api/v1/check-ins", {"code": code[:-4] + "0000"})
        self.log.step(
            c.student.login,
            "posts a forged code",
            "4xx, not 5xx",
            brief(forged),
            400 <= forged.status_code < 500,
        )
        scanned = api.write(c.student, "/api/v1/check-ins", {"code": code})
        # 409 "already checked in" only when the script is played again on the same stack's day
        self.log.step(
            c.student.login,
            "checks in with the code",
            "201 (409 on a replay)",
            brief(scanned),
            scanned.status_code in (201, 409),
        )
        grid = api.call(c.teacher, "GET", f"/api/v1/journals/{journal}/grid").json()
        cells = [
            a
            for a in grid.get("attendance", [])
            if a["column_id"] == lesson and a["student_id"] == c.student.id
        ]
        got = f"{cells[0]['status']} via {cells[0]['source']}" if cells else "no attendance cell"
        ok = bool(cells) and cells[0]["status"] == "present" and cells[0]["source"] == "check_in"
        self.log.step(c.teacher.login, f"sees {c.student.login} in the grid", "present via check_in", got, ok)

    def substitute(self) -> None:
        c, api = self.cast, self.api
        journal = self.journal
        starts = self.today.isoformat()
        body = {
            # one appointment a day: a replay of the script on the same stack returns the same one
            "request_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"ejournal:semester:{c.profile}:{starts}")),
            "absent_teacher_id": c.teacher.id,
            "substitute_id": c.substitute.id,
            "department_id": journal["department_id"],
            "journal_ids": [journal["journal_id"]],
            "starts_on": starts,
            "ends_on": starts,
            "decision": {"protocol_number": "7", "protocol_date": starts},
            "reason": "ауырып қалды / болезнь",
        }
        appointed = api.write(c.head, "/api/v1/substitutions", body)
        self.log.step(
            c.head.login,
            f"appoints {c.substitute.login} for {c.teacher.login}",
            "201 (200 on a replay)",
            brief(appointed),
            appointed.status_code in (200, 201),
        )
        covered: list[dict[str, Any]] = []
        deadline = time.monotonic() + 20  # the substitution reaches the gradebook as an event
        while not covered and time.monotonic() < deadline:
            mine = api.call(c.substitute, "GET", "/api/v1/my/journals").json().get("journals", [])
            covered = [j for j in mine if j["journal_id"] == journal["journal_id"]]
            if not covered:
                time.sleep(0.3)
        on_behalf = covered[0].get("substituting_for", []) if covered else []
        self.log.step(
            c.substitute.login,
            "lists their journals",
            f"the journal, for {c.teacher.login}",
            f"{len(covered)} match(es), for {on_behalf}",
            c.teacher.id in on_behalf,
        )
        student = next(s["student_id"] for s in self.grid["students"] if s["student_id"] != c.student.id)
        grid = api.call(c.teacher, "GET", f"/api/v1/journals/{journal['journal_id']}/grid").json()
        current = {
            m["value"]
            for m in grid.get("cells", [])
            if (m["column_id"], m["student_id"]) == (self.column["column_id"], student)
        }
        value = next(v for v in c.substitute_marks if v not in current)  # a change, so history records it
        cell = {"column_id": self.column["column_id"], "student_id": student, "value": value}
        written = api.write(
            c.substitute, f"/api/v1/journals/{journal['journal_id']}/marks", {"cells": [cell]}
        )
        self.log.step(
            c.substitute.login,
            f"writes {value} under their own login",
            "200",
            brief(written),
            written.status_code == 200,
        )
        path = f"/api/v1/journals/{journal['journal_id']}/cells/{self.column['column_id']}/{student}/history"
        entries = api.call(c.teacher, "GET", path).json().get("entries", [])
        last = entries[-1] if entries else {}
        ok = last.get("author_id") == c.substitute.id and last.get("on_behalf_of_id") == c.teacher.id
        got = f"author {last.get('author_id', '')[:8]}, on behalf of {last.get('on_behalf_of_id', '')[:8]}"
        self.log.step(
            c.teacher.login, "reads the cell history", "author = substitute, on behalf of = teacher", got, ok
        )

    def close_section(self) -> None:
        c, api = self.cast, self.api
        group = u.structure_ids(self.today)[c.closing_group.key]
        journals = api.call(c.closing_teacher, "GET", "/api/v1/my/journals").json().get("journals", [])
        journal = next(j for j in journals if j["group_id"] == group)
        path = f"/api/v1/journals/{journal['journal_id']}"
        if c.closes_by_deadline:
            section = self.close_at_deadline(journal, path)
        else:
            section = self.close_on_event(journal, path)
        statement = api.call(
            c.closing_teacher, "GET", f"/api/v1/statements/{section.get('statement_id') or '-'}"
        )
        got = brief(statement)
        if statement.status_code == 200:
            got += f", {statement.text.count('student_id')} student line(s)"
        self.log.step(
            c.closing_teacher.login,
            "reads the statement formed at closing",
            "200",
            got,
            statement.status_code == 200,
        )

    def close_at_deadline(self, journal: dict[str, Any], path: str) -> dict[str, Any]:
        """kz (KZ-05): the registrar schedules today's current control, then moves its closing deadline to
        now; the workflow's deadline timer closes the section and the statement is formed."""
        c, api = self.cast, self.api
        event = {
            "kind": "CONTROL_EVENT_KIND_CURRENT",
            "course_unit_id": journal["course_unit_id"],
            "group_id": journal["group_id"],
            "date": self.today.isoformat(),
        }
        scheduled = api.write(c.registrar, "/api/v1/control-events", event)
        section_id = (
            scheduled.json().get("control_event", {}).get("id", "") if scheduled.status_code == 201 else ""
        )
        self.log.step(
            c.registrar.login,
            f"schedules today's current control for {c.closing_group.code}",
            "201",
            brief(scheduled),
            bool(section_id),
        )
        section = self.await_section(path, section_id, closed=False)  # the journal learns of it by an event
        if section.get("closed_at"):  # today's event was closed by an earlier play on this stack
            self.log.step(
                c.registrar.login,
                "finds today's current control closed",
                "closed on an earlier play",
                section["closed_at"][:19],
                True,
            )
            return section
        for kind, what in (("GRADE_ENTRY", "grade-entry"), ("CLOSING", "closing")):
            now = datetime.now(UTC) + timedelta(seconds=2)
            body = {
                "deadline_kind": f"DEADLINE_KIND_{kind}",
                "new_deadline": now.isoformat(timespec="seconds"),
                "reason": "Тіркеу кеңсесінің шешімі / решение офиса регистратора",
            }
            moved = api.call(
                c.registrar,
                "PUT",
                f"/api/v1/control-events/{section_id}/deadline",
                json=body,
                headers={"Idempotency-Key": str(uuid.uuid4())},
            )
            self.log.step(
                c.registrar.login,
                f"moves its {what} deadline to now",
                "200",
                brief(moved),
                moved.status_code == 200,
            )
        section = self.await_section(path, section_id, closed=True)
        self.log.step(
            "workflow",
            "closes the section at the deadline (KZ-05)",
            "closed, with a statement",
            f"closed at {section.get('closed_at', '')[:19]} by {section.get('closed_by', '')}",
            bool(section.get("closed_at") and section.get("statement_id")),
        )
        return section

    def close_on_event(self, journal: dict[str, Any], path: str) -> dict[str, Any]:
        """kg (KG-06): no closing deadline; the teacher closes the section on the control event."""
        c, api = self.cast, self.api
        open_sections = [s for s in journal["sections"] if not s["closed_at"]]
        if not open_sections:  # closed by an earlier play of the script on this stack
            section: dict[str, Any] = journal["sections"][0]
            self.log.step(
                c.closing_teacher.login,
                f"finds {c.closing_group.code}'s sections closed",
                "closed on an earlier play",
                section["closed_at"][:19],
                True,
            )
            return section
        section = open_sections[0]
        closed = api.write(
            c.closing_teacher,
            f"{path}/sections/{section['section']}/closing",
            {"reason": "аралык текшерүү бүттү / рубежный контроль завершён"},
        )
        self.log.step(
            c.closing_teacher.login,
            f"closes the {section['control_kind']} section of "
            f"{c.closing_group.code} (KG-06: on the event, no deadline)",
            "200",
            brief(closed),
            closed.status_code == 200,
        )
        return self.await_section(path, section["section"], closed=True)

    def await_section(self, journal_path: str, section_id: str, closed: bool) -> dict[str, Any]:
        deadline = time.monotonic() + 40
        while True:
            journal = self.api.call(self.cast.closing_teacher, "GET", journal_path).json()
            journal = journal.get("journal", journal)
            found = [s for s in journal.get("sections", []) if s["section"] == section_id]
            done = bool(found) and (not closed or bool(found[0]["closed_at"] and found[0]["statement_id"]))
            if done or time.monotonic() > deadline:
                return dict(found[0]) if found else {}
            time.sleep(0.5)

    def reopen(self, signers: Reopen) -> None:
        """KZ-13: a late correction of a closed section, through the whole procedure, then KZ-14's ladder."""
        c, api = self.cast, self.api
        journal = self.journal
        closed = [s for s in journal["sections"] if s["closed_at"] and not s["open_reopen_case_id"]]
        self.log.step(
            c.teacher.login, "finds a closed section of their journal", "one", str(len(closed)), bool(closed)
        )
        section = closed[0]
        # the section's control mark: it is on the statement, so correcting it changes the student's line
        in_section = [col for col in self.grid["columns"] if col["section"] == section["section"]]
        column = next((col for col in in_section if col["kind"] == "control"), in_section[-1])
        explanation = {
            "discipline": journal["title"],
            "lesson_types": [journal["lesson_type"]],
            "course": 1,
            "group": u.group_of(c.student).code,
            "specialty": u.group_of(c.student).specialty.code,
            "wrong_date": column["date"],
            "reason": "Бағаны қате бағанға қойдым / поставила оценку не в тот столбец",
        }
        body = {
            "request_id": str(uuid.uuid4()),
            "journal_id": journal["journal_id"],
            "section": section["section"],
            "explanation": explanation,
        }
        submitted = api.write(c.teacher, "/api/v1/reopen-cases", body)
        case = submitted.json().get("case", {}) if submitted.status_code == 201 else {}
        case_id = case.get("case_id", "")
        self.log.step(
            c.teacher.login,
            "submits an explanation (KZ-13.1)",
            "201, a case in review",
            f"{brief(submitted)} {case.get('step', '')}",
            bool(case_id),
        )
        base = f"/api/v1/reopen-cases/{case_id}"
        for role, who in signers.visas:
            visa = api.write(who, f"{base}/visas", {"role": role, "approve": True})
            self.log.step(
                who.login,
                f"adds the {role} visa (KZ-08)",
                "200",
                brief(visa) + " " + visa.json().get("case", {}).get("step", "")
                if visa.status_code == 200
                else brief(visa),
                visa.status_code == 200,
            )
        council = api.write(
            signers.dean,
            f"{base}/council-decision",
            {"approve": True, "protocol": f"№ 3, {self.today.isoformat()}"},
        )
        self.log.step(
            signers.dean.login,
            "records the council's approval (KZ-13.2)",
            "200",
            brief(council),
            council.status_code == 200,
        )
        reopened = api.write(c.registrar, f"{base}/reopening", {})
        self.log.step(
            c.registrar.login,
            "reopens the journal for the teacher (KZ-13.3)",
            "200",
            brief(reopened),
            reopened.status_code == 200,
        )
        self.await_case(base, "correcting")
        grid = api.call(c.teacher, "GET", f"/api/v1/journals/{journal['journal_id']}/grid").json()
        key = (column["column_id"], c.student.id)
        current = {m["value"] for m in grid.get("cells", []) if (m["column_id"], m["student_id"]) == key}
        value = next(v for v in c.substitute_marks if v not in current)
        cell = {"column_id": column["column_id"], "student_id": c.student.id, "value": value}
        corrected = api.write(
            c.teacher,
            f"/api/v1/journals/{journal['journal_id']}/marks",
            {"cells": [cell], "reason": "KZ-13: түзету / исправление"},
        )
        self.log.step(
            c.teacher.login,
            f"corrects {c.student.login}'s mark of {column['date']} to {value}",
            "200 under the grant",
            brief(corrected),
            corrected.status_code == 200,
        )
        submitted = api.write(c.teacher, f"{base}/correction", {"note": "түзетілді / исправлено"})
        self.log.step(
            c.teacher.login,
            "submits the correction (KZ-13.4)",
            "200",
            brief(submitted),
            submitted.status_code == 200,
        )
        case = self.await_case(base, "completed")
        self.log.step(
            "workflow",
            "re-closes the section",
            "case completed",
            case.get("step", ""),
            case.get("step") == "completed",
        )
        listed = api.call(c.teacher, "GET", f"/api/v1/journals/{journal['journal_id']}/statements").json()
        statements = listed.get("statements", [])
        individual = [
            st for st in statements if st.get("kind") == "individual" and st.get("case_id") == case_id
        ]
        self.log.step(
            c.teacher.login,
            "finds the individual statement",
            "one more statement, individual",
            f"{len(statements)} statement(s), {len(individual)} individual",
            bool(individual),
        )
        self.sanction(journal)

    def sanction(self, journal: dict[str, Any]) -> None:
        c, api = self.cast, self.api
        params = {"term_id": journal["term_id"], "profile_code": c.profile}
        deadline = time.monotonic() + 20
        mine: list[dict[str, Any]] = []
        while not mine and time.monotonic() < deadline:
            counts = api.call(c.registrar, "GET", "/api/v1/reopen-counts", params=params).json()
            mine = [t for t in counts.get("teachers", []) if t["subject_id"] == c.teacher.id]
            if not mine:
                time.sleep(0.5)
        count, measure = (mine[0].get("count", 0), mine[0].get("measure", "")) if mine else (0, "")
        expected = "count 1, verbal warning" if count <= 1 else f"a measure for count {count} (a replay)"
        ok = count >= 1 and (("verbal" in measure) if count == 1 else bool(measure))
        self.log.step(
            c.registrar.login,
            f"reads the reopen count of {c.teacher.login} (KZ-14)",
            expected,
            f"count {count}, {measure or 'no measure'}",
            ok,
        )

        tasks: list[dict[str, Any]] = []
        deadline = time.monotonic() + 20
        while not tasks and time.monotonic() < deadline:
            listed = api.call(c.registrar, "GET", "/api/v1/my/tasks").json().get("tasks", [])
            tasks = [
                t
                for t in listed
                if t["action"] == "confirm_sanction"
                and t["teacher_id"] == c.teacher.id
                and f"(reopen no. {count})" in t["summary"]
            ]
            if not tasks:
                time.sleep(0.5)
        summary = tasks[0]["summary"] if tasks else "no proposal"
        self.log.step(
            c.registrar.login,
            "finds the ladder's proposal among their tasks",
            f"{measure} proposed",
            summary.replace(c.teacher.id, c.teacher.login),
            bool(tasks) and measure in summary,
        )
        reference = {"reference": f"бұйрық / приказ № 12-к, {self.today.isoformat()}"}
        confirmed = api.write(c.registrar, f"/api/v1/sanctions/{tasks[0]['case_id']}/confirmation", reference)
        status = (
            confirmed.json().get("proposal", {}).get("status", "") if confirmed.status_code == 200 else ""
        )
        self.log.step(
            c.registrar.login,
            "confirms it with an order",
            "200, confirmed",
            f"{brief(confirmed)} {status}",
            status == "confirmed",
        )

    def await_case(self, path: str, step: str) -> dict[str, Any]:
        deadline = time.monotonic() + 30
        while True:
            case: dict[str, Any] = self.api.call(self.cast.teacher, "GET", path).json().get("case", {})
            if case.get("step") == step or time.monotonic() > deadline:
                return case
            time.sleep(0.5)


def run(gateway: str, out: Callable[[str], None] = print, today: date | None = None) -> int:
    log = Transcript(out)
    api = Api(gateway)
    started = time.monotonic()
    for cast in CASTS:
        out(f"== {cast.profile} ==")
        try:
            Semester(api, cast, log, today or date.today()).play()
        except StepFailed:
            out(f"  {cast.profile}: stopped at the first failed step")
        except Exception as error:  # any surprise is a failed step, reported, not a crash
            log.failed.append(f"{cast.profile}: {error!r}")
            out(f"  [FAIL] {cast.profile}: {error!r}")
    elapsed = time.monotonic() - started
    out(f"== {log.passed} step(s) passed, {len(log.failed)} failed, {elapsed:.1f} s ==")
    for failure in log.failed:
        out(f"  failed: {failure}")
    return 1 if log.failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--gateway", default="http://127.0.0.1:8080")
    args = parser.parse_args(argv)
    return run(args.gateway)


if __name__ == "__main__":
    sys.exit(main())
