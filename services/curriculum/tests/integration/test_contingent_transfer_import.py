"""A contingent file that puts a student in another group of their course (issue 22): with the order the
request names, the student is transferred as TransferStudent would (the domain's checks, a
`transferred` movement, StudentTransferred); without one, or when the domain refuses the transfer, the
row is refused with the reason and nothing is applied."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ejournal.curriculum.v1 import events_pb2 as ev
from ejournal_platform.context import Principal
from services.curriculum.adapters.ids import person_id_for_login
from services.curriculum.adapters.models import Group, Movement, Placement
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.imports.runner import ImportOutcome, RunImport, run_import
from services.curriculum.tests.integration.conftest import registrar
from services.curriculum.tests.integration.helpers import outbox_events
from services.curriculum.tests.integration.test_imports import (
    CONTINGENT_HEADER,
    contingent_rows,
    csv_bytes,
    run,
)
from services.curriculum.tests.integration.test_sync_imports import counts
from services.curriculum.tests.integration.world import World

pytestmark = pytest.mark.integration
ORDER = {"sync_order_number": "140-с", "sync_order_date": "2026-10-01"}


async def contingent(
    deps: Deps,
    w: World,
    rows: list[list[str]],
    dry_run: bool,
    order: dict[str, str] | None = None,
    sync: bool = False,
    *,
    by: Principal,
) -> ImportOutcome:
    order = order or {}
    request = RunImport(
        kind="contingent", file_name="c.csv", content=csv_bytes([CONTINGENT_HEADER, *rows]),
        academic_year_id=w.year, language="en",
        dry_run=dry_run, sync=sync, sync_order_number=order.get("sync_order_number", ""),
        sync_order_date=order.get("sync_order_date", ""),
    )  # fmt: skip
    return await run_import(deps, by, request)


async def groups_now(deps: Deps) -> dict[str, str]:
    """Each student's open placement: login number -> group code."""
    async with deps.uow() as uow:
        rows = await uow.session.execute(
            select(Placement.student_id, Group.code)
            .join(Group, Group.id == Placement.group_id)
            .where(Placement.valid_until.is_(None))
        )
        logins = {person_id_for_login(f"student{i:03}"): f"{i:03}" for i in range(10)}
        return {logins[s]: code for s, code in rows.all()}


def moved(rows: list[list[str]], index: int, group: str, subgroup: str = "") -> list[list[str]]:
    return [[*r[:2], group, subgroup, *r[4:]] if i == index else r for i, r in enumerate(rows)]


@pytest.mark.rule("KZ-15")
async def test_a_student_moved_in_the_file_is_transferred_by_the_requests_order(
    deps: Deps, world: World
) -> None:
    caller = registrar(world.university)
    assert (
        await run(
            deps, world, "contingent", "c.csv", csv_bytes([CONTINGENT_HEADER, *contingent_rows(3)]), by=caller
        )
    ).status == "applied"
    before = await groups_now(deps)
    rows = moved(contingent_rows(3), 1, "ЖМ-102", "2")
    without = await contingent(deps, world, rows, dry_run=True, by=caller)
    assert [e["code"] for e in without.errors] == ["two_groups_one_course"]
    assert "name the order" in str(without.errors[0]["reason"])
    preview = await contingent(deps, world, rows, dry_run=True, order=ORDER, by=caller)
    assert (preview.status, preview.errors, counts(preview)) == ("validated", [], (0, 1, 0, 0))
    assert await groups_now(deps) == before
    applied = await contingent(deps, world, rows, dry_run=False, order=ORDER, by=caller)
    assert (applied.status, counts(applied)) == ("applied", counts(preview))
    assert await groups_now(deps) == {"000": "ЖМ-101", "001": "ЖМ-102", "002": "ЖМ-101"}
    [transfer] = await outbox_events(deps, ev.StudentTransferred)
    assert (transfer.order.number, transfer.to_subgroup_id) == ("140-с", world.subgroup_b)
    async with deps.uow() as uow:
        kinds = list(await uow.session.scalars(select(Movement.kind).where(Movement.kind == "transferred")))
    assert kinds == ["transferred"]
    # The same file again: everyone is where it puts them, nothing to do.
    again = await contingent(deps, world, rows, dry_run=True, order=ORDER, by=caller)
    assert (again.status, again.errors, counts(again)) == ("validated", [], (0, 0, 0, 0))


async def test_a_sync_file_transfers_the_moved_student_and_expels_the_one_left_out(
    deps: Deps, world: World
) -> None:
    caller = registrar(world.university)
    await run(
        deps, world, "contingent", "c.csv", csv_bytes([CONTINGENT_HEADER, *contingent_rows(3)]), by=caller
    )
    rows = moved(contingent_rows(3), 1, "ЖМ-102")[:2]  # student001 moves, student002 is left out
    preview = await contingent(deps, world, rows, dry_run=True, order=ORDER, sync=True, by=caller)
    assert (preview.status, preview.errors, counts(preview)) == ("validated", [], (0, 1, 1, 0))
    applied = await contingent(deps, world, rows, dry_run=False, order=ORDER, sync=True, by=caller)
    assert (applied.status, counts(applied)) == ("applied", counts(preview))
    assert await groups_now(deps) == {"000": "ЖМ-101", "001": "ЖМ-102"}


@pytest.mark.rule("KZ-15")
async def test_a_transfer_the_domain_refuses_is_refused_with_the_reason(deps: Deps, world: World) -> None:
    caller = registrar(world.university)
    await run(
        deps, world, "contingent", "c.csv", csv_bytes([CONTINGENT_HEADER, *contingent_rows(3)]), by=caller
    )
    before = await groups_now(deps)
    rows = moved(contingent_rows(3), 2, "ЖМ-102", "1")
    early = {"sync_order_number": "99-с", "sync_order_date": "2026-08-25"}  # before the enrolment took effect
    outcome = await contingent(deps, world, rows, dry_run=False, order=early, by=caller)
    assert outcome.status == "rejected"
    assert [(e["row"], e["column"], e["code"]) for e in outcome.errors] == [(4, "Группа", "transfer_refused")]
    assert "cannot be transferred" in str(outcome.errors[0]["reason"])
    assert "history is not rewritten" in str(outcome.errors[0]["reason"])
    assert await groups_now(deps) == before
    assert await outbox_events(deps, ev.StudentTransferred) == []
