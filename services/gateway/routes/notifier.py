"""Routes that forward to notifier's RPCs, one line each."""

from __future__ import annotations

from services.gateway.routes.verbs import GET, POST
from services.gateway.rpc_routes import RpcRoute

N = "notifier"
NOTIFIER = [
    RpcRoute(GET, "/api/v1/my/notices", N, "ListMyNotices", "My notices, read and unread", "notices"),
    RpcRoute(POST, "/api/v1/my/notices/read", N, "MarkNoticesRead", "Mark my notices read", "notices"),
]  # fmt: skip
