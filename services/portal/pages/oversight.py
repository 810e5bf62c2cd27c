"""The oversight pages: the filling of my department or faculty (heads, deans, registrar office,
vice-rector), the registrar office's reports, and the vice-rector's dashboard of the university.
Each shows charts with the figures beside them, in the scope the person oversees."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.navigation import N_
from services.portal.pages import figures
from services.portal.visit import Visit

router = APIRouter(include_in_schema=False)


async def figures_page(request: Request, title: str, *kinds: str) -> Response:
    visit = await Visit.signed_in(request)
    scope, names = figures.scope_of(visit), await figures.unit_names(visit)
    panels = await asyncio.gather(*(figures.panel(visit, kind, scope, names) for kind in kinds))
    return visit.render("figures.html", title=visit.gettext(title), panels=panels, period=figures.period())


@router.get("/oversight/filling", response_class=HTMLResponse)
async def filling(request: Request) -> Response:
    return await figures_page(request, N_("Journal filling"), "filling")


@router.get("/registrar/reports", response_class=HTMLResponse)
async def reports(request: Request) -> Response:
    return await figures_page(request, N_("Reports"), "filling", "attendance", "quality", "reopens")


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(request: Request) -> Response:
    return await figures_page(
        request, N_("The university at a glance"), "filling", "attendance", "quality", "reopens"
    )
