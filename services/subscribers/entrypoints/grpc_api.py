"""The subscribers service's gRPC servicer (the administrator's API through the gateway): translation only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ejournal.subscribers.v1 import subscribers_service_pb2 as pb
from ejournal.subscribers.v1 import subscribers_service_pb2_grpc as pb_grpc
from ejournal_platform.authz import authenticated
from ejournal_platform.pagination import page_request
from services.subscribers.service_layer import admin
from services.subscribers.service_layer.admin import NatsAccess, SubscriberView
from services.subscribers.service_layer.deps import Deps
from services.subscribers.service_layer.export import Exporter

Ctx = Any


def _instant(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def credentials_pb(access: NatsAccess) -> pb.NatsCredentials:
    return pb.NatsCredentials(
        url=access.url, creds=access.creds, stream=access.stream, consumer=access.consumer,
        inbox_prefix=access.inbox_prefix, subjects=access.subjects, expires_at=_instant(access.expires_at),
    )  # fmt: skip


def subscriber_pb(view: SubscriberView) -> pb.Subscriber:
    r, s = view.row, view.status
    return pb.Subscriber(
        subscriber_id=str(r.subscriber_id), university_id=r.university_id, name=r.name, kind=r.kind,
        url=r.url,
        event_types=list(r.event_types), content_type=r.content_type, active=r.active,
        created_at=_instant(r.created_at),
        status=pb.DeliveryStatus(
            delivered=s.delivered, pending=s.pending, dead=s.dead, lag_seconds=s.lag_seconds,
            last_delivered_at=_instant(s.last_delivered_at), last_error=s.last_error,
        ),
    )  # fmt: skip


class SubscribersServicer(pb_grpc.SubscribersServiceServicer):
    def __init__(self, deps: Deps, exporter: Exporter | None = None) -> None:
        self._deps, self._exporter = deps, exporter

    async def RegisterWebhook(
        self, request: pb.RegisterWebhookRequest, context: Ctx
    ) -> pb.RegisterWebhookResponse:
        registration = admin.RegisterWebhook(
            university_id=request.university_id, name=request.name, url=request.url,
            event_types=list(request.event_types), content_type=request.content_type, secret=request.secret,
            idempotency_key=request.idempotency_key,
        )  # fmt: skip
        view, secret = await admin.register(self._deps, authenticated(), registration)
        return pb.RegisterWebhookResponse(subscriber=subscriber_pb(view), secret=secret)

    async def ListSubscribers(
        self, request: pb.ListSubscribersRequest, context: Ctx
    ) -> pb.ListSubscribersResponse:
        views = await admin.list_subscribers(self._deps, authenticated(), request.university_id)
        return pb.ListSubscribersResponse(subscribers=[subscriber_pb(v) for v in views])

    async def ListDeadLetters(
        self, request: pb.ListDeadLettersRequest, context: Ctx
    ) -> pb.ListDeadLettersResponse:
        # `limit` is the older name of `page_size` (kept for clients that send it).
        size = request.page_size or min(max(request.limit, 0), 500)
        page = page_request(size, request.page_token, [request.subscriber_id])
        rows, next_token = await admin.dead_letters(
            self._deps, authenticated(), request.subscriber_id, page=page
        )
        return pb.ListDeadLettersResponse(
            dead_letters=[
                pb.DeadLetter(
                    delivery_id=str(r.seq),
                    event_id=str(r.event_id),
                    event_type=r.event_type,
                    subject=r.subject,
                    attempts=r.attempts,
                    last_error=r.last_error,
                    dead_at=_instant(r.dead_at),
                )
                for r in rows
            ],
            next_page_token=next_token,
        )

    async def ReplayDeadLetters(
        self, request: pb.ReplayDeadLettersRequest, context: Ctx
    ) -> pb.ReplayDeadLettersResponse:
        command = admin.ReplayDeadLetters(
            subscriber_id=request.subscriber_id, delivery_ids=list(request.delivery_ids)
        )
        replayed = await admin.replay(self._deps, authenticated(), command)
        return pb.ReplayDeadLettersResponse(replayed=replayed)

    async def SetSubscriberActive(
        self, request: pb.SetSubscriberActiveRequest, context: Ctx
    ) -> pb.SetSubscriberActiveResponse:
        command = admin.SetSubscriberActive(subscriber_id=request.subscriber_id, active=request.active)
        view = await admin.set_active(self._deps, authenticated(), command)
        return pb.SetSubscriberActiveResponse(subscriber=subscriber_pb(view))

    async def RegisterNatsSubscriber(
        self, request: pb.RegisterNatsSubscriberRequest, context: Ctx
    ) -> pb.RegisterNatsSubscriberResponse:
        registration = admin.RegisterNatsSubscriber(
            university_id=request.university_id, name=request.name, event_types=list(request.event_types),
            start_time=request.start_time, idempotency_key=request.idempotency_key,
        )  # fmt: skip
        view, access = await admin.register_nats(
            self._deps, authenticated(), registration, exporter=self._exporter
        )
        return pb.RegisterNatsSubscriberResponse(
            subscriber=subscriber_pb(view), credentials=credentials_pb(access)
        )

    async def RestartNatsSubscription(
        self, request: pb.RestartNatsSubscriptionRequest, context: Ctx
    ) -> pb.RestartNatsSubscriptionResponse:
        command = admin.RestartNatsSubscription(
            subscriber_id=request.subscriber_id, start_time=request.start_time
        )
        view = await admin.restart_nats(self._deps, authenticated(), command, exporter=self._exporter)
        return pb.RestartNatsSubscriptionResponse(subscriber=subscriber_pb(view))
