"""QR check-in (KG-09) and a substitute under their own login (KZ-07, KG-07)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from deploy.demo.semester.harness import brief
from deploy.demo.semester.scene import Scene


class PresenceSteps(Scene):
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
        # The lesson is a past one: outside its window (KG-09) the scan is refused with the window named
        # in the user's language; inside it 201 (409 "already checked in" on a replay the same day).
        detail = str(scanned.json().get("detail", "")) if scanned.status_code == 409 else ""
        self.log.step(
            c.student.login,
            "checks in with the code",
            "201 inside the lesson's window, else 409 naming it",
            f"{brief(scanned)} {detail}".strip(),
            scanned.status_code in (201, 409),
        )
        if scanned.status_code != 201:
            return
        grid = api.call(c.teacher, "GET", f"/api/v1/journals/{journal}/grid").json()
        cells = [
            a
            for a in grid.get("attendance", [])
            if a["column_id"] == lesson and a["student_id"] == c.student.id
        ]
        got = f"{cells[0]['status']} via {cells[0]['source']}" if cells else "no attendance cell"
        ok = bool(cells) and cells[0]["status"] in ("present", "late") and cells[0]["source"] == "check_in"
        self.log.step(
            c.teacher.login, f"sees {c.student.login} in the grid", "present or late via check_in", got, ok
        )

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
