"""The nats-server as the cluster's values configure it (users, passwords, permissions), shared by the
tests of its users (test_nats_users.py) and of their subject permissions (test_nats_permissions.py)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from deploy.local.servers import binary
from tests.infrastructure.test_nats_users import RenderedNats


@pytest.fixture(scope="module")
def rendered_nats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RenderedNats]:
    server = RenderedNats(tmp_path_factory.mktemp("nats"))
    process = subprocess.Popen(
        [binary("nats-server"), "-c", str(server.config)], env=server.environment, stdin=subprocess.DEVNULL
    )
    yield server
    process.terminate()
    process.wait(timeout=30)
