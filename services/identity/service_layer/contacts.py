"""Use cases on contacts and notice preferences: read, edit, link Telegram, resolve recipients."""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.authz import ResourceScope, Role, ScopeType, allowed, require
from ejournal_platform.context import Principal
from ejournal_platform.errors import InvalidArgument, PermissionDenied
from services.identity.adapters import contacts_repo, people_repo, roles_repo
from services.identity.domain.contacts import Contacts, validate_contacts
from services.identity.service_layer.deps import Deps, hidden_not_found
from services.identity.service_layer.people import placement_scope

LINK_CODE_TTL = timedelta(minutes=15)


async def _authorize(session: AsyncSession, principal: Principal, person_id: str, action: str) -> None:
    """Refuse unless the caller may `action` the person's contacts; a refusal never reveals existence."""
    row = await people_repo.find_by_id(session, person_id) if people_repo.parse_id(person_id) else None
    if row is None:
        raise hidden_not_found(principal, action, "person", "person_id")
    person = people_repo.to_person(row)
    own = dataclasses.replace(placement_scope(person.placement), owner_id=person.id)
    scopes = [own] + [
        ResourceScope(university_id=person.placement.university_id, group_id=group)
        for group in await roles_repo.groups_of_children(session, person.id)
    ]
    if not any(allowed(principal, action, scope) for scope in scopes):
        require(principal, action, own)  # raises, logging the refusal


async def get_contacts(deps: Deps, principal: Principal, person_id: str) -> Contacts:
    async with deps.unit_of_work() as uow:
        await _authorize(uow.session, principal, person_id, "contacts.read")
        return await contacts_repo.get(uow.session, person_id)


@dataclass(frozen=True)
class UpdateContacts:
    proposed: Contacts
    expected_version: int


async def update_contacts(deps: Deps, principal: Principal, cmd: UpdateContacts) -> Contacts:
    async with deps.unit_of_work() as uow:
        await _authorize(uow.session, principal, cmd.proposed.person_id, "contacts.manage")
        old = await contacts_repo.get(uow.session, cmd.proposed.person_id)
        # The chat id is set only by linking (the person proved it is theirs), never by editing.
        new = validate_contacts(dataclasses.replace(cmd.proposed, telegram_chat_id=old.telegram_chat_id))
        await contacts_repo.save(uow.session, new, cmd.expected_version)
        changed = {
            name: {"old": getattr(old, name), "new": getattr(new, name)}
            for name in ("email", "phone", "language", "timezone", "quiet_from_hour", "quiet_to_hour",
                         "digest_hour", "preferences")
            if getattr(old, name) != getattr(new, name)
        }  # fmt: skip
        await people_repo.audit(uow.session, new.person_id, principal.subject, "contacts.updated", changed)
        saved = await contacts_repo.get(uow.session, new.person_id)
        await uow.commit()
    return saved


def _digest(code: str) -> bytes:
    return hashlib.sha256(code.strip().upper().encode()).digest()


async def start_telegram_link(deps: Deps, principal: Principal) -> tuple[str, int]:
    """A one-time code for the caller to send to the bot (only a person links their own chat)."""
    if principal.is_service:
        raise PermissionDenied("permission denied: contacts.manage")
    code = secrets.token_hex(4).upper()
    async with deps.unit_of_work() as uow:
        await _authorize(uow.session, principal, principal.subject, "contacts.manage")
        await contacts_repo.add_link_code(
            uow.session, _digest(code), principal.subject, deps.clock() + LINK_CODE_TTL
        )
        await uow.commit()
    return code, int(LINK_CODE_TTL.total_seconds())


@dataclass(frozen=True, kw_only=True)
class LinkTelegram:
    """The notifier's bot links the chat a code was sent from to whoever asked for the code."""

    code: str
    chat_id: str


async def link_telegram(deps: Deps, principal: Principal, cmd: LinkTelegram) -> str:
    require(principal, "contacts.resolve")
    if not cmd.chat_id.strip():
        raise InvalidArgument("chat_id", "is required")
    async with deps.unit_of_work() as uow:
        person_id = await contacts_repo.use_link_code(uow.session, _digest(cmd.code), deps.clock())
        if person_id is None:
            raise InvalidArgument("code", "is unknown, used or expired")
        old = await contacts_repo.get(uow.session, person_id)
        linked = dataclasses.replace(old, telegram_chat_id=cmd.chat_id.strip())
        await contacts_repo.save(uow.session, linked, old.version)
        await people_repo.audit(uow.session, person_id, principal.subject, "contacts.telegram_linked", {})
        await uow.commit()
    return person_id


@dataclass(frozen=True)
class RecipientQuery:
    person_ids: tuple[str, ...] = ()
    role: str = ""
    scope_type: str = ""
    scope_id: str = ""
    parents_of_student_ids: tuple[str, ...] = ()


async def resolve_recipients(
    deps: Deps, principal: Principal, query: RecipientQuery
) -> list[tuple[Contacts, str, str]]:
    require(principal, "contacts.resolve")
    ids = {i for i in query.person_ids if people_repo.parse_id(i)}
    async with deps.unit_of_work() as uow:
        today = deps.clock().date()
        if query.role:
            ids |= set(
                await roles_repo.holders_anywhere(
                    uow.session, query.role, query.scope_type, query.scope_id, today
                )
            )
        for student_id in query.parents_of_student_ids:
            ids |= set(
                await roles_repo.holders_anywhere(
                    uow.session, Role.PARENT.value, ScopeType.STUDENT.value, student_id, today
                )
            )
        return await contacts_repo.of_people(uow.session, sorted(ids)) if ids else []
