"""The ways a message leaves: SMTP (aiosmtplib) and the Telegram Bot API (sendMessage, getUpdates).

Each channel's `send` raises on any failure; the dispatcher records it and retries later.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any, Protocol

import aiosmtplib
import httpx


class Channel(Protocol):
    async def send(self, address: str, subject: str, body: str) -> None: ...


def email_message(sender: str, address: str, subject: str, body: str) -> EmailMessage:
    """A UTF-8 plain-text message: Kazakh and Kyrgyz letters travel intact (RFC 2047 subject)."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, address, subject
    message["Message-ID"] = make_msgid(domain="ejournal.example")
    message.set_content(body, charset="utf-8")
    return message


class SmtpChannel:
    def __init__(self, host: str, port: int, sender: str, timeout: float = 10.0) -> None:
        self.host, self.port, self.sender, self.timeout = host, port, sender, timeout

    async def send(self, address: str, subject: str, body: str) -> None:
        message = email_message(self.sender, address, subject, body)
        await aiosmtplib.send(message, hostname=self.host, port=self.port, timeout=self.timeout)


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

    async def updates(self, offset: int, timeout: int = 25) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = await self._call("getUpdates", {"offset": offset, "timeout": timeout})
        return result

    async def close(self) -> None:
        await self._client.aclose()
