"""Routes that forward to the subscribers service's RPCs (issue 20): a university's administrator
connects outside systems by signed webhooks
or by NATS credentials."""

from __future__ import annotations

from services.gateway.routes.verbs import GET, POST, PUT
from services.gateway.rpc_routes import RpcRoute

S, TAG = "subscribers", "subscribers"
U, ONE = ("university_id",), ("subscriber_id",)
SUBSCRIBERS = [
    RpcRoute(POST, "/api/v1/universities/{university_id}/subscribers", S, "RegisterWebhook",
             "Register a webhook subscriber; the answer carries its signing secret, only once", TAG, 201,
             path_fields=U),
    RpcRoute(GET, "/api/v1/universities/{university_id}/subscribers", S, "ListSubscribers",
             "The university's subscribers with delivery status and lag", TAG, path_fields=U),
    RpcRoute(GET, "/api/v1/subscribers/{subscriber_id}/dead-letters", S, "ListDeadLetters",
             "Deliveries the subscriber did not accept after every retry", TAG, path_fields=ONE),
    RpcRoute(POST, "/api/v1/subscribers/{subscriber_id}/dead-letters/replay", S, "ReplayDeadLetters",
             "Send dead-lettered deliveries again (all when none is named)", TAG, path_fields=ONE),
    RpcRoute(PUT, "/api/v1/subscribers/{subscriber_id}/active", S, "SetSubscriberActive",
             "Pause (deliveries queue) or resume a subscriber", TAG, path_fields=ONE),
    RpcRoute(POST, "/api/v1/universities/{university_id}/nats-subscribers", S, "RegisterNatsSubscriber",
             "Give an outside system credentials for the export NATS (its university's granted events, "
             "read only); the answer carries them", TAG, 201, path_fields=U),
    RpcRoute(POST, "/api/v1/subscribers/{subscriber_id}/nats/restart", S, "RestartNatsSubscription",
             "Restart a NATS subscriber's consumer from a point in time (a replay)", TAG, path_fields=ONE),
]  # fmt: skip
