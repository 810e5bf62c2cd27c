"""Identity's figures: the cost of verifying an access token per call, and login latency with the
chosen argon2id parameters, each beside its raw counterpart.

    .venv/bin/python -m bench.identity

Token verification: raw pyjwt EdDSA decode vs TokenVerifier.verify vs JwtAuthenticator.authenticate
(what every service's interceptor runs, against its cached key set: no call to identity per request).
Login: raw argon2id verify vs the Login RPC end to end (real PostgreSQL, the real gRPC server, the
production argon2 parameters; one session row, one refresh token and one audit row per login), and
login_per_s: 16 concurrent sign-ins through the HTTP gateway (its own process, POST /api/v1/session)
against bare argon2 verifications on every core. The sign-ins are a lesson's: 16 different people's
accounts. One account's own sign-ins wait for each other by design (Login locks the account's row
for its failed-attempt count, argon2 included): that rate is printed apart.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
from sqlalchemy import select

from bench.report import figure, median, size
from bench.services import gateway_in_front_of
from deploy.local.servers import PostgresServer, free_port
from ejournal_platform.context import RoleGrant
from ejournal_platform.logging import configure_logging
from ejournal_platform.migrations import upgrade
from ejournal_platform.testing.tokens import TestTokens
from ejournal_platform.tokens import ALGORITHM, AUDIENCE, ISSUER, JwtAuthenticator, issue_access_token
from services.identity.adapters.passwords import Argon2Parameters, PasswordHashing

ROOT = Path(__file__).resolve().parents[1]
ROLES = (("teacher", "department", "kz-dep-anatomy"), ("curator", "group", "kz-grp-med-101"))


def per_call_us(fn: Callable[[], object], n: int) -> float:
    fn()
    started = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - started) / n * 1e6


async def per_call_async_us(fn: Callable[[], Awaitable[object]], n: int) -> float:
    await fn()
    started = time.perf_counter()
    for _ in range(n):
        await fn()
    return (time.perf_counter() - started) / n * 1e6


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {statistics.median(ordered):7.1f} ms  p95 {p95:7.1f} ms"


async def token_figures(n: int) -> None:
    keys = TestTokens()
    grants = [RoleGrant(*role) for role in ROLES]
    # A token of its own for every call (sessions of their own): a verifier remembers the tokens it
    # verified (tokens.py), and these figures are the cost of verifying one, not of remembering it.
    tokens = [
        issue_access_token(
            keys.key, subject="person-1", roles=grants, session_id=f"s{i}", ttl=timedelta(hours=1)
        )
        for i in range(n + 1)
    ]
    public = keys.key.private_key.public_key()
    verifier = keys.verifier()

    async def fetch() -> str:
        import json

        return json.dumps(keys.jwks())

    authenticator = JwtAuthenticator(fetch)
    raw_tokens, verified, authenticated = iter(tokens), iter(tokens), iter(tokens)
    raw = per_call_us(
        lambda: jwt.decode(
            next(raw_tokens), public, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER
        ),
        n,
    )
    verify = per_call_us(lambda: verifier.verify(next(verified)), n)
    through = await per_call_async_us(lambda: authenticator.authenticate(next(authenticated)), n)
    again = per_call_us(lambda: verifier.verify(tokens[0]), n)
    print(f"token verification per call (Ed25519, 2 role grants; raw: pyjwt.decode), {n} calls")
    figure("TokenVerifier.verify", verify, raw, "us", False)
    figure("JwtAuthenticator.authenticate (cached keys)", through, raw, "us", False)
    print(f"  the same token again (remembered until it expires): {again:.2f} us per call")
    print(f"key-set fetches during {n} calls: {authenticator.fetches}")


SIGN_INS = 16  # concurrent sign-ins at the start of a lesson


async def concurrent_logins(stub: Any, pb: Any, logins: list[str], total: int) -> float:
    """Sign-ins per second with SIGN_INS in flight at once (Login RPCs, argon2id as configured), the
    n-th as logins[n % len(logins)]."""
    gate = asyncio.Semaphore(SIGN_INS)

    async def one(n: int) -> None:
        async with gate:
            login = logins[n % len(logins)]
            await stub.Login(pb.LoginRequest(login=login, password="Ejournal-demo-2026"))

    started = time.perf_counter()
    await asyncio.gather(*(one(n) for n in range(total)))
    return total / (time.perf_counter() - started)


async def gateway_logins(gateway: str, logins: list[str], total: int) -> float:
    """Sign-ins per second through the HTTP gateway (POST /api/v1/session, as the portal's sign-in
    form), SIGN_INS at once, the n-th as logins[n % len(logins)]: the gateway, identity's Login RPC and
    its argon2id as configured."""
    gate = asyncio.Semaphore(SIGN_INS)
    limits = httpx.Limits(max_connections=SIGN_INS, max_keepalive_connections=SIGN_INS)
    async with httpx.AsyncClient(base_url=gateway, limits=limits, timeout=120) as client:

        async def one(n: int) -> None:
            async with gate:
                login = logins[n % len(logins)]
                answer = await client.post(
                    "/api/v1/session", json={"login": login, "password": "Ejournal-demo-2026"}
                )
                if answer.status_code != 200:
                    raise RuntimeError(f"sign-in refused: {answer.status_code} {answer.text[:300]}")

        await one(0)  # the gateway's channel to identity
        started = time.perf_counter()
        await asyncio.gather(*(one(n) for n in range(total)))
        return total / (time.perf_counter() - started)


def concurrent_verifications(hashing: PasswordHashing, stored: str, total: int) -> float:
    """The raw side: bare argon2 verifications on every core (argon2-cffi releases the GIL)."""
    started = time.perf_counter()
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        list(pool.map(lambda _: hashing.verify_sync(stored, "Ejournal-demo-2026"), range(total)))
    return total / (time.perf_counter() - started)


async def login_figures(rounds: int) -> None:
    parameters = Argon2Parameters()
    hashing = PasswordHashing(parameters)
    stored = hashing.hash_sync("Ejournal-demo-2026")
    raw = []
    for _ in range(rounds):
        started = time.perf_counter()
        hashing.verify_sync(stored, "Ejournal-demo-2026")
        raw.append((time.perf_counter() - started) * 1000)

    from ejournal.identity.v1 import identity_service_pb2 as pb
    from services.identity.tests.harness import Clock, running_identity

    with tempfile.TemporaryDirectory() as tmp:
        server = PostgresServer(Path(tmp) / "pg", free_port())
        server.start()
        try:
            server.create_database("bench_identity")
            url = server.url("bench_identity")
            await asyncio.to_thread(upgrade, ROOT / "services" / "identity" / "migrations", url)
            async with running_identity(url, Clock()) as identity:
                identity.deps.hashing = hashing  # the production parameters, not the tests' cheap ones
                await identity.deps.hashing.hash("warm-up")
                from services.identity.adapters import people_repo
                from services.identity.adapters.tables import people

                # A lesson's sign-ins: SIGN_INS demo accounts (kz.teacher1 first), each with the hash.
                async with identity.deps.unit_of_work() as uow:
                    found = await uow.session.execute(
                        select(people.c.login, people.c.id)
                        .order_by(people.c.login != "kz.teacher1", people.c.login)
                        .limit(SIGN_INS)
                    )
                    accounts = list(found)
                    for _, person_id in accounts:
                        await people_repo.set_fields(uow.session, str(person_id), {"password_hash": stored})
                    await uow.commit()
                logins = [login for login, _ in accounts]
                assert logins[0] == "kz.teacher1" and len(logins) == SIGN_INS, logins
                rpc = []
                for _ in range(rounds):
                    started = time.perf_counter()
                    await identity.stub.Login(
                        pb.LoginRequest(login="kz.teacher1", password="Ejournal-demo-2026")
                    )
                    rpc.append((time.perf_counter() - started) * 1000)
                one_account = await concurrent_logins(identity.stub, pb, logins[:1], size(32, 4))
                rpc_rate = await concurrent_logins(identity.stub, pb, logins, size(64, 4))
                with gateway_in_front_of({"identity": identity.address}) as gateway:
                    ours_rate = await gateway_logins(gateway, logins, size(64, 4))
        finally:
            server.stop()
    raw_rate = concurrent_verifications(hashing, stored, size(64, 4))
    p = parameters
    print(
        f"login with argon2id t={p.time_cost}, m={p.memory_cost_kib // 1024} MiB, p={p.parallelism}"
        f" ({rounds} rounds)"
    )
    print(f"  raw argon2 verify        {percentiles(raw)}")
    print(f"  Login RPC end to end     {percentiles(rpc)}")
    figure("Login RPC end to end, median (raw: argon2 verify)", median(rpc), median(raw), "ms", False)
    print(
        f"  {SIGN_INS} concurrent sign-ins as Login RPCs (no gateway), {SIGN_INS} accounts: {rpc_rate:,.1f}/s"
    )
    print(f"  the same, all as one account (they wait for its row lock, by design): {one_account:,.1f}/s")
    figure("login_per_s", ours_rate, raw_rate, "logins/s")


def main() -> None:
    configure_logging("bench", "WARNING", "console")
    asyncio.run(token_figures(size(5000, 50)))
    asyncio.run(login_figures(size(30, 3)))


if __name__ == "__main__":
    main()
