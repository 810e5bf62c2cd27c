"""Linking a Telegram chat: the person sends "/start <code>" (from the portal) to the bot; the notifier
reads the bot's updates (getUpdates), asks identity to link that chat, and answers in the chat."""

from __future__ import annotations

import asyncio

from ejournal_platform.logging import get_logger
from services.notifier.adapters.channels import TelegramBot
from services.notifier.adapters.directory import Directory

log = get_logger(__name__)

LINKED = "ejournal: this chat now receives your notices."
REFUSED = "ejournal: this code is unknown, used or expired; ask the portal for a new one."


def code_in(text: str) -> str | None:
    parts = text.strip().split()
    if len(parts) == 2 and parts[0].split("@")[0] == "/start":
        return parts[1]
    return None


class TelegramLinker:
    def __init__(self, bot: TelegramBot, directory: Directory, poll_timeout: int = 25) -> None:
        self._bot, self._directory, self._timeout = bot, directory, poll_timeout
        self._offset = 0

    async def poll_once(self) -> int:
        """Handle one batch of updates; return how many chats were linked."""
        linked = 0
        for update in await self._bot.updates(self._offset, self._timeout):
            self._offset = max(self._offset, int(update["update_id"]) + 1)
            message = update.get("message") or {}
            code = code_in(str(message.get("text", "")))
            chat_id = str((message.get("chat") or {}).get("id", ""))
            if code is None or not chat_id:
                continue
            try:
                await self._directory.link_telegram(code, chat_id)
            except Exception as error:
                log.info("telegram link refused", error=repr(error))
                await self._bot.send(chat_id, REFUSED, "")
                continue
            linked += 1
            await self._bot.send(chat_id, LINKED, "")
        return linked

    async def run(self) -> None:
        while True:
            try:
                await self.poll_once()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("telegram updates failed", error=repr(error))
                await asyncio.sleep(5)
