"""Closing a section and its statement: kz at a deadline (KZ-05), kg on the event (KG-06)."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from deploy.demo import university as u
from deploy.demo.semester.harness import brief
from deploy.demo.semester.scene import Scene


class ClosingSteps(Scene):
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
        if statement.status_code == 200:
            self.print_signed(section["statement_id"])

    def print_signed(self, statement_id: str) -> None:
        """Issue 16: the statement's PDF comes signed by the university's document key, and the public
        check of the uploaded file finds the record and a valid signature."""
        c, api = self.cast, self.api
        body = {"format": "DOCUMENT_FORMAT_PDF", "statement": {"statement_id": statement_id}}
        deadline = time.monotonic() + 60
        while True:  # reporting receives the statement's content from the gradebook shortly after
            printed = api.write(c.closing_teacher, "/api/v1/documents", body)
            if printed.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(1)
        content = printed.json().get("content", "") if printed.status_code == 200 else ""
        checked = api.http.post("/api/v1/documents/verification", json={"content": content})
        found = checked.json() if checked.status_code == 200 else {}
        roles = [s.get("role", "") for s in found.get("signatures", [])]
        self.log.step(
            c.closing_teacher.login,
            "prints the statement as PDF; the public check finds it signed by the university",
            "200, matches the record, university signature valid",
            f"{brief(printed)}, check {brief(checked)}, matches={found.get('matches_record', False)}, "
            f"signatures {roles}, valid={found.get('signatures_valid', False)}",
            bool(found.get("matches_record") and found.get("signatures_valid") and "university" in roles),
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
