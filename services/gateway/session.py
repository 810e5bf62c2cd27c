"""Sign-in, refresh, sign-out and "me": the only routes with logic of their own, because they turn
identity's tokens into the portal's cookie session (bearer clients use the tokens directly)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field, field_validator

from ejournal.identity.v1 import identity_service_pb2 as pb
from ejournal_platform.web_session import REFRESH_COOKIE
from services.gateway.auth import (
    Caller,
    GatewayProblem,
    caller,
    end_session,
    metadata,
    start_session,
)
from services.gateway.proto_models import model_for, to_json
from services.gateway.rpc_routes import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1/session", tags=["session"], responses=ERROR_RESPONSES)


class SignIn(BaseModel):
    login: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=1, max_length=1024)

    @field_validator("login", "password")
    @classmethod
    def storable_text(cls, value: str) -> str:
        if "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


class Tokens(BaseModel):
    access_token: str
    refresh_token: str
    expires_in: int
    person_id: str = ""
    csrf_token: str = Field(
        description="echo it in the X-CSRF-Token header of unsafe requests (cookie sessions)"
    )


class RefreshBody(BaseModel):
    refresh_token: str | None = Field(default=None, description="omit to use the session cookie")

    @field_validator("refresh_token")
    @classmethod
    def storable_text(cls, value: str | None) -> str | None:
        if value is not None and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


def _client(request: Request) -> tuple[str, str]:
    return (request.client.host if request.client else "", request.headers.get("user-agent", "")[:256])


@router.post("", response_model=Tokens, summary="Sign in with a personal login")
async def sign_in(body: SignIn, request: Request, response: Response) -> Tokens:
    address, agent = _client(request)
    reply = await request.app.state.clients.stub("identity").Login(
        pb.LoginRequest(login=body.login, password=body.password, client_address=address, user_agent=agent),
        metadata=metadata(request),
    )
    csrf = start_session(response, reply.access_token, reply.refresh_token, reply.access_expires_in_seconds)
    return Tokens(
        access_token=reply.access_token,
        refresh_token=reply.refresh_token,
        expires_in=reply.access_expires_in_seconds,
        person_id=reply.person_id,
        csrf_token=csrf,
    )


@router.post("/refresh", response_model=Tokens, summary="Exchange a refresh token for a new pair")
async def refresh(body: RefreshBody, request: Request, response: Response) -> Tokens:
    token = body.refresh_token or request.cookies.get(REFRESH_COOKIE)
    if not token:
        raise GatewayProblem(401, "UNAUTHENTICATED", "no refresh token: sign in again")
    address, agent = _client(request)
    reply = await request.app.state.clients.stub("identity").Refresh(
        pb.RefreshRequest(refresh_token=token, client_address=address, user_agent=agent),
        metadata=metadata(request),
    )
    csrf = start_session(response, reply.access_token, reply.refresh_token, reply.access_expires_in_seconds)
    return Tokens(
        access_token=reply.access_token,
        refresh_token=reply.refresh_token,
        expires_in=reply.access_expires_in_seconds,
        csrf_token=csrf,
    )


@router.delete("", status_code=204, summary="Sign out: revoke the session")
async def sign_out(request: Request, response: Response, who: Caller = Depends(caller)) -> Response:  # noqa: B008
    await request.app.state.clients.stub("identity").Logout(
        pb.LogoutRequest(), metadata=metadata(request, who.token)
    )
    result = Response(status_code=204)
    end_session(result)
    return result


@router.get("/me", response_model=model_for(pb.WhoAmIResponse.DESCRIPTOR), summary="Who am I")
async def me(request: Request, who: Caller = Depends(caller)) -> dict[str, Any]:  # noqa: B008
    reply = await request.app.state.clients.stub("identity").WhoAmI(
        pb.WhoAmIRequest(), metadata=metadata(request, who.token)
    )
    return to_json(reply)
