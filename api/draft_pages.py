"""Pages of the collection drafts (Chinese): 汇编草稿 (list; a new draft from the chosen cases) and one draft
(cases in print order with their de-identified text, an edit form per field, move up/down, remove, answer
the last pass's findings, export). Forms post here and come back with a message; never a traceback."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import CsrfDep, ScopeDep, SessionDep, SettingsDep
from api.pages import form_error, page, redirect_with_flash
from api.services import drafts as service
from reports import drafts

router = APIRouter(include_in_schema=False)


@router.get("/collections/drafts")
def drafts_page(request: Request, scope: ScopeDep, s: SessionDep) -> HTMLResponse:
    service.can_read(scope)
    return page(
        request,
        "drafts.html",
        scope,
        drafts=drafts.list_drafts(s),
        basket=len(request.session.get("basket", [])),
        flash=request.session.pop("flash", None),
    )


@router.post("/collections/drafts", dependencies=[CsrfDep])
def create_draft(
    request: Request, scope: ScopeDep, s: SessionDep, title: Annotated[str, Form()] = ""
) -> RedirectResponse:
    ids = [int(i) for i in request.session.get("basket", [])]
    try:
        view = service.create(s, scope, title, ids)
    except Exception as exc:  # noqa: BLE001 - shown on the page
        return redirect_with_flash(request, "/collections/drafts", "error", form_error(exc))
    return redirect_with_flash(
        request, f"/collections/drafts/{view['id']}", "info", f"已建立草稿，共 {len(view['cases'])} 个案例"
    )


@router.get("/collections/drafts/{draft_id}")
def draft_page(draft_id: int, request: Request, scope: ScopeDep, s: SessionDep) -> HTMLResponse:
    service.can_read(scope)
    return page(
        request,
        "draft.html",
        scope,
        draft=drafts.preview(s, draft_id),
        fields=drafts.EDITABLE,
        flash=request.session.pop("flash", None),
    )


@router.post("/collections/drafts/{draft_id}/edit", dependencies=[CsrfDep])
def edit_case(
    draft_id: int,
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    case_id: Annotated[int, Form()],
    field: Annotated[str, Form()],
    text: Annotated[str, Form()] = "",
) -> RedirectResponse:
    url = f"/collections/drafts/{draft_id}#case-{case_id}"
    try:
        service.can_edit(scope)
        drafts.edit_case(s, draft_id, case_id, field, text, user=scope.username)
    except Exception as exc:  # noqa: BLE001
        return redirect_with_flash(request, url, "error", form_error(exc))
    return redirect_with_flash(request, url, "info", f"已保存“{drafts.EDITABLE.get(field, field)}”")


@router.post("/collections/drafts/{draft_id}/move", dependencies=[CsrfDep])
def move_case(
    draft_id: int,
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    case_id: Annotated[int, Form()],
    direction: Annotated[str, Form()],
) -> RedirectResponse:
    url = f"/collections/drafts/{draft_id}"
    try:
        service.can_edit(scope)
        ids = [c.id for c in drafts.cases_of(s, draft_id)]
        i = ids.index(case_id)
        j = i - 1 if direction == "up" else i + 1
        if 0 <= j < len(ids):
            ids[i], ids[j] = ids[j], ids[i]
        drafts.reorder(s, draft_id, ids, user=scope.username)
    except ValueError:
        return redirect_with_flash(request, url, "error", "草稿中没有这个案例")
    except Exception as exc:  # noqa: BLE001
        return redirect_with_flash(request, url, "error", form_error(exc))
    return redirect_with_flash(request, f"{url}#case-{case_id}", "info", "已调整顺序")


@router.post("/collections/drafts/{draft_id}/remove", dependencies=[CsrfDep])
def remove_case(
    draft_id: int, request: Request, scope: ScopeDep, s: SessionDep, case_id: Annotated[int, Form()]
) -> RedirectResponse:
    url = f"/collections/drafts/{draft_id}"
    try:
        service.can_edit(scope)
        drafts.remove_case(s, draft_id, case_id, user=scope.username)
    except Exception as exc:  # noqa: BLE001
        return redirect_with_flash(request, url, "error", form_error(exc))
    return redirect_with_flash(request, url, "info", "已移除该案例")


@router.post("/collections/drafts/{draft_id}/resolve", dependencies=[CsrfDep])
def resolve(
    draft_id: int,
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    case_id: Annotated[int, Form()],
    name: Annotated[str, Form()],
    action: Annotated[str, Form()],
) -> RedirectResponse:
    url = f"/collections/drafts/{draft_id}#case-{case_id}"
    try:
        service.can_edit(scope)
        drafts.resolve(s, draft_id, case_id, name, action, user=scope.username)
    except Exception as exc:  # noqa: BLE001
        return redirect_with_flash(request, url, "error", form_error(exc))
    return redirect_with_flash(request, url, "info", f"「{name}」已{'隐名' if action == 'mask' else '保留'}")


@router.get("/collections/drafts/{draft_id}/export", response_model=None)
def export(
    draft_id: int,
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    settings: SettingsDep,
    format: str = "docx",
) -> Response:
    try:
        name, media, data = service.export_bytes(s, settings, scope, draft_id, format)
    except Exception as exc:  # noqa: BLE001
        return redirect_with_flash(request, f"/collections/drafts/{draft_id}", "error", form_error(exc))
    return Response(
        data, media_type=media, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    )
