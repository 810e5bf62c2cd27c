"""Rows as the plain values of domain/records.py: a use case reads ORM rows through the unit of work and
returns these, so nothing mapped leaves the transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")
T = TypeVar("T")


def record(kind: type[R], row: object) -> R:
    """The value of `kind` with the fields of `row` (a mapped instance or any object with them)."""
    return kind(**{f.name: getattr(row, f.name) for f in fields(kind)})


def records(kind: type[R], rows: Iterable[T]) -> list[R]:
    return [record(kind, row) for row in rows]
