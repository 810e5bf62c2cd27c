"""One page view: the person (from the API's "who am I"), their language, the API as them, and the
rendering of the answer with the cookies the API set on the way."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import Response

from ejournal_platform.web_session import CSRF_COOKIE
from services.portal import i18n, navigation
from services.portal.api import Api, Reply
from services.portal.labels import LABELS

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


R = TypeVar("R", bound=Response)


class SignInRequired(Exception):
    """No valid session: the sign-in page, returning here afterwards."""

    def __init__(self, back_to: str) -> None:
        super().__init__(back_to)
        self.back_to = back_to


class ApiUnavailable(Exception):
    """The API answered 503 (a service is down): a page saying so, with Retry-After."""

    def __init__(self, reply: Reply, visit: Visit) -> None:
        super().__init__(reply.status)
        self.reply = reply
        self.visit = visit


@dataclass
class Visit:
    request: Request
    api: Api
    language: str
    me: dict[str, Any] = field(default_factory=dict)
    # The next page of the page's list (the API's next_page_token), shown as a link under it.
    next_page_token: str = ""

    # Query parameters of a list page that belong to one answer, not to the list.
    TRANSIENT = frozenset({"page_token", "marked", "done", "disputed"})

    @classmethod
    async def anonymous(cls, request: Request) -> Visit:
        chosen = request.cookies.get(i18n.LANGUAGE_COOKIE)
        language = i18n.choose(chosen, None, request.headers.get("accept-language"))
        return cls(request, Api.of(request, language), language)

    @classmethod
    async def signed_in(cls, request: Request) -> Visit:
        """The visit of a signed-in person, or SignInRequired."""
        visit = await cls.anonymous(request)
        reply = await visit.api.get("/api/v1/session/me")
        visit.check(reply)
        if reply.status == 401 or not reply.ok:
            raise SignInRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        visit.me = reply.body
        chosen = request.cookies.get(i18n.LANGUAGE_COOKIE)
        visit.language = i18n.choose(chosen, visit.me.get("language"), request.headers.get("accept-language"))
        visit.api.language = visit.language
        return visit

    def check(self, reply: Reply) -> Reply:
        """Unavailability is no page of ours: it becomes the 503 page (Retry-After)."""
        if reply.status in (502, 503, 504):
            raise ApiUnavailable(reply, self)
        return reply

    async def get(self, path: str, **params: Any) -> Reply:
        reply = self.check(await self.api.get(path, **params))
        if reply.status == 401:
            raise SignInRequired(self.request.url.path)
        return reply

    async def listing(self, path: str, **params: Any) -> Reply:
        """One page of a paginated list (the edges' `next_page_token`, issue 22): the page asked for
        by this page's own `?page_token=`, the API's default page size; the next page's token is kept
        for render(), which puts "Next page" (and "First page") links under the page."""
        token = self.request.query_params.get("page_token", "")
        reply = await self.get(path, **params, **({"page_token": token} if token else {}))
        body = reply.body if reply.ok and isinstance(reply.body, dict) else {}
        self.next_page_token = str(body.get("next_page_token", "") or "")
        return reply

    def page_links(self) -> dict[str, str]:
        kept = [(k, v) for k, v in self.request.query_params.multi_items() if k not in self.TRANSIENT]
        path = self.request.url.path

        def link(extra: list[tuple[str, str]]) -> str:
            query = urlencode(kept + extra)
            return f"{path}?{query}" if query else path

        more = link([("page_token", self.next_page_token)]) if self.next_page_token else ""
        first = link([]) if self.request.query_params.get("page_token") else ""
        return {"more_page": more, "first_page": first}

    async def send(
        self, method: str, path: str, body: Any, csrf: str, headers: dict[str, str] | None = None,
        content: bytes | None = None,
    ) -> Reply:  # fmt: skip
        """An unsafe call on behalf of a form: `csrf` is the form's echo of the session's token, which
        the API compares with the cookie (so the portal's forms get the API's CSRF check)."""
        reply = self.check(
            await self.api.send(method, path, body, csrf=csrf, headers=headers, content=content)
        )
        if reply.status == 401:
            raise SignInRequired(self.request.url.path)
        return reply

    @property
    def roles(self) -> set[str]:
        return {r.get("role", "") for r in self.me.get("roles", [])}

    def gettext(self, message: str) -> str:
        return i18n.translations(self.language).gettext(message)

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        texts = i18n.translations(self.language)
        pages: frozenset[str] = self.request.app.state.portal_pages
        links = navigation.visible(self.roles, pages) if self.me else []
        html = TEMPLATES.get_template(template).render(
            _=texts.gettext,
            label=lambda code: texts.gettext(LABELS[code]) if code in LABELS else code,
            ngettext=texts.ngettext,
            lang=self.language,
            languages=i18n.LANGUAGES,
            me=self.me,
            nav=navigation.labelled(links, texts),
            here=self.request.url.path,
            csrf=self.api.cookies.get(CSRF_COOKIE, ""),
            **{**self.page_links(), **context},
        )
        return self.finish(
            HTMLResponse(
                html,
                status_code=status,
                # Which static files the page was made for: a service worker of an older deploy then
                # does not serve it that deploy's scripts (static/js/sw.js, issue 21).
                headers={
                    "Content-Language": self.language,
                    "X-Asset-Version": getattr(self.request.app.state, "asset_version", ""),
                },
            )
        )

    def redirect(self, path: str) -> RedirectResponse:
        response = RedirectResponse(path, status_code=303)
        self.finish(response)
        return response

    def finish(self, response: R) -> R:
        for header in self.api.set_cookies:
            response.headers.append("set-cookie", header)
        return response


def sign_in_path(back_to: str) -> str:
    return "/?next=" + quote(back_to, safe="/")
