"""Stable ids: a thing defined by a natural key gets the same id in every installation and on every
retry or re-import (uuid5 of a readable key), which makes Define calls and imports idempotent."""

from __future__ import annotations

import uuid

from ejournal_platform.errors import InvalidArgument

CURRICULUM_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "ejournal:curriculum")


def stable_id(kind: str, *key: object) -> uuid.UUID:
    return uuid.uuid5(CURRICULUM_NAMESPACE, f"{kind}:" + "|".join("" if k is None else str(k) for k in key))


def person_id_for_login(login: str) -> uuid.UUID:
    """The id identity gives the person with this login (the convention both services share)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"ejournal:person:{login}")


def parse_id(value: str, field: str, *, required: bool = True) -> uuid.UUID | None:
    cleaned = value.strip()
    if not cleaned:
        if required:
            raise InvalidArgument(field, "is required")
        return None
    try:
        return uuid.UUID(cleaned)
    except ValueError:
        raise InvalidArgument(field, f"{cleaned!r} is not an id (UUID)") from None


def need_id(value: str, field: str) -> uuid.UUID:
    parsed = parse_id(value, field)
    assert parsed is not None
    return parsed
