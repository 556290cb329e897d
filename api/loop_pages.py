"""The 以案促改 page (Chinese): this year's meetings (form to record one), departments without a meeting by
the set date, 同类问题反弹, re-checks due, the accountability register, and the documents to download
(工作提醒函, annual disclosure, quarterly circular). Forms post here and come back with a message."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import CsrfDep, ScopeDep, SessionDep, SettingsDep
from api.pages import form_error, page, redirect_with_flash
from api.services import loop as service
from api.services.suits import own_agency
from supervision import meetings

router = APIRouter(include_in_schema=False)


@router.get("/lessons")
def lessons_page(
    request: Request, scope: ScopeDep, s: SessionDep, settings: SettingsDep, year: int | None = None
) -> HTMLResponse:
    from registry.agencies import list_agencies

    today = dt.date.today()
    y = year or today.year
    own = own_agency(scope)
    agencies = [a for a in list_agencies(s, ours_only=True) if own is None or a["id"] == own]
    return page(
        request,
        "lessons.html",
        scope,
        view=service.overview(s, settings, scope, y, today),
        agencies=agencies,
        today=today.isoformat(),
        flash=request.session.pop("flash", None),
    )


@router.post("/lessons/meetings", dependencies=[CsrfDep])
def add_meeting(
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    held_on: Annotated[str, Form()],
    agency_id: Annotated[int | None, Form()] = None,
    cases_used: Annotated[str, Form()] = "",
    draft_id: Annotated[int | None, Form()] = None,
    judge_invited: Annotated[str, Form()] = "",
    participants: Annotated[str, Form()] = "",
    measures: Annotated[str, Form()] = "",
    minutes: Annotated[str, Form()] = "",
) -> RedirectResponse:
    try:
        service.can_act(scope)
        agency = service.acting_agency(scope, agency_id)
        cases = [c for c in cases_used.replace("，", ",").replace("、", ",").split(",") if c.strip()]
        m = meetings.record_meeting(
            s,
            agency,
            held_on,
            participants=participants,
            judge_invited=judge_invited,
            cases_used=cases,
            draft_id=draft_id,
            measures=measures,
            minutes=minutes,
            user=scope.username,
        )
    except Exception as exc:  # noqa: BLE001 - shown on the page
        return redirect_with_flash(request, "/lessons", "error", f"未登记：{form_error(exc)}")
    return redirect_with_flash(
        request, f"/lessons?year={m.year}", "info", f"已登记 {m.held_on} 的以案促改会议"
    )


@router.post("/lessons/accountability", dependencies=[CsrfDep])
def add_accountability(
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    case_ref: Annotated[str, Form()],
    fault: Annotated[str, Form()],
    measure: Annotated[str, Form()],
    decided_on: Annotated[str, Form()],
    agency_id: Annotated[int | None, Form()] = None,
) -> RedirectResponse:
    try:
        service.can_act(scope)
        agency = service.acting_agency(scope, agency_id)
        meetings.record_accountability(s, agency, case_ref, fault, measure, decided_on, user=scope.username)
    except Exception as exc:  # noqa: BLE001
        return redirect_with_flash(request, "/lessons", "error", f"未登记：{form_error(exc)}")
    return redirect_with_flash(request, "/lessons", "info", "已登记执法过错责任追究案件")


@router.post("/suits/{suit_id}/recheck", dependencies=[CsrfDep])
def recheck(
    suit_id: int,
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    measure_id: Annotated[int, Form()],
    recheck_on: Annotated[str, Form()] = "",
    result: Annotated[str, Form()] = "",
) -> RedirectResponse:
    try:
        service.can_act(scope)
        meetings.recheck_measure(
            s,
            measure_id,
            recheck_on=recheck_on or None,
            result=result,
            user=scope.username,
            agency_ids=service.mine(scope),
        )
    except Exception as exc:  # noqa: BLE001
        return redirect_with_flash(request, f"/suits/{suit_id}", "error", form_error(exc))
    return redirect_with_flash(request, f"/suits/{suit_id}", "info", "已记录回头看")


@router.get("/lessons/documents/{kind}", response_model=None)
def document(
    kind: str,
    request: Request,
    scope: ScopeDep,
    s: SessionDep,
    settings: SettingsDep,
    format: str = "docx",
    agency_id: int | None = None,
    year: int | None = None,
    quarter: str | None = None,
) -> Response:
    try:
        name, media, data = service.document(
            s, settings, scope, kind, format, agency_id=agency_id, year=year, quarter=quarter
        )
    except Exception as exc:  # noqa: BLE001
        return redirect_with_flash(request, "/lessons", "error", form_error(exc))
    return Response(
        data, media_type=media, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    )
