"""Sign-in, the journal grid, marks with their scale, the parent's view, a dispute (KG-01, KG-03, KG-10)."""

from __future__ import annotations

import uuid
from typing import Any

from deploy.demo.semester.harness import brief
from deploy.demo.semester.scene import Scene


class MarkSteps(Scene):
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
