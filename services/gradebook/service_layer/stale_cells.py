"""A batch write's answer to stale cells: Conflict naming each one's current value, version and writer."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any, Protocol

from ejournal_platform.errors import Conflict
from services.gradebook.adapters import cells_sql


class CellRef(Protocol):
    @property
    def column_id(self) -> str: ...

    @property
    def student_id(self) -> str: ...


async def refuse_stale(
    conn: Any, journal_id: uuid.UUID, cells: Sequence[CellRef], stale: list[int], current: Sequence[Any]
) -> None:
    """Abort the batch naming each stale cell's current value and version, and who wrote it and when,
    so the client can show both values and whose the server's is (issue 21). The writers are read only
    when a batch conflicts: the ordinary write stays as fast."""
    found = await cells_sql.writers_of(
        conn, journal_id, [(cells[i].column_id.lower(), cells[i].student_id.lower()) for i in stale]
    )
    listed: list[dict[str, object]] = []
    for i in stale:
        writer = found.get((cells[i].column_id.lower(), cells[i].student_id.lower()))
        listed.append(
            {
                "cell": i,
                "column_id": cells[i].column_id,
                "student_id": cells[i].student_id,
                "value": current[i].value or "",
                "version": current[i].version,
                "author_id": writer.author_id if writer else "",
                "author_name": writer.author_name if writer else "",
                "updated_at": writer.updated_at.isoformat() if writer else "",
            }
        )
    raise Conflict(
        f"{len(stale)} cell(s) changed since they were read; nothing was written",
        field=f"cells[{stale[0]}].expected_version",
        current=json.dumps(listed, ensure_ascii=False),
    )
