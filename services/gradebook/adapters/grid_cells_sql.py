"""A journal's mark cells encoded to protobuf wire format by PostgreSQL: one bytea per grid.

Why: a 100 x 71 grid is 7,100 cells. Fetched as rows, psycopg builds a tuple and four objects per cell
and Python then encodes each cell again (grid_wire.mark_cells); built here, each cell is a few bytea
functions in C inside the scan and the gradebook receives one value it merges into the response
(docs/perf/README.md, "Grid reads (lane grid2)"). The bytes are those grid_wire.mark_cells writes for
the same rows (tests/integration/test_grid_cells_sql.py compares them on a real server).

`MarkCell` (gradebook_service.proto): column_id = 1, student_id = 2 (both a uuid's 36 characters),
value = 3 (omitted when empty), version = 4 (omitted when 0); each cell is field `cells` = 4 of
GetJournalGridResponse, length-delimited.
"""

from __future__ import annotations

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb

_RESPONSE = pb.GetJournalGridResponse.DESCRIPTOR.fields_by_name
_MARK = pb.MarkCell.DESCRIPTOR.fields_by_name
_UUID_TEXT = 36  # characters (and bytes) of a uuid's text form


def _byte(n: int) -> str:
    return f"'\\x{n:02x}'::bytea"


def _tag(number: int, wire_type: int) -> int:
    tag = number << 3 | wire_type
    assert tag < 128, "one-byte tags only"
    return tag


def varint(expr: str) -> str:
    """SQL for the varint of a non-negative bigint expression: a CASE over its length in bytes
    (7 bits each; up to nine bytes covers every non-negative bigint)."""
    branches = []
    for size in range(1, 10):
        out = "'\\x" + "00" * size + "'::bytea"
        for i in range(size):
            low = f"((({expr}) >> {7 * i}) & 127)"
            out = f"set_byte({out}, {i}, {f'({low} | 128)' if i < size - 1 else low}::int)"
        branches.append((f"({expr}) < {1 << (7 * size)}" if size < 9 else None, out))
    cases = " ".join(f"WHEN {when} THEN {then}" for when, then in branches if when)
    return f"(CASE {cases} ELSE {branches[-1][1]} END)"


def mark_cells_sql(rows: str) -> str:
    """A statement returning one bytea (NULL for no cells): every row of `rows` (a FROM clause, with
    its WHERE if any, whose relation `m` has column_id and student_id as uuid, value as text, version
    as bigint) as a MarkCell field of GetJournalGridResponse, in no particular order (the grid's cells
    are a set)."""
    column = _byte(_tag(_MARK["column_id"].number, 2)) + f" || {_byte(_UUID_TEXT)}"
    student = _byte(_tag(_MARK["student_id"].number, 2)) + f" || {_byte(_UUID_TEXT)}"
    value = (
        f"CASE WHEN coalesce(m.value, '') = '' THEN ''::bytea ELSE"
        f" {_byte(_tag(_MARK['value'].number, 2))} || {varint('octet_length(m.value)')}"
        f" || convert_to(m.value, 'UTF8') END"
    )
    version = (
        f"CASE WHEN m.version = 0 THEN ''::bytea ELSE"
        f" {_byte(_tag(_MARK['version'].number, 0))} || {varint('m.version')} END"
    )
    body = (
        f"{column} || convert_to(m.column_id::text, 'UTF8') || {student}"
        f" || convert_to(m.student_id::text, 'UTF8') || {value} || {version}"
    )
    cell = f"{_byte(_tag(_RESPONSE['cells'].number, 2))} || {varint('octet_length(c.body)')} || c.body"
    # OFFSET 0 keeps the subquery whole: inlined, every mention of c.body (the length's CASE names it
    # up to nine times) would build the cell again (measured: ~35x the CPU, bench/grid_cells.py).
    return f"SELECT string_agg({cell}, ''::bytea) FROM (SELECT {body} AS body FROM {rows} OFFSET 0) c"
