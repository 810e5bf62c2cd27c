"""From an event to notices: resolve the recipients, render each in their language, store the notice
and plan its deliveries — all in the consumer's transaction, behind the inbox (exactly-once effect).

A notice's id derives from the event id and the recipient, so even an event replayed outside the
inbox's memory (a rebuilt consumer) inserts nothing and plans no delivery: nobody is told twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.db import UnitOfWork
from ejournal_platform.events import ReceivedEvent
from ejournal_platform.logging import get_logger
from services.notifier.adapters import journal_names, notices_repo
from services.notifier.adapters.directory import Directory
from services.notifier.domain.notices import Audience, Delivery, NoticeSpec, Recipient, notice_id
from services.notifier.domain.schedule import due_at
from services.notifier.domain.wording import JournalNames, Said, journal_list, journal_title
from services.notifier.service_layer.absences import EVENTS as ABSENCE_EVENTS
from services.notifier.service_layer.absences import absence_notices
from services.notifier.service_layer.event_notices import specs_for
from services.notifier.service_layer.render import Renderer

log = get_logger(__name__)


@dataclass
class Intake:
    directory: Directory
    renderer: Renderer
    clock: Callable[[], datetime]
    wake: Callable[[], None] = lambda: None
    absence_streak: int = 3

    async def handle(self, uow: UnitOfWork, event: ReceivedEvent) -> None:
        """The consumers' handler, in the consumer's unit of work (committed by the consumer)."""
        session = uow.session
        if event.type in ABSENCE_EVENTS:
            specs = await absence_notices(session, event.type, event.data, self.absence_streak)
        else:
            specs = specs_for(event.type, event.data)
        created = 0
        for spec in specs:
            created += await self.tell(session, event.id, spec)
        if created:
            log.info("notices created", event_id=event.id, event_type=event.type, notices=created)
            self.wake()

    async def _names(self, spec: NoticeSpec) -> tuple[dict[str, str], str]:
        named: dict[str, str] = {}
        if spec.named:
            people = {r.person_id: r.full_name for r in await self.directory.recipients(
                Audience(person_ids=tuple(spec.named.values())))}  # fmt: skip
            named = {key: people.get(pid, "") or pid for key, pid in spec.named.items()}
        overdue = ""
        if spec.overdue is not None:
            late = await self.directory.recipients(spec.overdue)
            overdue = ", ".join(sorted(r.full_name for r in late)) or spec.overdue.role
        return named, overdue

    async def tell(self, session: AsyncSession, event_id: str, spec: NoticeSpec) -> int:
        recipients = await self.directory.recipients(spec.audience)
        people, overdue = await self._names(spec)
        named: dict[str, Said] = {**people, **await titles(session, spec)}
        now, created = self.clock(), 0
        for recipient in recipients:
            nid = uuid.UUID(notice_id(event_id, spec.part, recipient.person_id))
            if await self._store(session, event_id, nid, spec, recipient, named, overdue, now):
                created += 1
        return created

    async def _store(
        self,
        session: AsyncSession,
        event_id: str,
        nid: uuid.UUID,
        spec: NoticeSpec,
        recipient: Recipient,
        named: Mapping[str, Said],
        overdue: str,
        now: datetime,
    ) -> bool:
        rendered = self.renderer.render(
            spec.template, recipient.language, {**spec.params, **named}, link_path=spec.link_path,
            deadline=spec.deadline, timezone=recipient.timezone, overdue=overdue,
        )  # fmt: skip
        added = await notices_repo.add_notice(
            session, id=nid, event_id=uuid.UUID(event_id), recipient_id=recipient.person_id,
            category=spec.category.value, language=recipient.language, subject=rendered.subject,
            body=rendered.body, link=self.renderer.link(spec.link_path), deadline=spec.deadline,
            university_id=recipient.university_id or None,
        )  # fmt: skip
        if not added:
            return False
        delivery = recipient.delivery_for(spec.category)
        if delivery is Delivery.OFF:  # still listed in the portal, never sent
            return True
        when = due_at(recipient, delivery, now)
        for channel, address in recipient.channels():
            await notices_repo.add_delivery(
                session, notice_id=nid, recipient_id=recipient.person_id, channel=channel,
                address=address, mode=delivery.value, due_at=when,
            )  # fmt: skip
        return True


async def titles(session: AsyncSession, spec: NoticeSpec) -> dict[str, Said]:
    """The spec's journal values as the journals' titles (the id while a journal's names are unknown)."""
    if not spec.journals:
        return {}
    known = await journal_names.names_of(session, (i for ids in spec.journals.values() for i in ids))
    found: dict[str, Said] = {}
    for name, ids in spec.journals.items():
        journals = [known.get(i, JournalNames(i)) for i in ids]
        found[name] = journal_title(journals[0]) if len(journals) == 1 else journal_list(journals)
    return found
