"""NATS decentralized authentication for outside systems (issue 20): NKeys and the JWTs nats-server
verifies in operator mode. Pure functions over the `nkeys` package (Ed25519).

The export NATS server trusts one *operator*; the operator signs the *export account*; the account
lists a *signing key* that the subscribers service holds, and the service signs one *user* JWT per
outside system with it. A new subscriber therefore needs no change on the server: the server checks
the chain operator -> account -> signing key -> user, and enforces the permissions and limits the
user JWT carries (publish only to its own consumer's JetStream API, subscribe only to its own
university's granted subjects and its own inbox).

The claim layout is nats-io/jwt v2's (`typ: JWT`, `alg: ed25519-nkey`, a `jti` hash of the claims,
base64url without padding, the signature over `header.claims`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import nacl.signing
import nkeys

OPERATOR, ACCOUNT, USER = nkeys.PREFIX_BYTE_OPERATOR, nkeys.PREFIX_BYTE_ACCOUNT, nkeys.PREFIX_BYTE_USER
HEADER = {"typ": "JWT", "alg": "ed25519-nkey"}
UNLIMITED = -1


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_seed(prefix: int) -> str:
    """A fresh NKey seed (`SO...`, `SA...`, `SU...`)."""
    return str(nkeys.encode_seed(os.urandom(32), prefix).decode())


def keypair(seed: str) -> nkeys.KeyPair:
    return nkeys.from_seed(seed.encode())


def public_key(seed: str) -> str:
    return str(keypair(seed).public_key.decode())


def encode(claims: dict[str, Any], signer_seed: str, now: float | None = None) -> str:
    """A signed JWT: `iat` and `jti` are added; `iss` is the signer's public key."""
    signer = keypair(signer_seed)
    body = {**claims, "iat": int(now if now is not None else time.time()), "iss": signer.public_key.decode()}
    body.pop("jti", None)
    canonical = json.dumps(body, separators=(",", ":"), sort_keys=True).encode()
    body["jti"] = base64.b32encode(hashlib.sha256(canonical).digest()).decode().rstrip("=")
    signing_input = f"{_b64(json.dumps(HEADER).encode())}.{_b64(json.dumps(body).encode())}"
    return f"{signing_input}.{_b64(signer.sign(signing_input.encode()))}"


def decode(token: str) -> dict[str, Any]:
    """The claims of a JWT, its signature checked against its issuer."""
    header, claims, signature = token.split(".")
    padded = claims + "=" * (-len(claims) % 4)
    body: dict[str, Any] = json.loads(base64.urlsafe_b64decode(padded))
    encoded = body["iss"]
    raw = base64.b32decode(encoded + "=" * (-len(encoded) % 8))[1:-2]  # prefix byte, key, CRC16
    signed = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    nacl.signing.VerifyKey(raw).verify(f"{header}.{claims}".encode(), signed)  # raises BadSignatureError
    return body


def operator_jwt(operator_seed: str, name: str) -> str:
    op = public_key(operator_seed)
    return encode({"sub": op, "name": name, "nats": {"type": "operator", "version": 2}}, operator_seed)


@dataclass(frozen=True)
class AccountLimits:
    """Limits of the whole export account (JetStream storage, connections); -1: unlimited."""

    connections: int = UNLIMITED
    disk_storage: int = UNLIMITED
    streams: int = UNLIMITED
    consumers: int = UNLIMITED


def account_jwt(
    operator_seed: str,
    account_seed: str,
    name: str,
    signing_keys: Sequence[str] = (),
    limits: AccountLimits = AccountLimits(),
    jetstream: bool = True,
) -> str:
    nats: dict[str, Any] = {
        "type": "account",
        "version": 2,
        "limits": {
            "subs": UNLIMITED, "data": UNLIMITED, "payload": UNLIMITED, "imports": UNLIMITED,
            "exports": UNLIMITED, "wildcards": True, "conn": limits.connections, "leaf": UNLIMITED,
            "mem_storage": UNLIMITED if jetstream else 0,
            "disk_storage": limits.disk_storage if jetstream else 0,
            "streams": limits.streams if jetstream else 0,
            "consumer": limits.consumers if jetstream else 0,
        },
        "signing_keys": list(signing_keys),
        "default_permissions": {"pub": {}, "sub": {}},
    }  # fmt: skip
    return encode({"sub": public_key(account_seed), "name": name, "nats": nats}, operator_seed)


@dataclass(frozen=True)
class UserPermissions:
    publish: Sequence[str]
    subscribe: Sequence[str]
    max_subscriptions: int = UNLIMITED
    max_payload: int = UNLIMITED


def user_jwt(
    signing_seed: str,
    account: str,
    user: str,
    name: str,
    permissions: UserPermissions,
    expires_at: float | None = None,
    now: float | None = None,
) -> str:
    """A user of `account` (its public key), signed by one of the account's signing keys."""
    nats: dict[str, Any] = {
        "type": "user",
        "version": 2,
        "pub": {"allow": list(permissions.publish)} if permissions.publish else {"deny": [">"]},
        "sub": {"allow": list(permissions.subscribe)} if permissions.subscribe else {"deny": [">"]},
        "subs": permissions.max_subscriptions,
        "data": UNLIMITED,
        "payload": permissions.max_payload,
    }
    if public_key(signing_seed) != account:
        nats["issuer_account"] = account
    claims: dict[str, Any] = {"sub": user, "name": name, "nats": nats}
    if expires_at is not None:
        claims["exp"] = int(expires_at)
    return encode(claims, signing_seed, now)


def creds(jwt: str, seed: str) -> str:
    """The `.creds` file every NATS client reads (nats-py `user_credentials=`, the nats CLI `--creds`)."""
    return (
        "-----BEGIN NATS USER JWT-----\n"
        f"{jwt}\n"
        "------END NATS USER JWT------\n\n"
        "************************* IMPORTANT *************************\n"
        "NKEY Seed printed below can be used to sign and prove identity.\n"
        "NKEYs are sensitive and should be treated as secrets.\n\n"
        "-----BEGIN USER NKEY SEED-----\n"
        f"{seed}\n"
        "------END USER NKEY SEED------\n\n"
        "*************************************************************\n"
    )


def server_config(operator_jwt_text: str, account_jwts: dict[str, str], system_account: str) -> str:
    """The part of a nats-server configuration that trusts the operator and preloads its accounts."""
    preload = "\n".join(f"  {pub}: {jwt}" for pub, jwt in account_jwts.items())
    return (
        f"operator: {operator_jwt_text}\n"
        f"system_account: {system_account}\n"
        "resolver: MEMORY\n"
        f"resolver_preload: {{\n{preload}\n}}\n"
    )


@dataclass(frozen=True)
class ExportSetup:
    """Everything an operator makes once for the export NATS (`python -m services.subscribers.natssetup`):
    the server's trust configuration, and the two settings the subscribers service needs."""

    operator_seed: str
    account_seed: str
    signing_seed: str
    system_seed: str
    server_config: str

    @property
    def account(self) -> str:
        return public_key(self.account_seed)


def export_setup(limits: AccountLimits = AccountLimits()) -> ExportSetup:
    """A new operator, a system account, and the export account with one signing key."""
    operator, account, signing, system = (
        new_seed(OPERATOR),
        new_seed(ACCOUNT),
        new_seed(ACCOUNT),
        new_seed(ACCOUNT),
    )
    accounts = {
        public_key(account): account_jwt(operator, account, "EXPORT", [public_key(signing)], limits),
        public_key(system): account_jwt(operator, system, "SYS", jetstream=False),
    }
    config = server_config(operator_jwt(operator, "ejournal-export"), accounts, public_key(system))
    return ExportSetup(operator, account, signing, system, config)
