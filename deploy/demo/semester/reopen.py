"""kz's late correction through the reopen procedure (KZ-13, KZ-08) and the sanction ladder (KZ-14)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from deploy.demo import university as u
from deploy.demo.semester.cast import Reopen
from deploy.demo.semester.harness import brief
from deploy.demo.semester.scene import Scene


class ReopenSteps(Scene):
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
