"""Rows become typed records at the repository's edge: a frozen keyword-only dataclass per kind of row,
filled by column name (curriculum's adapters/records.py does the same), so a use case reads
`grant.section_id`, never `row[4]`, and mypy checks the names."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")


def record(kind: type[R], row: object) -> R:
    """The record of a row, its fields taken by column name (columns the record does not name, such
    as the rest of a `SELECT *`, are left out; a column the record names but the row lacks is an
    error)."""
    return kind(**{f.name: getattr(row, f.name) for f in fields(kind)})
