"""`python -m services.notifier`: the notifier — event consumers (workflow, gradebook), the dispatcher
(SMTP, Telegram), the Telegram link poller, and the portal's API of one's own notices."""

from __future__ import annotations

import asyncio

from ejournal.notifier.v1 import notifier_service_pb2 as pb
from ejournal.notifier.v1 import notifier_service_pb2_grpc as pb_grpc
from ejournal_platform.consumer import EventConsumer
from ejournal_platform.events import stream_name
from ejournal_platform.runtime import Runtime, Wiring, run_service
from ejournal_platform.settings import load_settings
from ejournal_platform.tokens import JwtAuthenticator, ServiceIdentity
from services.notifier.adapters import tables
from services.notifier.adapters.channels import Channel, SmtpChannel, TelegramBot
from services.notifier.adapters.directory import IdentityDirectory
from services.notifier.entrypoints.grpc_api import NotifierServicer
from services.notifier.service_layer.absences import EVENTS as ABSENCE_EVENTS
from services.notifier.service_layer.deps import Deps, utc_now
from services.notifier.service_layer.dispatch import Dispatcher
from services.notifier.service_layer.event_notices import NOTICES
from services.notifier.service_layer.intake import Intake
from services.notifier.service_layer.render import Renderer
from services.notifier.service_layer.telegram_link import TelegramLinker
from services.notifier.settings import NotifierSettings

SERVICE = pb.DESCRIPTOR.services_by_name["NotifierService"].full_name


def subjects_of(service: str) -> list[str]:
    return sorted(name for name in (*NOTICES, *ABSENCE_EVENTS) if name.startswith(f"ejournal.{service}."))


def smtp_channel(settings: NotifierSettings) -> SmtpChannel:
    return SmtpChannel(
        settings.smtp_host, settings.smtp_port, settings.mail_from, security=settings.smtp_security,
        username=settings.smtp_username, password=settings.smtp_password, ca_file=settings.smtp_ca_file,
    )  # fmt: skip


async def wire(runtime: Runtime) -> Wiring:
    settings = runtime.settings
    assert isinstance(settings, NotifierSettings)
    tokens = ServiceIdentity(settings.identity_address, "notifier", settings.service_secret)
    directory = IdentityDirectory(settings.identity_address, tokens)
    renderer = Renderer(settings.portal_url)
    channels: dict[str, Channel] = {"email": smtp_channel(settings)}
    background = []
    bot = TelegramBot(settings.telegram_api_url) if settings.telegram_api_url else None
    if bot is not None:
        channels["telegram"] = bot
        background.append(TelegramLinker(bot, directory).run)
    dispatcher = Dispatcher(
        runtime.unit_of_work, channels, renderer, utc_now, retry_delays=settings.retry_delays,
        batch=settings.dispatch_batch, poll_seconds=settings.poll_seconds,
    )  # fmt: skip
    intake = Intake(directory, renderer, utc_now, dispatcher.wake, settings.absence_streak)
    consumers = [
        EventConsumer(runtime.js, runtime.unit_of_work, tables.inbox, name=f"notifier-{service}",
                      stream=stream_name(service), subjects=subjects_of(service), handler=intake.handle)
        for service in ("workflow", "gradebook")
    ]  # fmt: skip
    background += [dispatcher.run, *(consumer.run for consumer in consumers)]
    return Wiring(
        servicers=[
            (
                pb_grpc.add_NotifierServiceServicer_to_server,
                NotifierServicer(Deps(runtime.unit_of_work, utc_now)),
                SERVICE,
            )
        ],
        authenticator=JwtAuthenticator(settings.identity_address),
        background=background,
        on_stop=[bot.close] if bot is not None else [],
    )


def main() -> None:
    settings = load_settings(NotifierSettings)
    asyncio.run(run_service(settings, wire, outbox_table=tables.outbox))


if __name__ == "__main__":
    main()
