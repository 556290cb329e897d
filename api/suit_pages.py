"""Pages of the register of suits (Chinese): 应诉 (the list, registering a suit, reminders at the top), one
suit (judgment slot, loss report, attachments, case discussion, history), 研判 (pending-suit review) and 提醒
(the user's reminders and delivery settings). Forms post to these routes, which call the same service
functions as /api/suits and come back with a message; errors are shown on the page, never a traceback."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import CsrfDep, DbDep, ScopeDep, SessionDep, SettingsDep, UserDep, client_ip
from api.errors import ApiError
from api.pages import form_error, page, redirect_with_flash
from api.services import suits
from core.taxonomy import ActionType, Field, LossCause
from registry.agencies import RegistryError
from supervision.meetings import recurrence_of
from supervision.suits import DECISIONS, MEASURE_STATUS, SuitError

router = APIRouter(include_in_schema=False)


def _agency_options(s: Any, scope: Any) -> list[dict[str, Any]]:
    from registry.agencies import list_agencies

    own = suits.own_agency(scope)
    return [{"id": a["id"], "name": a["name"]} for a in list_agencies(s) if own is None or a["id"] == own]


@router.get("/suits")
def suits_page(
    request: Request,
    scope: ScopeDep,
    user: UserDep,
    s: SessionDep,
    settings: SettingsDep,
    status: str = "",
    overdue: str = "",
) -> HTMLResponse:
    rows = suits.listing(s, settings, scope, status=status or None, overdue_only=overdue == "1")
    return page(
        request,
        "suits.html",
        scope,
        rows=rows,
        status=status,
        overdue=overdue,
        reminders=suits.reminders(s, settings, user),
        agencies=_agency_options(s, scope),
        action_types=[(a.value, a.zh) for a in ActionType],
        fields=[(f.value, f.zh) for f in Field],
        unreported=suits.unreported(s, settings, scope) if not scope.restricted else [],
        proposals=suits.proposals(s, scope),
        flash=request.session.pop("flash", None),
        today=dt.date.today().isoformat(),
    )


@router.post("/suits", dependencies=[CsrfDep])
def suits_register(
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    settings: SettingsDep,
    papers_received: Annotated[str, Form()],
    plaintiffs: Annotated[str, Form()],
    court: Annotated[str, Form()],
    sued_action: Annotated[str, Form()],
    case_no: Annotated[str, Form()] = "",
    agency_id: Annotated[str, Form()] = "",
    action_type: Annotated[str, Form()] = "",
    field: Annotated[str, Form()] = "",
) -> RedirectResponse:
    body = {
        "papers_received": papers_received,
        "plaintiffs": [p for p in plaintiffs.replace("，", ",").replace("、", ",").split(",") if p.strip()],
        "court": court,
        "sued_action": sued_action,
        "case_no": case_no.strip() or None,
        "agency_id": int(agency_id) if agency_id.isdigit() else None,
        "action_type": action_type or None,
        "field": field or None,
    }
    try:
        with s.begin_nested():
            d = suits.register(s, settings, scope, body, ip=client_ip(request))
    except (ApiError, SuitError) as exc:
        return redirect_with_flash(request, "/suits", "error", f"未登记：{form_error(exc)}")
    state = "按期报备" if d["report_on_time"] else "已超过报备期限"
    return redirect_with_flash(request, f"/suits/{d['id']}", "info", f"{d['message']}（{state}）")


@router.get("/suits/review")
def review_page(request: Request, scope: ScopeDep, s: SessionDep, settings: SettingsDep) -> HTMLResponse:
    error, rows = None, []
    try:
        rows = suits.review(s, settings, scope)
    except SuitError as exc:
        error = str(exc)
    return page(request, "suit_review.html", scope, rows=rows, error=error)


@router.get("/suits/{suit_id}")
def suit_page(
    suit_id: int, request: Request, scope: ScopeDep, s: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    d = suits.one(s, settings, scope, suit_id)
    suggested = {c["cause"] for c in d["suggested_causes"]}
    return page(
        request,
        "suit.html",
        scope,
        suit=d,
        causes=[(c.value, c.zh, c.value in suggested) for c in LossCause],
        measure_status=MEASURE_STATUS,
        decisions=DECISIONS,
        flash=request.session.pop("flash", None),
        max_mb=settings.attachment_max_mb,
        today=dt.date.today().isoformat(),
        recurrence=recurrence_of(s, suit_id),
    )


@router.post("/suits/{suit_id}/judgment", dependencies=[CsrfDep])
async def suit_judgment(
    suit_id: int,
    request: Request,
    scope: ScopeDep,
    db: DbDep,
    settings: SettingsDep,
    file: UploadFile,
    received: Annotated[str, Form()] = "",
) -> RedirectResponse:
    data = await file.read(settings.max_file_mb * 1024 * 1024 + 1)
    url = f"/suits/{suit_id}"
    try:
        d = suits.upload_judgment(
            db,
            settings,
            scope,
            suit_id,
            file.filename or "judgment",
            data,
            received or None,
            ip=client_ip(request),
        )
    except (ApiError, SuitError) as exc:
        return redirect_with_flash(request, url, "error", form_error(exc))
    text = "裁判文书已上传并关联到本案"
    if d["outcome"] == "agency_lost":
        due = [o["due"] for o in d["obligations"] if o["what"] == "loss_report"]
        text += f"；本案败诉，请于 {due[0]} 前报送败诉原因分析和整改措施" if due else "；本案败诉"
    return redirect_with_flash(request, url, "info", text)


@router.post("/suits/{suit_id}/report", dependencies=[CsrfDep])
async def suit_report(
    suit_id: int, request: Request, scope: ScopeDep, s: SessionDep, settings: SettingsDep
) -> RedirectResponse:
    form = await request.form()
    measures = []
    for text, owner, due, status in zip(
        form.getlist("measure_text"),
        form.getlist("measure_owner"),
        form.getlist("measure_due"),
        form.getlist("measure_status"),
        strict=False,
    ):
        if str(text).strip():
            measures.append(
                {"text": str(text), "owner": str(owner), "due": str(due) or None, "status": str(status)}
            )
    body = {
        "causes": [str(c) for c in form.getlist("causes")],
        "analysis": str(form.get("analysis") or ""),
        "measures": measures,
    }
    url = f"/suits/{suit_id}"
    try:
        with s.begin_nested():
            suits.loss_report(s, settings, scope, suit_id, body, ip=client_ip(request))
    except (ApiError, SuitError) as exc:
        return redirect_with_flash(request, url, "error", f"未报送：{form_error(exc)}")
    return redirect_with_flash(request, url, "info", "已报送败诉原因分析和整改措施")


@router.post("/suits/{suit_id}/attachments", dependencies=[CsrfDep])
async def suit_attachment(
    suit_id: int, request: Request, scope: ScopeDep, s: SessionDep, settings: SettingsDep, file: UploadFile
) -> RedirectResponse:
    data = await file.read(settings.attachment_max_mb * 1024 * 1024 + 1)
    url = f"/suits/{suit_id}"
    try:
        with s.begin_nested():
            r = suits.add_attachment(
                s, settings, scope, suit_id, file.filename or "附件", data, ip=client_ip(request)
            )
    except (ApiError, SuitError) as exc:
        return redirect_with_flash(request, url, "error", form_error(exc))
    return redirect_with_flash(request, url, "info", f"已上传附件「{r['filename']}」")


@router.post("/suits/{suit_id}/discussions", dependencies=[CsrfDep])
def suit_discussion(
    suit_id: int,
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    settings: SettingsDep,
    held_on: Annotated[str, Form()],
    decision: Annotated[str, Form()],
    participants: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> RedirectResponse:
    body = {"held_on": held_on, "decision": decision, "participants": participants, "note": note}
    url = f"/suits/{suit_id}"
    try:
        with s.begin_nested():
            suits.discussion(s, settings, scope, suit_id, body, ip=client_ip(request))
    except (ApiError, SuitError) as exc:
        return redirect_with_flash(request, url, "error", f"未记录：{form_error(exc)}")
    return redirect_with_flash(request, url, "info", "已记录案件研判")


@router.post("/suits/{suit_id}/withdrawal", dependencies=[CsrfDep])
def suit_withdrawal(
    suit_id: int,
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    settings: SettingsDep,
    after_correction: Annotated[str, Form()] = "",
) -> RedirectResponse:
    url = f"/suits/{suit_id}"
    try:
        with s.begin_nested():
            suits.withdraw(s, settings, scope, suit_id, after_correction == "1", ip=client_ip(request))
    except (ApiError, SuitError) as exc:
        return redirect_with_flash(request, url, "error", form_error(exc))
    return redirect_with_flash(
        request, url, "info", "已登记撤诉" + ("（纠正后撤诉，实质性化解）" if after_correction == "1" else "")
    )


@router.post("/suits/{suit_id}/confirm/{judgment_id}", dependencies=[CsrfDep])
def suit_confirm(
    suit_id: int, judgment_id: int, request: Request, scope: ScopeDep, s: SessionDep, settings: SettingsDep
) -> RedirectResponse:
    try:
        with s.begin_nested():
            suits.confirm(s, settings, scope, suit_id, judgment_id, ip=client_ip(request))
    except (ApiError, SuitError) as exc:
        return redirect_with_flash(request, "/suits", "error", form_error(exc))
    return redirect_with_flash(request, f"/suits/{suit_id}", "info", "已确认：裁判文书已关联到本案")


@router.post("/suits/reconcile", dependencies=[CsrfDep])
async def suits_reconcile(
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    file: UploadFile,
    register_missing: Annotated[str, Form()] = "",
) -> Response:
    data = await file.read(20 * 1024 * 1024)
    try:
        with s.begin_nested():
            lists = suits.reconcile(
                s, scope, file.filename or "list.csv", data, register_missing=register_missing == "1"
            )
    except (ApiError, SuitError, RegistryError) as exc:
        return redirect_with_flash(request, "/suits", "error", f"未能对账：{form_error(exc)}")
    return page(request, "suit_reconcile.html", scope, lists=lists, filename=file.filename)


@router.get("/reminders")
def reminders_page(
    request: Request, scope: ScopeDep, user: UserDep, s: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    return page(
        request,
        "reminders.html",
        scope,
        data=suits.reminders(s, settings, user),
        flash=request.session.pop("flash", None),
    )


@router.post("/reminders", dependencies=[CsrfDep])
def reminders_save(
    request: Request,
    user: UserDep,
    s: SessionDep,
    email: Annotated[str, Form()] = "",
    email_on: Annotated[str, Form()] = "",
    webhook_url: Annotated[str, Form()] = "",
    webhook_on: Annotated[str, Form()] = "",
) -> RedirectResponse:
    body = {
        "email": email,
        "email_on": email_on == "1",
        "webhook_url": webhook_url,
        "webhook_on": webhook_on == "1",
    }
    try:
        with s.begin_nested():
            suits.set_reminder_settings(s, user, body)
    except (ApiError, SuitError) as exc:
        return redirect_with_flash(request, "/reminders", "error", f"未保存：{form_error(exc)}")
    return redirect_with_flash(request, "/reminders", "info", "提醒设置已保存")
