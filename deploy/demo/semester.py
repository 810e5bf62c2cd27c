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
from datetime import date
from typing import Any

import httpx

from deploy.demo import university as u
from deploy.demo.model import Person

NOT_SCRIPTED = (
    "registrar moves a deadline to now, the section closes, a statement is formed",
    "late correction through the reopen procedure (explanation, visas, council, reopen, correction, "
    "individual statement)",
    "the sanction ladder proposes a verbal warning",
)


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
    text = reply.text if reply.status_code >= 400 else ""
    return f"{reply.status_code} {text[:300]}".rstrip()


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
        for what in NOT_SCRIPTED:
            self.log.pending(what)

    def sign_in(self) -> None:
        c = self.cast
        for who in (c.teacher, c.student, c.other_student, c.parent, c.head, c.substitute):
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
        self.log.pending("students check in by QR (teacher's rotating code, student posts it)")

    def substitute(self) -> None:
        self.log.pending("a substitute writes a lesson under their own login; history shows on-behalf-of")


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
        except (httpx.HTTPError, KeyError, ValueError) as error:
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
