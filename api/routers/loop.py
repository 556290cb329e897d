"""/api/meetings, /api/recurrences, /api/accountability, /api/measures/{id}/recheck and /api/loop-documents:
the 以案促改 loop (issue 17)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel

from api.deps import CsrfDep, ScopeDep, SessionDep, SettingsDep
from api.services import loop as service
from supervision import meetings

router = APIRouter(prefix="/api", tags=["lessons"], dependencies=[CsrfDep])


class MeetingIn(BaseModel):
    agency_id: int | None = None
    held_on: str
    participants: str = ""
    judge_invited: str = ""
    cases_used: list[str] = []
    draft_id: int | None = None
    measures: str = ""
    minutes: str = ""


class AccountabilityIn(BaseModel):
    agency_id: int | None = None
    case_ref: str
    fault: str
    measure: str
    decided_on: str
    suit_id: int | None = None


class RecheckIn(BaseModel):
    recheck_on: str | None = None
    result: str | None = None


@router.get("/meetings")
def overview(
    scope: ScopeDep, s: SessionDep, settings: SettingsDep, year: int | None = None
) -> dict[str, Any]:
    today = dt.date.today()
    return service.overview(s, settings, scope, year or today.year, today)


@router.post("/meetings", status_code=201)
def add_meeting(body: MeetingIn, scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    service.can_act(scope)
    agency = service.acting_agency(scope, body.agency_id)
    m = meetings.record_meeting(
        s,
        agency,
        body.held_on,
        participants=body.participants,
        judge_invited=body.judge_invited,
        cases_used=body.cases_used,
        draft_id=body.draft_id,
        measures=body.measures,
        minutes=body.minutes,
        user=scope.username,
    )
    return meetings.meeting_as_dict(m, {})


@router.get("/recurrences")
def recurrences(scope: ScopeDep, s: SessionDep) -> list[dict[str, Any]]:
    return meetings.recurrences(s, service.mine(scope))


@router.post("/accountability", status_code=201)
def add_accountability(body: AccountabilityIn, scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    service.can_act(scope)
    agency = service.acting_agency(scope, body.agency_id)
    row = meetings.record_accountability(
        s,
        agency,
        body.case_ref,
        body.fault,
        body.measure,
        body.decided_on,
        suit_id=body.suit_id,
        user=scope.username,
    )
    return {"id": row.id}


@router.post("/measures/{measure_id}/recheck")
def recheck(measure_id: int, body: RecheckIn, scope: ScopeDep, s: SessionDep) -> dict[str, Any]:
    service.can_act(scope)
    m = meetings.recheck_measure(
        s,
        measure_id,
        recheck_on=body.recheck_on,
        result=body.result,
        user=scope.username,
        agency_ids=service.mine(scope),
    )
    return {"id": m.id, "recheck_on": str(m.recheck_on or ""), "recheck_result": m.recheck_result}


@router.get("/loop-documents/{kind}")
def document(
    kind: str,
    scope: ScopeDep,
    s: SessionDep,
    settings: SettingsDep,
    format: str = "docx",
    agency_id: int | None = None,
    year: int | None = None,
    quarter: str | None = None,
) -> Response:
    name, media, data = service.document(
        s, settings, scope, kind, format, agency_id=agency_id, year=year, quarter=quarter
    )
    return Response(
        data, media_type=media, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    )
