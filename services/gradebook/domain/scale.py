"""Mark entry against the course unit's scale (profile data): structured values only (KG-04).

A value is text exactly as on the scale: `н/б` and `0` (kz-medical, KZ-12), `нб 5 4 3 2` (kg-jasu,
KG-05). "No mark yet" is the absence of a mark, never a value; clearing a cell returns it to that state.
"""

from __future__ import annotations

from dataclasses import dataclass

from ejournal_regulation import RegulationProfile, get_profile
from ejournal_regulation.scales import Mark, MarkRejected, Scale

CLEAR = ""  # the value that returns a cell to "no mark yet"


@dataclass(frozen=True)
class Rejection:
    index: int
    reason: str


class MarkBook:
    """One profile's scale with a memo of parsed texts (a batch repeats a handful of values)."""

    def __init__(self, profile: RegulationProfile) -> None:
        self.profile = profile
        self.scale: Scale = profile.scale
        self._memo: dict[str, Mark | str] = {}

    def parse(self, text: str) -> Mark | str:
        """The mark, or the reason the text is refused (naming the allowed values)."""
        found = self._memo.get(text)
        if found is None:
            try:
                found = self.scale.parse(text)
            except MarkRejected as error:
                found = f"{text!r} is not on the scale of {self.profile.code}; allowed: {error.allowed}"
            if len(self._memo) < 1024:
                self._memo[text] = found
        return found

    def normalise(self, values: list[str]) -> tuple[list[str | None], list[Rejection]]:
        """Canonical text per value (None = clear) and the refused ones; free text is never stored."""
        out: list[str | None] = []
        rejected: list[Rejection] = []
        for index, text in enumerate(values):
            if text == CLEAR:
                out.append(None)
                continue
            parsed = self.parse(text)
            if isinstance(parsed, str):
                rejected.append(Rejection(index, parsed))
                out.append(None)
            else:
                out.append(parsed.text)
        return out, rejected


_books: dict[str, MarkBook] = {}


def mark_book(profile_code: str) -> MarkBook:
    book = _books.get(profile_code)
    if book is None:
        book = _books[profile_code] = MarkBook(get_profile(profile_code))
    return book
