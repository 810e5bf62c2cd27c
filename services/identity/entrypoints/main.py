"""`python -m services.identity`: run the identity service."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from ejournal.identity.v1 import identity_service_pb2 as pb
from ejournal.identity.v1 import identity_service_pb2_grpc as pb_grpc
from ejournal_platform.grpc.public import public_methods
from ejournal_platform.revocation import RefusingRevoked, RevokedSessions
from ejournal_platform.runtime import Runtime, Wiring, run_service
from ejournal_platform.settings import load_settings
from services.identity.adapters import tables
from services.identity.adapters.passwords import Argon2Parameters, PasswordHashing
from services.identity.entrypoints.grpc_api import IdentityServicer
from services.identity.service_layer import auth
from services.identity.service_layer.deps import Deps, TokenPolicy, utc_now
from services.identity.service_layer.keys import KeyRing, retired_key_window
from services.identity.settings import IdentitySettings

SERVICE = pb.DESCRIPTOR.services_by_name["IdentityService"].full_name
# Signing in, the key set and the deny-list (marked public in the contract).
PUBLIC_METHODS = public_methods(pb.DESCRIPTOR.services_by_name["IdentityService"])


async def build_deps(runtime: Runtime, settings: IdentitySettings) -> Deps:
    tokens = TokenPolicy(
        access_ttl=timedelta(minutes=settings.access_token_minutes),
        session_ttl=timedelta(hours=settings.session_hours),
    )
    keys = KeyRing(
        runtime.unit_of_work,
        publish_retired_for=retired_key_window(tokens.access_ttl),
        clock=utc_now,
        passphrase=settings.signing_key_passphrase.get_secret_value().encode(),
    )
    await keys.load()
    hashing = PasswordHashing(
        Argon2Parameters(settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)
    )
    return Deps(
        unit_of_work=runtime.unit_of_work,
        hashing=hashing,
        keys=keys,
        tokens=tokens,
        service_secrets=settings.service_secrets,
    )


def own_authenticator(deps: Deps) -> RefusingRevoked:
    """identity verifies tokens with its own key ring and reads ended sessions from its own database."""
    return RefusingRevoked(deps.keys, RevokedSessions(lambda since: auth.revoked_sessions(deps, since)))


async def wire(runtime: Runtime) -> Wiring:
    settings = runtime.settings
    assert isinstance(settings, IdentitySettings)
    deps = await build_deps(runtime, settings)
    return Wiring(
        servicers=[(pb_grpc.add_IdentityServiceServicer_to_server, IdentityServicer(deps), SERVICE)],
        # No call to itself: see own_authenticator.
        authenticator=own_authenticator(deps),
        public_methods=PUBLIC_METHODS,
    )


def main() -> None:
    settings = load_settings(IdentitySettings)
    asyncio.run(run_service(settings, wire, outbox_table=tables.outbox))


if __name__ == "__main__":
    main()
