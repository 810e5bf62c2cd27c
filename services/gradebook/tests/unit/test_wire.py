"""The hand-encoded fast paths produce exactly what the straightforward code would."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ejournal.gradebook.v1 import events_pb2 as ev
from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from services.gradebook.adapters import grid_wire
from services.gradebook.adapters.event_wire import MarkRecordedBatch
from services.gradebook.domain.history_chain import GENESIS, Change, canonical, link, link_batch

pytestmark = pytest.mark.unit
AT = datetime(2026, 11, 23, 10, 30, 0, 123456, tzinfo=UTC)


def test_batch_event_payloads_parse_to_the_messages_built_field_by_field() -> None:
    shared = {
        "journal_id": str(uuid.uuid4()),
        "author_id": str(uuid.uuid4()),
        "recorded_at": AT.isoformat(),
        "reason": "қате",
        "case_id": "case-1",
        "on_behalf_of_id": "",
    }
    batch = MarkRecordedBatch(ev.MarkRecorded(**shared))  # type: ignore[arg-type]
    column, student, section = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    for value, previous, version in (("н/б", "", 1), ("100", "н/б", 300), ("", "0", 2)):
        payload = batch.payload(column, student, value, previous, version, section, "lesson")
        expected = ev.MarkRecorded(
            **shared,
            lesson_id=column,
            student_id=student,
            value=value,
            previous_value=previous,
            version=version,
            section=section,
            column_kind="lesson",
        )
        assert ev.MarkRecorded.FromString(payload) == expected


def test_wire_encoded_cells_parse_to_the_same_messages() -> None:
    rows = [
        (str(uuid.uuid4()), str(uuid.uuid4()), v, n) for v, n in (("нб", 1), ("5", 200), (None, 3), ("0", 0))
    ]
    parsed = pb.GetJournalGridResponse.FromString(grid_wire.mark_cells(rows))
    assert list(parsed.cells) == [
        pb.MarkCell(column_id=c, student_id=s, value=v or "", version=n) for c, s, v, n in rows
    ]
    attendance = [
        (str(uuid.uuid4()), str(uuid.uuid4()), "present", 2, "check_in", AT),
        ("c", "s", "absent", 1, "teacher", None),
    ]
    parsed = pb.GetJournalGridResponse.FromString(grid_wire.attendance_cells(attendance))
    assert list(parsed.attendance) == [
        pb.AttendanceCell(
            column_id=c,
            student_id=s,
            status=st,
            version=n,
            source=src,
            checked_in_at=at.isoformat() if at else "",
        )
        for c, s, st, n, src, at in attendance
    ]
    write = pb.WriteMarksResponse.FromString(grid_wire.mark_cells(rows, 1))
    assert [c.version for c in write.cells] == [1, 200, 3, 0]


def test_cells_past_the_precomputed_lengths_and_versions_encode_the_same() -> None:
    """Versions and cell lengths of 2**14 and more are encoded outside the precomputed table."""
    rows = [("c", "s", "x" * 20_000, 2**14), ("c", "s2", "5", 2**40), ("c", "s", "5", 2**14 - 1)]
    parsed = pb.GetJournalGridResponse.FromString(grid_wire.mark_cells(rows))
    assert list(parsed.cells) == [
        pb.MarkCell(column_id=c, student_id=s, value=v, version=n) for c, s, v, n in rows
    ]


def test_batch_hashes_equal_the_chain_of_single_links() -> None:
    shared = Change(
        "j", 5, "mark", "", "", None, None, "teacher", "absent-teacher", 'түзету "quoted"', None, None, AT
    )
    cells = [
        (str(uuid.uuid4()), str(uuid.uuid4()), old, new)
        for old, new in ((None, "н/б"), ("н/б", "0"), ("0", None))
    ]
    previous, expected = GENESIS, []
    for offset, (column, student, old, new) in enumerate(cells):
        change = Change(
            "j",
            5 + offset,
            "mark",
            column,
            student,
            old,
            new,
            "teacher",
            "absent-teacher",
            'түзету "quoted"',
            None,
            None,
            AT,
        )
        previous = link(previous, change)
        expected.append(previous)
    assert link_batch(GENESIS, 5, shared, cells) == expected


def test_batch_hashes_with_typed_times_equal_the_chain_of_single_links() -> None:
    """A cell's client time of typing (issue 21) is inside its hash; a cell without one keeps the
    14-element encoding, so entries written before the field existed still verify."""
    shared = Change("j", 1, "mark", "", "", None, None, "teacher", None, None, None, None, AT)
    typed = [AT - timedelta(hours=2), None]
    cells = [
        (str(uuid.uuid4()), str(uuid.uuid4()), None, "5"),
        (str(uuid.uuid4()), str(uuid.uuid4()), None, "4"),
    ]
    singles = [
        Change("j", 1 + i, "mark", c, s, o, n, "teacher", None, None, None, None, AT, typed[i])
        for i, (c, s, o, n) in enumerate(cells)
    ]
    first = link(GENESIS, singles[0])
    assert link_batch(GENESIS, 1, shared, cells, typed) == [first, link(first, singles[1])]
    assert link(GENESIS, replace(singles[0], typed_at=None)) != first
    assert canonical(singles[0]).endswith(b'"2026-11-23T10:30:00.123456Z","2026-11-23T08:30:00.123456Z"]')
    assert canonical(singles[1]).endswith(b'"2026-11-23T10:30:00.123456Z"]')
