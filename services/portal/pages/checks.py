"""The weekly journal checks (KG-08, issue 17): the latest checked week's journals the person reaches
(their own for a teacher, their department or faculty for heads), with how fully each was filled and
attendance kept, and the findings said in the reader's language.

The API sends each finding as a catalog key with values (`keyed_findings`); the keys are the
workflow's (services/workflow/domain/notice_texts.py) and are translated here in the portal's catalog.
A check recorded before keyed findings existed has only its English findings: they are shown as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.navigation import N_
from services.portal.visit import Visit

router = APIRouter(include_in_schema=False)

# The weekly check's findings (notice_texts.LESSONS_WITHOUT_MARKS, CELLS_EMPTY, NO_ATTENDANCE).
FINDINGS = {
    "{empty} of {lessons} lessons without marks": N_("{empty} of {lessons} lessons without marks"),
    "{empty} of {cells} cells empty": N_("{empty} of {cells} cells empty"),
    "no attendance recorded": N_("no attendance recorded"),
}


def said(gettext: Any, finding: Mapping[str, Any]) -> str:
    """One keyed finding in the reader's language; a key the portal does not know, in its English."""
    key, values = str(finding.get("key", "")), finding.get("values") or {}
    text = gettext(FINDINGS[key]) if key in FINDINGS else key
    try:
        return text.format_map({k: str(v) for k, v in values.items()})
    except (KeyError, IndexError, ValueError):
        return key


def findings_of(gettext: Any, check: Mapping[str, Any]) -> list[str]:
    keyed = check.get("keyed_findings") or []
    if keyed:
        return [said(gettext, f) for f in keyed]
    return [str(f) for f in check.get("findings") or []]


@router.get("/checks", response_class=HTMLResponse)
async def checks(request: Request, page_token: str = "") -> Response:
    visit = await Visit.signed_in(request)
    params = {"page_token": page_token} if page_token else {}
    reply = await visit.get("/api/v1/journal-checks", **params)
    body: dict[str, Any] = reply.body if reply.ok and isinstance(reply.body, dict) else {}
    listed = [{**c, "said": findings_of(visit.gettext, c)} for c in body.get("checks", [])]
    return visit.render(
        "checks.html", checks=listed, next_page_token=body.get("next_page_token", ""), failed=not reply.ok
    )
