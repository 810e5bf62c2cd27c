"""The local stack: PostgreSQL, NATS JetStream, Temporal (with its UI), five services and the gateway.

`bash deploy/local/up.sh` runs this after installing. Data lives in $EJOURNAL_HOME (default
./.ejournal) and survives restarts. Every child that dies is started again by the supervisor
(supervisor.py) while the rest keep running. Ctrl-C or SIGTERM stops every child process.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from deploy.local.demo_seed import seed_demo_meanwhile
from deploy.local.mail import MailServer
from deploy.local.run_as import RunAs, passable, popen_as, system_user
from deploy.local.servers import (
    NatsServer,
    PostgresServer,
    TemporalDevServer,
    free_port,
    port_is_free,
    stop_postmaster,
    stop_process,
)
from deploy.local.settle import wait_settled
from deploy.local.supervisor import SERVER, Supervisor, signals_deferred
from ejournal_platform.db_roles import app_role, owner_role, provision, role_url
from ejournal_platform.migrations import upgrade
from ejournal_platform.services import SERVICES
from ejournal_platform.settings import load_settings
from services.workflow.search_attributes import NAMESPACE, SEARCH_ATTRIBUTES

ROOT = Path(__file__).resolve().parents[2]

Port = Field(ge=1, le=65535)


class LauncherSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_", extra="ignore")

    home: Path = ROOT / ".ejournal"
    database_url: str | None = None  # an existing PostgreSQL (admin URL) instead of the embedded one
    pg_port: int = Field(54329, ge=1, le=65535)
    nats_port: int = Field(4222, ge=1, le=65535)
    nats_monitor_port: int = Field(8222, ge=1, le=65535)
    temporal_port: int = Field(7233, ge=1, le=65535)
    temporal_ui_port: int = Field(8233, ge=1, le=65535)
    identity_port: int = Field(50051, ge=1, le=65535)
    curriculum_port: int = Field(50052, ge=1, le=65535)
    gradebook_port: int = Field(50053, ge=1, le=65535)
    reporting_port: int = Field(50054, ge=1, le=65535)
    workflow_port: int = Field(50055, ge=1, le=65535)
    notifier_port: int = Field(50056, ge=1, le=65535)
    subscribers_port: int = Field(50057, ge=1, le=65535)
    # The local mail server (SMTP on 127.0.0.1): every message it accepts is kept in $EJOURNAL_HOME/mail.
    smtp_port: int = Field(8025, ge=1, le=65535)
    gateway_port: int = Field(8080, ge=1, le=65535)
    start_timeout: float = 180.0
    demo: bool = True  # load the demo data of both regulation profiles (idempotent)
    # Every service and the gateway send their traces to this OTLP/HTTP collector; empty: none.
    otlp_endpoint: str = ""

    def service_port(self, service: str) -> int:
        return int(getattr(self, f"{service}_port"))


# The folders of $EJOURNAL_HOME the children write (PostgreSQL's own is handled by PostgresServer).
CHILD_STATE = ("nats", "temporal", "mail", "backups", "archive", "signing", "service-home")


class PortTaken(SystemExit):
    pass


def check_ports(settings: LauncherSettings) -> None:
    wanted = {
        "EJOURNAL_NATS_PORT": settings.nats_port,
        "EJOURNAL_NATS_MONITOR_PORT": settings.nats_monitor_port,
        "EJOURNAL_TEMPORAL_PORT": settings.temporal_port,
        "EJOURNAL_TEMPORAL_UI_PORT": settings.temporal_ui_port,
        "EJOURNAL_GATEWAY_PORT": settings.gateway_port,
        "EJOURNAL_SMTP_PORT": settings.smtp_port,
        **{f"EJOURNAL_{s.upper()}_PORT": settings.service_port(s) for s in SERVICES},
    }
    if settings.database_url is None:
        wanted["EJOURNAL_PG_PORT"] = settings.pg_port
    taken = [
        f"port {port} is already in use; set {name} to move it"
        for name, port in wanted.items()
        if not port_is_free(port)
    ]
    if taken:
        message = "cannot start ejournal:\n  " + "\n  ".join(taken)
        print(message, file=sys.stderr)
        raise PortTaken(message)


@dataclass
class Child:
    name: str
    log_file: Path
    address: str


class Stack:
    def __init__(self, settings: LauncherSettings) -> None:
        self.settings = settings
        self.home = settings.home.resolve()
        self.logs = self.home / "logs"
        self.children: list[Child] = []
        self.supervisor = Supervisor()
        self.pg: PostgresServer | None = None
        self.nats: NatsServer | None = None
        self.temporal: TemporalDevServer | None = None
        self.mail: MailServer | None = None
        # The non-root user every child runs as when the launcher is root (run_as.py); set by start().
        self.run_as: RunAs | None = None
        self.started = time.monotonic()

    # -- infrastructure -------------------------------------------------------------------------
    def start_postgres(self) -> Callable[[str], str]:
        """Start (or reuse) PostgreSQL; return a function from database name to its URL."""
        if self.settings.database_url:
            base = self.settings.database_url.rsplit("/", 1)[0]
            return lambda db: f"{base}/{db}"
        pg = self.pg = PostgresServer(self.home / "postgres", self.settings.pg_port)
        pg.initialise()
        with signals_deferred():
            process = pg.spawn()
            self.supervisor.adopt("postgresql", process, pg.spawn, pg.log_file, stop_postmaster, tier=SERVER)
        pg.wait_ready(process)
        return pg.url

    def create_databases(self, url_of: Callable[[str], str]) -> Callable[[str], str]:
        """Each service's database with its own two roles (ejournal_platform.db_roles): migrations run
        as the owner; the returned function gives, per database, the URL of the service's own role
        (and the administrator's for any other database)."""
        admin = url_of("postgres").replace("postgresql+psycopg://", "postgresql://")
        passwords = self.role_passwords()
        service_urls: dict[str, str] = {}
        for service in SERVICES:
            database = f"ejournal_{service}"
            roles = provision(
                admin, database, service, passwords[owner_role(service)], passwords[app_role(service)]
            )
            upgrade(
                ROOT / "services" / service / "migrations",
                role_url(url_of(database), database, roles.owner, roles.owner_password),
            )
            service_urls[database] = role_url(url_of(database), database, roles.app, roles.app_password)
        return lambda database: service_urls.get(database) or url_of(database)

    def kept_secret(self, name: str) -> str:
        """A secret made once and kept (0600) in the home folder, e.g. the /metrics bearer token."""
        path = self.home / name
        if not path.exists():
            path.write_text(secrets.token_urlsafe(24))
            path.chmod(0o600)
        return path.read_text().strip()

    def role_passwords(self) -> dict[str, str]:
        """Passwords of the services' database roles, made once and kept (0600) in the home folder."""
        path = self.home / "database-roles.json"
        known: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
        wanted = [role(s) for s in SERVICES for role in (owner_role, app_role)]
        if any(name not in known for name in wanted):
            known |= {name: secrets.token_urlsafe(24) for name in wanted if name not in known}
            path.write_text(json.dumps(known))
            path.chmod(0o600)
        return known

    def start_nats(self) -> None:
        self.nats = NatsServer(
            self.home / "nats",
            self.settings.nats_port,
            self.settings.nats_monitor_port,
            self.logs / "nats.log",
        )
        nats = self.nats
        nats.run_as = self.run_as
        with signals_deferred():
            process = nats.spawn()
            self.supervisor.adopt("nats", process, nats.spawn, nats.log_file, tier=SERVER)
        nats.wait_ready(process)

    def start_temporal(self) -> None:
        self.temporal = TemporalDevServer(
            self.home / "temporal" / "temporal.db",
            self.settings.temporal_port,
            self.settings.temporal_ui_port,
            NAMESPACE,
            SEARCH_ATTRIBUTES,
            self.logs / "temporal.log",
        )
        temporal = self.temporal
        temporal.run_as = self.run_as
        with signals_deferred():
            process = temporal.spawn()
            self.supervisor.adopt(
                "temporal", process, temporal.spawn, temporal.log_file, stop_temporal, tier=SERVER
            )
        temporal.wait_ready(process)

    def start_mail(self) -> None:
        self.mail = mail = MailServer(
            self.home / "mail", self.settings.smtp_port, log_file=self.logs / "mail.log"
        )
        mail.run_as = self.run_as
        with signals_deferred():
            process = mail.spawn()
            self.supervisor.adopt("mail", process, mail.spawn, mail.log_file, tier=SERVER)
        mail.wait_ready(process)

    # -- services -------------------------------------------------------------------------------
    def spawn(self, name: str, module: str, env: dict[str, str], address: str) -> None:
        log_file = self.logs / f"{name}.log"
        # As the system user, HOME is a folder of its own (e.g. fontconfig's cache), not root's.
        home = {"HOME": str(self.home / "service-home")} if self.run_as else {}

        def start() -> subprocess.Popen[bytes]:
            with log_file.open("ab") as log:
                return subprocess.Popen(
                    [sys.executable, "-m", module],
                    cwd=ROOT,
                    env={**os.environ, "EJOURNAL_LOG_FORMAT": "json", **home, **env},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,
                    **popen_as(self.run_as),
                )

        with signals_deferred():
            self.supervisor.adopt(name, start(), start, log_file)
        self.children.append(Child(name, log_file, address))

    def service_secrets(self) -> dict[str, str]:
        """Client secrets of the service identities, made once and kept (0600) in the home folder."""
        path = self.home / "service-secrets.json"
        secrets_by_service: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
        missing = [s for s in SERVICES if s != "identity" and s not in secrets_by_service]
        if missing:
            secrets_by_service |= {s: secrets.token_urlsafe(32) for s in missing}
            path.write_text(json.dumps(secrets_by_service))
            path.chmod(0o600)
        return secrets_by_service

    def backup_tool_env_file(self, url_of: Callable[[str], str]) -> Path:
        """The monthly backup tool's settings (deploy/ops/settings.py: it reaches every database and
        the streams), in a 0600 file the workflow service hands to the tool without reading it, as the
        cluster mounts the Secret ejournal-backup."""
        assert self.nats is not None
        urls = {sv: url_of(f"ejournal_{sv}") for sv in SERVICES}
        path = self.home / "backup.env"
        path.touch(mode=0o600)
        path.write_text(
            f"EJOURNAL_BACKUP_DATABASE_URLS='{json.dumps(urls)}'\n"
            f"EJOURNAL_BACKUP_NATS_URL={self.nats.url}\nEJOURNAL_BACKUP_DIR={self.home / 'backups'}\n"
        )
        if self.run_as:  # workflow's backup tool reads it, as workflow's user
            self.run_as.own(path)
        return path

    def start_services(self, url_of: Callable[[str], str]) -> None:
        s = self.settings
        environments = self.environments(url_of)
        for service in SERVICES:
            address = f"127.0.0.1:{s.service_port(service)}"
            self.spawn(service, f"services.{service}", environments[service], address)
        self.spawn(
            "gateway", "services.gateway", environments["gateway"], f"http://127.0.0.1:{s.gateway_port}"
        )

    def environments(self, url_of: Callable[[str], str]) -> dict[str, dict[str, str]]:
        """Each service's and the gateway's variables: the names of their settings classes, as the
        cluster's Deployments set them (tests/infrastructure/test_local_settings_names.py)."""
        assert self.nats is not None and self.temporal is not None
        environments: dict[str, dict[str, str]] = {}
        s = self.settings
        service_secrets = self.service_secrets()
        for service in SERVICES:
            prefix = f"EJOURNAL_{service.upper()}_"
            env = {
                f"{prefix}GRPC_PORT": str(s.service_port(service)),
                f"{prefix}DATABASE_URL": url_of(f"ejournal_{service}"),
                f"{prefix}NATS_URL": self.nats.url,
                f"{prefix}LOG_FORMAT": "json",
                f"{prefix}IDENTITY_ADDRESS": f"127.0.0.1:{s.identity_port}",
                f"{prefix}HEALTH_PORT": str(free_port()),  # /readyz, /healthz, /livez, /metrics over HTTP
                f"{prefix}METRICS_TOKEN": self.kept_secret("metrics-token"),
                f"{prefix}OTLP_ENDPOINT": s.otlp_endpoint,
            }
            if service == "workflow":
                env[f"{prefix}TEMPORAL_ADDRESS"] = self.temporal.address
                env[f"{prefix}GRADEBOOK_ADDRESS"] = f"127.0.0.1:{s.gradebook_port}"
                env[f"{prefix}BACKUP_DIR"] = str(self.home / "backups")
                env[f"{prefix}BACKUP_ENV_FILE"] = str(self.backup_tool_env_file(url_of))
                env[f"{prefix}TEMPORAL_METRICS_ADDRESS"] = f"127.0.0.1:{free_port()}"  # temporal_* metrics
            if service == "identity":
                env[f"{prefix}SERVICE_SECRETS"] = json.dumps(service_secrets)
                env[f"{prefix}SIGNING_KEY_PASSPHRASE"] = self.kept_secret("identity-signing-key-passphrase")
            else:
                env[f"{prefix}SERVICE_SECRET"] = service_secrets[service]
            if service == "reporting":  # statements' lines come from the gradebook; files stay in the home
                env[f"{prefix}GRADEBOOK_ADDRESS"] = f"127.0.0.1:{s.gradebook_port}"
                env[f"{prefix}BACKUP_DIR"] = str(self.home / "backups")
                env[f"{prefix}ARCHIVE_DIR"] = str(self.home / "archive")
                env[f"{prefix}SIGNING_DIR"] = str(self.home / "signing")  # the demo CA and keys
                # Encrypts the demo CA's and signers' keys; made once, kept like identity's.
                env[f"{prefix}SIGNING_KEY_PASSPHRASE"] = self.kept_secret("reporting-signing-key-passphrase")
                env[f"{prefix}PUBLIC_URL"] = f"http://127.0.0.1:{s.gateway_port}"  # statements' QR codes
            if service == "notifier":  # mail to the local mail server; links into the portal
                env[f"{prefix}SMTP_HOST"] = "127.0.0.1"
                env[f"{prefix}SMTP_PORT"] = str(s.smtp_port)
                env[f"{prefix}PORTAL_URL"] = f"http://127.0.0.1:{s.gateway_port}"
            if service == "gradebook":  # classroom QR secrets (KG-09)
                env[f"{prefix}CURRICULUM_ADDRESS"] = f"127.0.0.1:{s.service_port('curriculum')}"
            environments[service] = env
        gateway_env = {"EJOURNAL_GATEWAY_PORT": str(s.gateway_port), "EJOURNAL_GATEWAY_LOG_FORMAT": "json"}
        gateway_env["EJOURNAL_GATEWAY_METRICS_TOKEN"] = self.kept_secret("metrics-token")
        gateway_env["EJOURNAL_GATEWAY_OTLP_ENDPOINT"] = s.otlp_endpoint
        gateway_env |= {
            f"EJOURNAL_GATEWAY_{sv.upper()}_ADDRESS": f"127.0.0.1:{s.service_port(sv)}" for sv in SERVICES
        }
        environments["gateway"] = gateway_env
        return environments

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + self.settings.start_timeout
        pending = {c.name for c in self.children}
        while pending:
            self.supervisor.check()  # a child that dies while starting is restarted like any other
            for child in [c for c in self.children if c.name in pending]:
                if self.is_healthy(child):
                    pending.discard(child.name)
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"not healthy after {self.settings.start_timeout:.0f} s: {', '.join(sorted(pending))}"
                )
            time.sleep(0.2)

    def is_healthy(self, child: Child) -> bool:
        if child.name == "gateway":
            try:
                with urllib.request.urlopen(f"{child.address}/healthz", timeout=2) as reply:
                    return bool(reply.status == 200)
            except (urllib.error.URLError, OSError):
                return False
        with grpc.insecure_channel(child.address) as channel:
            try:
                reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=1)
            except grpc.RpcError:
                return False
            return bool(reply.status == health_pb2.HealthCheckResponse.SERVING)

    # -- lifecycle ------------------------------------------------------------------------------
    def hand_over_state(self, user: RunAs) -> None:
        """What the children need as `user`, and nothing more: a way through to the home, the code and
        the interpreter, and their own state folders (and NATS's log, which it opens itself). The
        launcher's secrets and the other logs stay root's: the children get their file descriptors."""
        for path in (self.home, ROOT, Path(sys.prefix), Path(sys.executable).resolve().parent):
            passable(path)
        for name in CHILD_STATE:  # the user's alone (0700), as its files are (run_as.CHILD_UMASK)
            (self.home / name).mkdir(exist_ok=True)
            (self.home / name).chmod(0o700)
        (self.logs / "nats.log").touch()
        user.own(*(self.home / name for name in CHILD_STATE), self.logs / "nats.log")

    def start(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        self.run_as = system_user()
        if self.run_as:
            self.hand_over_state(self.run_as)
        step("PostgreSQL")
        url_of = self.create_databases(self.start_postgres())
        demo_loaded: Callable[[], None] | None = None
        if self.settings.demo:
            step("demo data (EJOURNAL_DEMO=0 skips it)")
            demo_loaded = seed_demo_meanwhile(self.home, url_of, SERVICES)
        step("NATS JetStream")
        self.start_nats()
        step("Temporal dev server")
        self.start_temporal()
        step("mail server")
        self.start_mail()
        step("services")
        self.start_services(url_of)
        self.wait_healthy()
        if demo_loaded is not None:
            demo_loaded()
            print("· waiting for the demo data to reach every service", flush=True)
            urls = [
                url_of(f"ejournal_{sv}").replace("postgresql+psycopg://", "postgresql://") for sv in SERVICES
            ]
            took = wait_settled(
                urls, self.settings.nats_monitor_port, self.settings.start_timeout, self.supervisor.check
            )
            print(f"· demo data settled in {took:.1f} s", flush=True)

    def describe(self) -> str:
        s = self.settings
        rows = [("component", "address", "log")]
        if self.pg:
            rows.append(("postgresql", f"127.0.0.1:{s.pg_port}", str(self.pg.log_file)))
        elif s.database_url:
            rows.append(("postgresql", "EJOURNAL_DATABASE_URL", "-"))
        rows.append(
            ("nats", f"127.0.0.1:{s.nats_port} (monitor :{s.nats_monitor_port})", str(self.logs / "nats.log"))
        )
        rows.append(("temporal", f"127.0.0.1:{s.temporal_port}", str(self.logs / "temporal.log")))
        rows.append(("temporal ui", f"http://127.0.0.1:{s.temporal_ui_port}", "-"))
        rows.append(("mail (smtp)", f"127.0.0.1:{s.smtp_port}", str(self.home / "mail") + "/*.eml"))
        rows += [(c.name, c.address, str(c.log_file)) for c in self.children]
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
        return "\n".join(lines)

    def watch(self) -> int:
        """Keep every child running until a signal stops the stack."""
        self.supervisor.watch()
        return 0

    def stop(self) -> None:
        self.supervisor.stop_all()


def stop_temporal(process: subprocess.Popen[bytes]) -> None:
    stop_process(process, timeout=15)


def step(what: str) -> None:
    print(f"· starting {what}", flush=True)


class Stop(Exception):
    pass


def main() -> int:
    settings = load_settings(LauncherSettings)
    check_ports(settings)
    stack = Stack(settings)

    def on_signal(signum: int, frame: object) -> None:
        raise Stop

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    code = 0
    try:
        stack.start()
        print(f"\nejournal is up in {time.monotonic() - stack.started:.1f} s\n")
        print(stack.describe(), flush=True)
        print("\nCtrl-C stops everything; data stays in", stack.home, flush=True)
        code = stack.watch()
    except Stop:
        pass
    except Exception as error:
        print(f"ejournal failed to start: {error}", file=sys.stderr)
        code = 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("stopping…", flush=True)
        stack.stop()
        print("stopped", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
