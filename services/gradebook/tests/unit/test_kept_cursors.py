"""A hot statement's cursor is kept per connection (psycopg rebuilds a new cursor's adaptation state), but
never for a batch large enough to leave megabytes of parameters behind on a pooled connection."""

from __future__ import annotations

from typing import Any

import pytest

from services.gradebook.adapters.pg import KEEP_CURSOR_UP_TO_CELLS, statement_cursor

pytestmark = pytest.mark.unit


class Cursor:
    def __init__(self, binary: bool) -> None:
        self.binary = binary
        self.closed = False


class Connection:
    """What statement_cursor asks of a psycopg connection: cursors, and room for its own attribute."""

    def __init__(self) -> None:
        self.made = 0

    def cursor(self, binary: bool = False) -> Cursor:
        self.made += 1
        return Cursor(binary)


def cursor_of(conn: Connection, statement: str, **options: Any) -> Any:
    return statement_cursor(conn, statement, **options)  # type: ignore[arg-type]


def test_one_cursor_per_statement_and_mode_is_kept_for_each_connection() -> None:
    first, second = Connection(), Connection()
    upsert = cursor_of(first, "UPSERT", cells=25)
    assert cursor_of(first, "UPSERT", cells=KEEP_CURSOR_UP_TO_CELLS) is upsert
    assert cursor_of(first, "HISTORY") is not upsert
    assert cursor_of(first, "UPSERT", binary=True) is not upsert
    assert cursor_of(second, "UPSERT") is not upsert
    assert first.made == 3 and second.made == 1


def test_a_large_batch_gets_a_cursor_of_its_own_and_leaves_the_kept_one_alone() -> None:
    conn = Connection()
    kept = cursor_of(conn, "UPSERT", cells=25)
    large = cursor_of(conn, "UPSERT", cells=KEEP_CURSOR_UP_TO_CELLS + 1)
    assert large is not kept
    assert cursor_of(conn, "UPSERT", cells=KEEP_CURSOR_UP_TO_CELLS + 1) is not large
    assert cursor_of(conn, "UPSERT", cells=25) is kept


def test_a_closed_cursor_is_replaced() -> None:
    conn = Connection()
    kept = cursor_of(conn, "UPSERT")
    kept.closed = True
    assert cursor_of(conn, "UPSERT") is not kept
