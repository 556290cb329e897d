"""/api/suits: the register of suits — register, list, one suit, its judgment, loss report, attachments,
case discussions, withdrawal; scoped to the agency for agency users."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse

from api.deps import CsrfDep, DbDep, ScopeDep, SessionDep, SettingsDep, UserDep, client_ip
from api.schemas import DiscussionIn, LossReport, ReminderSettings, SuitCreate, Withdrawal
from api.services import suits

router = APIRouter(prefix="/api", tags=["suits"], dependencies=[CsrfDep])


@router.post("/suits", status_code=201)
def register(
    body: SuitCreate, request: Request, scope: ScopeDep, s: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    """Register a suit (or join a registered one as co-defendant); answers with ``report_due``."""
    return suits.register(s, settings, scope, body.model_dump(), ip=client_ip(request))


@router.get("/suits")
def listing(
    scope: ScopeDep,
    s: SessionDep,
    settings: SettingsDep,
    status: Annotated[str | None, Query(description="pending / decided / withdrawn / closed")] = None,
    agency_id: int | None = None,
    overdue: bool = False,
) -> list[dict[str, Any]]:
    return suits.listing(s, settings, scope, status=status, agency_id=agency_id, overdue_only=overdue)


@router.get("/suits/review")
def review(scope: ScopeDep, s: SessionDep, settings: SettingsDep) -> list[dict[str, Any]]:
    """Pending-suit review (诉中化解): risk level with its reason, past losses, nearest similar cases."""
    return suits.review(s, settings, scope)


@router.get("/suits/unreported")
def unreported(scope: ScopeDep, s: SessionDep, settings: SettingsDep) -> list[dict[str, Any]]:
    """Decided judgments (on or after go-live) of registry agencies that belong to no registered suit: 未报备."""
    return suits.unreported(s, settings, scope)


@router.get("/suits/proposals")
def proposals(scope: ScopeDep, s: SessionDep) -> list[dict[str, Any]]:
    """Judgments that may belong to a suit registered without case number: confirmed by a person."""
    return suits.proposals(s, scope)


@router.post("/suits/reconcile")
async def reconcile(
    file: UploadFile, scope: ScopeDep, s: SessionDep, register_missing: bool = False
) -> dict[str, Any]:
    """The court's case list (CSV/XLSX) against the register: three lists. ``register_missing``: enter the
    never-reported suits as not reported, so that they count as late."""
    data = await file.read(20 * 1024 * 1024)
    return suits.reconcile(s, scope, file.filename or "list.csv", data, register_missing=register_missing)


@router.get("/suits/{suit_id}")
def one(suit_id: int, scope: ScopeDep, s: SessionDep, settings: SettingsDep) -> dict[str, Any]:
    return suits.one(s, settings, scope, suit_id)


@router.post("/suits/{suit_id}/judgment")
async def judgment(
    suit_id: int,
    file: UploadFile,
    request: Request,
    scope: ScopeDep,
    db: DbDep,
    settings: SettingsDep,
    received: Annotated[str | None, Form(description="收到判决的日期；缺省为上传日（标记为估计）")] = None,
) -> dict[str, Any]:
    """The judgment slot (kept apart from attachments): a file that is not a decision of this suit is refused."""
    data = await file.read(settings.max_file_mb * 1024 * 1024 + 1)
    return suits.upload_judgment(
        db, settings, scope, suit_id, file.filename or "judgment", data, received, ip=client_ip(request)
    )


@router.post("/suits/{suit_id}/report")
def loss_report(
    suit_id: int, body: LossReport, request: Request, scope: ScopeDep, s: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    """The 5-day loss report: causes, analysis, rectification measures."""
    return suits.loss_report(s, settings, scope, suit_id, body.model_dump(), ip=client_ip(request))


@router.post("/suits/{suit_id}/attachments", status_code=201)
async def attachment(
    suit_id: int, file: UploadFile, request: Request, scope: ScopeDep, s: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    data = await file.read(settings.attachment_max_mb * 1024 * 1024 + 1)
    return suits.add_attachment(
        s, settings, scope, suit_id, file.filename or "附件", data, ip=client_ip(request)
    )


@router.get("/suits/{suit_id}/attachments/{attachment_id}")
def attachment_file(
    suit_id: int, attachment_id: int, scope: ScopeDep, s: SessionDep, settings: SettingsDep
) -> FileResponse:
    name, path = suits.attachment_path(s, settings, scope, suit_id, attachment_id)
    media = "application/pdf" if path.suffix == ".pdf" else "application/octet-stream"
    return FileResponse(path, media_type=media, filename=name)


@router.post("/suits/{suit_id}/discussions")
def discussion(
    suit_id: int, body: DiscussionIn, request: Request, scope: ScopeDep, s: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    """A case discussion of a pending suit (诉中化解)."""
    return suits.discussion(s, settings, scope, suit_id, body.model_dump(), ip=client_ip(request))


@router.post("/suits/{suit_id}/withdrawal")
def withdrawal(
    suit_id: int, body: Withdrawal, request: Request, scope: ScopeDep, s: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    return suits.withdraw(s, settings, scope, suit_id, body.after_correction, ip=client_ip(request))


@router.get("/reminders", tags=["reminders"])
def reminders(user: UserDep, s: SessionDep, settings: SettingsDep) -> dict[str, Any]:
    """The signed-in user's reminders: open and late obligations with working days left."""
    return suits.reminders(s, settings, user)


@router.put("/reminders/settings", tags=["reminders"])
def reminder_settings(body: ReminderSettings, user: UserDep, s: SessionDep) -> dict[str, Any]:
    """Switch e-mail and webhook delivery on or off for the signed-in user (audited)."""
    return suits.set_reminder_settings(s, user, body.model_dump())


@router.post("/suits/{suit_id}/confirm/{judgment_id}")
def confirm(
    suit_id: int, judgment_id: int, request: Request, scope: ScopeDep, s: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    """Confirm a proposal: attach the judgment to the suit."""
    return suits.confirm(s, settings, scope, suit_id, judgment_id, ip=client_ip(request))
