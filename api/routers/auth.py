"""/api/auth and /api/users: who am I, API tokens, accounts (administrators)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from api.deps import AdminDep, CsrfDep, SessionDep, UserDep, client_ip
from api.errors import NotFound
from api.schemas import LoginRequest, TokenOut, UserCreate, UserOut, UserUpdate
from api.services import accounts
from core.models import Role

router = APIRouter(prefix="/api", tags=["auth"], dependencies=[CsrfDep])


def user_out(u) -> UserOut:  # type: ignore[no-untyped-def]
    role = Role.parse(u.role)
    return UserOut(
        username=u.username,
        role=u.role,
        role_zh=role.zh if role else None,
        agency_id=u.agency_id,
        active=u.active,
    )


@router.post("/auth/login", response_model=UserOut)
def login(body: LoginRequest, request: Request, s: SessionDep) -> UserOut:
    """Sign in with the session cookie (for the browser; scripts use API tokens)."""
    user = accounts.authenticate(s, body.username, body.password, ip=client_ip(request))
    accounts.start_session(s, request.session, user, ip=client_ip(request))
    return user_out(user)


@router.post("/auth/logout")
def logout(request: Request, s: SessionDep) -> dict[str, bool]:
    accounts.end_session(s, request.session)
    return {"ok": True}


@router.get("/auth/me", response_model=UserOut)
def me(user: UserDep) -> UserOut:
    return user_out(user)


@router.post("/auth/tokens", response_model=TokenOut)
def create_token(
    user: UserDep,
    s: SessionDep,
    name: str = "script",
    expires_days: Annotated[int | None, Query(ge=1, le=3650)] = None,
) -> TokenOut:
    return TokenOut(token=accounts.create_token(s, user.username, name, expires_days))


@router.get("/auth/tokens")
def list_tokens(user: UserDep, s: SessionDep) -> list[dict[str, Any]]:
    """The caller's own API tokens (never the tokens themselves)."""
    return accounts.list_tokens(s, user.username)


@router.delete("/auth/tokens/{token_id}")
def revoke_token(
    token_id: Annotated[int, Path(ge=1, le=2**31 - 1)], user: UserDep, s: SessionDep
) -> dict[str, bool]:
    """Revoke one of the caller's tokens (administrators: anyone's)."""
    owner = None if user.role == Role.admin.value else user.username
    accounts.revoke_token(s, token_id, by=user.username, owner=owner)
    return {"ok": True}


@router.get("/users", response_model=list[UserOut])
def list_users(_: AdminDep, s: SessionDep) -> list[UserOut]:
    return [user_out(u) for u in accounts.list_users(s)]


@router.post("/users", response_model=UserOut, status_code=201)
def add_user(body: UserCreate, scope: AdminDep, s: SessionDep, request: Request) -> UserOut:
    user = accounts.create_user(
        s, body.username, body.password, body.role, body.agency_id, by=scope.username, ip=client_ip(request)
    )
    return user_out(user)


@router.patch("/users/{username}", response_model=UserOut)
def update_user(username: str, body: UserUpdate, scope: AdminDep, s: SessionDep, request: Request) -> UserOut:
    """Reset the password and/or disable (re-enable) an account; audited with the administrator's name."""
    ip = client_ip(request)
    if body.password is not None:
        accounts.set_password(s, username, body.password, by=scope.username, ip=ip)
    user = (
        accounts.set_active(s, username, body.active, by=scope.username, ip=ip)
        if body.active is not None
        else next((u for u in accounts.list_users(s) if u.username == username), None)
    )
    if user is None:
        raise NotFound(f"找不到用户“{username}”")
    return user_out(user)
