"""Login, tokens, refresh rotation with reuse detection, logout, key rotation (real PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import grpc
import jwt
import pytest

from deploy.demo.seed.identity import DEMO_PASSWORD
from ejournal.identity.v1 import identity_service_pb2 as pb
from ejournal_platform.grpc.client import bearer
from ejournal_platform.grpc.status import field_violations
from ejournal_platform.tokens import JwtAuthenticator, TokenVerifier
from services.identity.tests.harness import KZ_MED, KZ_U, Identity, pid

pytestmark = pytest.mark.integration


async def login(identity: Identity, name: str, password: str = DEMO_PASSWORD) -> pb.LoginResponse:
    request = pb.LoginRequest(login=name, password=password, client_address="10.0.0.7", user_agent="pytest/1")
    reply: pb.LoginResponse = await identity.stub.Login(request)
    return reply


async def test_login_returns_a_token_with_the_persons_valid_roles(identity: Identity) -> None:
    reply = await login(identity, "kz.dean.med")
    jwks = await identity.stub.GetKeySet(pb.GetKeySetRequest())
    principal = TokenVerifier(jwks.jwks_json).verify(reply.access_token)
    assert principal.subject == pid("kz.dean.med") == reply.person_id
    assert [(g.role, g.scope_type, g.scope_id) for g in principal.roles] == [("dean", "faculty", KZ_MED)]
    assert reply.access_expires_in_seconds == 300 and reply.refresh_token
    me = await identity.stub.WhoAmI(pb.WhoAmIRequest(), metadata=bearer(reply.access_token))
    assert me.login == "kz.dean.med" and me.full_name == "Оспанов Ғалым Қайратұлы"
    assert me.university_id == KZ_U  # a faculty-scoped dean names their university's units with it
    outcome = await identity.scalar(
        "SELECT outcome || ' ' || client_address || ' ' || user_agent"
        " FROM login_attempts ORDER BY seq DESC LIMIT 1"
    )
    assert outcome == "succeeded 10.0.0.7 pytest/1"


async def test_wrong_password_and_unknown_login_answer_alike_and_are_audited(identity: Identity) -> None:
    for name in ("kz.teacher1", "nobody.at.all"):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await login(identity, name, "Wrong-password-1")
        assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
        assert refused.value.details() == "login or password is wrong"
    outcomes = await identity.scalar("SELECT string_agg(outcome, ',' ORDER BY seq) FROM login_attempts")
    assert outcomes.endswith("wrong_password,unknown_login")


async def test_lockout_grows_after_repeated_failures_and_a_success_resets_it(identity: Identity) -> None:
    policy = identity.deps.lockout
    for attempt in range(1, policy.free_failures + 1):
        with pytest.raises(grpc.aio.AioRpcError):
            await login(identity, "kz.teacher2", f"Wrong-password-{attempt}")
    # Locked now: even the right password is refused until the delay has passed.
    with pytest.raises(grpc.aio.AioRpcError) as locked:
        await login(identity, "kz.teacher2")
    assert "too many failed attempts" in locked.value.details()
    identity.clock.offset = policy.base_delay + timedelta(seconds=1)
    with pytest.raises(grpc.aio.AioRpcError):
        await login(identity, "kz.teacher2", "Wrong-password-again")  # the 4th failure doubles the delay
    until = await identity.scalar("SELECT locked_until - now() FROM people WHERE login = 'kz.teacher2'")
    assert until > policy.base_delay + timedelta(seconds=20)
    identity.clock.offset += policy.base_delay * 2 + timedelta(seconds=1)
    await login(identity, "kz.teacher2")
    assert await identity.scalar("SELECT failed_logins FROM people WHERE login = 'kz.teacher2'") == 0


async def test_an_unknown_login_locks_out_like_a_known_one(identity: Identity) -> None:
    """The lockout is no oracle: after the same failures both answer the same, and the same way later."""
    policy = identity.deps.lockout
    answers = {}
    for name in ("kz.teacher3", "no.such.person"):
        for attempt in range(1, policy.free_failures + 1):
            with pytest.raises(grpc.aio.AioRpcError):
                await login(identity, name, f"Wrong-password-{attempt}")
        with pytest.raises(grpc.aio.AioRpcError) as locked:
            await login(identity, name, "Wrong-password-x")
        answers[name] = (locked.value.code(), locked.value.details())
    assert answers["kz.teacher3"] == answers["no.such.person"]
    assert "too many failed attempts" in answers["no.such.person"][1]
    identity.clock.offset = policy.base_delay + timedelta(seconds=1)
    for name in ("kz.teacher3", "no.such.person"):
        with pytest.raises(grpc.aio.AioRpcError) as wrong:
            await login(identity, name, "Wrong-password-y")
        assert wrong.value.details() == "login or password is wrong"


async def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_family(identity: Identity) -> None:
    first = await login(identity, "kz.teacher1")
    second = await identity.stub.Refresh(pb.RefreshRequest(refresh_token=first.refresh_token))
    assert second.refresh_token != first.refresh_token and second.access_token
    # An attacker replays the spent token: the whole session dies, the honest holder's too.
    with pytest.raises(grpc.aio.AioRpcError) as reused:
        await identity.stub.Refresh(pb.RefreshRequest(refresh_token=first.refresh_token))
    assert reused.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert "already used" in reused.value.details()
    with pytest.raises(grpc.aio.AioRpcError) as revoked:
        await identity.stub.Refresh(pb.RefreshRequest(refresh_token=second.refresh_token))
    assert "session has ended" in revoked.value.details()


async def test_concurrent_refreshes_with_one_token_let_only_one_win(identity: Identity) -> None:
    first = await login(identity, "kz.teacher3")
    results = await asyncio.gather(
        *(identity.stub.Refresh(pb.RefreshRequest(refresh_token=first.refresh_token)) for _ in range(3)),
        return_exceptions=True,
    )
    assert sum(not isinstance(r, Exception) for r in results) == 1


async def test_logout_revokes_the_session(identity: Identity) -> None:
    reply = await login(identity, "kz.student1")
    await identity.stub.Logout(pb.LogoutRequest(), metadata=bearer(reply.access_token))
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await identity.stub.Refresh(pb.RefreshRequest(refresh_token=reply.refresh_token))
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_expired_and_tampered_tokens_are_unauthenticated(identity: Identity) -> None:
    token = (await login(identity, "kz.student1")).access_token
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["roles"] = [{"role": "administrator", "scope_type": "university", "scope_id": KZ_U}]
    head, _, signature = token.split(".")
    body = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    for bad in (f"{head}.{body}.{signature}", "garbage", ""):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await identity.stub.WhoAmI(pb.WhoAmIRequest(), metadata=bearer(bad) if bad else None)
        assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
        assert ("authorization", refused.value.details()) in field_violations(refused.value) or not bad
    identity.clock.offset = -timedelta(minutes=30)  # a token issued half an hour ago has expired
    old = (await login(identity, "kz.student2")).access_token
    with pytest.raises(grpc.aio.AioRpcError) as expired:
        await identity.stub.WhoAmI(pb.WhoAmIRequest(), metadata=bearer(old))
    assert expired.value.code() == grpc.StatusCode.UNAUTHENTICATED and "expired" in expired.value.details()


async def test_key_rotation_keeps_old_tokens_valid_and_services_follow(identity: Identity) -> None:
    before = await identity.token("kz.admin")
    other_service = JwtAuthenticator(identity.address)
    await other_service.authenticate(before)
    rotated = await identity.stub.RotateSigningKey(pb.RotateSigningKeyRequest(), metadata=bearer(before))
    jwks = json.loads((await identity.stub.GetKeySet(pb.GetKeySetRequest())).jwks_json)
    assert {key["kid"] for key in jwks["keys"]} >= {rotated.kid, jwt.get_unverified_header(before)["kid"]}
    after = (await login(identity, "kz.registrar")).access_token
    assert jwt.get_unverified_header(after)["kid"] == rotated.kid
    assert (await other_service.authenticate(after)).subject == pid("kz.registrar")  # refetched on new kid
    assert (await other_service.authenticate(before)).subject == pid("kz.admin")  # old key still published
    me = await identity.stub.WhoAmI(pb.WhoAmIRequest(), metadata=bearer(before))
    assert me.login == "kz.admin"


async def test_service_identity_needs_its_secret(identity: Identity) -> None:
    reply = await identity.stub.IssueServiceToken(
        pb.IssueServiceTokenRequest(service_name="workflow", client_secret="workflow-secret-for-tests-only")
    )
    me = await identity.stub.WhoAmI(pb.WhoAmIRequest(), metadata=bearer(reply.access_token))
    assert me.person_id == "service:workflow" and [r.role for r in me.roles] == ["service"]
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await identity.stub.IssueServiceToken(
            pb.IssueServiceTokenRequest(service_name="workflow", client_secret="guess")
        )
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_a_service_identity_renews_its_token_and_other_services_accept_it(identity: Identity) -> None:
    from ejournal_platform.tokens import ServiceIdentity

    now = [0.0]
    secret = "workflow-secret-for-tests-only"
    service = ServiceIdentity(identity.address, "workflow", secret, clock=lambda: now[0])
    first = await service.token()
    assert await service.token() == first  # cached while valid
    principal = await JwtAuthenticator(identity.address).authenticate(first)
    assert principal.is_service and principal.subject == "service:workflow"
    now[0] = 290.0  # within renew_before of the 300 s lifetime: a new token is fetched
    await asyncio.sleep(1.1)  # a new iat, so the renewed token differs
    assert await service.token() != first
    await service.close()
