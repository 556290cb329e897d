"""/api/collections: the basket of chosen cases, preview, export of the collection or bulletin."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import CsrfDep, ScopeDep, SessionDep, SettingsDep, client_ip
from api.schemas import BasketUpdate, CaseSummary, CollectionRequest
from api.services import collections

router = APIRouter(prefix="/api", tags=["collections"], dependencies=[CsrfDep])


def basket(request: Request) -> list[int]:
    return [int(i) for i in request.session.get("basket", [])]


@router.get("/collections/basket", response_model=list[CaseSummary])
def get_basket(request: Request, scope: ScopeDep, s: SessionDep) -> list[dict[str, Any]]:
    return collections.preview(s, scope, basket(request))


@router.post("/collections/basket", response_model=list[CaseSummary])
def update_basket(
    body: BasketUpdate, request: Request, scope: ScopeDep, s: SessionDep
) -> list[dict[str, Any]]:
    ids = [] if body.clear else basket(request)
    ids = [i for i in collections.clean_ids(ids + body.add) if i not in set(body.remove)]
    chosen = collections.preview(s, scope, ids)
    request.session["basket"] = [c["id"] for c in chosen]
    return chosen


def _by_filter(body: CollectionRequest) -> bool:
    return bool(body.period or body.causes or body.fields or body.agency_ids)


@router.post("/collections/export")
def export(
    body: CollectionRequest, request: Request, scope: ScopeDep, s: SessionDep, settings: SettingsDep
) -> Response:
    ids = body.ids or ([] if body.kind == "collection" and _by_filter(body) else basket(request))
    extra: dict[str, Any] = {"issuing_body": body.issuing_body, "number": body.number}
    if body.kind == "collection":
        extra |= {"causes": body.causes, "fields": body.fields, "agency_ids": body.agency_ids}
    elif body.kind == "bulletin":
        extra["allow_empty"] = body.allow_empty
    name, media, data = collections.export(
        s,
        settings,
        scope,
        ids,
        body.kind,
        body.title,
        body.format,
        body.period,
        ip=client_ip(request),
        **extra,
    )
    return Response(
        data, media_type=media, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    )
