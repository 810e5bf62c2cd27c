"""The local stack's mail server: a real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every
message it accepts as an `.eml` file, so anyone can open what the notifier sent.

    python -m deploy.local.mail DIR PORT            # accept and keep every message in DIR
    python -m deploy.local.mail DIR PORT --refuse   # answer every message 451 (a failing server)

`MailServer` runs it as a process (the launcher and the tests start it the same way).
"""

from __future__ import annotations

import argparse
import asyncio
import email
import signal
import subprocess
import sys
import uuid
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path
from typing import Any

from deploy.local.servers import stop_process, wait_for_port


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


def serve(directory: Path, port: int, refuse: bool) -> None:
    from aiosmtpd.controller import Controller

    directory.mkdir(parents=True, exist_ok=True)
    controller = Controller(KeepAsEml(directory, refuse), hostname="127.0.0.1", port=port)
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
        self, directory: Path, port: int, *, refuse: bool = False, log_file: Path | None = None
    ) -> None:
        self.directory, self.port, self.refuse = directory, port, refuse
        self.log_file = log_file or directory.parent / "mail-server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def spawn(self) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "deploy.local.mail", str(self.directory), str(self.port)]
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                command + (["--refuse"] if self.refuse else []),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                stdin=subprocess.DEVNULL,
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
    arguments = parser.parse_args()
    serve(arguments.directory, arguments.port, arguments.refuse)
