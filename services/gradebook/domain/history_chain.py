"""The tamper-evident history: a sha256 chain per journal over a canonical encoding of each change.

hash(n) = sha256(hash(n-1) || canonical(entry n)), with hash(0) = 32 zero bytes. The canonical
encoding is a JSON array of the entry's fields in a fixed order (UTF-8, no spaces, letters kept as
they are, instants as UTC ISO 8601 with microseconds, absent values as null). Editing any stored
field, deleting or inserting an entry breaks the chain at that position, and `verify` names it.

The client's time of typing (issue 21: a save queued offline) is inside the hash, so it cannot be
edited afterwards either. It is appended as a 15th element only when the client sent one: entries
written before it existed, and those without it, keep their 14-element encoding and still verify,
and the array's length keeps the two forms apart.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = bytes(32)

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@dataclass(frozen=True)
class Change:
    """One change of a cell, as the history keeps it."""

    journal_id: str
    position: int
    kind: str  # mark or attendance
    column_id: str
    student_id: str
    old_value: str | None
    new_value: str | None
    author_id: str
    on_behalf_of_id: str | None
    reason: str | None
    grant_id: str | None
    case_id: str | None
    recorded_at: datetime
    typed_at: datetime | None = None  # the client's clock, as information (never used by a rule)


def instant(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(change: Change) -> bytes:
    typed = [instant(change.typed_at)] if change.typed_at is not None else []
    return _encode(
        [
            "ejournal.history.v1",
            change.journal_id,
            change.position,
            change.kind,
            change.column_id,
            change.student_id,
            change.old_value,
            change.new_value,
            change.author_id,
            change.on_behalf_of_id,
            change.reason,
            change.grant_id,
            change.case_id,
            instant(change.recorded_at),
            *typed,
        ]
    ).encode()


def link(previous: bytes, change: Change) -> bytes:
    return hashlib.sha256(previous + canonical(change)).digest()


@dataclass(frozen=True)
class StoredChange:
    change: Change
    prev_hash: bytes
    hash: bytes


@dataclass(frozen=True)
class Verdict:
    intact: bool
    checked: int
    first_broken_position: int = 0
    reason: str = ""
    head_hash: bytes = GENESIS


def verify(stored: Iterable[StoredChange], head: tuple[int, bytes] | None) -> Verdict:
    """Walk the chain in position order; report the first entry whose link does not hold."""
    previous = GENESIS
    expected_position = 1
    checked = 0
    for entry in stored:
        position = entry.change.position
        if position != expected_position:
            return Verdict(False, checked, expected_position, "position gap", previous)
        if entry.prev_hash != previous:
            return Verdict(False, checked, position, "previous hash mismatch", previous)
        recomputed = link(previous, entry.change)
        if recomputed != entry.hash:
            return Verdict(False, checked, position, "hash mismatch", previous)
        previous = recomputed
        expected_position += 1
        checked += 1
    if head is not None and (head[0] != checked or head[1] != previous):
        # Entries were removed from the end, or the head was rewritten.
        return Verdict(False, checked, min(head[0], checked) + 1, "head mismatch", previous)
    return Verdict(True, checked, 0, "", previous)


def link_batch(
    previous: bytes,
    first_position: int,
    shared: Change,
    cells: Sequence[tuple[str, str, str | None, str | None]],
    typed_at: Sequence[datetime | None] | None = None,
) -> list[bytes]:
    """The hashes of a batch of changes that share everything but cell, values and time of typing (one
    write call): the same bytes `canonical` gives each change, built from pre-encoded shared parts.

    cells: (column_id, student_id, old_value, new_value) in position order from `first_position`;
    typed_at: each cell's client time, or None for all (then `shared.typed_at` is not used).
    """
    head = _encode(["ejournal.history.v1", shared.journal_id])[:-1].encode()  # '["…","<journal>"'
    kind = b"," + _encode(shared.kind).encode()
    tail = (
        b","
        + _encode(
            [
                shared.author_id,
                shared.on_behalf_of_id,
                shared.reason,
                shared.grant_id,
                shared.case_id,
                instant(shared.recorded_at),
            ]
        )[1:-1].encode()
    )
    memo: dict[str | None, bytes] = {}

    def text(value: str | None) -> bytes:
        found = memo.get(value)
        if found is None:
            found = memo[value] = _encode(value).encode()
        return found

    def ending(at: datetime | None) -> bytes:
        return b"]" if at is None else b',"' + instant(at).encode() + b'"]'

    hashes = []
    sha = hashlib.sha256
    endings = [ending(at) for at in typed_at] if typed_at is not None else [b"]"] * len(cells)
    for offset, (column_id, student_id, old, new) in enumerate(cells):
        body = b"".join(
            (
                head,
                b",",
                str(first_position + offset).encode(),
                kind,
                b',"',
                column_id.encode(),
                b'","',
                student_id.encode(),
                b'",',
                text(old),
                b",",
                text(new),
                tail,
                endings[offset],
            )
        )
        previous = sha(previous + body).digest()
        hashes.append(previous)
    return hashes
