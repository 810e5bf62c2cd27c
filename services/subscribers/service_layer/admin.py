"""What a university's administrator does with subscribers: register one, see their delivery status
and dead letters, replay, pause. A subscriber of another university, and one that does not exist, get
the same refusal (`subscribers.manage`), so nothing is learnt about other universities."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.authz import ResourceScope, require
from ejournal_platform.context import Principal
from ejournal_platform.contract import JSON_CONTENT_TYPE, event_types
from ejournal_platform.errors import FailedPrecondition, InvalidArgument, PermissionDenied, Wording
from ejournal_platform.events import PROTOBUF_CONTENT_TYPE
from ejournal_platform.pagination import Page
from services.subscribers.adapters import deliveries_repo, subscribers_repo
from services.subscribers.domain import natsauth
from services.subscribers.domain.routing import check_grants, check_url
from services.subscribers.domain.signing import new_secret, secret_key
from services.subscribers.service_layer import export
from services.subscribers.service_layer.deps import Deps
from services.subscribers.service_layer.export import Exporter
from services.subscribers.service_layer.metrics import Status, statuses

ACTION = "subscribers.manage"


@dataclass(frozen=True)
class SubscriberView:
    row: Any
    status: Status


class Worded(InvalidArgument):
    def __init__(self, field: str, reason: str, key: str, **values: str) -> None:
        super().__init__(field, reason)
        self.wording = Wording(key, values)


@dataclass(frozen=True, kw_only=True)
class RegisterWebhook:
    university_id: str
    name: str
    url: str
    event_types: Sequence[str]
    content_type: str
    secret: str
    idempotency_key: str


@dataclass(frozen=True, kw_only=True)
class ReplayDeadLetters:
    subscriber_id: str
    delivery_ids: Sequence[str]  # none: every dead delivery of the subscriber


@dataclass(frozen=True, kw_only=True)
class SetSubscriberActive:
    subscriber_id: str
    active: bool


def validated(r: RegisterWebhook, allow_loopback_http: bool) -> RegisterWebhook:
    if not r.university_id:
        raise InvalidArgument("university_id", "required")
    problem = check_url(r.url, allow_loopback_http)
    if problem:
        raise Worded("url", problem, "webhook_url_invalid")
    if not r.event_types:
        raise Worded("event_types", "grant at least one event type", "webhook_event_types_empty")
    unknown = check_grants(r.event_types, event_types)
    if unknown:
        raise Worded("event_types", f"not offered: {', '.join(unknown)}", "webhook_event_type_unknown",
                     types=", ".join(unknown))  # fmt: skip
    content_type = r.content_type or JSON_CONTENT_TYPE
    if content_type not in (JSON_CONTENT_TYPE, PROTOBUF_CONTENT_TYPE):
        raise Worded(
            "content_type", "application/json or application/protobuf", "webhook_content_type_invalid"
        )
    secret = r.secret or new_secret()
    try:
        secret_key(secret)
    except ValueError as error:
        raise Worded("secret", str(error), "webhook_secret_invalid") from error
    return RegisterWebhook(
        university_id=r.university_id, name=r.name or r.url, url=r.url, event_types=list(r.event_types),
        content_type=content_type, secret=secret, idempotency_key=r.idempotency_key,
    )  # fmt: skip


async def register(
    deps: Deps, principal: Principal | None, cmd: RegisterWebhook
) -> tuple[SubscriberView, str]:
    now = deps.clock()
    who = require(principal, ACTION, ResourceScope(university_id=cmd.university_id))
    r = validated(cmd, deps.allow_loopback_http)
    async with deps.unit_of_work() as uow:
        session = uow.session
        if r.idempotency_key:
            again = await subscribers_repo.by_idempotency_key(session, r.idempotency_key)
            if again is not None:
                require(who, ACTION, ResourceScope(university_id=again.university_id))
                return SubscriberView(
                    again,
                    (await statuses(session, now, [str(again.subscriber_id)]))[str(again.subscriber_id)],
                ), again.secret
        row = await subscribers_repo.add(
            session, subscriber_id=uuid.uuid4(), university_id=r.university_id, name=r.name, kind="webhook",
            url=r.url, event_types=list(r.event_types), content_type=r.content_type, secret=r.secret,
            created_by=who.subject, created_at=now, idempotency_key=r.idempotency_key or None,
        )  # fmt: skip
        result = SubscriberView(row, Status(0, 0, 0, 0.0, None, "")), r.secret
        await uow.commit()
        return result


async def list_subscribers(
    deps: Deps, principal: Principal | None, university_id: str
) -> list[SubscriberView]:
    now = deps.clock()
    require(principal, ACTION, ResourceScope(university_id=university_id))
    async with deps.unit_of_work() as uow:
        session = uow.session
        rows = await subscribers_repo.of_university(session, university_id)
        found = await statuses(session, now, [str(r.subscriber_id) for r in rows]) if rows else {}
    return [SubscriberView(r, found[str(r.subscriber_id)]) for r in rows]


async def _owned(session: AsyncSession, principal: Principal | None, subscriber_id: str) -> Any:
    """The subscriber, if the caller administers its university; one refusal otherwise."""
    try:
        key = uuid.UUID(subscriber_id)
    except ValueError:
        raise InvalidArgument("subscriber_id", "not a UUID") from None
    row = await subscribers_repo.by_id(session, key)
    if row is None:
        require(principal, ACTION, ResourceScope(university_id=f"missing:{subscriber_id}"))
        raise PermissionDenied(f"permission denied: {ACTION}")
    require(principal, ACTION, ResourceScope(university_id=row.university_id))
    return row


async def dead_letters(
    deps: Deps, principal: Principal | None, subscriber_id: str, *, page: Page
) -> tuple[list[Any], str]:
    """One page of a subscriber's dead deliveries, oldest first, and the next page's token."""
    async with deps.unit_of_work() as uow:
        row = await _owned(uow.session, principal, subscriber_id)
        return await deliveries_repo.dead_page(uow.session, row.subscriber_id, page)


async def replay(deps: Deps, principal: Principal | None, cmd: ReplayDeadLetters) -> int:
    """Dead deliveries wait again, due now, with their attempts counted afresh."""
    now = deps.clock()
    async with deps.unit_of_work() as uow:
        row = await _owned(uow.session, principal, cmd.subscriber_id)
        seqs = None
        if cmd.delivery_ids:
            try:
                seqs = [int(x) for x in cmd.delivery_ids]
            except ValueError:
                raise InvalidArgument("delivery_ids", "delivery ids are numbers") from None
        replayed = await deliveries_repo.replay_dead(uow.session, row.subscriber_id, seqs, now)
        await uow.commit()
        return replayed


async def set_active(deps: Deps, principal: Principal | None, cmd: SetSubscriberActive) -> SubscriberView:
    now = deps.clock()
    async with deps.unit_of_work() as uow:
        session = uow.session
        row = await _owned(session, principal, cmd.subscriber_id)
        if row.kind != "webhook":
            # A NATS subscriber pulls at its own pace: there is nothing of ours to pause.
            raise InvalidArgument("subscriber_id", "only a webhook subscriber can be paused")
        row = await subscribers_repo.set_active(session, row.subscriber_id, cmd.active)
        status = (await statuses(session, now, [str(row.subscriber_id)]))[str(row.subscriber_id)]
        await uow.commit()
    return SubscriberView(row, status)


@dataclass(frozen=True, kw_only=True)
class RegisterNatsSubscriber:
    university_id: str
    name: str
    event_types: Sequence[str]
    start_time: str
    idempotency_key: str


@dataclass(frozen=True, kw_only=True)
class RestartNatsSubscription:
    subscriber_id: str
    start_time: str  # empty: from the oldest event kept


@dataclass(frozen=True)
class NatsAccess:
    """What an outside system needs to read its events from the export NATS."""

    url: str
    creds: str
    stream: str
    consumer: str
    inbox_prefix: str
    subjects: list[str]
    expires_at: datetime


def _start_time(value: str) -> datetime | None:
    if not value:
        return None
    try:
        found = datetime.fromisoformat(value)
    except ValueError:
        raise Worded(
            "start_time", "an RFC 3339 time, e.g. 2026-09-01T00:00:00Z", "nats_start_time_invalid"
        ) from None
    if found.tzinfo is None:
        raise Worded("start_time", "an RFC 3339 time, e.g. 2026-09-01T00:00:00Z", "nats_start_time_invalid")
    return found


def _exporting(exporter: Exporter | None) -> Exporter:
    if exporter is None:
        raise FailedPrecondition(
            "NATS subscribers are not offered here: the export NATS is not configured",
            field="kind", wording=Wording("nats_export_off"),
        )  # fmt: skip
    return exporter


def _access(exporter: Exporter, row: Any, now: datetime) -> NatsAccess:
    config = exporter.config
    sid = str(row.subscriber_id)
    issued = export.subscriber_credentials(
        config, row.secret, row.university_id, sid, row.event_types, row.name, now.timestamp()
    )
    return NatsAccess(
        url=config.address, creds=issued.creds, stream=export.stream_for(row.university_id),
        consumer=export.consumer_for(sid), inbox_prefix=export.inbox_for(sid),
        subjects=[export.subject_for(row.university_id, g) for g in row.event_types],
        expires_at=datetime.fromtimestamp(now.timestamp() + config.credentials_seconds, tz=now.tzinfo),
    )  # fmt: skip


async def register_nats(
    deps: Deps, principal: Principal | None, cmd: RegisterNatsSubscriber, *, exporter: Exporter | None
) -> tuple[SubscriberView, NatsAccess]:  # fmt: skip
    """An outside system that reads the export NATS: a user NKey, a durable consumer on the university's
    export stream filtered to the granted types (from `start_time`, or from the oldest event kept), and
    a user JWT that may use only that consumer. The seed is kept so a retried request answers the same
    credentials; every answer signs a fresh JWT valid for `export_credentials_days`. (The exporter is
    the process's export connection, a port beside the command; None when export is not configured.)"""
    now = deps.clock()
    who = require(principal, ACTION, ResourceScope(university_id=cmd.university_id))
    if not cmd.university_id:
        raise InvalidArgument("university_id", "required")
    if not cmd.event_types:
        raise Worded("event_types", "grant at least one event type", "webhook_event_types_empty")
    unknown = check_grants(cmd.event_types, event_types)
    if unknown:
        raise Worded("event_types", f"not offered: {', '.join(unknown)}", "webhook_event_type_unknown",
                     types=", ".join(unknown))  # fmt: skip
    start = _start_time(cmd.start_time)
    exporting = _exporting(exporter)
    async with deps.unit_of_work() as uow:
        session = uow.session
        if cmd.idempotency_key:
            again = await subscribers_repo.by_idempotency_key(session, cmd.idempotency_key)
            if again is not None:
                require(who, ACTION, ResourceScope(university_id=again.university_id))
                if again.kind != "nats":
                    raise InvalidArgument("idempotency_key", "already used for another registration")
                status = (await statuses(session, now, [str(again.subscriber_id)]))[str(again.subscriber_id)]
                return SubscriberView(again, status), _access(exporting, again, now)
        subscriber_id = uuid.uuid4()
        seed = natsauth.new_seed(natsauth.USER)
        consumer = export.consumer_for(str(subscriber_id))
        values = dict(
            subscriber_id=subscriber_id, university_id=cmd.university_id,
            name=cmd.name or f"nats {consumer}", kind="nats", url=exporting.config.address,
            event_types=list(cmd.event_types), content_type=exporting.config.content_type,
            secret=seed, created_by=who.subject, created_at=now,
            idempotency_key=cmd.idempotency_key or None, nats_user=natsauth.public_key(seed),
            nats_consumer=consumer,
        )  # fmt: skip
        row = await subscribers_repo.add(session, **values)
        # In the transaction: if NATS is down the registration is not kept (the caller gets 503).
        js = await exporting.jetstream()
        await export.make_consumer(
            js, exporting.config, cmd.university_id, str(subscriber_id), cmd.event_types, start
        )
        result = SubscriberView(row, Status(0, 0, 0, 0.0, None, "")), _access(exporting, row, now)
        await uow.commit()
        return result


async def restart_nats(
    deps: Deps, principal: Principal | None, cmd: RestartNatsSubscription, *, exporter: Exporter | None
) -> SubscriberView:  # fmt: skip
    """Recreate a NATS subscriber's consumer from `start_time` (empty: the oldest event kept): a replay.
    Its credentials stay valid (they name the consumer, not its position)."""
    now = deps.clock()
    async with deps.unit_of_work() as uow:
        session = uow.session
        row = await _owned(session, principal, cmd.subscriber_id)
        if row.kind != "nats":
            raise InvalidArgument("subscriber_id", "not a NATS subscriber")
        start = _start_time(cmd.start_time)
        js = await _exporting(exporter).jetstream()
        await export.make_consumer(
            js, _exporting(exporter).config, row.university_id, str(row.subscriber_id), row.event_types, start
        )
        status = (await statuses(session, now, [str(row.subscriber_id)]))[str(row.subscriber_id)]
    return SubscriberView(row, status)
