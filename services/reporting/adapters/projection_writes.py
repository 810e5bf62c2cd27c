"""The writes the projections make (service_layer/projections/*), built here so the projections stay
declarations of tables and rows:
- `Upsert`: a prepared upsert by primary key for row projections (a batch's rows as one set-based
  statement per run of distinct keys);
- `upsert`: the same for one row, from a statement projection;
- `set_columns`: a few columns of the rows with a key (a removal, a cancellation, a lock);
- `merge_case_step`: a reopen case's row from one of its steps, arriving in any order;
- `earliest`, `teachers_ever_added`: merge rules an `Upsert` may name for a column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ARRAY as AnyArray
from sqlalchemy import JSON, Select, Table, bindparam, case, func, literal_column, select, update
from sqlalchemy.dialects.postgresql import ARRAY, Insert, insert
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.binary_statements import BinaryStatement, sendable_in_binary
from services.reporting.adapters import workflow_models as wm

Merge = Callable[[Table, Any], Any]


@dataclass(eq=False)
class Upsert:
    """A prepared upsert by primary key. `guard` names a revision/version column: a row is updated only
    when the incoming value is at least the stored one (an older copy never wins; a replayed copy is
    harmless). `keep`: columns written on insert only. `merge`: column -> SQL over (table, excluded)
    replacing the plain overwrite (e.g. keep the earliest time). `university_of`: the parent table the
    row's university is its copy of (tenancy, reporting migration 0007's DERIVED), joined by the
    parent's key, a column of the row: see `_with_university`."""

    table: Table
    columns: tuple[str, ...]
    guard: str | None = None
    keep: tuple[str, ...] = ()
    merge: Mapping[str, Merge] = field(default_factory=dict)
    university_of: Table | None = None

    def __post_init__(self) -> None:
        self.column_set = frozenset(self.columns)
        self.keys = tuple(c.name for c in self.table.primary_key.columns)
        self.statement: Insert = self._on_conflict(insert(self.table))
        # The set-based form: every column's values as one array, unnested into rows (one statement
        # however many rows, compiled once). unnest would flatten array columns and JSON cannot be an
        # array element here: upserts with such a column stay executemany.
        column_types = {name: self.table.c[name].type for name in self.columns}
        self.set_based: Insert | None = None
        if not any(isinstance(t, AnyArray | JSON) for t in column_types.values()):
            arrays = [bindparam(name, type_=ARRAY(t)) for name, t in column_types.items()]
            rows = func.unnest(*arrays).table_valued(*self.columns).render_derived()
            source = select(*(rows.c[name] for name in self.columns))
            names = list(self.columns)
            if self.university_of is not None:
                source, names = self._with_university(rows, source), [*names, "university_id"]
            self.set_based = self._on_conflict(insert(self.table).from_select(names, source))
        # Its column arrays sent in binary (ejournal_platform/binary_statements.py: text rendering of the
        # arrays was the largest single cost of a rebuild).
        self.binary: BinaryStatement | None = None
        if self.set_based is not None and sendable_in_binary(self.set_based):
            self.binary = BinaryStatement(self.set_based)

    def _with_university(self, rows: Any, source: Select[Any]) -> Select[Any]:
        """The rows with their parent's university, by a join for the whole batch. The table's BEFORE
        INSERT trigger would look the parent up row by row (a PL/pgSQL call and a query each: a sixth of
        PostgreSQL's time in a rebuild); it runs only `WHEN (NEW.university_id IS NULL)`, so a row given
        its university here skips it. A row whose parent is absent or still waiting gets NULL from the
        join and goes through the trigger as before: it asks again in a fresh snapshot, under the
        parent's advisory lock (migration 0010), and waits for its parent otherwise. An update of a
        stored row leaves its university as it was (not in the SET list), as before."""
        assert self.university_of is not None
        (key,) = self.university_of.primary_key.columns
        if key.name not in self.column_set:
            raise ValueError(f"{self.table.name}: no column names its parent {self.university_of.name}")
        parent = self.university_of
        return source.add_columns(parent.c.university_id).select_from(
            rows.outerjoin(parent, parent.c[key.name] == rows.c[key.name])
        )

    def _on_conflict(self, statement: Insert) -> Insert:
        update = {
            name: statement.excluded[name]
            for name in self.columns
            if name not in self.keys and name not in self.keep
        }
        update |= {name: build(self.table, statement.excluded) for name, build in self.merge.items()}
        if not update:
            return statement.on_conflict_do_nothing()
        where = self.table.c[self.guard] <= statement.excluded[self.guard] if self.guard else None
        return statement.on_conflict_do_update(index_elements=list(self.keys), set_=update, where=where)

    async def write(self, session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> None:
        """Write rows in their order; all rows name the same columns. One statement cannot touch a row
        twice (ON CONFLICT DO UPDATE refuses), so the rows go in runs of distinct keys, each run one
        set-based statement; a later copy of a key starts the next run, after the earlier copy."""
        if self.set_based is None:
            await session.execute(self.statement, list(rows))
            return
        run: list[Mapping[str, Any]] = []
        seen: set[tuple[Any, ...]] = set()
        for row in rows:
            key = tuple(row[name] for name in self.keys)
            if key in seen:
                await self._write_run(session, run)
                run, seen = [], set()
            run.append(row)
            seen.add(key)
        await self._write_run(session, run)

    async def _write_run(self, session: AsyncSession, run: Sequence[Mapping[str, Any]]) -> None:
        assert self.set_based is not None
        if not run:
            return
        arrays = {name: [row[name] for row in run] for name in self.columns}
        if self.binary is not None:
            await self.binary.execute(session, arrays)
        else:
            await session.execute(self.set_based, arrays)


def earliest(column: str) -> Merge:
    """Keep the earlier of the stored and the incoming value (e.g. a cell's first entry)."""
    return lambda table, excluded: func.least(table.c[column], excluded[column])


def teachers_ever_added(table: Table, excluded: Any) -> Any:
    """A later JournalOpened adds a teacher: keep everyone who was ever added (sorted, once each)."""
    merged = f"{table.name}.teacher_ids || excluded.teacher_ids"
    return literal_column(f"ARRAY(SELECT DISTINCT t FROM unnest({merged}) AS t ORDER BY t)")


async def upsert(
    session: AsyncSession,
    table: Table,
    values: Mapping[str, Any],
    *,
    guard: str | None = None,
    keep: Iterable[str] = (),
    overrides: Mapping[str, Any] | None = None,
) -> None:
    """Upsert by primary key. `guard` names a revision/version column: the row is only updated when the
    incoming value is at least the stored one (an older copy never wins; a replay of the same copy is
    harmless). Columns in `keep` are written on insert only; `overrides` replace the update expression
    of a column (e.g. keep the first time something happened)."""
    statement = insert(table).values(**values)
    keys = {c.name for c in table.primary_key.columns}
    kept = set(keep)
    update = {name: statement.excluded[name] for name in values if name not in keys and name not in kept}
    update |= dict(overrides or {})
    if not update:
        await session.execute(statement.on_conflict_do_nothing())
        return
    where = table.c[guard] <= statement.excluded[guard] if guard else None
    await session.execute(
        statement.on_conflict_do_update(index_elements=list(keys), set_=update, where=where)
    )


async def set_columns(session: AsyncSession, table: Table, key: Mapping[str, Any], **values: Any) -> None:
    """Set `values` on the rows whose columns equal `key` (none: nothing happens)."""
    await session.execute(
        update(table).where(*(table.c[name] == value for name, value in key.items())).values(**values)
    )


async def merge_case_step(session: AsyncSession, row: Mapping[str, Any]) -> None:
    """A reopen case's row from one of its steps, whatever order the steps arrive in: the explanation
    once known stays, the case opened at its earliest step, and the step, end and outcome are those of
    the latest step (`last_seq`)."""
    table = wm.reopen_case
    statement = insert(table).values(**row)
    excluded = statement.excluded
    newer = table.c.last_seq < excluded.last_seq
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.case_id],
            set_={
                "reason": case((excluded.reason != "", excluded.reason), else_=table.c.reason),
                "opened_at": func.least(table.c.opened_at, excluded.opened_at),
                "step": case((newer, excluded.step), else_=table.c.step),
                "closed_at": case((newer, excluded.closed_at), else_=table.c.closed_at),
                "outcome": case((newer, excluded.outcome), else_=table.c.outcome),
                "last_seq": func.greatest(table.c.last_seq, excluded.last_seq),
            },
        )
    )
