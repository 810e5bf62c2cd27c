"""KZ-10 / KZ-14: count a completed reopen once, and let the profile's ladder propose measures.

The workflow's count activity runs it. A retry returns the first answer (the counts and proposals
stored then); proposals go out as events in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from ejournal_platform.events import Event
from services.workflow.adapters import sanction_store
from services.workflow.adapters.event_messages import proposal_event
from services.workflow.domain.sanctions import Ladder, propose
from services.workflow.processes.reopen.messages import CountReopenInput, CountReopenResult
from services.workflow.service_layer.deps import Deps

LadderLookup = Callable[[str], "tuple[Ladder, Ladder] | None"]


def profile_ladders(profile_code: str) -> tuple[Ladder, Ladder] | None:
    """KZ-14 ladders of the regulation profile (profiles/*.yaml), or None when it has none."""
    from ejournal_regulation import get_profile

    sanctions = get_profile(profile_code).sanctions
    if sanctions is None:
        return None
    return sanctions.teacher.measure_for, sanctions.department.measure_for


async def count_reopen(
    deps: Deps, cmd: CountReopenInput, *, ladders: LadderLookup = profile_ladders
) -> CountReopenResult:
    async with deps.unit_of_work() as uow:
        session = uow.session
        await sanction_store.lock_counting(session, cmd.term_id, cmd.department_id)
        row = await sanction_store.counted(session, cmd.case_id)
        if row is not None:
            proposals = await sanction_store.proposals_of_case(session, cmd.case_id)
            return CountReopenResult(row.teacher_count, row.department_count, proposals)
        teacher_before, department_before = await sanction_store.reopens_so_far(
            session, cmd.term_id, cmd.teacher_id, cmd.department_id
        )
        teacher_count, department_count = teacher_before + 1, department_before + 1
        await sanction_store.insert_count(session, cmd, teacher_count, department_count)
        found = ladders(cmd.profile_code)
        proposals = (
            propose(
                case_id=cmd.case_id,
                term_id=cmd.term_id,
                teacher_id=cmd.teacher_id,
                department_id=cmd.department_id,
                teacher_count=teacher_count,
                department_count=department_count,
                teacher_ladder=found[0],
                department_ladder=found[1],
            )
            if found
            else ()
        )
        where = sanction_store.Where(
            await sanction_store.university_of_case(session, cmd.case_id),
            cmd.faculty_id,
            cmd.department_id,
        )
        for proposal in proposals:
            await sanction_store.insert_proposal(session, proposal, cmd.completed_at, where)
            uow.add_event(Event(proposal_event(proposal), subject=f"reopen_case/{cmd.case_id}"))
        await uow.commit()
        return CountReopenResult(teacher_count, department_count, proposals)
