"""Rows become typed records at the repository's edge: a frozen keyword-only dataclass per kind of row,
filled by name, so a use case reads `grant.section_id`, never `row[4]`, and mypy checks the names."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Protocol, TypeVar


class _Row(Protocol):
    @property
    def _mapping(self) -> Any: ...


R = TypeVar("R")


def record(kind: type[R], row: _Row) -> R:
    """The record of a row, its fields taken by column name (columns the record does not name, such
    as a `SELECT *`'s others, are left out; a column the record names but the row lacks is an error)."""
    columns = row._mapping
    return kind(**{f.name: columns[f.name] for f in fields(kind)})  # type: ignore[arg-type]
