"""argon2id hashing (argon2-cffi). Verification runs in a worker thread: it is deliberately slow
(tens of milliseconds) and must not stall the event loop that serves other calls."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


@dataclass(frozen=True)
class Argon2Parameters:
    # Measured on the project machine (2 cores): t=2, m=32 MiB, p=1 verifies in ~47 ms, above the
    # OWASP minimum (m=19 MiB, t=2) and keeping a login under ~100 ms. See bench/identity.py.
    time_cost: int = 2
    memory_cost_kib: int = 32 * 1024
    parallelism: int = 1


class PasswordHashing:
    def __init__(self, parameters: Argon2Parameters = Argon2Parameters()) -> None:
        self.parameters = parameters
        self._hasher = PasswordHasher(
            time_cost=parameters.time_cost,
            memory_cost=parameters.memory_cost_kib,
            parallelism=parameters.parallelism,
            type=Type.ID,
        )
        # Verified against when a login is unknown, so that the answer takes as long as a real one.
        self._decoy = self._hasher.hash("decoy password that matches nothing")

    def hash_sync(self, password: str) -> str:
        return self._hasher.hash(password)

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    def verify_sync(self, stored_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        if stored_hash is None:
            await asyncio.to_thread(self.verify_sync, self._decoy, password)
            return False
        return await asyncio.to_thread(self.verify_sync, stored_hash, password)

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)
