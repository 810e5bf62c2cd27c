"""A statement (ведомость) as reporting prints it, and the content hash that ties a printout to it.

The gradebook forms statements; reporting receives them in events and never changes them. The hash is
SHA-256 over a canonical form of the statement's content (sorted JSON, UTF-8, names exactly as
entered), so the same statement always gives the same hash — on the printout, in the read model, and
after a backup is restored. When the gradebook states its own hash, it is kept beside ours and shown.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class StatementLine:
    position: int
    student_id: str
    student_name: str
    result: str  # the final result as the gradebook states it ("87", "4", "н/б")
    letter: str = ""  # kz-medical letter (A, B+...) when the scale has letters
    traditional: str = ""  # отлично / хорошо / ...
    admission: str = ""  # admission rating (рейтинг допуска), when the profile has one
    exam: str = ""


@dataclass(frozen=True)
class StatementRecord:
    statement_id: str
    number: str
    kind: str  # "original" or "individual"
    journal_id: str
    course_unit_title: str
    group_name: str
    term_title: str
    lesson_type: str
    profile_code: str
    formed_at: str  # RFC 3339
    teacher_names: tuple[str, ...]
    lines: tuple[StatementLine, ...]
    original_statement_id: str = ""  # for an individual statement: the statement it corrects
    source_hash: str = ""  # the gradebook's own hash of the statement, when it states one

    def canonical(self) -> bytes:
        content = asdict(self)
        content.pop("source_hash")
        return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()
