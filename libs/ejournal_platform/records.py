"""Rows become typed records at a repository's edge: a frozen keyword-only dataclass per kind of row,
filled by name, so a use case reads `grant.section_id`, never `row[4]`, and mypy checks the names (a
dataclass cannot be indexed at all). One helper for every service's repositories."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")


def record(kind: type[R], row: object) -> R:
    """The record of a row (a SQLAlchemy row, a mapped instance, any object with the fields): each of
    the record's fields taken by name. Columns the record does not name, such as the rest of a
    `SELECT *`, are left out; a field the row lacks is an error."""
    return kind(**{f.name: getattr(row, f.name) for f in fields(kind)})


def records(kind: type[R], rows: Iterable[object]) -> list[R]:
    return [record(kind, row) for row in rows]
