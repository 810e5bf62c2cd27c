"""Cursor pagination's rules: page sizes bounded, a token only for the filters it was given for, a
next token exactly when more rows exist, and a token that parses back to the sort key."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from ejournal_platform.errors import InvalidArgument
from ejournal_platform.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, page_request

pytestmark = pytest.mark.unit


def test_page_sizes_default_and_bound() -> None:
    assert page_request(0, "").size == DEFAULT_PAGE_SIZE
    assert page_request(5, "").size == 5 and page_request(5, "").fetch == 6
    assert page_request(10**9, "").size == MAX_PAGE_SIZE
    with pytest.raises(InvalidArgument) as refused:
        page_request(-1, "")
    assert refused.value.field == "page_size"


def test_a_next_token_exactly_when_more_rows_exist_and_it_leads_on_from_the_last_shown() -> None:
    page = page_request(2, "", {"term_id": "t"})
    shown, token = page.cut([("a", 1), ("b", 2)], key=lambda r: r)
    assert shown == [("a", 1), ("b", 2)] and token == ""
    shown, token = page.cut([("a", 1), ("b", 2), ("c", 3)], key=lambda r: r)
    assert shown == [("a", 1), ("b", 2)] and token
    following = page_request(2, token, {"term_id": "t"})
    assert following.after_key(str, int) == ("b", 2)


def test_a_token_is_refused_with_other_filters_or_when_it_was_not_given_out() -> None:
    key = (date(2026, 9, 2), uuid.UUID(int=7))
    _, token = page_request(1, "", ["g", ""]).cut([key, key], key=lambda r: r)
    assert page_request(1, token, ["g", ""]).after_key(date.fromisoformat, uuid.UUID) == key
    for bad in (
        lambda: page_request(1, token, ["other", ""]),
        lambda: page_request(1, "garbage!"),
        lambda: page_request(1, token, ["g", ""]).after_key(uuid.UUID, uuid.UUID),
    ):
        with pytest.raises(InvalidArgument) as refused:
            bad()
        assert refused.value.field == "page_token"
