"""What every RPC mixin shares: the use cases' dependencies and the servicer context type."""

from __future__ import annotations

from typing import Any, TypeAlias

import grpc

from services.curriculum.service_layer.deps import Deps

Context: TypeAlias = grpc.aio.ServicerContext[Any, Any]


class Rpcs:
    deps: Deps
