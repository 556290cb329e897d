"""Pages of the documents the bureau prints (Chinese): 典型案例汇编 and 季度通报, each with its own form."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import ScopeDep, SessionDep
from api.pages import page
from api.services import collections

router = APIRouter(include_in_schema=False)


@router.get("/collections")
def collections_page(request: Request, scope: ScopeDep, s: SessionDep) -> HTMLResponse:
    chosen = collections.preview(s, scope, request.session.get("basket", []))
    return page(request, "collections.html", scope, chosen=chosen)
