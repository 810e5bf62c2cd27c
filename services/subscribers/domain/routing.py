"""Which subscribers an event goes to: its university (found through the ids it carries) and the
event types a subscriber was granted. Pure functions; the service layer loads the structure."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urlsplit

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

# Services whose events outside systems may receive. Identity's (people, roles) stay inside: personal
# data does not leave through this door, and they name no university.
OFFERED_SERVICES = ("curriculum", "gradebook", "workflow")
# Fields that name a structure unit or a journal, in the order they are tried.
ANCHOR_FIELDS = (
    "university_id",
    "journal_id",
    "group_id",
    "to_group_id",
    "faculty_id",
    "department_id",
    "specialty_id",
    "unit_id",
    "parent_id",
    "scope_id",
)
MAX_DEPTH = 8


def anchor_ids(payload: Message) -> list[str]:
    """The ids in the payload that may lead to its university, in ANCHOR_FIELDS order."""
    fields = payload.DESCRIPTOR.fields_by_name
    found = []
    for name in ANCHOR_FIELDS:
        field = fields.get(name)
        if field is None or field.type != FieldDescriptor.TYPE_STRING or field.is_repeated:
            continue
        value = getattr(payload, name)
        if value:
            found.append(value)
    return found


def university_of(ids: Iterable[str], anchors: Mapping[str, tuple[str, str | None]]) -> str | None:
    """Walk each id up its parents (kind, parent) until a university; the first one found wins."""
    for start in ids:
        current: str | None = start
        for _ in range(MAX_DEPTH):
            if current is None or current not in anchors:
                break
            kind, parent = anchors[current]
            if kind == "university":
                return current
            current = parent
    return None


def granted(event_type: str, grants: Iterable[str]) -> bool:
    """A grant is an event type, or `ejournal.<service>.>` (`ejournal.<service>.v1.>`) for all of a
    service's types, as NATS wildcards read."""
    for grant in grants:
        if grant == event_type or (grant.endswith(".>") and event_type.startswith(grant[:-1])):
            return True
    return False


def check_grants(grants: Iterable[str], offered: Callable[[], list[str]]) -> list[str]:
    """The grants that name nothing offered (an unknown type, or a service whose events stay inside)."""
    known = [t for t in offered() if t.split(".")[1] in OFFERED_SERVICES]
    wildcards = {f"ejournal.{s}.{tail}" for s in OFFERED_SERVICES for tail in (">", "v1.>")}
    return [g for g in grants if g not in known and g not in wildcards]


def check_url(url: str, allow_loopback_http: bool) -> str | None:
    """Why the URL cannot receive webhooks, or None when it can."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "the url must be https://host/..."
    if parts.scheme == "http":
        try:
            loopback = parts.hostname == "localhost" or ipaddress.ip_address(parts.hostname).is_loopback
        except ValueError:
            loopback = False
        if not (allow_loopback_http and loopback):
            return "the url must use https (http only to a loopback address)"
    return None
