"""Signed statements (service_layer/documents/signing.py): the kept PDF with its signers, and the
external signatures prepared and awaiting their value — rows in the caller's transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting.adapters.ops_tables import external_signature, signed_statement


async def find(session: AsyncSession, statement_id: str) -> Any:
    query = select(signed_statement).where(signed_statement.c.statement_id == statement_id)
    return (await session.execute(query)).first()


async def locked(session: AsyncSession, statement_id: str) -> Any:
    """The row, locked to the end of the transaction: one signature at a time, each appending to the
    last revision. Raises if there is none (the first print makes it)."""
    return (
        await session.execute(
            select(signed_statement).where(signed_statement.c.statement_id == statement_id).with_for_update()
        )
    ).one()


async def add_first_print(
    session: AsyncSession,
    *,
    statement_id: str,
    number: str,
    content_hash: str,
    pdf: bytes,
    signers: list[dict[str, str]],
) -> None:
    """Two first prints at once: the first one stored is kept (the other insert does nothing)."""
    await session.execute(
        insert(signed_statement)
        .values(statement_id=statement_id, number=number, content_hash=content_hash, pdf=pdf, signers=signers)
        .on_conflict_do_nothing()
    )


async def replace_pdf(
    session: AsyncSession, statement_id: str, pdf: bytes, signers: list[dict[str, str]]
) -> None:
    """The PDF with one more signature appended, and its signers."""
    await session.execute(
        update(signed_statement)
        .where(signed_statement.c.statement_id == statement_id)
        .values(pdf=pdf, signers=signers, updated_at=datetime.now(UTC))
    )


async def add_external(
    session: AsyncSession,
    *,
    signing_id: str,
    statement_id: str,
    role: str,
    person_id: str,
    prepared_pdf: bytes,
    pending: Any,
) -> None:
    await session.execute(
        insert(external_signature).values(
            signing_id=signing_id,
            statement_id=statement_id,
            role=role,
            person_id=person_id,
            prepared_pdf=prepared_pdf,
            pending=pending,
        )
    )


async def find_external(session: AsyncSession, signing_id: str, person_id: str) -> Any:
    """The prepared signature, only if it is this person's."""
    query = select(external_signature).where(
        external_signature.c.signing_id == signing_id, external_signature.c.person_id == person_id
    )
    return (await session.execute(query)).first()


async def drop_externals(session: AsyncSession, statement_id: str) -> None:
    """Every prepared signature of the statement: a signature added meanwhile made them stale."""
    await session.execute(delete(external_signature).where(external_signature.c.statement_id == statement_id))
