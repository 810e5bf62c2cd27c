"""Use cases of signing in: Login, Refresh (rotating, with reuse detection), Logout, WhoAmI,
service identities."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from ejournal_platform.authz import ANY_SCOPE_ID, Role, ScopeType
from ejournal_platform.context import Principal, RoleGrant
from ejournal_platform.errors import InvalidArgument, Unauthenticated
from ejournal_platform.metrics import LOCKOUTS, LOGINS
from ejournal_platform.revocation import Revocations
from ejournal_platform.tokens import DEFAULT_LEEWAY_SECONDS, SERVICE_SUBJECT_PREFIX, issue_access_token
from services.identity.adapters import people_repo, roles_repo, sessions_repo
from services.identity.domain.people import AccountStatus, Person, normalize_login
from services.identity.service_layer.deps import Deps

WRONG = "login or password is wrong"
# How far back failed attempts at an unknown login count (a known login counts them until a success).
UNKNOWN_WINDOW = timedelta(days=1)


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    person_id: str


def new_refresh_token() -> tuple[str, bytes]:
    token = secrets.token_urlsafe(32)
    return token, digest(token)


def digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


async def access_token_for(
    session: object, deps: Deps, person_id: str, session_id: str, now: datetime
) -> str:
    assignments = await roles_repo.valid_for_person(session, person_id, now.date())  # type: ignore[arg-type]
    grants = sorted({a.grant for a in assignments}, key=lambda g: (g.role, g.scope_type, g.scope_id))
    return issue_access_token(
        deps.keys.signing_key,
        subject=person_id,
        roles=grants,
        session_id=session_id,
        ttl=deps.tokens.access_ttl,
        now=now,
    )


@dataclass(frozen=True, kw_only=True)
class Login:
    """A sign-in: nobody is authenticated yet, so the use case takes no principal."""

    login: str
    password: str
    client_address: str = ""
    user_agent: str = ""


async def login(deps: Deps, cmd: Login) -> TokenPair:
    login_key = normalize_login(cmd.login)
    if not login_key:
        raise InvalidArgument("login", "is required")
    password, client_address, user_agent = cmd.password, cmd.client_address, cmd.user_agent
    if not password:
        raise InvalidArgument("password", "is required")
    now = deps.clock()
    outcome, failure, pair, locked_now = "succeeded", "", None, False
    async with deps.unit_of_work() as uow:
        row = await people_repo.find_by_login(uow.session, login_key, lock=True)
        person_id = str(row.id) if row is not None else None
        if row is not None:
            locked_until = row.locked_until
        else:  # an unknown login locks out exactly like a known one: the lockout reveals nothing
            failures, last = await people_repo.unknown_login_failures(
                uow.session, login_key, now - UNKNOWN_WINDOW
            )
            locked_until = deps.lockout.locked_until(failures, last) if last is not None else None
        if locked_until is not None and locked_until > now:
            wait = int((locked_until - now).total_seconds()) + 1
            outcome, failure = "locked", f"too many failed attempts; try again in {wait} s"
        elif not await deps.hashing.verify(row.password_hash if row is not None else None, password):
            outcome, failure = ("unknown_login" if row is None else "wrong_password"), WRONG
            if row is not None and row.password_hash is None:
                outcome = "no_credentials"
            if row is not None:
                failures = row.failed_logins + 1
                until = deps.lockout.locked_until(failures, now)
                locked_now = until is not None
                await people_repo.set_fields(
                    uow.session, str(row.id), {"failed_logins": failures, "locked_until": until}
                )
        elif row is not None and row.status != AccountStatus.ACTIVE.value:
            outcome, failure = "inactive_account", f"the account is {row.status}"
        else:
            assert row is not None
            values: dict[str, object] = {"failed_logins": 0, "locked_until": None}
            if deps.hashing.needs_rehash(row.password_hash):  # parameters were raised since it was set
                values["password_hash"] = await deps.hashing.hash(password)
            await people_repo.set_fields(uow.session, str(row.id), values)
            session_id = await sessions_repo.create_session(
                uow.session, str(row.id), now + deps.tokens.session_ttl, client_address, user_agent
            )
            refresh, refresh_digest = new_refresh_token()
            await sessions_repo.add_refresh_token(uow.session, refresh_digest, session_id, now)
            access = await access_token_for(uow.session, deps, str(row.id), session_id, now)
            pair = TokenPair(access, refresh, int(deps.tokens.access_ttl.total_seconds()), str(row.id))
        await people_repo.record_login_attempt(
            uow.session,
            login=login_key,
            person_id=person_id,
            client_address=client_address,
            user_agent=user_agent,
            outcome=outcome,
            at=now,
        )
        await uow.commit()  # the failure count and the audit line are kept even when refused
    LOGINS.labels(outcome).inc()
    if locked_now:
        LOCKOUTS.inc()
    if pair is None:
        raise Unauthenticated(failure, field="login")
    return pair


@dataclass(frozen=True, kw_only=True)
class Refresh:
    """A refresh token's holder asks for a new pair: the token is the credential, no principal."""

    refresh_token: str


async def refresh(deps: Deps, cmd: Refresh) -> TokenPair:
    refresh_token = cmd.refresh_token
    if not refresh_token:
        raise InvalidArgument("refresh_token", "is required")
    now = deps.clock()
    failure = ""
    async with deps.unit_of_work() as uow:
        row = await sessions_repo.find_refresh_token(uow.session, digest(refresh_token))
        if row is None:
            raise Unauthenticated("refresh token is not valid", field="refresh_token")
        session_id, person_id = str(row.session_id), str(row.person_id)
        person = await people_repo.get_person(uow.session, person_id)
        if row.revoked_at is not None:
            failure = "the session has ended; sign in again"
        elif row.used_at is not None:
            # Reuse: someone holds a copy of a spent token. Revoke the whole family, both holders out.
            await sessions_repo.revoke_session(uow.session, session_id, "refresh token reused", now)
            await people_repo.audit(
                uow.session, person_id, person_id, "session.revoked_on_reuse", {"session_id": session_id}
            )
            failure = "refresh token was already used; the session is revoked"
        elif row.expires_at <= now:
            failure = "the session has expired; sign in again"
        elif person.status is not AccountStatus.ACTIVE:
            failure = f"the account is {person.status.value}"
        if failure:
            await uow.commit()
            raise Unauthenticated(failure, field="refresh_token")
        await sessions_repo.spend_refresh_token(uow.session, row.digest, now)
        new_token, new_digest = new_refresh_token()
        await sessions_repo.add_refresh_token(uow.session, new_digest, session_id, now)
        access = await access_token_for(uow.session, deps, person_id, session_id, now)
        await uow.commit()
    return TokenPair(access, new_token, int(deps.tokens.access_ttl.total_seconds()), person_id)


async def logout(deps: Deps, principal: Principal) -> None:
    session_id = principal.claims.get("sid")
    if not isinstance(session_id, str) or principal.is_service:
        return
    async with deps.unit_of_work() as uow:
        await sessions_repo.revoke_session(uow.session, session_id, "logout", deps.clock())
        await uow.commit()


async def revoked_sessions(deps: Deps, since: datetime | None) -> Revocations:
    """The sessions ended since `since` (by default: all whose access tokens may still be unexpired),
    for every verifying service's deny-list (ejournal_platform.revocation)."""
    now = deps.clock()
    keep = deps.tokens.access_ttl + timedelta(seconds=DEFAULT_LEEWAY_SECONDS)
    oldest = now - keep
    async with deps.unit_of_work() as uow:
        ids = await sessions_repo.revoked_since(uow.session, max(since, oldest) if since else oldest)
    return Revocations(ids, now, keep.total_seconds())


async def who_am_i(deps: Deps, principal: Principal) -> Person | None:
    if principal.is_service:
        return None
    async with deps.unit_of_work() as uow:
        row = await people_repo.find_by_id(uow.session, principal.subject)
        return people_repo.to_person(row) if row is not None else None


def issue_service_token(deps: Deps, service_name: str, client_secret: str) -> tuple[str, int]:
    expected = deps.service_secrets.get(service_name)
    # compare_digest against a dummy when the name is unknown: the answer takes the same time.
    if not hmac.compare_digest((expected or "\0" * 32).encode(), client_secret.encode()) or not expected:
        raise Unauthenticated("service credentials are not valid", field="client_secret")
    token = issue_access_token(
        deps.keys.signing_key,
        subject=f"{SERVICE_SUBJECT_PREFIX}{service_name}",
        roles=[RoleGrant(Role.SERVICE.value, ScopeType.UNIVERSITY.value, ANY_SCOPE_ID)],
        session_id=f"service:{service_name}",
        ttl=deps.tokens.service_token_ttl,
        now=deps.clock(),
    )
    return token, int(deps.tokens.service_token_ttl.total_seconds())
