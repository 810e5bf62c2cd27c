"""Gateway settings for tests: every service address is required, so the ones a test never calls
point at a closed port (127.0.0.1:1), and the test names only the ones it uses."""

from __future__ import annotations

from typing import Any

from ejournal_platform.services import SERVICES
from services.gateway.settings import GatewaySettings


def gateway_settings(**overrides: Any) -> GatewaySettings:
    unused = {f"{service}_address": "127.0.0.1:1" for service in SERVICES}
    return GatewaySettings(**(unused | overrides))
