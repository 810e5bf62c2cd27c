"""The local stack's mail server: a real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every
message it accepts as an `.eml` file, so anyone can open what the notifier sent.

    python -m deploy.local.mail DIR PORT            # accept and keep every message in DIR
    python -m deploy.local.mail DIR PORT --refuse   # answer every message 451 (a failing server)
    python -m deploy.local.mail DIR PORT --tls starttls|tls --cert C --key K   # an authenticated relay

With `EJOURNAL_MAIL_AUTH=user:password` in its environment (kept out of the command line) it is a relay
that accepts mail only after AUTH with that account, and offers AUTH only over TLS: STARTTLS on a
plain connection (`starttls`, like port 587) or TLS from the first byte (`tls`, like 465).

`MailServer` runs it as a process (the launcher and the tests start it the same way).
"""

from __future__ import annotations

import argparse
import asyncio
import email
import hmac
import os
import signal
import ssl
import subprocess
import sys
import uuid
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path
from typing import Any

from deploy.local.run_as import RunAs, popen_as
from deploy.local.servers import stop_process, wait_for_port

ACCOUNT_VARIABLE = "EJOURNAL_MAIL_AUTH"  # user:password of the relay's one account


class KeepAsEml:
    """aiosmtpd handler: each message becomes `<time>-<uuid>.eml`, written whole and then renamed."""

    def __init__(self, directory: Path, refuse: bool = False) -> None:
        self.directory = directory
        self.refuse = refuse

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "451 4.3.0 mailbox temporarily unavailable"
        name = f"{asyncio.get_running_loop().time():016.6f}-{uuid.uuid4().hex}"
        partial = self.directory / f".{name}.part"
        partial.write_bytes(envelope.original_content)
        partial.rename(self.directory / f"{name}.eml")
        return "250 OK"


class OneAccount:
    """aiosmtpd authenticator: LOGIN/PLAIN with the one account the relay was started with."""

    def __init__(self, account: str) -> None:
        user, _, password = account.partition(":")
        self.user, self.password = user.encode(), password.encode()

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        ok = (
            isinstance(auth_data, LoginPassword)
            and hmac.compare_digest(auth_data.login, self.user)
            and hmac.compare_digest(auth_data.password, self.password)
        )
        return AuthResult(success=ok, handled=False)


def serve(
    directory: Path, port: int, refuse: bool, tls: str = "none", cert: Path | None = None,
    key: Path | None = None, account: str = "",
) -> None:  # fmt: skip
    from aiosmtpd.controller import Controller

    directory.mkdir(parents=True, exist_ok=True)
    options: dict[str, Any] = {}
    if tls != "none":
        assert cert is not None and key is not None, "--tls needs --cert and --key"
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        if tls == "tls":
            options["ssl_context"] = context
        else:
            options |= {"tls_context": context, "require_starttls": True}
    if account:
        # aiosmtpd counts only STARTTLS as TLS; with implicit TLS every byte is encrypted already.
        options |= {"authenticator": OneAccount(account), "auth_required": True,
                    "auth_require_tls": tls != "tls"}  # fmt: skip
    controller = Controller(KeepAsEml(directory, refuse), hostname="127.0.0.1", port=port, **options)
    controller.start()
    stop = asyncio.Event()

    async def wait() -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()

    try:
        asyncio.run(wait())
    finally:
        controller.stop()


class MailServer:
    """The mail server as a process: `spawn` + `wait_ready` for the launcher's supervisor, `start`
    (both) and `stop` for tests."""

    def __init__(
        self, directory: Path, port: int, *, refuse: bool = False, log_file: Path | None = None,
        tls: str = "none", cert: Path | None = None, key: Path | None = None, account: str = "",
    ) -> None:  # fmt: skip
        self.directory, self.port, self.refuse = directory, port, refuse
        self.tls, self.cert, self.key, self._account = tls, cert, key, account
        self.log_file = log_file or directory.parent / "mail-server.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.run_as: RunAs | None = None  # the launcher's system user when it is root (run_as.py)

    def spawn(self) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "deploy.local.mail", str(self.directory), str(self.port)]
        command += ["--refuse"] if self.refuse else []
        if self.tls != "none":
            command += ["--tls", self.tls, "--cert", str(self.cert), "--key", str(self.key)]
        environment = {**os.environ, ACCOUNT_VARIABLE: self._account} if self._account else None
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                stdin=subprocess.DEVNULL,
                env=environment,
                **popen_as(self.run_as),
            )
        return self.process

    def wait_ready(self, process: subprocess.Popen[bytes]) -> None:
        wait_for_port(self.port, 30, "mail server", process)

    def start(self) -> None:
        self.wait_ready(self.spawn())

    def stop(self) -> None:
        if self.process:
            stop_process(self.process)

    def messages(self) -> list[Message]:
        """Every kept message, oldest first."""
        return [email.message_from_bytes(p.read_bytes()) for p in sorted(self.directory.glob("*.eml"))]


def subject_of(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def text_of(message: Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(part.get_content_charset() or "utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("port", type=int)
    parser.add_argument("--refuse", action="store_true")
    parser.add_argument("--tls", choices=["none", "starttls", "tls"], default="none")
    parser.add_argument("--cert", type=Path)
    parser.add_argument("--key", type=Path)
    arguments = parser.parse_args()
    serve(
        arguments.directory, arguments.port, arguments.refuse, arguments.tls, arguments.cert,
        arguments.key, os.environ.get(ACCOUNT_VARIABLE, ""),
    )  # fmt: skip
