"""Pages of the documents the bureau prints (Chinese): 典型案例汇编 (/collections) and 季度通报 (/bulletin),
each with its own form — title, period, filters, 发文机关 and 文号 — posted here; the answer is the file, or
the page again with the reason (a period without cases is a warning, never a silent empty document)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from api.access import Scope
from api.deps import CsrfDep, ScopeDep, SessionDep, SettingsDep, client_ip
from api.pages import form_error, page
from api.services import collections
from api.services.stats import agency_choices
from core.settings import Settings
from core.taxonomy import Field, LossCause

router = APIRouter(include_in_schema=False)
_BODY_KEY = "issuing_body"  # the 发文机关 last used in this session: the next form starts with it


def _attachment(name: str, media: str, data: bytes) -> Response:
    return Response(
        data, media_type=media, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    )


def _common(request: Request, s: Any, settings: Settings, scope: Scope) -> dict[str, Any]:
    agency_ids, agency_name = collections.own_agency(s, scope) if _has_agency(scope) else (None, None)
    body = request.session.get(_BODY_KEY) or collections.default_issuing_body(s, settings, scope)
    return {
        "agency_name": agency_name,
        "no_agency": scope.restricted and agency_ids is None,
        "default_body": body,
        "body_unset": collections.PLACEHOLDER_BODY in body,
    }


def _has_agency(scope: Scope) -> bool:
    return scope.restricted and (scope.agency_id or "").isdigit()


def last_quarter(today: dt.date) -> str:
    q = (today.month - 1) // 3  # the quarter before this one (0: the year before's fourth)
    return f"{today.year - 1}Q4" if q == 0 else f"{today.year}Q{q}"


# -- 典型案例汇编 --------------------------------------------------------------------------------------
def _collection_page(
    request: Request, scope: Scope, s: Any, settings: Settings, status: int = 200, **extra: Any
) -> HTMLResponse:
    chosen = collections.preview(s, scope, request.session.get("basket", []))
    form: dict[str, Any] = {
        "source": "basket" if chosen else "filter",
        "title": collections.DEFAULT_COLLECTION_TITLE,
        "period": "",
        "causes": [],
        "field": "",
        "agency_id": "",
        "number": "",
        "format": "docx",
    }
    common = _common(request, s, settings, scope)
    form["issuing_body"] = common["default_body"]
    form |= extra.pop("form", {})
    return page(
        request,
        "collections.html",
        scope,
        status_code=status,
        chosen=chosen,
        form=form,
        causes=[(c.value, c.zh) for c in LossCause],
        fields=[(f.value, f.zh) for f in Field],
        agencies=agency_choices(s, scope),
        **common,
        **extra,
    )


@router.get("/collections")
def collections_page(request: Request, scope: ScopeDep, s: SessionDep, settings: SettingsDep) -> HTMLResponse:
    return _collection_page(request, scope, s, settings)


@router.post("/collections/document", dependencies=[CsrfDep])
def collection_document(
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    settings: SettingsDep,
    source: Annotated[str, Form()] = "filter",
    title: Annotated[str, Form(max_length=200)] = "",
    period: Annotated[str, Form(max_length=40)] = "",
    causes: Annotated[list[str] | None, Form()] = None,
    field: Annotated[str, Form(max_length=40)] = "",
    agency_id: Annotated[str, Form(max_length=20)] = "",
    issuing_body: Annotated[str, Form(max_length=60)] = "",
    number: Annotated[str, Form(max_length=60)] = "",
    format: Annotated[str, Form()] = "docx",
) -> Response:
    form = {
        "source": source,
        "title": title,
        "period": period,
        "causes": causes or [],
        "field": field,
        "agency_id": agency_id,
        "issuing_body": issuing_body,
        "number": number,
        "format": format,
    }
    ids = [int(i) for i in request.session.get("basket", [])] if source == "basket" else []
    options = collections.CollectionOptions(
        title=title,
        fmt=format,
        ids=ids,
        period=period,
        causes=causes or [],
        fields=[field] if field else [],
        agency_ids=[int(agency_id)] if agency_id.isdigit() else [],
        issuing_body=issuing_body,
        number=number,
    )
    if source == "basket" and not ids:
        return _collection_page(
            request,
            scope,
            s,
            settings,
            400,
            form=form,
            warning="还没有已选案件：请选择“按条件筛选”，或先从检索结果加入案件",
        )
    try:
        name, media, data = collections.export_collection(s, settings, scope, options, ip=client_ip(request))
    except Exception as exc:  # noqa: BLE001 - a user's error is shown on the page; a 5xx is raised
        return _collection_page(request, scope, s, settings, 400, form=form, warning=form_error(exc))
    if issuing_body.strip():
        request.session[_BODY_KEY] = issuing_body.strip()[:60]
    return _attachment(name, media, data)


# -- 季度通报 ------------------------------------------------------------------------------------------
def _bulletin_page(
    request: Request, scope: Scope, s: Any, settings: Settings, status: int = 200, **extra: Any
) -> HTMLResponse:
    common = _common(request, s, settings, scope)
    form = {
        "period": last_quarter(dt.date.today()),
        "title": "",
        "issuing_body": common["default_body"],
        "number": "",
        "ours_only": False,
        "allow_empty": False,
        "format": "docx",
    } | extra.pop("form", {})
    return page(request, "bulletin.html", scope, status_code=status, form=form, **common, **extra)


@router.get("/bulletin")
def bulletin_page(request: Request, scope: ScopeDep, s: SessionDep, settings: SettingsDep) -> HTMLResponse:
    return _bulletin_page(request, scope, s, settings)


@router.post("/bulletin/document", dependencies=[CsrfDep])
def bulletin_document(
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    settings: SettingsDep,
    period: Annotated[str, Form(max_length=40)] = "",
    title: Annotated[str, Form(max_length=200)] = "",
    issuing_body: Annotated[str, Form(max_length=60)] = "",
    number: Annotated[str, Form(max_length=60)] = "",
    ours_only: Annotated[str, Form()] = "",
    allow_empty: Annotated[str, Form()] = "",
    format: Annotated[str, Form()] = "docx",
) -> Response:
    options = collections.BulletinOptions(
        period=period,
        title=title,
        fmt=format,
        issuing_body=issuing_body,
        number=number,
        ours_only=ours_only == "1",
        allow_empty=allow_empty == "1",
    )
    form = {**options.__dict__, "format": format}
    try:
        name, media, data = collections.export_bulletin(s, settings, scope, options, ip=client_ip(request))
    except Exception as exc:  # noqa: BLE001 - a user's error is shown on the page; a 5xx is raised
        from api.errors import to_api_error

        empty = to_api_error(exc).code == "empty_period"
        return _bulletin_page(
            request, scope, s, settings, 400, form=form, warning=form_error(exc), empty_period=empty
        )
    if issuing_body.strip():
        request.session[_BODY_KEY] = issuing_body.strip()[:60]
    return _attachment(name, media, data)
