"""The ways a message leaves: SMTP (aiosmtplib) and the Telegram Bot API (sendMessage, getUpdates).

Each channel's `send` raises on any failure; the dispatcher records it and retries later. A channel's
`batch()` is how the dispatcher sends a round of messages: SMTP keeps one connection open for the whole
round (a handshake per message was most of the cost), Telegram's HTTP client already pools its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr
from typing import Any, Literal, Protocol

import aiosmtplib
import httpx


class Sender(Protocol):
    async def send(self, address: str, subject: str, body: str) -> None: ...


class Channel(Sender, Protocol):
    def batch(self) -> AbstractAsyncContextManager[Sender]: ...


# Headers are not folded below SMTP's 998-character line limit: Python's folding of a long non-ASCII
# subject into several RFC 2047 encoded words drops the space at the split ("қайта жабылды" arrived as
# "қайтажабылды"); one encoded word keeps it. aiosmtplib would flatten a message object again with its
# own folding policy, so the bytes are made here and handed over as they are.
UNFOLDED = policy.SMTP.clone(max_line_length=998)


def envelope(sender: str, address: str, subject: str, body: str) -> tuple[str, list[str], bytes]:
    """(MAIL FROM, RCPT TO, the message's bytes) for aiosmtplib's sendmail."""
    return parseaddr(sender)[1], [address], email_message(sender, address, subject, body).as_bytes()


def email_message(sender: str, address: str, subject: str, body: str) -> EmailMessage:
    """A UTF-8 plain-text message: Kazakh and Kyrgyz letters travel intact (RFC 2047 subject)."""
    message = EmailMessage(policy=UNFOLDED)
    message["From"], message["To"], message["Subject"] = sender, address, subject
    message["Message-ID"] = make_msgid(domain="ejournal.example")
    message.set_content(body, charset="utf-8")
    return message


SmtpSecurity = Literal["none", "starttls", "tls"]


class SmtpChannel:
    """A relay: `security` "none" (the local mail server), "starttls" (a plain connection upgraded,
    usually port 587) or "tls" (TLS from the first byte, usually 465); the relay's certificate is
    verified against `ca_file` or the system's CAs. With a `username`, every connection logs in (AUTH)
    before its first message."""

    def __init__(
        self, host: str, port: int, sender: str, timeout: float = 10.0, *, security: SmtpSecurity = "none",
        username: str = "", password: str = "", ca_file: str = "",
    ) -> None:  # fmt: skip
        self.host, self.port, self.sender, self.timeout = host, port, sender, timeout
        self.security, self.username, self._password, self.ca_file = security, username, password, ca_file

    def options(self) -> dict[str, Any]:
        """aiosmtplib's connection keywords for this relay."""
        return {
            "hostname": self.host,
            "port": self.port,
            "timeout": self.timeout,
            "use_tls": self.security == "tls",
            "start_tls": self.security == "starttls",  # never opportunistic: chosen, or refused
            "username": self.username or None,
            "password": self._password if self.username else None,
            "cert_bundle": self.ca_file or None,
        }

    async def send(self, address: str, subject: str, body: str) -> None:
        sender, recipients, message = envelope(self.sender, address, subject, body)
        await aiosmtplib.send(message, sender=sender, recipients=recipients, **self.options())

    @asynccontextmanager
    async def batch(self) -> AsyncIterator[Sender]:
        connection = SmtpConnection(self)
        try:
            yield connection
        finally:
            await connection.close()


class SmtpConnection:
    """One SMTP session for many messages. Opened at the first message; a refused message leaves it
    usable (aiosmtplib resets the envelope); a dropped one is opened again for the next message."""

    def __init__(self, channel: SmtpChannel) -> None:
        self.channel = channel
        self._smtp: aiosmtplib.SMTP | None = None
        self.opened = 0  # connections made, for tests and the benchmark

    async def _connected(self) -> aiosmtplib.SMTP:
        if self._smtp is None or not self._smtp.is_connected:
            self._smtp = aiosmtplib.SMTP(**self.channel.options())
            await self._smtp.connect()  # and AUTH, when the relay has a username
            self.opened += 1
        return self._smtp

    async def send(self, address: str, subject: str, body: str) -> None:
        sender, recipients, message = envelope(self.channel.sender, address, subject, body)
        smtp = await self._connected()
        try:
            await smtp.sendmail(sender, recipients, message)
        except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError, ConnectionError):
            smtp.close()  # the next message opens a fresh session
            self._smtp = None
            raise

    async def close(self) -> None:
        if self._smtp is not None and self._smtp.is_connected:
            try:
                await self._smtp.quit()
            except Exception:  # the messages were accepted already: a failed goodbye changes nothing
                self._smtp.close()
        self._smtp = None


class TelegramError(RuntimeError):
    pass


class TelegramBot:
    """The two Bot API calls the notifier uses; `api_url` is `https://api.telegram.org/bot<token>`."""

    def __init__(self, api_url: str, client: httpx.AsyncClient | None = None) -> None:
        self.api_url = api_url.rstrip("/")
        self._client = client or httpx.AsyncClient(timeout=35.0)

    async def _call(self, method: str, payload: dict[str, Any]) -> Any:
        response = await self._client.post(f"{self.api_url}/{method}", json=payload)
        answer = response.json()
        if response.status_code != 200 or not answer.get("ok"):
            raise TelegramError(f"{method}: {response.status_code} {answer.get('description', '')}")
        return answer["result"]

    async def send(self, address: str, subject: str, body: str) -> None:
        await self._call("sendMessage", {"chat_id": address, "text": f"{subject}\n\n{body}"})

    @asynccontextmanager
    async def batch(self) -> AsyncIterator[Sender]:
        yield self  # httpx keeps the connection alive between calls already

    async def updates(self, offset: int, timeout: int = 25) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = await self._call("getUpdates", {"offset": offset, "timeout": timeout})
        return result

    async def close(self) -> None:
        await self._client.aclose()
