"""The gradebook's content hash of a statement, recomputed from the Statement message it serves.

The gradebook hashes a statement as sha256 over canonical JSON (sorted keys, UTF-8 letters as they
are, no spaces) of {"header", "lines" (by student id, components sorted), "signers" (as formed),
"names" (only on statements formed with sealed names: the units' titles, people by id, time zone)}
(services/gradebook/domain/statements.py, canonical_content). Reporting recomputes it over what it
received, so a statement whose content does not hash to the value StatementFormed announced is never
stored or printed, and a restored copy can be proven identical to the record.
"""

from __future__ import annotations

import hashlib
import json

from ejournal.gradebook.v1 import gradebook_service_pb2 as gbs

HEADER_FIELDS = (
    "kind",
    "series",
    "number",
    "term_id",
    "journal_id",
    "section",
    "course_unit_id",
    "group_id",
    "control_kind",
    "formed_at",
    "formed_by",
    "original_statement_id",
    "case_id",
)
LINE_FIELDS = ("student_id", "value", "points", "letter", "gpa", "traditional", "passed")


NAME_FIELDS = (
    "university",
    "faculty",
    "department",
    "specialty",
    "group",
    "discipline",
    "time_zone",
    "profile_code",
)


def canonical_content(statement: gbs.Statement) -> str:
    document: dict[str, object] = {
        "header": {name: getattr(statement, name) for name in HEADER_FIELDS},
        "lines": [
            {
                **{name: getattr(line, name) for name in LINE_FIELDS},
                "components": dict(sorted(line.components.items())),
            }
            for line in sorted(statement.lines, key=lambda x: x.student_id)
        ],
        "signers": [
            {"person_id": s.person_id, "role": s.role, "signed_at": s.signed_at} for s in statement.signers
        ],
    }
    if statement.HasField("names"):
        n = statement.names
        document["names"] = {
            **{name: getattr(n, name) for name in NAME_FIELDS},
            "people": dict(sorted(n.people.items())),
        }
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(statement: gbs.Statement) -> str:
    return hashlib.sha256(canonical_content(statement).encode()).hexdigest()
