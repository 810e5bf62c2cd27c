"""Tasks waiting for me (heads, deans, the dean's council, the registrar office, the vice-rector): the
reopen cases (KZ-13) with their history and deadlines, and the sanction ladder's proposals (KZ-14).

A case page offers only the action the workflow waits for from this person (their task's `action`),
so the portal never offers a visa or a decision the API would refuse."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.api import Reply
from services.portal.navigation import N_
from services.portal.visit import Visit

router = APIRouter(include_in_schema=False)

ACTIONS = {
    "visa_department_head": N_("Visa of the department head"),
    "visa_dean_curation": N_("Visa of the dean for curation"),
    "visa_dean": N_("Visa of the dean"),
    "council_decision": N_("Decision of the dean's council"),
    "reopen": N_("Reopen the journal for the teacher"),
    "correct": N_("The teacher's correction"),
    "confirm_sanction": N_("Confirm a proposed measure"),
    # the vice-rector oversees the procedure: nothing to sign, a case to look at
    "escalated": N_("A case escalated to you"),
    "overdue": N_("A step past its deadline"),
}
# The form fields a refusal may name, as the person reads them.
FIELDS = {
    "comment": N_("Comment"),
    "protocol": N_("Council protocol"),
    "reason": N_("Reason"),
    "reference": N_("Order or protocol"),
}


async def my_tasks(visit: Visit, paged: bool = False) -> list[dict[str, Any]]:
    """The person's open tasks: one page of the list (`paged`, with "Next page" under it), else the
    API's largest page to find one case's task in."""
    path = "/api/v1/my/tasks"
    reply = await (visit.listing(path) if paged else visit.get(path, page_size=1000))
    return list(reply.body.get("tasks", [])) if reply.ok and isinstance(reply.body, dict) else []


@router.get("/tasks", response_class=HTMLResponse)
async def tasks(request: Request, done: str = "") -> Response:
    visit = await Visit.signed_in(request)
    listed = await my_tasks(visit, paged=True)
    return visit.render("tasks.html", tasks=listed, actions=ACTIONS, done=done, error="")


@router.get("/tasks/cases/{case_id}", response_class=HTMLResponse)
async def case_page(request: Request, case_id: str) -> Response:
    visit = await Visit.signed_in(request)
    return await show_case(visit, case_id)


async def show_case(visit: Visit, case_id: str, error: str = "", status: int = 200) -> Response:
    reply = await visit.get(f"/api/v1/reopen-cases/{case_id}")
    if not reply.ok:  # absent or not the person's: the same answer (no hint it exists)
        return visit.render("not_found.html", status=404)
    mine = [t for t in await my_tasks(visit) if t.get("case_id") == case_id]
    action = mine[0]["action"] if mine else ""
    return visit.render(
        "case.html",
        status=status,
        case=reply.body.get("case", {}),
        action=action,
        actions=ACTIONS,
        error=error,
    )


def refusal(visit: Visit, reply: Reply) -> str:
    """A refused action, said in the person's language: what to fix, or that the case moved on."""
    named = (
        [e.get("field", "") for e in (reply.body or {}).get("errors", [])]
        if isinstance(reply.body, dict)
        else []
    )
    labels = [visit.gettext(FIELDS[f]) for f in named if f in FIELDS]
    if reply.status == 422 and labels:
        return visit.gettext("Please fill in: %(fields)s.") % {"fields": ", ".join(labels)}
    if reply.status == 409:
        return visit.gettext("The case has moved on since the page was opened; it is shown as it is now.")
    if reply.status in (403, 404):
        return visit.gettext("This action is not yours to take.")
    return visit.gettext("The action was not accepted. Check the form and try again.")


async def act(visit: Visit, case_id: str, path: str, body: dict[str, Any], csrf: str) -> Response:
    reply = await visit.send("POST", f"/api/v1/reopen-cases/{case_id}/{path}", body, csrf)
    if reply.ok:
        return visit.redirect("/tasks?done=" + case_id)
    return await show_case(visit, case_id, refusal(visit, reply), status=reply.status)


@router.post("/tasks/cases/{case_id}/visa")
async def visa(
    request: Request,
    case_id: str,
    role: Annotated[str, Form()],
    decision: Annotated[str, Form()],
    comment: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit = await Visit.signed_in(request)
    body = {"role": role, "approve": decision == "approve", "comment": comment}
    return await act(visit, case_id, "visas", body, csrf)


@router.post("/tasks/cases/{case_id}/council")
async def council(
    request: Request,
    case_id: str,
    decision: Annotated[str, Form()],
    protocol: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit = await Visit.signed_in(request)
    body = {"approve": decision == "approve", "protocol": protocol, "reason": reason}
    return await act(visit, case_id, "council-decision", body, csrf)


@router.post("/tasks/cases/{case_id}/reopening")
async def reopening(request: Request, case_id: str, csrf: Annotated[str, Form()] = "") -> Response:
    visit = await Visit.signed_in(request)
    return await act(visit, case_id, "reopening", {}, csrf)


@router.post("/tasks/sanctions/{proposal_id}")
async def confirm_sanction(
    request: Request,
    proposal_id: str,
    reference: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit = await Visit.signed_in(request)
    reply = await visit.send(
        "POST", f"/api/v1/sanctions/{proposal_id}/confirmation", {"reference": reference}, csrf
    )
    if reply.ok:
        return visit.redirect("/tasks?done=" + proposal_id)
    listed = await my_tasks(visit)
    return visit.render(
        "tasks.html", status=reply.status, tasks=listed, actions=ACTIONS, done="", error=refusal(visit, reply)
    )
