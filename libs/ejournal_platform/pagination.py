"""Cursor pagination, the same on every list RPC and HTTP route: `page_size` + `page_token` in,
`next_page_token` out (empty on the last page).

Keyset, not OFFSET: a list is read in a stable order (its sort key ends with a unique column), and a
token holds the sort key of the last item handed out, so the next page starts right after it with an
index range scan however deep the walk goes, and a row added meanwhile neither repeats nor hides
another. The token also carries a fingerprint of the filters it was issued for: reusing it with other
filters is refused (naming `page_token`) rather than answering a page of some other list.

    page = page_request(request.page_size, request.page_token, {"term_id": request.term_id})
    rows = ... WHERE (sort key) > page.after ... ORDER BY sort key LIMIT page.fetch
    shown, next_token = page.cut(rows, key=lambda r: (r.code, r.id))
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, literal, tuple_

from ejournal_platform.errors import InvalidArgument

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

T = TypeVar("T")


Filters = Mapping[str, Any] | Sequence[Any]


def _fingerprint(filters: Filters) -> str:
    items = sorted(filters.items()) if isinstance(filters, Mapping) else list(enumerate(filters))
    canonical = json.dumps([[str(k), str(v)] for k, v in items], ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Page:
    size: int
    # The sort key of the last item of the previous page, as text; empty for the first page.
    after: tuple[str, ...]
    filters: str

    @property
    def fetch(self) -> int:
        """Rows to ask for: one more than the page, to know whether another page follows."""
        return self.size + 1

    def after_key(self, *parsers: Callable[[str], Any]) -> tuple[Any, ...]:
        """The previous page's last sort key, each part parsed back (uuid.UUID, date.fromisoformat ...)."""
        try:
            if len(self.after) != len(parsers):
                raise ValueError("another list's token")
            return tuple(parse(part) for parse, part in zip(parsers, self.after, strict=True))
        except ValueError:
            raise InvalidArgument("page_token", "is not a token this list gave out") from None

    def cut(self, rows: Sequence[T], key: Callable[[T], Sequence[Any]]) -> tuple[list[T], str]:
        """The page's rows and the token of the next page ("" when these are the last)."""
        shown = list(rows[: self.size])
        if len(rows) <= self.size or not shown:
            return shown, ""
        return shown, encode_token(key(shown[-1]), self.filters)


def encode_token(key: Sequence[Any], filters: str) -> str:
    payload = json.dumps({"a": [str(part) for part in key], "f": filters}, ensure_ascii=False)
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def page_request(page_size: int, page_token: str, filters: Filters = ()) -> Page:
    """Check the caller's page size (0 = the default, above the maximum = the maximum) and token."""
    if page_size < 0:
        raise InvalidArgument("page_size", f"must be between 0 and {MAX_PAGE_SIZE} (0 = {DEFAULT_PAGE_SIZE})")
    size = min(page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    fingerprint = _fingerprint(filters)
    if not page_token:
        return Page(size, (), fingerprint)
    try:
        raw = base64.urlsafe_b64decode(page_token + "=" * (-len(page_token) % 4))
        decoded = json.loads(raw)
        after = tuple(str(part) for part in decoded["a"])
        issued_for = str(decoded["f"])
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise InvalidArgument("page_token", "is not a token this list gave out") from None
    if issued_for != fingerprint or not after:
        raise InvalidArgument("page_token", "was given out for other filters; start again without it")
    return Page(size, after, fingerprint)


def after(columns: Sequence[Any], values: Sequence[Any]) -> ColumnElement[bool]:
    """SQL: the row's sort key comes after `values` (a row-value comparison an index range serves)."""
    bound = [literal(value, type_=column.type) for column, value in zip(columns, values, strict=True)]
    return tuple_(*columns) > tuple_(*bound)


def keyset(
    query: Any,
    page: Page,
    columns: Sequence[Any],
    parsers: Sequence[Callable[[str], Any]],
    *,
    descending: bool = False,
) -> Any:
    """A SELECT read as one page: ordered by `columns` (the last one unique), starting right after the
    previous page's last item, limited to `page.fetch`. Pair it with `page.cut(rows, key=...)` giving
    the same columns' values. `descending` walks newest first (the key then comes *before* the last)."""
    if page.after:
        values = page.after_key(*parsers)
        bound = [literal(value, type_=column.type) for column, value in zip(columns, values, strict=True)]
        rows, last = tuple_(*columns), tuple_(*bound)
        query = query.where(rows < last if descending else rows > last)
    order = [column.desc() for column in columns] if descending else list(columns)
    return query.order_by(*order).limit(page.fetch)
